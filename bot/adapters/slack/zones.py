"""Each Slack worker's time zone, from `users.info` (`user.tz`), for reminders.

Slack knows the zone a person set (or their device's); Teams sends it on every activity, Slack
does not, so the adapter asks `users.info` before a turn and fills `Incoming.tz`. Answers are
cached per workspace and user and refreshed every `REFRESH_S` (people travel; the clocks
change zone names, not ids). When Slack cannot be asked, or names no zone we know, the
worker is taken to be in Europe/London, asked again after `RETRY_S`, and the turn goes on.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import structlog
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.adapters.slack.workspaces import Workspaces
from bot.errors import PlatformError

log = structlog.get_logger(__name__)

FALLBACK = "Europe/London"
REFRESH_S = 12 * 3600.0
RETRY_S = 10 * 60.0
CACHE_SIZE = 50_000


class TimeZones:
    def __init__(self, workspaces: Workspaces, size: int = CACHE_SIZE) -> None:
        self.workspaces = workspaces
        self.size = size
        self._zones: OrderedDict[tuple[str, str], tuple[str, float]] = OrderedDict()

    async def zone(self, workspace: str, user: str) -> str:
        """The worker's IANA zone ("Europe/London", "Europe/Belfast", "Asia/Kolkata"...)."""
        key = (workspace, user)
        cached = self._zones.get(key)
        if cached is not None and cached[1] > time.monotonic():
            return cached[0]
        zone, good = await self._ask(workspace, user)
        self._zones[key] = (zone, time.monotonic() + (REFRESH_S if good else RETRY_S))
        self._zones.move_to_end(key)
        while len(self._zones) > self.size:
            self._zones.popitem(last=False)
        return zone

    async def _ask(self, workspace: str, user: str) -> tuple[str, bool]:
        try:
            client = await self.workspaces.client(workspace)
            response = await client.users_info(user=user)
        except (PlatformError, SlackApiError, SlackClientError, OSError, TimeoutError) as error:
            log.info("slack.tz_unknown", error=type(error).__name__)
            return FALLBACK, False
        info = response.get("user")
        tz = info.get("tz") if isinstance(info, dict) else None
        if not isinstance(tz, str) or not known(tz):
            return FALLBACK, True
        return tz, True


def known(zone: str) -> bool:
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True
