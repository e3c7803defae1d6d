"""THE turn pipeline, the same for every intent on every surface:

    accept   the event is stored in the inbox (one insert, one commit) before the platform
             gets its acknowledgement; a retried delivery finds its row (the dedupe key is
             scoped to platform, workspace, conversation and user)
    lock     the lane: one worker on one platform and workspace, or one group channel (an
             asyncio lock here, an advisory lock on PostgreSQL across processes)
    load     the inbox row (already done? then nothing to do; an earlier event of the lane
             whose turn has not run, accepted by a process that died or by another process?
             that one runs first: a lane's turns run in the order their events came), the
             conversation, the session
    route    bot/router.py says which handler the words are for
    handle   the engine, records, reminders or group facilitation, inside the transaction
    save     state, reminders, notes; the replies go into the outbox; the row is marked done:
             all in the turn's one transaction
    effects  after the commit the outbox sends the replies (bot/outbox.py)

Work that must not hold the lock (an AI-drafted summary, a records export) is decided in the
turn's transaction, which marks the row with a stage; it then runs outside, and a second
short transaction stores its replies and marks the row done. A process killed in between
finds the row pending at the next start and does the work again.

`handle(incoming)` runs the whole pipeline and returns the replies (the console, tests);
adapters call `accept` before acknowledging and `drain` after.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import os
import secrets
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import structlog

from bot import engine
from bot.assist import Assistant
from bot.assist.decorate import AiHelp
from bot.config import Settings
from bot.core.errors import StorageError
from bot.core.outbox import OutboxItem
from bot.engine.events import (
    Action,
    CaseHistoryLoaded,
    Event,
    LooksLike,
    PledgeLoaded,
    SessionLoaded,
    SummaryDrafted,
    Text,
)
from bot.engine.flow import latest_pledge
from bot.engine.group import (
    REVIEW_VIEW_STEP,
    CompileMinutes,
    GroupContext,
    GroupText,
    handle_group,
    member_view,
    minutes_vars,
    review_view_buttons,
)
from bot.engine.group_state import GroupSession, Participant
from bot.engine.outcome import (
    CompileNote,
    DraftSummary,
    LoadCaseHistory,
    LoadPledge,
    LoadSession,
    Outcome,
    Reply,
)
from bot.engine.state import CaseHistory, Context, Conversation, PausedBrief, Session
from bot.engine.understand.case_refs import find_case_ref
from bot.outbox import Outbox
from bot.records import audit
from bot.records.chat_commands import RecordsChat
from bot.records.export.csv import session_facts
from bot.records.note import NoteCompiler
from bot.reminders import schedule
from bot.reminders.chat import RemindersChat
from bot.router import Routed, State, offer_vars, offer_what, route
from bot.turns import (
    ActionItem,
    ConversationKey,
    HomeSummary,
    HypothesisItem,
    Incoming,
    NoteItem,
    Outgoing,
    OutgoingFile,
    PausedItem,
    TurnResult,
    file_to_json,
    incoming_from_json,
    incoming_to_json,
    outgoing_from_json,
    outgoing_to_json,
)
from bot.wording import Wording, default_wording
from storage import teams_repository
from storage.ai_usage import StoreLedger
from storage.inbox_repository import Accepted, InboxEntry
from storage.repository import Store, TurnTx
from storage.teams_repository import HeldFile, StoredReference, reference_key
from supervision_models.registry import ModelRegistry, UnknownModelError, default_registry

log = structlog.get_logger(__name__)

Clock = Callable[[], datetime]
STAGE_LEASE = timedelta(minutes=2)  # work outside the lock: another process waits this long


def utc_now() -> datetime:
    return datetime.now(UTC)


def owner_of(key: ConversationKey) -> str:
    """A person across their DMs and channels on one platform and workspace."""
    return f"{key.platform}:{key.workspace}:{key.user}"


def group_key(key: ConversationKey) -> str:
    return f"{key.platform}:{key.workspace}:{key.channel}"


def lane_of(incoming: Incoming) -> str:
    """The unit turns are ordered and locked by."""
    if incoming.conversation == "group":
        return f"group:{group_key(incoming.key)}"
    return owner_of(incoming.key)


def event_key(incoming: Incoming, event_id: str) -> str:
    """A delivery id scoped to platform, workspace, conversation and user: a Teams activity
    id reused in someone else's conversation is another event."""
    key = incoming.key
    return f"{key.platform}:{key.workspace}:{key.channel}:{key.user}:{event_id}"


@dataclass
class Job:
    """One accepted event on its way through the pipeline."""

    entry_id: int
    incoming: Incoming
    lane: str
    address: dict[str, Any] = field(default_factory=dict)
    preset_case: str | None = None
    stage: str | None = None

    def payload(self) -> dict[str, Any]:
        return {"in": incoming_to_json(self.incoming), "address": self.address, "case": self.preset_case}

    @classmethod
    def from_entry(cls, entry: InboxEntry) -> Job:
        data = entry.payload
        return cls(
            entry_id=entry.id,
            incoming=incoming_from_json(data["in"]),
            lane=entry.lane,
            address=dict(data.get("address") or {}),
            preset_case=data.get("case"),
            stage=entry.stage,
        )


@dataclass(frozen=True)
class Overtaking:
    """What a turn returns, instead of running, when an earlier event of its lane is still
    waiting in the inbox: that one runs first (the turn's transaction only read; see
    `ReflectionService._in_order`). A value, not an exception: it is the pipeline's own
    decision, not a failure."""

    earlier: InboxEntry


