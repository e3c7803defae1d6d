"""One turn: dedupe the event id, lock the conversation, load, run the engine, save, reply.

This is the only place the engine meets the database. Everything for one turn happens in
one transaction (storage.repository.Store.turn), so a crash leaves nothing half-done.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime

import structlog

from bot import engine
from bot.assist import Assistant
from bot.assist.decorate import AiHelp
from bot.engine.events import (
    Action,
    CaseHistoryLoaded,
    Event,
    PledgeLoaded,
    SessionLoaded,
    SummaryDrafted,
    Text,
)
from bot.engine.flow import latest_pledge
from bot.engine.group import CompileMinutes, GroupContext, GroupText, handle_group, minutes_vars
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
from bot.records import audit
from bot.records.chat_commands import RecordsChat, parse_records_command
from bot.records.note import NoteCompiler
from bot.reminders.chat import RemindersChat
from bot.turns import (
    ActionItem,
    ConversationKey,
    HomeSummary,
    HypothesisItem,
    Incoming,
    NoteItem,
    Outgoing,
    PausedItem,
    TurnResult,
)
from bot.wording import Wording, default_wording
from storage.ai_usage import StoreLedger
from storage.group_repository import load_open_group, previous_roles, save_group
from storage.repository import Store, TurnTx
from supervision_models.registry import ModelRegistry, UnknownModelError, default_registry

log = structlog.get_logger(__name__)

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def owner_of(key: ConversationKey) -> str:
    """A person across their DMs and channels on one platform and workspace."""
    return f"{key.platform}:{key.workspace}:{key.user}"


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
        self.records_chat = RecordsChat(store, self.models, self.wording, lambda: self.clock())
        self.reminders = RemindersChat(store, self.wording, lambda: self.clock(), self.new_id)

    async def handle(self, incoming: Incoming, preset_case: str | None = None) -> TurnResult:
        if incoming.conversation == "group":
            return await self.handle_group(incoming)
        if RemindersChat.wants(incoming) and not await self._in_reflection(incoming.key):
            return await self.reminders.handle(incoming)
        command = parse_records_command(incoming.text) if incoming.text and incoming.action is None else None
        if command is not None:  # notes, agree, sign, export, overview, admin: only between reflections
            handled = await self.records_chat.handle(incoming, command)
            if handled is not None:
                return handled
        key = incoming.key
        event: Event = Action(incoming.action) if incoming.action is not None else Text(incoming.text or "")
        turn = await self._run_turn(key, event, preset_case, incoming.event_id, incoming.tz)
        if turn is None:
            return TurnResult(duplicate=True)
        outcome, note, drafts = turn
        replies = list(outcome.replies)
        ai_told: list[bool] = []
        for session in drafts:
            # The AI is asked between two short transactions, never inside one: a slow AI
            # service must not hold this conversation's lock (or SQLite's write lock).
            assert self.ai is not None
            drafted = await self.ai.summary(session, StoreLedger(self.store))
            ai_told.append(drafted.tell_unavailable if drafted is not None else False)
            text = drafted.text if drafted is not None else None
            follow = await self._run_turn(key, SummaryDrafted(text), preset_case, None, incoming.tz)
            if follow is not None:
                outcome, follow_note, _ = follow
                replies.extend(outcome.replies)
                note = follow_note or note
        if self.ai is not None:  # AI text added after the engine decided, outside the turn's transaction
            active_now = self._current(outcome.conversation, {s.id: s for s in outcome.sessions})
            replies, told = await self.ai.decorate(replies, active_now, StoreLedger(self.store))
            ai_told.append(told)
        messages = self._render_with_notice(replies, any(ai_told))
        if note is not None:
            messages += (Outgoing(text=note[1], kind="note"),)
        return TurnResult(
            messages=messages,
            completed_session_id=note[0] if note else None,
            active_session_id=outcome.conversation.active_session_id,
            note_markdown=note[1] if note else None,
        )

    async def _run_turn(
        self,
        key: ConversationKey,
        event: Event,
        preset_case: str | None,
        event_id: str | None,
        tz: str | None = None,
    ) -> tuple[Outcome, tuple[str, str] | None, list[Session]] | None:
        """One transaction: claim the event, load, run the engine and its effects, save.

        Returns None for a duplicate delivery; otherwise the outcome, the compiled note if
        the session finished, and any sessions waiting for an AI-drafted summary."""
        owner = owner_of(key)
        async with self.store.turn(key.as_str()) as tx:
            now = self.clock()
            if event_id and not await tx.claim_event(f"{key.platform}:{event_id}", now):
                log.info("turn.duplicate", platform=key.platform)
                return None
            conversation = await tx.load_conversation(key.as_str()) or Conversation(key=key.as_str())
            active = await self._load_active(tx, conversation, owner)
            ctx = Context(
                now=now,
                new_id=self.new_id(),
                models=self.models,
                owner=owner,
                platform=key.platform,
                paused=tuple(await self._paused(tx, owner)),
                preset_case=preset_case,
                max_answer_chars=self.max_answer_chars,
                ai_available=self.ai is not None and self.ai.available,
            )
            outcome = engine.handle(conversation, active, event, ctx)
            outcome, note, drafts = await self._carry_out(tx, outcome, ctx, owner)
            await tx.save_conversation(outcome.conversation, now)
            for session in outcome.sessions:
                await tx.save_session(session)
            if note is not None:
                await tx.save_note(note[0], note[1], owner, now)
                finished = next((s for s in outcome.sessions if s.id == note[0]), None)
                if finished is not None:
                    await self.reminders.on_completed(tx, finished, key, tz)
        log.info("turn.done", platform=key.platform, replies=len(outcome.replies), completed=note is not None)
        return outcome, note, drafts

    async def handle_group(self, incoming: Incoming) -> TurnResult:
        """A message in a group chat or channel: the facilitated action learning set."""
        key = incoming.key
        channel_key = f"{key.platform}:{key.workspace}:{key.channel}"
        sender = Participant(id=key.user, name=incoming.sender_name or "A colleague")
        mentions = tuple(Participant(id=m.user, name=m.name) for m in incoming.mentions)
        text = incoming.text if incoming.text is not None else (incoming.action or "")
        minutes: str | None = None
        async with self.store.turn(f"group:{channel_key}") as tx:
            now = self.clock()
            if incoming.event_id and not await tx.claim_event(f"{key.platform}:{incoming.event_id}", now):
                return TurnResult(duplicate=True)
            current = await load_open_group(tx, channel_key)
            ctx = GroupContext(
                now=now,
                new_id=self.new_id(),
                models=self.models,
                channel_key=channel_key,
                previous_roles=await previous_roles(tx, channel_key),
            )
            outcome = handle_group(current, GroupText(sender, text, mentions), ctx)
            session = outcome.session
            if session is not None and any(isinstance(e, CompileMinutes) for e in outcome.effects):
                minutes = self.group_minutes(session)
            if outcome.changed and session is not None:
                await save_group(tx, session, minutes)
        log.info(
            "group_turn.done", platform=key.platform, replies=len(outcome.replies), filed=minutes is not None
        )
        replies, told = list(outcome.replies), False
        if self.ai is not None and session is not None:
            facilitator = f"{key.platform}:{key.workspace}:{session.facilitator.id}"
            replies, told = await self.ai.decorate_group(
                replies, session, facilitator, StoreLedger(self.store)
            )
        messages = self._render_with_notice(replies, told)
        if minutes is not None:
            messages += (Outgoing(text=minutes, kind="note"),)
        return TurnResult(
            messages=messages,
            completed_session_id=session.id if minutes is not None and session else None,
            note_markdown=minutes,
        )

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

    async def _in_reflection(self, key: ConversationKey) -> bool:
        """Whether this conversation has a reflection in progress (its words are answers)."""
        async with self.store.read() as tx:
            conversation = await tx.load_conversation(key.as_str())
        return conversation is not None and conversation.active_session_id is not None

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
                follow = SessionLoaded(loaded)
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
                step = engine.handle(conversation, self._current(conversation, changed), follow, ctx)
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


__all__ = ["CaseHistory", "ReflectionService", "owner_of", "utc_now"]
