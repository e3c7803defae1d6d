"""Who a Slack DM belongs to, as Slack itself says: the identity check before a turn runs.

A signed payload names a channel and a user, and both are only claims: whoever holds the
signing secret (or a bug) can put worker B's id on a message in worker A's DM, and the bot
would resume B's session and post B's notes into A's DM. So before Bolt sees a payload that
names a DM, the adapter asks Slack's Web API whose DM it is (`conversations.info`: an IM
channel carries the `user` it is with) and refuses the payload when the answer is not the
claimed user, or the channel is not a DM at all. Answers are cached: a DM never changes hands.

`IdentityGate` is that check as both transports apply it, over HTTP (http.py, before Bolt)
and in Socket Mode (socket.py, before Bolt): refused claims are audited through the service.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from enum import Enum
from typing import Any

import structlog
from slack_sdk.errors import SlackApiError

from bot.adapters.slack import translate
from bot.adapters.slack.sender import error_code
from bot.adapters.slack.workspaces import Workspaces
from bot.errors import PlatformError
from bot.service import ReflectionService

log = structlog.get_logger(__name__)

CACHE_SIZE = 50_000
NOT_A_DM = ""  # cached for channels Slack says are not a DM with one person


class DmOwners:
    def __init__(self, workspaces: Workspaces, size: int = CACHE_SIZE) -> None:
        self.workspaces = workspaces
        self.size = size
        self._owners: OrderedDict[tuple[str, str], str] = OrderedDict()

    def learn(self, team: str, channel: str, user: str) -> None:
        """Record what Slack said elsewhere (conversations.open for `user` returned `channel`)."""
        self._owners[(team, channel)] = user
        self._owners.move_to_end((team, channel))
        while len(self._owners) > self.size:
            self._owners.popitem(last=False)

    async def owner(self, team: str, channel: str) -> str | None:
        """The user whose DM with the bot `channel` is; None when it is no such DM. A PlatformError
        when Slack could not be asked (network, rate limit, server error): try again later."""
        known = self._owners.get((team, channel))
        if known is not None:
            return known or None
        client = await self.workspaces.client(team)  # PlatformError: not installed there
        try:
            response = await client.conversations_info(channel=channel)
        except SlackApiError as error:
            code = error_code(error)
            if code in ("channel_not_found", "not_in_channel", "method_not_supported_for_channel_type"):
                self.learn(team, channel, NOT_A_DM)
                return None
            raise PlatformError(f"conversations.info: {code or 'slack_api_error'}") from None
        except Exception as error:  # network, timeouts: Slack will retry the delivery
            raise PlatformError(f"conversations.info: {type(error).__name__}") from None
        info = response.get("channel")
        user = info.get("user") if isinstance(info, dict) and info.get("is_im") is True else None
        self.learn(team, channel, user if isinstance(user, str) and user else NOT_A_DM)
        return user if isinstance(user, str) and user else None

    async def owns(self, team: str, channel: str, user: str) -> bool:
        return await self.owner(team, channel) == user


class Verdict(Enum):
    ALLOWED = "allowed"  # names no DM, or the DM's own user
    REFUSED = "refused"  # someone else's DM, or not a DM: audited, nothing runs
    UNKNOWN = "unknown"  # Slack could not be asked: let Slack deliver it again


class IdentityGate:
    """The DM identity check for a parsed, well-formed payload, the same on every transport."""

    def __init__(self, workspaces: Workspaces, service: ReflectionService | None = None) -> None:
        self.owners = DmOwners(workspaces)
        self.service = service

    async def check(self, payload: Mapping[str, Any]) -> Verdict:
        claim = translate.dm_claim(payload)
        if claim is None:
            return Verdict.ALLOWED
        try:
            if await self.owners.owns(claim.team, claim.channel, claim.user):
                return Verdict.ALLOWED
        except PlatformError as error:
            log.warning("slack.owner_unknown", error=str(error))
            return Verdict.UNKNOWN
        owner = await self.owners.owner(claim.team, claim.channel)  # cached by owns()
        log.warning("slack.rejected", reason="identity", status=403)
        if self.service is not None:
            await self.service.audit_identity_refused(
                platform="slack",
                workspace=claim.team,
                claimed_user=claim.user,
                conversation=claim.channel,
                owner=owner,
            )
        return Verdict.REFUSED