@dataclass(frozen=True)
class Loaded:
    """What the pipeline read before routing (a handler may read more)."""

    conversation: Conversation | None = None
    active: Session | None = None
    read: bool = False  # False: nothing was read yet (a handler reads what it needs)

    def keeps(self) -> TurnResult:
        """A command beside a reflection leaves the reflection where it was."""
        return TurnResult(active_session_id=self.active.id if self.active else None)


@dataclass
class Decided:
    """What a handler decided inside the turn's transaction."""

    replies: list[Reply] = field(default_factory=list)  # engine replies, rendered at the end
    result: TurnResult = field(default_factory=TurnResult)  # records/reminders replies, rendered
    stage: str | None = None  # work left to do outside the lock
    ai_told: bool = False
    session: Session | None = None  # the session in progress after the turn (for AI help)
    group: GroupSession | None = None


class ConversationReferences:
    """Where a Teams conversation can be reached later (its conversation reference), for the
    adapter: stored and read through the service, like everything else it keeps."""

    def __init__(self, store: Store) -> None:
        self._store = store

    @staticmethod
    def key(tenant: str, channel: str) -> str:
        return teams_repository.reference_key(tenant, channel)

    async def load(self, key: str) -> StoredReference | None:
        return await teams_repository.load(self._store, key)

    async def remember(self, *, key: str, **values: Any) -> None:
        await teams_repository.remember(self._store, key=key, **values)

    async def deactivate(self, key: str, reason: str, now: datetime) -> None:
        await teams_repository.deactivate(self._store, key, reason, now)

    async def claim_greeting(self, key: str, now: datetime) -> bool:
        return await teams_repository.claim_greeting(self._store, key, now)

    async def for_user(self, tenant: str, user: str) -> StoredReference | None:
        """A person's personal chat with the bot, if they have one."""
        return await teams_repository.for_user(self._store, tenant, user)


