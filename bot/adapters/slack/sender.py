"""Slack's side of the outbox (bot/outbox.py): what a stored reply is in Slack, and how
Slack's answers map to "try again" and "give up".

* A `messages` row is the turn's replies, rendered to Block Kit here at send time (one
  Outgoing may be several posts when it is long); a `file` row is the note as a markdown file
  or a records export, shared in the DM.
* 429 is retried after Retry-After (the client's AsyncRateLimitErrorRetryHandler first, then
  the outbox); a 5xx, a broken connection, or Slack's own `internal_error` /
  `fatal_error` / `service_unavailable` / `request_timeout` is retried with backoff; any
  other `ok: false` (not_in_channel, invalid_blocks, account_inactive ...) is given up on.
* Every post carries message metadata naming its outbox row and part. The outbox marks a
  part "sending" before posting it; a sender resuming a part so marked (the process died or
  stopped mid-post) first looks for that metadata in the DM's recent history
  (conversations.history / .replies with include_all_metadata) and posts only if it is not
  there: Slack has no idempotency key for chat.postMessage, so this is how a reply is sent
  once.
* When a row is given up on, a short plain notice is attempted once; the worker's next
  message re-posts what was lost (the service does that).
* Before a turn, an event that did not come from the DM (a slash command in a channel, a
  click on App Home) gets its DM opened (conversations.open): replies always go to the DM,
  and the worker's time zone is filled from users.info (zones.py) for reminders.
* Every call uses the token of the workspace the reply is for (workspaces.py): the one
  SLACK_BOT_TOKEN, or that workspace's own OAuth install. The address names the workspace.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import structlog
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack import texts
from bot.adapters.slack.render import SlackMessage, escape, render_all
from bot.adapters.slack.workspaces import Workspaces
from bot.adapters.slack.zones import TimeZones
from bot.core.outbox import OutboxItem
from bot.errors import PlatformError
from bot.outbox import GiveUp, Retry
from bot.turns import Incoming, TurnResult, file_from_json, outgoing_from_json

log = structlog.get_logger(__name__)

TRANSIENT_CODES = frozenset(
    {"internal_error", "fatal_error", "service_unavailable", "request_timeout", "ratelimited"}
)
TOKEN_CODES = frozenset({"token_expired", "token_revoked", "invalid_auth", "account_inactive"})
SLACK_ERRORS = (SlackApiError, SlackClientError, OSError, TimeoutError)


def error_code(error: Exception) -> str:
    """Slack's error code (`ratelimited`, `channel_not_found`...), or the exception's type.

    A response that is not Slack's JSON (a proxy's HTML page, a 414) has no code."""
    if isinstance(error, SlackApiError):
        data = getattr(error.response, "data", None)
        code = data.get("error") if isinstance(data, dict) else None
        return str(code) if isinstance(code, str) and code else "slack_api_error"
    return type(error).__name__


def classify(error: Exception) -> Retry | GiveUp:
    if isinstance(error, SlackApiError):
        status = getattr(error.response, "status_code", 200)
        code = error_code(error)
        if status == 429 or code == "ratelimited":
            headers = getattr(error.response, "headers", {}) or {}
            value = headers.get("Retry-After") or headers.get("retry-after")
            try:
                after = float(value) if value is not None else None
            except (TypeError, ValueError):
                after = None
            return Retry(code, after)
        if status >= 500 or code in TRANSIENT_CODES:
            return Retry(code)
        return GiveUp(code)
    return Retry(type(error).__name__)


# How many of the DM's latest messages are searched for a part a dead sender was posting.
HISTORY_LOOKBACK = 100
METADATA_EVENT = "reflect_outbox"


def outbox_metadata(item: OutboxItem, index: int) -> dict[str, Any]:
    """Slack message metadata naming the outbox row and part a post delivers (ids only)."""
    return {"event_type": METADATA_EVENT, "event_payload": {"id": item.id, "part": index}}


@dataclass(frozen=True)
class Upload:
    content: str | bytes
    filename: str
    title: str
    comment: str


def workspace_of(item: OutboxItem) -> str:
    """The workspace a stored reply is for: its address, else its lane ("slack:WS:USER",
    "group:slack:WS:CHANNEL"), for rows stored before addresses named it."""
    named = item.address.get("workspace")
    if isinstance(named, str) and named:
        return named
    parts = item.lane.split(":")
    return parts[2] if parts[0] == "group" else parts[1]


class SlackSurface:
    platform = "slack"

    def __init__(self, workspaces: Workspaces, on_turn: Any = None, zones: TimeZones | None = None) -> None:
        self.workspaces = workspaces
        self.on_turn = on_turn  # e.g. refresh App Home
        self.zones = zones

    async def client(self, workspace: str) -> AsyncWebClient:
        return await self.workspaces.client(workspace)

    async def open_dm(self, user: str, workspace: str) -> str:
        client = await self.client(workspace)
        response = await client.conversations_open(users=user)
        channel = response.get("channel")
        if not isinstance(channel, dict) or not isinstance(channel.get("id"), str):
            raise GiveUp("conversations.open returned no channel")
        return str(channel["id"])

    async def prepare(self, incoming: Incoming, address: dict[str, Any]) -> tuple[Incoming, dict[str, Any]]:
        workspace = incoming.key.workspace
        address = {**address, "workspace": workspace}
        if incoming.tz is None and self.zones is not None:
            incoming = replace(incoming, tz=await self.zones.zone(workspace, incoming.key.user))
        if address.get("channel"):
            return incoming, address
        dm = incoming.key.channel or await self.open_dm(incoming.key.user, workspace)
        return replace(incoming, key=replace(incoming.key, channel=dm)), {**address, "channel": dm}

    def parts(self, item: OutboxItem) -> Sequence[SlackMessage | Upload]:
        if item.kind == "messages":
            return render_all(outgoing_from_json(m) for m in item.payload.get("messages", ()))
        file, purpose = file_from_json(item.payload)
        if purpose == "note":
            return [Upload(file.data.decode(), file.filename, texts.NOTE_FALLBACK, texts.NOTE_FILE_COMMENT)]
        return [Upload(file.data, file.filename, file.title, texts.EXPORT_FILE_COMMENT)]

    async def _client_for(self, item: OutboxItem) -> AsyncWebClient:
        try:
            return await self.client(workspace_of(item))
        except PlatformError as error:  # not installed (any more), or its token can't be refreshed
            log.warning("slack.no_token", kind=item.kind)
            raise GiveUp(str(error)) from None

    async def _channel(self, item: OutboxItem) -> str:
        """The row's DM; a reminder scheduled before the DM was known names only the user."""
        channel = item.address.get("channel")
        if channel:
            return str(channel)
        return await self.open_dm(str(item.address["user"]), workspace_of(item))

    async def delivered(self, item: OutboxItem, index: int, part: SlackMessage | Upload) -> bool:
        """Look for this part's metadata among the DM's (or the thread's) recent messages.
        An upload carries no metadata: it is uploaded again."""
        if isinstance(part, Upload):
            return False
        thread_ts = item.address.get("thread_ts")
        client = await self._client_for(item)
        try:
            channel = await self._channel(item)
            if thread_ts:
                response = await client.conversations_replies(
                    channel=channel, ts=thread_ts, include_all_metadata=True, limit=HISTORY_LOOKBACK
                )
            else:
                response = await client.conversations_history(
                    channel=channel, include_all_metadata=True, limit=HISTORY_LOOKBACK
                )
        except SLACK_ERRORS as error:
            log.warning("slack.history_failed", error=error_code(error))
            raise classify(error) from None
        wanted = outbox_metadata(item, index)
        messages = response.get("messages")
        return any(
            isinstance(message, dict) and message.get("metadata") == wanted
            for message in (messages if isinstance(messages, list) else ())
        )

    async def send_part(self, item: OutboxItem, index: int, part: SlackMessage | Upload) -> None:
        thread_ts = item.address.get("thread_ts")
        client = await self._client_for(item)
        try:
            channel = await self._channel(item)
            if isinstance(part, Upload):
                await client.files_upload_v2(
                    channel=channel,
                    content=part.content if isinstance(part.content, str) else None,
                    file=part.content if isinstance(part.content, bytes) else None,
                    filename=part.filename,
                    title=part.title,
                    initial_comment=escape(part.comment),
                    thread_ts=thread_ts,
                )
            else:
                await client.chat_postMessage(
                    channel=channel,
                    text=part.text,
                    blocks=part.blocks or None,
                    thread_ts=thread_ts,
                    unfurl_links=False,
                    unfurl_media=False,
                    metadata=outbox_metadata(item, index),
                )
        except SLACK_ERRORS as error:
            code = error_code(error)
            log.warning("slack.post_failed", kind=item.kind, error=code)
            if code in TOKEN_CODES:  # look the install up again: it may have a new token
                self.workspaces.forget(workspace_of(item))
                if code == "token_expired":
                    raise Retry(code) from None
            raise classify(error) from None

    async def gave_up(self, item: OutboxItem) -> None:
        if item.kind != "messages":
            return  # the note is in the DM as messages too; an export can be asked for again
        try:
            client = await self.client(workspace_of(item))
            await client.chat_postMessage(
                channel=await self._channel(item),
                text=escape(texts.REPLY_FAILED),
                thread_ts=item.address.get("thread_ts"),
            )
        except PlatformError:
            log.error("slack.notice_failed", error="no_token")
        except SLACK_ERRORS as error:
            log.error("slack.notice_failed", error=error_code(error))

    async def after_turn(self, incoming: Incoming, result: TurnResult) -> None:
        if self.on_turn is not None:
            await self.on_turn(incoming, result)
