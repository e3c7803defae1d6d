"""What the listeners hand over: an event is accepted (stored in the inbox) before Slack gets
its acknowledgement, and its turn runs after, in a tracked task.

* `accept`: `ReflectionService.accept` (one small insert and commit), then a task that
  drains the worker's lane: every waiting event runs, in order, through the service's one
  pipeline, and the replies go out through the outbox (sender.py is Slack's side of it).
  A retried delivery finds its inbox row and is not run twice; one whose turn never ran
  (the process died) runs now or at the next start.
* `home`: publish the App Home view (after a turn that paused, finished or cancelled).
* `long_answer`: open the modal (within the 3 seconds a trigger_id lives).
* `note`: send a stored note to the DM (read-only).

Logs carry event kinds, a hash of the team id, counts and timings: never text, names or tokens.
"""

from __future__ import annotations

import hashlib

import structlog

from bot.adapters.slack import home, modal, texts
from bot.adapters.slack.render import plain, render
from bot.adapters.slack.sender import SLACK_ERRORS, SlackSurface, error_code
from bot.adapters.slack.tasks import Tasks
from bot.adapters.slack.translate import Inbound, LongAnswerRequest, NoteRequest
from bot.adapters.slack.workspaces import Workspaces
from bot.adapters.slack.zones import TimeZones
from bot.errors import PlatformError
from bot.service import ReflectionService, lane_of
from bot.turns import Incoming, Outgoing, TurnResult

log = structlog.get_logger(__name__)


def team_hash(team: str) -> str:
    """A short stable tag for a workspace in logs, without naming it."""
    return hashlib.sha256(team.encode()).hexdigest()[:10]


class Dispatcher:
    def __init__(self, service: ReflectionService, workspaces: Workspaces, tasks: Tasks) -> None:
        self.service = service
        self.workspaces = workspaces
        self.tasks = tasks
        self.zones = TimeZones(workspaces)
        self.surface = SlackSurface(workspaces, on_turn=self._after_turn, zones=self.zones)
        service.outbox.register(self.surface)

    # ------------------------------------------------------------------ turns

    async def accept(self, inbound: Inbound, source: str, preset_case: str | None = None) -> None:
        """Store the event (before the acknowledgement), then run its lane in the background."""
        incoming = inbound.incoming(inbound.dm or "")
        address = {"channel": inbound.dm, "thread_ts": inbound.thread_ts, "workspace": inbound.team}
        accepted = await self.service.accept(incoming, address=address, preset_case=preset_case)
        if accepted.done:
            log.info("slack.duplicate", source=source, team=team_hash(inbound.team))
            return
        self.start_lane(lane_of(incoming), source)

    def start_lane(self, lane: str, source: str = "resume") -> None:
        self.tasks.spawn(self.service.drain(lane), name=f"slack-turn-{source}")

    async def _after_turn(self, incoming: Incoming, result: TurnResult) -> None:
        log.info("slack.turn", team=team_hash(incoming.key.workspace), replies=len(result.messages))
        if result.home_changed:  # started, paused, resumed, finished, cancelled; a records command
            who = Inbound(team=incoming.key.workspace, user=incoming.key.user, dm=incoming.key.channel)
            self.start_home(who)

    # ------------------------------------------------------------------ other work (read-only)

    def start_home(self, who: Inbound) -> None:
        self.tasks.spawn(self.publish_home(who), name="slack-home")

    def start_long_answer(self, request: LongAnswerRequest) -> None:
        self.tasks.spawn(self.open_long_answer(request), name="slack-modal")

    def start_note(self, request: NoteRequest) -> None:
        self.tasks.spawn(self.send_note(request), name="slack-note")

    async def publish_home(self, who: Inbound) -> None:
        summary = await self.service.home(who.key(who.dm or ""))
        try:
            client = await self.workspaces.client(who.team)
            await client.views_publish(user_id=who.user, view=home.view(summary))
        except PlatformError as error:
            log.warning("slack.home_failed", team=team_hash(who.team), error=type(error).__name__)
        except SLACK_ERRORS as error:
            log.warning("slack.home_failed", team=team_hash(who.team), error=error_code(error))

    async def open_long_answer(self, request: LongAnswerRequest) -> None:
        view = modal.long_answer(request.dm, request.thread_ts, request.mark)
        try:
            client = await self.workspaces.client(request.team)
            await client.views_open(trigger_id=request.trigger_id, view=view)
        except PlatformError as error:
            log.warning("slack.modal_failed", error=type(error).__name__)
        except SLACK_ERRORS as error:
            # Typing in the DM still works; nothing to tell the worker beyond the modal not opening.
            log.warning("slack.modal_failed", error=error_code(error))

    async def send_note(self, request: NoteRequest) -> None:
        who = request.who
        try:
            client = await self.workspaces.client(who.team)
            dm = who.dm or await self.surface.open_dm(who.user, who.team)
        except (*SLACK_ERRORS, PlatformError) as error:
            log.error(
                "slack.open_dm_failed", source="note", team=team_hash(who.team), error=error_code(error)
            )
            return
        markdown = await self.service.note_for(who.key(dm), request.session_id)
        messages = render(Outgoing(text=markdown, kind="note")) if markdown else [plain(texts.NOTE_NOT_FOUND)]
        try:
            for message in messages:
                await client.chat_postMessage(
                    channel=dm, text=message.text, blocks=message.blocks or None, thread_ts=who.thread_ts
                )
        except SLACK_ERRORS as error:
            log.warning("slack.note_failed", error=error_code(error))