class ReflectionService:
    def __init__(
        self,
        store: Store,
        models: ModelRegistry | None = None,
        wording: Wording | None = None,
        clock: Clock = utc_now,
        new_id: Callable[[], str] = lambda: uuid.uuid4().hex,
        max_answer_chars: int = 20_000,
        assist: Assistant | None = None,
        marking: str | None = None,
        bank_holidays_region: str = "england-and-wales",
        word_template: Path | None = None,
        logo: Path | None = None,
    ) -> None:
        self.store = store
        self.models = models or default_registry()
        self.wording = wording or default_wording()
        self.notes = NoteCompiler(self.wording.env)
        self.clock = clock
        self.new_id = new_id
        self.max_answer_chars = max_answer_chars
        # Optional AI help (issue 6): None means our own templates throughout.
        self.ai = AiHelp(assist, self.models) if assist is not None else None
        self.records_chat = RecordsChat(self.models, self.wording, marking, word_template, logo)
        self.reminders = RemindersChat(
            self.wording, lambda: self.clock(), self.new_id, region=bank_holidays_region
        )
        self.bank_holidays_region = bank_holidays_region
        self.outbox = Outbox(store, lambda: self.clock())
        self.references = ConversationReferences(store)
        self.stopping = False  # shutting down: run no more turns; they wait in the inbox
        self._ready: dict[str, dict[int, Job]] = {}  # accepted here, not yet run: lane -> id -> job
        self.handlers = {
            "engine": self._engine_route,
            "records": self._records_route,
            "reminders": self._reminders_route,
            "group": self._group_route,
            "switch": self._switch_route,
        }

    # ------------------------------------------------------------------ entry points

    async def handle(self, incoming: Incoming, preset_case: str | None = None) -> TurnResult:
        """Accept and run one event now; its replies come back (and go to the outbox when
        an adapter has registered a surface for the platform)."""
        accepted = await self.accept(incoming, preset_case=preset_case)
        if accepted.done:
            log.info("turn.duplicate", platform=incoming.key.platform)
            return TurnResult(duplicate=True)
        job = self._ready.get(lane_of(incoming), {}).pop(accepted.id, None)
        if job is None:
            job = Job(accepted.id, incoming, lane_of(incoming), preset_case=preset_case)
        return (await self._in_order(job))[-1]

    async def accept(
        self, incoming: Incoming, address: dict[str, Any] | None = None, preset_case: str | None = None
    ) -> Accepted:
        """Store the event durably. Call before acknowledging it to the platform."""
        job = Job(0, incoming, lane_of(incoming), dict(address or {}), preset_case)
        async with self.store.write() as tx:
            accepted = await tx.inbox.accept(
                event_key=event_key(incoming, incoming.event_id or self.new_id()),
                lane=job.lane,
                platform=incoming.key.platform,
                payload=job.payload(),
                now=self.clock(),
            )
        if not accepted.done:  # this process runs it next (drain), without reading it back
            job.entry_id = accepted.id
            self._ready.setdefault(job.lane, {})[accepted.id] = job
        return accepted

    async def drain(self, lane: str, from_db: bool = False) -> list[TurnResult]:
        """Run this lane's waiting events in the order they came; their replies go out.

        Events this process accepted are run from memory, oldest first (no read back), each
        after any earlier one of the lane still waiting in the inbox (`_in_order`); with
        `from_db` (on start, and the sweep) the inbox is read for what others left."""
        results: list[TurnResult] = []
        while not self.stopping:
            ready = self._ready.get(lane)
            if ready:
                job = ready.pop(min(ready))
            elif from_db:
                async with self.store.write() as tx:
                    entry = await tx.inbox.next_pending(lane)
                if entry is None:
                    break
                if entry.stage is not None and entry.lease_until and entry.lease_until > self.clock():
                    break  # another process is doing its outside work; its sweep will go on
                job = Job.from_entry(entry)
            else:
                break
            if not ready:
                self._ready.pop(lane, None)
            try:
                results.extend(await self._in_order(job))
            except Exception as error:
                log.error("turn.failed", platform=job.incoming.key.platform, error=type(error).__name__)
                await self._tell_failed(job, error)
        return results

    async def _in_order(self, job: Job) -> list[TurnResult]:
        """`run(job)`, after every event of its lane accepted before it whose turn has not run.

        An event accepted by a process that died before running it waits in the inbox until
        a sweep finds it, while the worker's next message, accepted by the next process, is
        run from memory at once: without this it would overtake the earlier one (the answer
        of one question taken as the next one's, a reflection that never finishes and the
        next one's answers stored into it). The check is made inside the turn's transaction,
        under the lane's lock, so it holds across processes too. The results of the earlier
        events come first."""
        results: list[TurnResult] = []
        ran: set[int] = set()
        while True:
            outcome = await self.run(job)
            if isinstance(outcome, TurnResult):
                results.append(outcome)
                return results
            entry = outcome.earlier
            if entry.id in ran:  # it ran and is still pending (storage failing): no loop
                raise StorageError("an earlier event stayed pending after its turn ran")
            ran.add(entry.id)
            log.info("turn.earlier_first", platform=job.incoming.key.platform)
            earlier = self._ready.get(job.lane, {}).pop(entry.id, None) or Job.from_entry(entry)
            try:
                results.extend(await self._in_order(earlier))
            except Exception as error:
                log.error("turn.failed", platform=earlier.incoming.key.platform, error=type(error).__name__)
                await self._tell_failed(earlier, error)

    def stop(self) -> None:
        """SIGTERM: turns under way finish; no new ones start (they stay in the inbox)."""
        self.stopping = True

    async def resume(self, grace: timedelta | None = None) -> int:
        """On start: run every event left unfinished and send every reply left unsent. With
        `grace` (the sweep), only events waiting longer than that: another live process runs
        what it accepted within milliseconds, and taking it too would only wait on its lock."""
        now = self.clock()
        async with self.store.write() as tx:
            lanes = await tx.inbox.pending_lanes(
                now, received_before=now - grace if grace is not None else None
            )
        for lane in lanes:
            await self.drain(lane, from_db=True)
        await self.outbox.resume()
        return len(lanes)

    async def run(self, job: Job) -> TurnResult | Overtaking:
        """The pipeline for one accepted event (see the module docstring)."""
        surface = self.outbox.surfaces.get(job.incoming.key.platform)
        if surface is not None:
            job.incoming, job.address = await surface.prepare(job.incoming, job.address)
        try:
            result = await self._run(job)
        except Exception:
            async with self.store.write() as tx:
                await tx.inbox.failed_attempt(job.entry_id, self.clock())
            raise
        if isinstance(result, Overtaking):
            return result  # not run: it runs after the earlier event (`_in_order`)
        if surface is not None and not result.duplicate:
            try:
                await surface.after_turn(job.incoming, result)
            except Exception as error:  # extras only: the replies are stored
                log.warning("turn.after_failed", error=type(error).__name__)
        return result

    async def _tell_failed(self, job: Job, error: Exception) -> None:
        """A turn raised and rolled back: say so kindly, through the outbox like any reply."""
        from bot.errors import ReflectError

        message = error.user_message if isinstance(error, ReflectError) else ReflectError.user_message
        async with self.store.turn(job.lane) as tx:
            items = await self._store_replies(
                tx, job, TurnResult(messages=(Outgoing(text=message, kind="error"),)), self.clock()
            )
        await self.outbox.enqueue(job.lane, items)

    # ------------------------------------------------------------------ the turn

    async def _run(self, job: Job) -> TurnResult | Overtaking:
        decided: Decided | None = None
        first: TurnResult | None = None
        items: list[OutboxItem] = []
        async with self.store.turn(job.lane) as tx:
            now = self.clock()
            entry = await tx.inbox.check(job.lane, job.entry_id)
            if entry is None or entry.status != "pending":
                log.info("turn.duplicate", platform=job.incoming.key.platform)
                return TurnResult(duplicate=True)
            if entry.stage is None:
                earlier = await tx.inbox.get(entry.earlier) if entry.earlier is not None else None
                if earlier is not None:
                    return Overtaking(earlier)
                decided = await self._decide(tx, job, now, undelivered=entry.undelivered)
                if decided.stage is not None:
                    await tx.inbox.defer(job.entry_id, decided.stage, now + STAGE_LEASE)
                else:
                    await tx.inbox.finish(job.entry_id, now)
                first = self._result(decided)
                items = await self._store_replies(tx, job, first, now)
            elif entry.lease_until is not None and entry.lease_until > now:
                # Its turn ran and its outside work is under way (here or in another
                # process): that one finishes it.
                return TurnResult(duplicate=True)
            else:
                job.stage = entry.stage
        stage = decided.stage if decided is not None else job.stage
        if stage is None:
            assert first is not None and decided is not None
            result = await self._decorated(job, decided, first, items)
            await self.outbox.enqueue(job.lane, items)
            return result
        await self.outbox.enqueue(job.lane, items)  # what the worker can read meanwhile
        later, later_decided, later_items = await self._outside(job, stage)
        result = await self._decorated(job, later_decided, later, later_items)
        await self.outbox.enqueue(job.lane, later_items)
        return result if first is None else _joined(first, result, engine_decides=stage == "draft")

    async def _outside(self, job: Job, stage: str) -> tuple[TurnResult, Decided, list[OutboxItem]]:
        """The work a turn left outside the lock, then a short transaction for its replies."""
        decided = Decided()
        draft: tuple[str | None, bool] | None = None
        if stage == "records":
            routed = await self._long_records(job)
            decided.result = await self.records_chat.long(
                self.store, job.incoming, routed.command, self.clock()
            )
        elif stage == "draft":
            # The AI is asked between two short transactions, never inside one: a slow AI
            # service must not hold this conversation's lock (or SQLite's write lock).
            async with self.store.read() as tx:
                conversation = await tx.load_conversation(job.incoming.key.as_str())
                session = (
                    await tx.load_session(conversation.active_session_id)
                    if conversation is not None and conversation.active_session_id
                    else None
                )
            drafted = await self.ai.summary(session, StoreLedger(self.store)) if self.ai and session else None
            draft = (drafted.text if drafted else None, drafted.tell_unavailable if drafted else False)
        async with self.store.turn(job.lane) as tx:
            now = self.clock()
            entry = await tx.inbox.check(job.lane, job.entry_id)
            if entry is None or entry.status != "pending":
                return TurnResult(duplicate=True), decided, []
            if draft is not None:
                decided = await self._engine(tx, job, SummaryDrafted(draft[0]), now)
                decided.ai_told = decided.ai_told or draft[1]
            await tx.inbox.finish(job.entry_id, now)
            result = self._result(decided)
            items = await self._store_replies(tx, job, result, now)
        return result, decided, items

    async def _decide(self, tx: TurnTx, job: Job, now: datetime, undelivered: bool = True) -> Decided:
        incoming = job.incoming
        state = State()
        conversation: Conversation | None = None
        active: Session | None = None
        if incoming.conversation != "group":
            conversation = await tx.load_conversation(incoming.key.as_str())
            if conversation is not None and conversation.active_session_id is not None:
                active = await self._load_active(tx, conversation, owner_of(incoming.key))
            state = State(in_reflection=active is not None, question_kind=self._question_kind(active))
            state = _with_offer(state, active)
        routed = route(incoming, state)
        if (
            state.offer is not None
            and active is not None
            and routed.route.handler in ("records", "reminders")
        ):
            active.offer = None  # the offer lasts for this message only (the engine drops its own)
            await tx.save_session(active)
        reposted = await self._repost(tx, job, routed, now) if undelivered else None
        if reposted is not None:
            return reposted
        handler = self.handlers[routed.route.handler]
        return await handler(tx, job, routed, now, Loaded(conversation, active, read=True))

    def _question_kind(self, session: Session | None) -> str | None:
        if session is None or session.cursor is None:
            return None
        try:
            return self.models.get(session.model_id, session.model_version).step(session.cursor.step_id).kind
        except (UnknownModelError, KeyError):
            return None

    async def _repost(self, tx: TurnTx, job: Job, routed: Routed, now: datetime) -> Decided | None:
        """Replies the platform never took are re-posted with the worker's next message. Words
        that would have answered the unseen question are not taken as its answer."""
        if job.incoming.key.platform not in self.outbox.surfaces:
            return None
        lost = await tx.outbox.undelivered(job.lane)
        if not lost:
            return None
        await tx.outbox.mark_reposted([item.id for item in lost])
        messages = [Outgoing(text=self.wording.text("chat/reposted.j2"), kind="info")]
        files: list[OutgoingFile] = []
        for item in lost:
            if item.kind == "messages":
                messages.extend(outgoing_from_json(m) for m in item.payload.get("messages", ()))
        log.info("turn.reposted", platform=job.incoming.key.platform, rows=len(lost))
        if routed.route.name in ("answer", "chat"):
            return Decided(result=TurnResult(messages=tuple(messages), files=tuple(files)))
        handler = self.handlers[routed.route.handler]
        decided = await handler(tx, job, routed, now, Loaded())
        rendered = self._result(decided)
        decided.replies = []
        decided.result = replace(rendered, messages=tuple(messages) + rendered.messages)
        return decided

    # ------------------------------------------------------------------ handlers

    async def _engine_route(self, tx: TurnTx, job: Job, routed: Routed, now: datetime, at: Loaded) -> Decided:
        incoming = job.incoming
        event: Event = Action(incoming.action) if incoming.action is not None else Text(incoming.text or "")
        if routed.route.name == "keep answer":
            event = Action("offer:keep")
        elif routed.looks_like is not None and isinstance(event, Text):
            looked = routed.looks_like
            values = offer_vars(looked, now, incoming.tz)
            event = Text(event.text, LooksLike(looked.route.name, offer_what(looked), values))
        return await self._engine(tx, job, event, now, at.conversation, at.active, loaded=at.read)

    async def _switch_route(self, tx: TurnTx, job: Job, routed: Routed, now: datetime, at: Loaded) -> Decided:
        """ "make it a reminder" (router rule 5): the answer just filed is set aside (kept,
        flagged, out of the note), the command its words were is carried out as if typed
        between reflections, and the question they were filed under is asked again."""
        if not at.read:
            conversation = await tx.load_conversation(job.incoming.key.as_str())
            active = (
                await self._load_active(tx, conversation, owner_of(job.incoming.key))
                if conversation
                else None
            )
            at = Loaded(conversation, active, read=True)
        taken = await self._engine(
            tx, job, Action("offer:switch"), now, at.conversation, at.active, loaded=True
        )
        said = tuple(self.wording.render(reply) for reply in taken.replies)
        command: Routed = routed.command
        decided = await self.handlers[command.route.handler](tx, job, command, now, at)
        if decided.stage is not None:  # an export, made outside the lock: the question meanwhile
            decided.result = (await self._then_the_question(tx, job, now, at, decided.result)).result
        decided.result = replace(decided.result, messages=said + decided.result.messages)
        return decided

    async def _long_records(self, job: Job) -> Routed:
        """The records command a deferred turn made: its own words, or the words of an answer
        the worker then made that command ("do the export", router rule 5)."""
        routed = route(job.incoming, State())
        if self.records_chat.is_long(routed.command):
            return routed
        async with self.store.read() as tx:
            conversation = await tx.load_conversation(job.incoming.key.as_str())
            session_id = conversation.active_session_id if conversation is not None else None
            session = await tx.load_session(session_id) if session_id else None
        offer = session.offer if session is not None else None
        if session is None or offer is None or not offer.taken:
            return routed
        words = next((a.text for a in session.answers if a.seq == offer.seq), None)
        return route(replace(job.incoming, text=words), State()) if words else routed

    async def _engine(
        self,
        tx: TurnTx,
        job: Job,
        event: Event,
        now: datetime,
        conversation: Conversation | None = None,
        active: Session | None = None,
        loaded: bool = False,
    ) -> Decided:
        key = job.incoming.key
        owner = owner_of(key)
        if not loaded:
            conversation = await tx.load_conversation(key.as_str())
            if conversation is not None and conversation.active_session_id is not None:
                active = await self._load_active(tx, conversation, owner)
        conversation = conversation or Conversation(key=key.as_str())
        active_before = conversation.active_session_id
        ctx = Context(
            now=now,
            new_id=self.new_id(),
            models=self.models,
            owner=owner,
            platform=key.platform,
            # Only a worker with no reflection open is offered their paused ones (to resume or
            # pick from): with one open, the list is never read.
            paused=tuple(await self._paused(tx, owner)) if active is None else (),
            preset_case=job.preset_case,
            max_answer_chars=self.max_answer_chars,
            ai_available=self.ai is not None and self.ai.available,
        )
        # Loaded for this turn alone: the engine may work on them in place, without a copy.
        outcome = engine.handle(conversation, active, event, ctx, owned=True)
        outcome, note, drafts = await self._carry_out(tx, outcome, ctx, owner)
        await tx.save_conversation(outcome.conversation, now)
        for session in outcome.sessions:
            await tx.save_session(session)
        decided = Decided(replies=list(outcome.replies), stage="draft" if drafts else None)
        if note is not None:
            await tx.save_note(note[0], note[1], owner, now)
            finished = next((s for s in outcome.sessions if s.id == note[0]), None)
            if finished is not None:
                model = self.models.get(finished.model_id, finished.model_version)
                # For CSV, and who supervised the worker now, so a later export names them.
                supervised_by = await tx.people.supervisor_ids_of(finished.owner)
                await tx.records.set_facts(finished.id, session_facts(finished, model), supervised_by)
                await self.reminders.on_completed(tx, finished, key, job.incoming.tz)
        decided.session = self._current(outcome.conversation, {s.id: s for s in outcome.sessions})
        decided.result = TurnResult(
            completed_session_id=note[0] if note else None,
            active_session_id=outcome.conversation.active_session_id,
            note_markdown=note[1] if note else None,
            home_changed=note is not None
            or outcome.conversation.active_session_id != active_before
            or any(s.status != "in_progress" for s in outcome.sessions),
        )
        log.info("turn.done", platform=key.platform, replies=len(outcome.replies), completed=note is not None)
        return decided

    async def _records_route(
        self, tx: TurnTx, job: Job, routed: Routed, now: datetime, at: Loaded
    ) -> Decided:
        if self.records_chat.is_long(routed.command):  # produced after this transaction
            preparing = await self.records_chat.preparing(tx, job.incoming, routed.command, now)
            kept = replace(at.keeps(), home_changed=True)
            if preparing is not None:
                kept = replace(kept, messages=preparing.messages)
            return Decided(stage="records", result=kept)
        result = await self.records_chat.quick(tx, job.incoming, routed.command, now)
        return await self._then_the_question(tx, job, now, at, replace(result, home_changed=True))

    async def _reminders_route(
        self, tx: TurnTx, job: Job, routed: Routed, now: datetime, at: Loaded
    ) -> Decided:
        result = await self.reminders.handle(tx, job.incoming, routed.command, now)
        return await self._then_the_question(tx, job, now, at, result)

    async def _then_the_question(
        self, tx: TurnTx, job: Job, now: datetime, at: Loaded, result: TurnResult
    ) -> Decided:
        """A command typed beside a reflection is answered, then the question still open is put
        again, so the worker is never left wondering where they were."""
        result = replace(result, active_session_id=at.keeps().active_session_id)
        if at.active is None or at.active.cursor is None or at.active.awaiting is not None:
            return Decided(result=result)
        again = await self._engine(
            tx, job, Action("cmd:carry_on"), now, at.conversation, at.active, loaded=True
        )
        asked = tuple(self.wording.render(reply) for reply in again.replies)
        return Decided(result=replace(result, messages=result.messages + asked))

    async def _group_route(self, tx: TurnTx, job: Job, routed: Routed, now: datetime, at: Loaded) -> Decided:
        """A message in a group chat or channel: the facilitated action learning set."""
        incoming = job.incoming
        key = incoming.key
        channel_key = group_key(key)
        sender = Participant(id=key.user, name=incoming.sender_name or "A colleague")
        mentions = tuple(Participant(id=m.user, name=m.name) for m in incoming.mentions)
        text = incoming.text if incoming.text is not None else (incoming.action or "")
        minutes: str | None = None
        current = await tx.groups.load_open(channel_key)
        ctx = GroupContext(
            now=now,
            new_id=self.new_id(),
            models=self.models,
            channel_key=channel_key,
            previous_roles=await tx.groups.previous_roles(channel_key),
        )
        outcome = handle_group(current, GroupText(sender, text, mentions), ctx)
        session = outcome.session
        if session is not None and any(isinstance(e, CompileMinutes) for e in outcome.effects):
            minutes = self.group_minutes(session)
        if outcome.changed and session is not None:
            await tx.groups.save(session, minutes)
        log.info(
            "group_turn.done", platform=key.platform, replies=len(outcome.replies), filed=minutes is not None
        )
        return Decided(
            replies=list(outcome.replies),
            group=session,
            result=TurnResult(
                completed_session_id=session.id if minutes is not None and session else None,
                note_markdown=minutes,
            ),
        )

    # ------------------------------------------------------------------ replies

    def _result(self, decided: Decided) -> TurnResult:
        """The turn's replies as the worker will see them (before any AI help)."""
        result = decided.result
        messages = tuple(self.wording.render(reply) for reply in decided.replies) + result.messages
        if result.note_markdown is not None:
            messages += (Outgoing(text=result.note_markdown, kind="note"),)
        return replace(result, messages=messages)

    async def _store_replies(
        self, tx: TurnTx, job: Job, result: TurnResult, now: datetime
    ) -> list[OutboxItem]:
        """Put the replies in the outbox, in this turn's transaction, leased to this process:
        it sends them from memory after the commit (and after any AI help has decorated them);
        if it dies first, the lease runs out and another sender takes them."""
        platform = job.incoming.key.platform
        if platform not in self.outbox.surfaces:
            return []  # no surface sends for this platform here: the caller shows the result
        until = now + self.outbox.lease
        rows: list[tuple[str, dict[str, Any]]] = []
        if result.messages:
            rows.append(("messages", {"messages": [outgoing_to_json(m) for m in result.messages]}))
        if result.completed_session_id is not None and result.note_markdown is not None:
            note = OutgoingFile(
                filename=f"supervision-note-{result.completed_session_id[:12]}.md",
                mime="text/markdown",
                data=result.note_markdown.encode(),
                title="Supervision note",
            )
            rows.append(("file", file_to_json(note, "note")))
        rows.extend(("file", file_to_json(file, "export")) for file in result.files)
        items = []
        for kind, payload in rows:
            row_id = await tx.outbox.add(
                lane=job.lane,
                platform=platform,
                inbox_id=job.entry_id or None,
                address=job.address,
                kind=kind,
                payload=payload,
                now=now,
                hold_until=until,
                sending=0,  # marked in this transaction: the sender posts at once, no commit of its own
            )
            items.append(
                OutboxItem(
                    row_id,
                    job.lane,
                    platform,
                    job.entry_id or None,
                    job.address,
                    kind,
                    payload,
                    0,
                    sending=0,
                    fresh_until=until,
                )
            )
        return items

    async def _decorated(
        self, job: Job, decided: Decided, result: TurnResult, items: list[OutboxItem]
    ) -> TurnResult:
        """AI text added after the engine decided, outside the turn's transaction; the stored
        replies (still leased to us, so unsent) are updated to match."""
        if self.ai is None or result.duplicate or not (decided.replies or decided.ai_told):
            return result
        ledger = StoreLedger(self.store)
        replies, told = decided.replies, False
        if decided.group is not None:
            key = job.incoming.key
            facilitator = f"{key.platform}:{key.workspace}:{decided.group.facilitator.id}"
            replies, told = await self.ai.decorate_group(replies, decided.group, facilitator, ledger)
        elif decided.replies:
            replies, told = await self.ai.decorate(replies, decided.session, ledger)
        messages = self._render_with_notice(replies, told or decided.ai_told)
        rendered = self._result(replace(decided, replies=[]))
        final = replace(result, messages=messages + rendered.messages)
        index = next((i for i, item in enumerate(items) if item.kind == "messages"), None)
        if index is not None:
            payload = {"messages": [outgoing_to_json(m) for m in final.messages]}
            async with self.store.write() as tx:
                await tx.outbox.replace_payload(items[index].id, payload)
            items[index] = replace(items[index], payload=payload)
        return final

    def _render_with_notice(self, replies: list[Reply], tell_ai_unavailable: bool) -> tuple[Outgoing, ...]:
        """Render replies; when AI help let the worker down for the first time, say so once,
        just before the question it would have helped with."""
        messages = [self.wording.render(reply) for reply in replies]
        if tell_ai_unavailable:
            notice = Outgoing(text=self.wording.text("chat/ai_unavailable.j2"), kind="info")
            at = next(
                (
                    i
                    for i in range(len(messages) - 1, -1, -1)
                    if messages[i].kind in ("prompt", "confirm", "followup")
                ),
                len(messages),
            )
            messages.insert(at, notice)
        return tuple(messages)

    def group_minutes(self, session: GroupSession) -> str:
        model = self.models.get(session.model_id, session.model_version)
        template = self.wording.env.get_template("notes/group_minutes.md.j2")
        return template.render(minutes=minutes_vars(session, model)).strip() + "\n"

    # ------------------------------------------------------------------ engine plumbing

    async def _load_active(self, tx: TurnTx, conversation: Conversation, owner: str) -> Session | None:
        if conversation.active_session_id is None:
            return None
        session = await tx.load_session(conversation.active_session_id)
        if session is None or session.owner != owner or session.status != "in_progress":
            conversation.active_session_id = None
            return None
        return session

    async def _paused(self, tx: TurnTx, owner: str) -> list[PausedBrief]:
        briefs = []
        for row in await tx.paused_sessions(owner):
            try:
                model = self.models.get(row.model_id, row.model_version)
            except UnknownModelError:
                continue
            step_title = model.step(row.current_step).title if row.current_step else model.title
            briefs.append(
                PausedBrief(
                    session_id=row.session_id,
                    model_id=row.model_id,
                    model_title=model.title,
                    case_ref=row.case_ref,
                    step_title=step_title,
                    paused_at=row.paused_at,
                )
            )
        return briefs

    async def _carry_out(
        self, tx: TurnTx, outcome: Outcome, ctx: Context, owner: str
    ) -> tuple[Outcome, tuple[str, str] | None, list[Session]]:
        """Fulfil the engine's requests, feeding the results back in, until none are left.

        A request for an AI-drafted summary is not fulfilled here: the session is returned
        so the caller asks the AI after this transaction commits."""
        note: tuple[str, str] | None = None
        drafts: list[Session] = []
        changed: dict[str, Session] = {s.id: s for s in outcome.sessions}
        replies = list(outcome.replies)
        pending = list(outcome.effects)
        conversation = outcome.conversation
        while pending:
            effect = pending.pop(0)
            follow: Event | None = None
            if isinstance(effect, LoadCaseHistory):
                current = self._current(conversation, changed)
                history = await tx.case_history(owner, effect.case_ref, current.id if current else None)
                follow = CaseHistoryLoaded(history)
            elif isinstance(effect, LoadSession):
                loaded = await tx.load_session(effect.session_id)
                if loaded is None:
                    loaded = _missing_session(effect.session_id, ctx)
                # A finished note reopened for a change: once agreed, changes are amendments.
                agreed = loaded.status == "complete" and bool(await tx.records.signoffs([loaded.id]))
                follow = SessionLoaded(loaded, agreed=agreed)
            elif isinstance(effect, LoadPledge):
                recent = await tx.sessions_for(owners=[owner], limit=200)
                follow = PledgeLoaded(latest_pledge(recent))
            elif isinstance(effect, CompileNote):
                session = changed.get(effect.session_id) or await tx.load_session(effect.session_id)
                if session is not None:
                    model = self.models.get(session.model_id, session.model_version)
                    note = (session.id, self.notes.markdown(session, model, "worker"))
            elif isinstance(effect, DraftSummary):
                waiting = changed.get(effect.session_id)
                if waiting is not None and self.ai is not None:
                    drafts.append(waiting)
                else:  # no AI after all: the engine passes over the step
                    follow = SummaryDrafted(None)
            if follow is not None:
                current = self._current(conversation, changed)
                step = engine.handle(conversation, current, follow, ctx, owned=True)
                conversation = step.conversation
                changed.update({s.id: s for s in step.sessions})
                replies.extend(step.replies)
                pending.extend(step.effects)
        return Outcome(conversation, list(changed.values()), replies, []), note, drafts

    @staticmethod
    def _current(conversation: Conversation, changed: dict[str, Session]) -> Session | None:
        if conversation.active_session_id is None:
            return None
        return changed.get(conversation.active_session_id)

    # ------------------------------------------------------------------ read-only views

    async def audit_identity_refused(
        self, *, platform: str, workspace: str, claimed_user: str, conversation: str, owner: str | None
    ) -> None:
        """One audit row: `claimed_user` was refused in `conversation`, which belongs to `owner`.

        A signed Slack payload or a Teams activity can claim one person inside another person's
        direct conversation; the adapters refuse it before anything is stored and call this."""
        try:
            async with self.store.read() as tx:  # a write, committed on exit, as audit exports do
                await audit.record(
                    tx.audit,
                    f"{platform}:{workspace}:{claimed_user}",
                    "identity_refused",
                    "conversation",
                    f"{platform}:{workspace}:{conversation}",
                    {
                        "platform": platform,
                        "reason": "the sender does not own this direct conversation",
                        "owner": owner,
                    },
                    self.clock(),
                )
        except Exception as error:  # the refusal stands even if the audit write fails
            log.error("identity.audit_failed", platform=platform, error=type(error).__name__)

    def warm_up(self) -> None:
        """What the first turns would otherwise build (see bot/server.py): every template,
        the bank holiday tables of the default region and of the service's own."""
        self.wording.warm_up()
        today = self.clock().date()
        for region in {schedule.DEFAULT_REGION, self.bank_holidays_region}:
            schedule.warm_up(region, today)

    async def home(self, key: ConversationKey, recent: int = 5) -> HomeSummary:
        owner = owner_of(key)
        async with self.store.read() as tx:
            paused = await self._paused(tx, owner)
            notes = await tx.sessions_for(owners=[owner], limit=recent)
            actions = await tx.open_actions(owner)
            hypotheses = await tx.current_hypotheses(owner)
        return HomeSummary(
            paused=tuple(
                PausedItem(p.session_id, p.model_title, p.case_ref, p.step_title, p.paused_at.isoformat())
                for p in paused
            ),
            recent_notes=tuple(
                NoteItem(
                    s.id,
                    self.models.get(s.model_id, s.model_version).title,
                    s.case_ref,
                    (s.ended_at or s.updated_at).isoformat(),
                )
                for s in notes
            ),
            open_actions=tuple(
                ActionItem(a.case_ref, a.what, a.who, a.due.isoformat() if a.due else a.due_text, a.status)
                for a in actions
            ),
            hypotheses=tuple(
                HypothesisItem(h.case_ref or "", h.statement, h.status) for h in hypotheses if h.case_ref
            ),
        )

    async def note_for(self, key: ConversationKey, session_id: str) -> str | None:
        """The worker's own latest note for one of their sessions."""
        async with self.store.read() as tx:
            session = await tx.load_session(session_id)
            if session is None or session.owner != owner_of(key):
                return None
            stored = await tx.latest_note(session_id)
        return stored.markdown if stored else None

    async def group_open(self, key: ConversationKey) -> bool:
        """Whether a group session is open in this channel (Teams passes unaddressed
        messages on only then)."""
        async with self.store.read() as tx:
            return await tx.groups.load_open(group_key(key)) is not None

    # ------------------------------------------------------------------ files held for consent

    async def hold_file(self, key: ConversationKey, file: OutgoingFile) -> str:
        """Keep an export (encrypted at rest) until the worker answers the platform's file
        consent card in their own chat `key`; returns the token the card carries back."""
        token = secrets.token_urlsafe(24)
        held = HeldFile(
            token=token,
            reference_key=reference_key(key.workspace, key.channel),
            user_id=key.user,
            filename=file.filename,
            mime=file.mime,
            title=file.title,
            data=base64.b64encode(file.data).decode("ascii"),
            created_at=self.clock(),
        )
        async with self.store.turn(f"held-file:{token}") as tx:
            await tx.teams.hold_file(held)
        return token

    async def take_file(self, key: ConversationKey, token: str) -> OutgoingFile | None:
        """The file held under `token` for this person in this chat, gone from storage once
        taken (accepted or declined); None if it lapsed, was answered, or is someone else's."""
        async with self.store.turn(f"held-file:{token}") as tx:
            held = await tx.teams.take_file(
                token, reference_key(key.workspace, key.channel), key.user, self.clock()
            )
        if held is None:
            return None
        return OutgoingFile(
            filename=held.filename, mime=held.mime, data=base64.b64decode(held.data), title=held.title
        )

    @staticmethod
    def case_ref_in(text: str) -> str | None:
        """A case reference written in a message (a visit booking, say), normalised, or None."""
        return find_case_ref(text)

    async def group_review_view(self, key: ConversationKey) -> Outgoing:
        """One member's own view of the draft minutes in review (Teams shows it on the review
        card, to that member only): their contributions, and how to confirm or correct them.
        Reads only; confirming and correcting are turns like any other."""
        async with self.store.read() as tx:
            session = await tx.groups.load_open(group_key(key))
        if session is None or session.status != "review":
            return Outgoing(text=self.wording.text("group/review_closed.j2"))
        model = self.models.get(session.model_id, session.model_version)
        view = member_view(session, model, key.user)
        return self.wording.render(
            Reply(
                template="group/review_card.j2",
                vars=view,
                buttons=review_view_buttons() if view["contributions"] else (),
                step_id=REVIEW_VIEW_STEP,
            )
        )


