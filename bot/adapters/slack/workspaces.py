"""Which Web API client speaks for a workspace: one token, or the workspace's own install.

Two modes, one interface (`await workspaces.client(workspace)`):

* single token (SLACK_BOT_TOKEN): every workspace key gets the one client. For a council with
  one workspace, for Socket Mode, and for tests.
* OAuth (SLACK_CLIENT_ID / SLACK_CLIENT_SECRET): each workspace that installed the app has its
  own bot token in the installation store (storage/slack_installations.py, encrypted at rest).
  The key "E1.T1" finds the install for team T1 of org E1, else the org-wide install of E1;
  "T1" the install of T1. Tokens rotate: a token within `ROTATE_BEFORE_MIN` minutes of expiry
  is refreshed first (oauth.v2.access, grant_type=refresh_token, through slack_sdk's
  AsyncTokenRotator) and the new one saved, exactly as Bolt's own authorize does for a
  request; so a reply sent from the outbox hours after the event still goes out with a live
  token.

Bolt's authorize resolves the token for the request itself; everything sent after the
acknowledgement (turn replies, App Home, modals, reminders, the identity check) asks here.
A workspace with no install raises `PlatformError` (the outbox gives up on it).
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from typing import Any

import structlog
from slack_sdk.errors import SlackApiError, SlackClientError, SlackTokenRotationError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.oauth.token_rotation.async_rotator import AsyncTokenRotator
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.translate import split_workspace
from bot.errors import PlatformError

log = structlog.get_logger(__name__)

RATE_LIMIT_RETRIES = 5
ROTATE_BEFORE_MIN = 120  # as Bolt: refresh a token that expires within two hours
BOT_CACHE_S = 60.0  # a looked-up install is reused this long (uninstalls show within a minute)
CLIENT_CACHE = 1000


def new_client(token: str | None, base_url: str | None) -> AsyncWebClient:
    """A Web API client for `token`, retrying 429s after Retry-After (Slack did not act on the
    call, so a retry cannot post a message twice)."""
    client = AsyncWebClient(token=token, base_url=base_url) if base_url else AsyncWebClient(token=token)
    client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES))
    return client


class Workspaces:
    """The one client (single token), or each workspace's own (OAuth installs)."""

    def __init__(
        self,
        default: AsyncWebClient,
        installations: AsyncInstallationStore | None = None,
        rotator: AsyncTokenRotator | None = None,
    ) -> None:
        self.default = default
        self.installations = installations
        self.rotator = rotator
        self._bots: dict[str, tuple[Bot, float]] = {}
        self._clients: OrderedDict[str, AsyncWebClient] = OrderedDict()
        self._locks: dict[str, asyncio.Lock] = {}

    @property
    def oauth(self) -> bool:
        return self.installations is not None

    async def client(self, workspace: str) -> AsyncWebClient:
        if self.installations is None:
            return self.default
        bot = await self.bot(workspace)
        token = bot.bot_token
        if not token:
            raise PlatformError("slack: the install has no bot token")
        client = self._clients.get(token)
        if client is None:
            client = new_client(token, self.default.base_url)
            self._clients[token] = client
            while len(self._clients) > CLIENT_CACHE:
                self._clients.popitem(last=False)
        return client

    async def bot_user_id(self, workspace: str) -> str | None:
        if self.installations is None:
            return None
        return (await self.bot(workspace)).bot_user_id

    async def bot(self, workspace: str) -> Bot:
        """The install's bot for `workspace`, its token refreshed when close to expiry."""
        lock = self._locks.setdefault(workspace, asyncio.Lock())
        async with lock:  # one refresh at a time per workspace
            cached = self._bots.get(workspace)
            if cached is not None and time.monotonic() - cached[1] < BOT_CACHE_S and not _expiring(cached[0]):
                return cached[0]
            bot = await self._find(workspace)
            if bot is None:
                self._bots.pop(workspace, None)
                raise PlatformError("slack: this workspace has not installed the app")
            bot = await self._rotated(bot)
            self._bots[workspace] = (bot, time.monotonic())
            return bot

    async def revoked(
        self, enterprise: str | None, team: str | None, *, bot: bool = True, users: tuple[str, ...] = ()
    ) -> None:
        """Slack said the app was uninstalled (`app_uninstalled`) or tokens were revoked
        (`tokens_revoked`): delete what is stored, so nothing is sent with a dead token."""
        if self.installations is None:
            return
        for user in users:
            await self.installations.async_delete_installation(
                enterprise_id=enterprise, team_id=team, user_id=user
            )
        if bot:
            await self.installations.async_delete_bot(enterprise_id=enterprise, team_id=team)
            if not users:
                await self.installations.async_delete_installation(enterprise_id=enterprise, team_id=team)
        self._bots.clear()
        log.info("slack.uninstalled", bot=bot, users=len(users))

    def forget(self, workspace: str) -> None:
        """Look the install up again next time (after Slack said the token is not valid)."""
        self._bots.pop(workspace, None)

    async def _find(self, workspace: str) -> Bot | None:
        assert self.installations is not None
        enterprise, team = split_workspace(workspace)
        bot = await self.installations.async_find_bot(enterprise_id=enterprise, team_id=team)
        if bot is None and enterprise is not None:  # an org-wide install answers for its teams
            bot = await self.installations.async_find_bot(
                enterprise_id=enterprise, team_id=None, is_enterprise_install=True
            )
        if bot is None and enterprise is None and team.startswith("E"):  # the org itself
            bot = await self.installations.async_find_bot(
                enterprise_id=team, team_id=None, is_enterprise_install=True
            )
        return bot

    async def _rotated(self, bot: Bot) -> Bot:
        if bot.bot_refresh_token is None or self.rotator is None or not _expiring(bot):
            return bot
        assert self.installations is not None
        try:
            refreshed = await self.rotator.perform_bot_token_rotation(
                bot=bot, minutes_before_expiration=ROTATE_BEFORE_MIN
            )
        except (SlackTokenRotationError, SlackApiError, SlackClientError, OSError, TimeoutError) as error:
            log.warning("slack.token_rotation_failed", error=type(error).__name__)
            raise PlatformError("slack: the bot token could not be refreshed") from None
        if refreshed is None:
            return bot
        await self.installations.async_save_bot(refreshed)
        log.info("slack.token_rotated")
        return refreshed


