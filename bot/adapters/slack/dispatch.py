"""The work done after Slack has been acknowledged: run the turn, queue the replies.

Listeners (app.py) acknowledge and call one of the `start_*` methods, which only schedule a
tracked task and return, so the acknowledgement never waits for the database, a note or the
Web API. The tasks:

* `turn`: open the DM if needed, `ReflectionService.handle`, render, queue the replies in the
  DM's lane (sender.py), and on completion share the note as a file and refresh App Home.
  A retried or duplicated delivery comes back from the service as `duplicate` and is dropped.
  If the turn fails, its transaction rolled back and the worker is told kindly to try again.
* `home`: publish the App Home view.
* `long_answer`: open the modal (within the 3 seconds a trigger_id lives).
* `note`: send a stored note to the DM.

Logs carry event kinds, a hash of the team id, counts and timings: never text, names or tokens.
"""

from __future__ import annotations

import hashlib
import time

import structlog
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack import home, modal, texts
from bot.adapters.slack.render import plain, render, render_all
from bot.adapters.slack.sender import Outbox, error_code
from bot.adapters.slack.tasks import Tasks
from bot.adapters.slack.translate import Inbound, LongAnswerRequest, NoteRequest
from bot.errors import ReflectError
from bot.service import ReflectionService
from bot.turns import Outgoing

log = structlog.get_logger(__name__)

SLACK_ERRORS = (SlackApiError, SlackClientError, OSError, TimeoutError)


def team_hash(team: str) -> str:
    """A short stable tag for a workspace in logs, without naming it."""
    return hashlib.sha256(team.encode()).hexdigest()[:10]


class Dispatcher:
    def __init__(self, service: ReflectionService, client: AsyncWebClient, tasks: Tasks) -> None:
        self.service = service
        self.client = client
        self.tasks = tasks
        self.outbox = Outbox(client, tasks)

    # ------------------------------------------------------------------ scheduling (sync)

    def start_turn(self, inbound: Inbound, source: str) -> None:
        self.tasks.spawn(self.turn(inbound, source), name=f"slack-turn-{source}")

    def start_home(self, who: Inbound) -> None:
        self.tasks.spawn(self.publish_home(who), name="slack-home")

    def start_long_answer(self, request: LongAnswerRequest) -> None:
        self.tasks.spawn(self.open_long_answer(request), name="slack-modal")

    def start_note(self, request: NoteRequest) -> None:
        self.tasks.spawn(self.send_note(request), name="slack-note")

    # ------------------------------------------------------------------ the work

    async def open_dm(self, user: str) -> str:
        response = await self.client.conversations_open(users=user)
        channel = response.get("channel")
        if not isinstance(channel, dict) or not isinstance(channel.get("id"), str):
            raise SlackClientError("conversations.open returned no channel")
        return str(channel["id"])

    async def _dm(self, who: Inbound, source: str) -> str | None:
        if who.dm is not None:
            return who.dm
        try:
            return await self.open_dm(who.user)
        except SLACK_ERRORS as error:
            log.error(
                "slack.open_dm_failed", source=source, team=team_hash(who.team), error=error_code(error)
            )
            return None

    async def turn(self, inbound: Inbound, source: str) -> None:
        started = time.monotonic()
        dm = await self._dm(inbound, source)
        if dm is None:
            return
        try:
            result = await self.service.handle(inbound.incoming(dm))
        except Exception as error:
            # Nothing half-done: the turn's transaction rolled back. Log the type only, since
            # database errors can quote the parameters, which are the worker's words.
            log.error(
                "slack.turn_failed", source=source, team=team_hash(inbound.team), error=type(error).__name__
            )
            message = error.user_message if isinstance(error, ReflectError) else ReflectError.user_message
            self.outbox.post(dm, [plain(message)], inbound.thread_ts, notice=None)
            return
        # No await from here until the replies are queued: queue order is turn order.
        if result.duplicate:
            log.info("slack.duplicate", source=source, team=team_hash(inbound.team))
            return
        self.outbox.post(dm, render_all(result.messages), inbound.thread_ts)
        if result.completed_session_id is not None and result.note_markdown is not None:
            self.outbox.upload(
                dm,
                result.note_markdown,
                filename=f"supervision-note-{result.completed_session_id[:12]}.md",
                title=texts.NOTE_FALLBACK,
                comment=texts.NOTE_FILE_COMMENT,
                thread_ts=inbound.thread_ts,
            )
        for export in result.files:  # a records export asked for in chat: to the requester's DM
            self.outbox.upload(
                dm,
                export.data,
                filename=export.filename,
                title=export.title,
                comment=texts.EXPORT_FILE_COMMENT,
                thread_ts=inbound.thread_ts,
            )
        if result.completed_session_id is not None or result.active_session_id is None:
            self.start_home(inbound)  # paused, finished or cancelled: the Home tab has changed
        log.info(
            "slack.turn",
            source=source,
            team=team_hash(inbound.team),
            replies=len(result.messages),
            ms=round((time.monotonic() - started) * 1000),
        )

    async def publish_home(self, who: Inbound) -> None:
        summary = await self.service.home(who.key(who.dm or ""))
        try:
            await self.client.views_publish(user_id=who.user, view=home.view(summary))
        except SLACK_ERRORS as error:
            log.warning("slack.home_failed", team=team_hash(who.team), error=error_code(error))

    async def open_long_answer(self, request: LongAnswerRequest) -> None:
        view = modal.long_answer(request.dm, request.thread_ts, request.mark)
        try:
            await self.client.views_open(trigger_id=request.trigger_id, view=view)
        except SLACK_ERRORS as error:
            # Typing in the DM still works; nothing to tell the worker beyond the modal not opening.
            log.warning("slack.modal_failed", error=error_code(error))

    async def send_note(self, request: NoteRequest) -> None:
        who = request.who
        dm = await self._dm(who, "note")
        if dm is None:
            return
        markdown = await self.service.note_for(who.key(dm), request.session_id)
        if markdown is None:
            self.outbox.post(dm, [plain(texts.NOTE_NOT_FOUND)], who.thread_ts, notice=None)
            return
        self.outbox.post(dm, render(Outgoing(text=markdown, kind="note")), who.thread_ts, notice=None)