# ---------------------------------------------------------------------- what adapters are given

SWEEP_S = float(os.environ.get("REFLECT_SWEEP_SECONDS", "15"))


@dataclass
class Runtime:
    """What `bot.runtime.open_runtime` wires: the settings, the store and the service over it.
    Adapters are handed this and call the service (never the store)."""

    settings: Settings
    store: Store
    service: ReflectionService


@asynccontextmanager
async def pipeline_running(runtime: Runtime, interval: float = SWEEP_S) -> AsyncIterator[None]:
    """Resume what a previous process left (events whose turn never ran, replies never sent),
    then sweep every `interval` seconds for what another process left (several servers on one
    PostgreSQL). Handled events and sent replies are purged by the retention job
    (bot/privacy/retention.py, REFLECT_RETENTION_DELIVERY_DAYS)."""
    service = runtime.service
    stop = asyncio.Event()

    async def sweep() -> None:
        first = True
        while not stop.is_set():
            try:
                # The first pass (at start) takes everything left; later ones what another
                # process left waiting for two sweeps or more (it died, or is backed up).
                resumed = await service.resume(None if first else timedelta(seconds=2 * interval))
                if first and resumed:
                    log.info("pipeline.resumed", lanes=resumed)
                first = False
            except Exception as error:  # the next sweep tries again
                log.error("pipeline.sweep_failed", error=type(error).__name__)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), interval)

    task = asyncio.create_task(sweep(), name="pipeline-sweep")
    try:
        yield
    finally:
        # Let a sweep under way finish its statement rather than cut it off mid-query.
        service.stop()
        stop.set()
        try:
            await asyncio.wait_for(asyncio.shield(task), 5.0)
        except TimeoutError:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