class RecentBots(AsyncInstallationStore):
    """The install store as Bolt's per-request authorize, the OAuth flow and `Workspaces` see
    it: a bot found within BOT_CACHE_S is not read (and its token decrypted) again for every
    event, unless its token is near expiry, so rotation still happens on time. A save or a
    delete forgets what was found (another process's uninstall shows within BOT_CACHE_S)."""

    def __init__(self, store: AsyncInstallationStore) -> None:
        self.store = store
        self._found: dict[tuple[str | None, str | None, bool | None], tuple[Bot, float]] = {}

    @property
    def logger(self) -> Any:
        return self.store.logger

    async def async_find_bot(
        self, *, enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool | None = False
    ) -> Bot | None:
        key = (enterprise_id, team_id, is_enterprise_install)
        hit = self._found.get(key)
        if hit is not None and time.monotonic() - hit[1] < BOT_CACHE_S and not _expiring(hit[0]):
            return hit[0]
        bot = await self.store.async_find_bot(
            enterprise_id=enterprise_id, team_id=team_id, is_enterprise_install=is_enterprise_install
        )
        if bot is None:
            self._found.pop(key, None)
        else:
            self._found[key] = (bot, time.monotonic())
        return bot

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        return await self.store.async_find_installation(
            enterprise_id=enterprise_id,
            team_id=team_id,
            user_id=user_id,
            is_enterprise_install=is_enterprise_install,
        )

    async def async_save(self, installation: Installation) -> None:
        self._found.clear()
        await self.store.async_save(installation)

    async def async_save_bot(self, bot: Bot) -> None:
        self._found.clear()
        await self.store.async_save_bot(bot)

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        self._found.clear()
        await self.store.async_delete_bot(enterprise_id=enterprise_id, team_id=team_id)

    async def async_delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        self._found.clear()
        await self.store.async_delete_installation(
            enterprise_id=enterprise_id, team_id=team_id, user_id=user_id
        )

    async def async_delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        self._found.clear()
        await self.store.async_delete_all(enterprise_id=enterprise_id, team_id=team_id)


def _expiring(bot: Bot) -> bool:
    expires = bot.bot_token_expires_at
    return (
        expires is not None
        and bot.bot_refresh_token is not None
        and expires <= time.time() + ROTATE_BEFORE_MIN * 60
    )
