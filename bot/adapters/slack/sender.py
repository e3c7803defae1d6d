"""Posting to a DM in order, one channel at a time, even when Slack says "slow down".

Each channel has a lane: a post waits for the one queued before it in the same channel, so a
429 (which the client's AsyncRateLimitErrorRetryHandler answers by sleeping for Retry-After
and trying again) delays later messages instead of letting them overtake. Different
channels do not wait for each other.

`post()` queues synchronously. Callers queue straight after the turn returns, with no
`await` in between, so replies are queued in the order the turns ran (the service runs one
turn per conversation at a time).

When a post fails for good, the rest of that batch is dropped (a later part of a note
without the earlier one would mislead) and a short plain notice is attempted instead.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence

import structlog
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack import texts
from bot.adapters.slack.render import SlackMessage, escape
from bot.adapters.slack.tasks import Tasks

log = structlog.get_logger(__name__)

Job = Callable[[], Awaitable[bool]]


def error_code(error: Exception) -> str:
    """Slack's error code (`ratelimited`, `channel_not_found`...), or the exception's type.

    A response that is not Slack's JSON (a proxy's HTML page, a 414) has no code."""
    if isinstance(error, SlackApiError):
        data = getattr(error.response, "data", None)
        code = data.get("error") if isinstance(data, dict) else None
        return str(code) if isinstance(code, str) and code else "slack_api_error"
    return type(error).__name__


class Outbox:
    def __init__(self, client: AsyncWebClient, tasks: Tasks) -> None:
        self.client = client
        self.tasks = tasks
        self._tails: dict[str, asyncio.Task[bool]] = {}

    def enqueue(self, channel: str, job: Job) -> asyncio.Task[bool]:
        """Run `job` after everything already queued for `channel`; True when it succeeded."""
        previous = self._tails.get(channel)

        async def in_turn() -> bool:
            if previous is not None:
                await asyncio.wait([previous])  # its outcome is its own: ours runs regardless
            try:
                return await job()
            finally:
                if self._tails.get(channel) is task:
                    del self._tails[channel]

        task = self.tasks.spawn(in_turn(), name="slack-send")
        self._tails[channel] = task
        return task

    def post(
        self,
        channel: str,
        messages: Sequence[SlackMessage],
        thread_ts: str | None = None,
        notice: str | None = texts.REPLY_FAILED,
    ) -> asyncio.Task[bool]:
        async def job() -> bool:
            for message in messages:
                try:
                    await self.client.chat_postMessage(
                        channel=channel,
                        text=message.text,
                        blocks=message.blocks or None,
                        thread_ts=thread_ts,
                        unfurl_links=False,
                        unfurl_media=False,
                    )
                except (SlackApiError, SlackClientError, OSError, TimeoutError) as error:
                    log.error("slack.post_failed", method="chat.postMessage", error=error_code(error))
                    if notice is not None:
                        await self._notice(channel, thread_ts, notice)
                    return False
            return True

        return self.enqueue(channel, job)

    def upload(
        self,
        channel: str,
        content: str | bytes,
        filename: str,
        title: str,
        comment: str,
        thread_ts: str | None = None,
    ) -> asyncio.Task[bool]:
        """Share a file in the channel (a note as markdown, an export), in the channel's order."""
        text_content = content if isinstance(content, str) else None
        file_content = content if isinstance(content, bytes) else None

        async def job() -> bool:
            try:
                await self.client.files_upload_v2(
                    channel=channel,
                    content=text_content,
                    file=file_content,
                    filename=filename,
                    title=title,
                    initial_comment=escape(comment),
                    thread_ts=thread_ts,
                )
            except (SlackApiError, SlackClientError, OSError, TimeoutError) as error:
                # The note is already in the DM as messages and stored: the file is a convenience.
                log.warning("slack.upload_failed", error=error_code(error))
                return False
            return True

        return self.enqueue(channel, job)

    async def _notice(self, channel: str, thread_ts: str | None, notice: str) -> None:
        try:
            await self.client.chat_postMessage(channel=channel, text=escape(notice), thread_ts=thread_ts)
        except (SlackApiError, SlackClientError, OSError, TimeoutError) as error:
            log.error("slack.notice_failed", error=error_code(error))