def _joined(first: TurnResult, later: TurnResult, engine_decides: bool) -> TurnResult:
    if later.duplicate:
        return first
    return TurnResult(
        messages=first.messages + later.messages,
        completed_session_id=later.completed_session_id or first.completed_session_id,
        active_session_id=later.active_session_id if engine_decides else first.active_session_id,
        note_markdown=later.note_markdown or first.note_markdown,
        files=first.files + later.files,
        home_changed=first.home_changed or later.home_changed,
    )


def _with_offer(state: State, active: Session | None) -> State:
    """The routing state with the offer the worker's last answer carries (router rule 5)."""
    offer = active.offer if active is not None else None
    if active is None or offer is None or offer.taken:
        return state
    words = next((a.text for a in active.answers if a.seq == offer.seq), None)
    return replace(state, offer=offer.what, offer_words=words) if words else state


def _missing_session(session_id: str, ctx: Context) -> Session:
    # A placeholder the engine will refuse to resume (not paused, not this owner).
    return Session(
        id=session_id,
        owner="",
        model_id=ctx.models.default().id,
        model_version=ctx.models.default().version,
        platform=ctx.platform,
        status="cancelled",
        started_at=ctx.now,
        updated_at=ctx.now,
    )


__all__ = [
    "CaseHistory",
    "ConversationReferences",
    "Job",
    "ReflectionService",
    "Runtime",
    "event_key",
    "lane_of",
    "owner_of",
    "pipeline_running",
    "utc_now",
]
