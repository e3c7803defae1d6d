"""One turn of a conversation: `handle(conversation, active session, event, context)`.

The function is pure: it copies what it is given, decides, and returns an `Outcome` with the
new state, the replies (as template names and values) and the effects the service must carry
out (load a case's history, a paused session or a pledge; compile a note; draft a summary).

The turn owns what every step shares: commands (start, pause, resume, skip, back, finish,
cancel), recording answers, the safeguarding and identifier checks, follow-ups, read-backs and
moving on. How a particular question is understood belongs to its kind (`bot/engine/kinds/`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from bot.engine.commands import Command, UnknownCommand, parse_command, read_cancel_confirm, read_confirm
from bot.engine.events import (
    Action,
    CaseHistoryLoaded,
    Event,
    PledgeLoaded,
    SessionLoaded,
    SummaryDrafted,
)
from bot.engine.flow import (
    carried_hypotheses,
    carried_open_actions,
    first_position_from,
    next_position,
    session_hypotheses,
    token,
)
from bot.engine.kinds import StepKind, kind_for
from bot.engine.kinds.choice import ChoiceKind
from bot.engine.kinds.summary import SummaryKind
from bot.engine.outcome import (
    CompileNote,
    Effect,
    LoadCaseHistory,
    LoadPledge,
    LoadSession,
    Outcome,
    Reply,
    ReplyButton,
)
from bot.engine.signals import followups, identifiers, risk
from bot.engine.state import (
    ActionItem,
    Answer,
    CaseHistory,
    Context,
    Conversation,
    Cursor,
    PledgeBrief,
    Session,
)
from bot.engine.timefmt import ago, six_months_after
from bot.engine.understand import case_refs, choices
from bot.engine.understand.corrections import Correction, read_corrections, read_edit_request
from bot.engine.understand.hypothesis_kinds import classify_hypothesis
from supervision_models.schema import Choice, ReflectionModel, Step


def handle(conversation: Conversation, active: Session | None, event: Event, ctx: Context) -> Outcome:
    turn = Turn(conversation, active, ctx)
    turn.dispatch(event)
    return turn.outcome()


class Turn:
    def __init__(self, conversation: Conversation, active: Session | None, ctx: Context) -> None:
        self.ctx = ctx
        self.conv = conversation.model_copy(deep=True)
        self.conv.last_seen_at = ctx.now
        self.session = active.model_copy(deep=True) if active is not None else None
        self.replies: list[Reply] = []
        self.effects: list[Effect] = []
        self._changed: dict[str, Session] = {}

    # ----------------------------------------------------------------- plumbing

    def outcome(self) -> Outcome:
        if self.session is not None and self.session.id in self._changed:
            self._changed[self.session.id] = self.session
        return Outcome(self.conv, list(self._changed.values()), self.replies, self.effects)

    def say(self, template: str, kind: str = "info", **values: Any) -> None:
        self.replies.append(Reply(template=f"chat/{template}.j2", vars=values, kind=kind))  # type: ignore[arg-type]

    def say_with(
        self, buttons: tuple[ReplyButton, ...], template: str, kind: str = "info", **values: Any
    ) -> None:
        self.say(template, kind, **values)
        self.replies[-1] = _with_buttons(self.replies[-1], buttons)

    def touch(self, session: Session) -> None:
        session.updated_at = self.ctx.now
        self._changed[session.id] = session

    @property
    def active(self) -> Session:
        assert self.session is not None
        return self.session

    @property
    def model(self) -> ReflectionModel:
        return self.ctx.models.get(self.active.model_id, self.active.model_version)

    def current_step(self) -> Step | None:
        if self.session is None or self.session.cursor is None:
            return None
        return self.model.step(self.session.cursor.step_id)

    def step_and_kind(self) -> tuple[Step, StepKind]:
        step = self.current_step()
        assert step is not None
        return step, kind_for(step)

    # ----------------------------------------------------------------- dispatch

    def dispatch(self, event: Event) -> None:
        if isinstance(event, CaseHistoryLoaded):
            self.on_case_history(event.history)
        elif isinstance(event, SessionLoaded):
            self.resume_loaded(event.session, event.agreed)
        elif isinstance(event, SummaryDrafted):
            self.on_summary_drafted(event.text)
        elif isinstance(event, PledgeLoaded):
            self.on_pledge(event.pledge)
        elif isinstance(event, Action):
            self.on_action(event.value)
        else:
            self.on_text(event.text)

    def on_action(self, raw: str) -> None:
        value, _, mark = raw.partition("@")
        kind, _, arg = value.partition(":")
        if kind == "start":  # "start:post_visit" or, from a reminder, "start:post_visit:HX-2291"
            model_id, _, case_ref = arg.partition(":")
            self.start(model_id or None, case_ref or None)
            return
        if kind == "resume" and arg:
            self.request_resume(arg)
            return
        if kind == "confirm":
            self.on_text({"cancel": "yes", "items": "yes", "replace": "yes"}.get(arg, "no"))
            return
        session = self.session
        if mark and (session is None or session.cursor is None or token(session.cursor) != mark):
            self.say("stale_button", kind="warning")
            if session is not None and session.cursor is not None:
                self.ask()
            return
        if kind == "cmd":
            self.command(Command(arg))  # type: ignore[arg-type]
        elif kind == "choice" and session is not None and session.cursor is not None:
            step, step_kind = self.step_and_kind()
            if session.awaiting is not None or session.pending_followup is not None:
                self.say("stale_button", kind="warning")
                self.ask()
                return
            step_kind.on_choice(self, step, arg)
        else:
            self.say("unknown_command", kind="warning", word=kind, in_session=session is not None)

    def on_text(self, raw: str) -> None:
        text = raw.strip()
        if len(text) > self.ctx.max_answer_chars:
            self.say("too_long", kind="warning", length=len(text), limit=self.ctx.max_answer_chars)
            return
        if self.conv.pending is not None and self.on_pending(text):
            return
        session = self.session
        if session is not None and session.awaiting == "cancel_confirm":
            self.on_cancel_confirm(text)
            return
        step = self.current_step()
        parsed = parse_command(text)
        if step is not None and session is not None and isinstance(parsed, Command):
            # An option's own word ("Done", "Not sure yet") is the option, not a command.
            step_kind = kind_for(step)
            if (
                isinstance(step_kind, ChoiceKind)
                and session.awaiting is None
                and session.pending_followup is None
            ) and choices.match_choice(text, step_kind.options(self, step)) is not None:
                parsed = None
        if isinstance(parsed, Command):
            self.command(parsed)
            return
        if isinstance(parsed, UnknownCommand):
            self.say("unknown_command", kind="warning", word=parsed.word, in_session=session is not None)
            if session is not None and session.cursor is not None:
                self.ask()
            return
        if not text:
            self.say("empty", kind="warning", in_session=session is not None)
            if session is not None and session.cursor is not None:
                self.ask()
            return
        if session is None:
            if self.edit_request(text):
                return
            self.say_with(self.start_buttons(), "no_session")
            return
        idle_hours = (self.ctx.now - session.updated_at).total_seconds() / 3600
        if idle_hours >= self.ctx.idle_after_hours:
            self.touch(session)
            self.say("welcome_back", since=ago(session.updated_at, self.ctx.now), not_saved=True)
            self.ask()
            return
        if session.awaiting == "risk_ack":
            self.record(text, extra=True)
            self.say_with(self.risk_buttons(), "risk_waiting", kind="alert")
            return
        if session.awaiting in ("case_history", "pledge", "ai_summary"):
            # Waiting on the service; keep the words with this question rather than lose them.
            self.record(text, extra=True)
            return
        assert step is not None
        step_kind = kind_for(step)
        if session.awaiting == "identifiers":
            self.on_identifier_choice(step, text)
            return
        if session.awaiting == "confirm_items":
            step_kind.on_confirm(self, step, text)
            return
        if session.pending_followup is not None:
            self.answer_followup(step, step_kind, text)
            return
        step_kind.on_text(self, step, text)

    def on_cancel_confirm(self, text: str) -> None:
        session = self.active
        session.awaiting = None
        self.touch(session)
        if read_cancel_confirm(text) == "yes":
            self.cancel_now()
            return
        self.say("cancel_declined")
        self.ask()

    def on_pending(self, text: str) -> bool:
        """Answers to "resume or start new?" and "which paused one?". True when consumed."""
        pending = self.conv.pending
        lowered = text.lower().strip(".!")
        parsed = parse_command(text)
        if pending == "resume_or_new":
            wants_new = lowered in {"new", "start new", "new one", "2", "start a new one", "a new one"}
            if wants_new or (isinstance(parsed, Command) and parsed.name == "new"):
                model_id, case_ref = self.conv.pending_model, self.conv.pending_case
                self.clear_pending()
                model = self.ctx.models.get(model_id) if model_id else self.ctx.models.default()
                self.create(model, case_ref)
                return True
            wants_old = lowered in {"resume", "1", "resume it", "carry on", "continue", "the old one"}
            if (
                wants_old
                or read_confirm(text) == "yes"
                or (isinstance(parsed, Command) and parsed.name == "resume")
            ):
                self.clear_pending()
                self.command(Command("resume"))
                return True
        if pending == "pick_paused":
            picked = choices.match_choice(
                text,
                tuple(
                    _paused_choice(n, p.model_title, p.case_ref)
                    for n, p in enumerate(self.ctx.paused, start=1)
                ),
            )
            if picked is not None:
                self.clear_pending()
                self.request_resume(self.ctx.paused[int(picked) - 1].session_id)
                return True
        if parsed is None:
            self.say_with(
                self.paused_buttons(pending == "resume_or_new"),
                "pending_reminder",
                pending=pending,
                paused=self._paused_vars(),
            )
            return True
        self.clear_pending()
        return False

    def clear_pending(self) -> None:
        self.conv.pending = None
        self.conv.pending_model = None
        self.conv.pending_case = None

    # ----------------------------------------------------------------- commands

    def command(self, cmd: Command) -> None:
        session = self.session
        name = cmd.name
        if name == "help":
            step = self.current_step()
            self.say(
                "help",
                in_session=session is not None,
                step_title=step.title if step else None,
                skippable=step.skippable if step else None,
                models=self._models_vars(),
            )
            return
        if name == "models":
            self.say_with(self.start_buttons(every=True), "models", models=self._models_vars())
            return
        if name == "start":
            self.start(cmd.argument)
            return
        if name == "resume":
            self.resume_command()
            return
        if name == "new":
            self.start(None)
            return
        if session is None:
            self.say_with(self.start_buttons(), "no_session_for_command", command=name)
            return
        if name == "carry_on":
            if session.awaiting == "risk_ack":
                session.awaiting = None
                self.touch(session)
                self.say("carrying_on")
                self.after_answer_decided()
            elif session.cursor is not None:
                self.ask()
            return
        if name == "pause":
            self.pause()
        elif name == "finish":
            self.complete()
        elif name == "cancel":
            session.awaiting = "cancel_confirm"
            self.touch(session)
            self.say_with(
                (
                    ReplyButton("labels:cancel_yes", "confirm:cancel", "danger"),
                    ReplyButton("labels:cancel_no", "confirm:keep", "primary"),
                ),
                "cancel_confirm",
                kind="warning",
                model_title=self.model.title,
            )
        elif name == "skip":
            self.skip()
        elif name == "back":
            self.back()

    def resume_command(self) -> None:
        if self.session is not None:
            self.say("already_active", model_title=self.model.title, wanted=None)
            self.ask()
            return
        if not self.ctx.paused:
            self.say_with(self.start_buttons(), "nothing_paused")
            return
        if len(self.ctx.paused) == 1:
            self.request_resume(self.ctx.paused[0].session_id)
            return
        self.conv.pending = "pick_paused"
        self.say_with(self.paused_buttons(False), "pick_paused", paused=self._paused_vars())

    def start(self, name: str | None, case_ref: str | None = None) -> None:
        if name:
            model = self.ctx.models.find(name)
            if model is None:
                self.say_with(
                    self.start_buttons(every=True),
                    "unknown_model",
                    kind="warning",
                    name=name,
                    models=self._models_vars(),
                )
                return
        else:
            model = self.ctx.models.default()
        if self.session is not None:
            self.say("already_active", model_title=self.model.title, wanted=model.title)
            self.ask()
            return
        if self.ctx.paused and self.conv.pending is None:
            self.conv.pending = "resume_or_new"
            self.conv.pending_model = model.id
            self.conv.pending_case = case_ref
            self.say_with(
                self.paused_buttons(True), "resume_or_new", paused=self._paused_vars(), wanted=model.title
            )
            return
        self.clear_pending()
        self.create(model, case_ref)

    def create(self, model: ReflectionModel, case_ref: str | None = None) -> None:
        now = self.ctx.now
        session = Session(
            id=self.ctx.new_id,
            owner=self.ctx.owner,
            model_id=model.id,
            model_version=model.version,
            platform=self.ctx.platform,
            started_at=now,
            updated_at=now,
        )
        self.session = session
        self.conv.active_session_id = session.id
        self.touch(session)
        self.replies.append(
            Reply(template=model.intro, vars={"model_title": model.title, "minutes": model.minutes})
        )
        first = model.steps[0]
        session.cursor = Cursor(step_id=first.id)
        if model.looks_back_on == "pledge":
            session.awaiting = "pledge"
            self.effects.append(LoadPledge(session.id))
            return
        preset = case_ref or self.ctx.preset_case
        if first.kind == "case_ref" and preset and not case_refs.case_ref_problem(preset):
            self.accept_case_ref(case_refs.normalise_case_ref(preset))
            return
        self.begin_at(first.id)

    def begin_at(self, step_id: str) -> None:
        position = first_position_from(self.model, self.active, step_id, self.ctx.ai_available)
        if position is None:
            self.complete()
            return
        self.active.cursor = position
        self.ask()

    def on_pledge(self, pledge: PledgeBrief | None) -> None:
        session = self.session
        if session is None or session.awaiting != "pledge":
            return
        session.awaiting = None
        session.pledge = pledge
        self.touch(session)
        self.begin_at(self.model.steps[0].id)

    def request_resume(self, session_id: str) -> None:
        if self.session is not None:
            self.say("already_active", model_title=self.model.title, wanted=None)
            self.ask()
            return
        self.effects.append(LoadSession(session_id))

    def resume_loaded(self, loaded: Session, agreed: bool = False) -> None:
        if loaded.owner != self.ctx.owner or loaded.status not in ("paused", "complete"):
            self.say("cannot_resume")
            return
        if loaded.status == "complete":
            if agreed:  # an agreed note is changed by an amendment, appended as a new version
                self.conv.edit_step = None
                self.say("edit_after_agreed", case_ref=loaded.case_ref)
                return
            self.reopen(loaded)
            return
        session = loaded.model_copy(deep=True)
        paused_at = session.paused_at or session.updated_at
        session.status = "in_progress"
        session.paused_at = None
        self.session = session
        self.conv.active_session_id = session.id
        self.clear_pending()
        self.touch(session)
        step = self.current_step()
        self.say(
            "resumed",
            since=ago(paused_at, self.ctx.now),
            model_title=self.model.title,
            case_ref=session.case_ref,
            step_title=step.title if step else None,
        )
        if session.awaiting == "risk_ack":
            session.awaiting = None
            self.after_answer_decided()
        elif session.cursor is not None:
            self.ask()

    # ----------------------------------------------------------------- changing a finished note

    def edit_request(self, text: str) -> bool:
        """ "change the child's day" after `finish`: reopen that answer. True when it was one."""
        last = self.conv.last_completed_id
        if last is None or self.conv.last_completed_model is None:
            return False
        model = self.ctx.models.get(self.conv.last_completed_model, self.conv.last_completed_version)
        # The sharing choice is only meant when named: "feelings" otherwise means the feelings answers.
        sharing = "shar" in text.lower()
        editable = [
            (s.id, s.title)
            for s in model.steps
            if s.kind not in ("ai_summary", "case_ref") and (s.kind != "share" or sharing)
        ]
        step_id = read_edit_request(text, editable)
        if step_id is None:
            return False
        self.conv.edit_step = step_id
        self.effects.append(LoadSession(last))
        return True

    def reopen(self, loaded: Session) -> None:
        step_id = self.conv.edit_step
        self.conv.edit_step = None
        if step_id is None:
            self.say("cannot_resume")
            return
        session = loaded.model_copy(deep=True)
        session.status = "in_progress"
        session.editing = True
        session.ended_at = None
        self.session = session
        self.conv.active_session_id = session.id
        self.touch(session)
        position = first_position_from(self.model, session, step_id, self.ctx.ai_available)
        if position is None or position.step_id != step_id:
            position = Cursor(step_id=step_id)
        position.revisit = True
        session.cursor = position
        step = self.model.step(step_id)
        self.say("editing", step_title=step.title)
        self.ask(previous=self.previous_answer(position))

    # ----------------------------------------------------------------- ending

    def pause(self) -> None:
        session = self.active
        step = self.current_step()
        session.status = "paused"
        session.paused_at = self.ctx.now
        self.touch(session)
        self.conv.active_session_id = None
        self.say("paused", step_title=step.title if step else None, case_ref=session.case_ref)

    def cancel_now(self) -> None:
        session = self.active
        session.status = "cancelled"
        session.ended_at = self.ctx.now
        session.cursor = None
        self.touch(session)
        self.conv.active_session_id = None
        self.say("cancelled")

    def complete(self) -> None:
        session = self.active
        held = session_hypotheses(session)
        if len(held) == 1 and held[0].status == "open":
            held[0].status = "leading"
        was_editing = session.editing
        session.status = "complete"
        session.ended_at = self.ctx.now
        session.cursor = None
        session.pending_followup = None
        session.awaiting = None
        session.editing = False
        self.touch(session)
        self.conv.active_session_id = None
        self.conv.last_completed_id = session.id
        self.conv.last_completed_model = session.model_id
        self.conv.last_completed_version = session.model_version
        self.effects.append(CompileNote(session.id))
        review_on = None
        if session.model_id == "practice_pledge":
            review_on = six_months_after(self.ctx.now.date()).strftime("%A %d %B %Y")
        self.say(
            "complete",
            case_ref=session.case_ref,
            shared=session.share_feelings,
            changed=was_editing,
            review_on=review_on,
        )

    # ----------------------------------------------------------------- skip and back

    def skip(self) -> None:
        session = self.active
        step = self.current_step()
        assert step is not None and session.cursor is not None
        if session.awaiting in ("confirm_items", "identifiers"):
            session.awaiting = None
            self.touch(session)
            self.confirm_done(step)
            return
        if session.pending_followup is not None:
            self.close_followup()
            self.after_answer_decided()
            return
        if not step.skippable:
            self.say("cannot_skip", step_title=step.title)
            self.ask()
            return
        self.keep_held_words(step)
        self.advance()

    def keep_held_words(self, step: Step) -> None:
        """Words held at a choice question are kept as a comment when the worker moves on."""
        session = self.active
        if session.held_text:
            private = step.private or step.kind == "share"
            self.record(session.held_text, item_id=self.item_id_at(), field="comment", private=private)
            session.held_text = None

    def back(self) -> None:
        session = self.active
        assert session.cursor is not None
        if session.pending_followup is not None or session.awaiting in ("confirm_items", "identifiers"):
            session.pending_followup = None
            session.pending_item = None
            session.awaiting = None
            session.cursor.revisit = True
            self.touch(session)
            self.ask(previous=self.previous_answer(session.cursor))
            return
        if not session.history:
            self.say("nothing_to_go_back_to")
            self.ask()
            return
        step = self.current_step()
        if step is not None:
            self.keep_held_words(step)
        cursor = session.history.pop()
        cursor.revisit = True
        session.cursor = cursor
        session.awaiting = None
        self.touch(session)
        self.ask(previous=self.previous_answer(cursor))

    # ----------------------------------------------------------------- answers

    def record(
        self,
        text: str,
        *,
        followup: str | None = None,
        item_id: str | None = None,
        field: str | None = None,
        extra: bool = False,
        private: bool | None = None,
    ) -> Answer:
        session = self.active
        step = self.current_step()
        assert step is not None and session.cursor is not None
        cursor = session.cursor
        if cursor.revisit and not extra and followup is None and field is None:
            self.supersede(step, cursor)
            cursor.revisit = False
        answer = Answer(
            seq=len(session.answers) + 1,
            step_id=step.id,
            lens=step.lens,
            category=step.category,
            text=text,
            at=self.ctx.now,
            followup=followup,
            item_id=item_id,
            field=field or cursor.field,
            private=step.private if private is None else private,
        )
        session.answers.append(answer)
        self.touch(session)
        return answer

    def supersede(self, step: Step, cursor: Cursor) -> None:
        """The worker went back: mark what they said here before as replaced (kept, not deleted)."""
        session = self.active
        item_id = self.item_id_at(cursor)
        removed: set[str] = set()
        if step.kind == "hypotheses":
            removed = {h.id for h in session.hypotheses if h.step_id == step.id}
            session.hypotheses = [h for h in session.hypotheses if h.step_id != step.id]
        elif step.kind == "actions":
            removed = {a.id for a in session.actions if a.step_id == step.id}
            session.actions = [a for a in session.actions if a.step_id != step.id]
        elif step.kind == "evidence":
            session.evidence = []
        elif step.kind == "hypothesis_evidence" and item_id is not None:
            for hypothesis in session.hypotheses:
                if hypothesis.id == item_id:
                    if cursor.field == "for":
                        hypothesis.evidence_for = None
                    else:
                        hypothesis.evidence_against = None
        for answer in session.answers:
            same_place = (
                answer.step_id == step.id
                and answer.item_id == item_id
                and answer.field
                in (
                    cursor.field,
                    "comment",
                    "correction",
                )
            )
            if same_place or (answer.item_id is not None and answer.item_id in removed):
                answer.superseded = True
        session.followups_done = [f for f in session.followups_done if not f.startswith(f"{step.id}:")]

    def previous_answer(self, cursor: Cursor) -> str | None:
        session = self.active
        item_id = self.item_id_at(cursor)
        found = [
            a.text
            for a in session.live_answers(cursor.step_id)
            if a.followup is None and a.item_id == item_id and a.field == cursor.field
        ]
        return found[-1] if found else None

    def item_id_at(self, cursor: Cursor | None = None) -> str | None:
        session = self.active
        cursor = cursor or session.cursor
        assert cursor is not None
        step = self.model.step(cursor.step_id)
        found: list[Any] = []
        if step.kind == "hypothesis_evidence":
            found = session_hypotheses(session)
        elif step.kind == "review_hypotheses":
            found = carried_hypotheses(session)
        elif step.kind == "review_actions":
            found = carried_open_actions(session)
        return str(found[cursor.item].id) if cursor.item < len(found) else None

    def accept_case_ref(self, case_ref: str) -> None:
        session = self.active
        session.case_ref = case_ref
        for hypothesis in session.hypotheses:
            hypothesis.case_ref = case_ref
        for action in session.actions:
            action.case_ref = case_ref
        session.awaiting = "case_history"
        self.touch(session)
        self.effects.append(LoadCaseHistory(case_ref))

    def on_case_history(self, history: CaseHistory) -> None:
        session = self.session
        if session is None or session.awaiting != "case_history":
            return
        session.awaiting = None
        has_items = bool(history.hypotheses or [a for a in history.actions if a.status == "open"])
        session.previous = history if has_items else None
        self.touch(session)
        self.advance()

    # ----------------------------------------------------------------- after an answer

    def after_answer(self, step: Step, text: str) -> None:
        """Every free-text answer is read for immediate risk and for identifiers."""
        session = self.active
        hits = identifiers.find_identifiers(text)
        if self.risk_alert(text, hits):
            return
        if hits:
            session.identifiers_warned = True
            session.awaiting = "identifiers"
            session.identifier_answer = session.answers[-1].seq if session.answers else None
            self.touch(session)
            self.say_with(
                (
                    ReplyButton("labels:replace_roles", "confirm:replace", "primary"),
                    ReplyButton("labels:keep_as_typed", "confirm:keep"),
                ),
                "identifiers_warning",
                kind="warning",
                kinds=_kinds(hits),
                first_time=True,
                offer=True,
                suggestion=identifiers.replace_with_roles(text, hits),
            )
            return
        self.after_answer_decided()

    def risk_alert(self, text: str, hits: list[identifiers.IdentifierHit] | None = None) -> bool:
        """Words that suggest a child may be at immediate risk: say so plainly, then wait until
        the worker chooses to carry on. True when the alert was given."""
        if not risk.suggests_immediate_risk(text):
            return False
        session = self.active
        session.risk_flagged = True
        session.awaiting = "risk_ack"
        self.touch(session)
        if hits:
            self.say("identifiers_warning", kind="warning", kinds=_kinds(hits), first_time=False, offer=False)
        self.say_with(self.risk_buttons(), "risk_alert", kind="alert")
        return True

    def on_identifier_choice(self, step: Step, text: str) -> None:
        session = self.active
        session.awaiting = None
        self.touch(session)
        answer = next((a for a in session.answers if a.seq == session.identifier_answer), None)
        session.identifier_answer = None
        wants = read_confirm(text)
        lowered = text.lower()
        if answer is not None and (wants == "yes" or "replace" in lowered or "role" in lowered):
            self.replace_identifiers(answer)
            self.say("identifiers_replaced")
        elif wants == "no" or "keep" in lowered:
            self.say("identifiers_kept")
        else:
            # Something else: kept as typed, and these words stay with this question too.
            self.record(text, extra=True)
            self.say("identifiers_kept")
        self.after_answer_decided()

    def replace_identifiers(self, answer: Answer) -> None:
        """A new version of the answer with roles for identifiers; the original stays superseded."""
        session = self.active
        replaced = identifiers.replace_with_roles(answer.text, identifiers.find_identifiers(answer.text))
        answer.superseded = True
        session.answers.append(
            answer.model_copy(update={"seq": len(session.answers) + 1, "text": replaced, "superseded": False})
        )
        for hypothesis in session.hypotheses:
            if hypothesis.step_id == answer.step_id:
                hypothesis.statement = identifiers.replace_with_roles(
                    hypothesis.statement, identifiers.find_identifiers(hypothesis.statement)
                )
        for action in session.actions:
            if action.step_id == answer.step_id:
                action.what = identifiers.replace_with_roles(
                    action.what, identifiers.find_identifiers(action.what)
                )
        self.touch(session)

    def after_answer_decided(self) -> None:
        """Ask a follow-up if practice calls for one, read items back, otherwise move on."""
        session = self.active
        step, step_kind = self.step_and_kind()
        assert session.cursor is not None
        latest = [a.text for a in session.live_answers(step.id) if a.field not in ("comment", "correction")]
        latest_text = latest[-1] if latest else ""
        for rule in step.followups:
            key = f"{step.id}:{rule.when}"
            if key in session.followups_done or rule.when == "missing_owner_or_date":
                continue  # actions: the read-back asks for a missing owner or date
            vague = followups.vague_words(latest_text) if rule.when == "vague" else []
            fires = (
                bool(vague)
                or (rule.when == "single_hypothesis" and len(session_hypotheses(session)) < 2)
                or (rule.when == "no_child_words" and followups.no_child_words(latest_text))
            )
            if fires:
                session.followups_done.append(key)
                self.ask_followup(rule.when, rule.prompt, vague_words=vague, baby=self.baby_or_preverbal())
                return
        if step_kind.reads_back and f"{step.id}:readback" not in session.followups_done:
            step_kind.read_back(self, step)
            return
        self.advance()

    def baby_or_preverbal(self) -> bool:
        """Whether what the worker wrote says the child is a baby or does not speak yet."""
        check = getattr(followups, "mentions_baby_or_preverbal", None)
        if check is None:
            return False
        return any(bool(check(a.text)) for a in self.active.live_answers() if not a.private)

    def ask_followup(self, rule: str, template: str, item: str | None = None, **values: Any) -> None:
        session = self.active
        assert session.cursor is not None
        session.pending_followup = rule
        session.pending_item = item
        self.touch(session)
        self.replies.append(
            Reply(
                template=template,
                vars={**self.step_vars(), **values},
                kind="followup",
                buttons=self.nav_buttons(followup=True),
                free_text=True,
                step_id=session.cursor.step_id,
            )
        )

    def answer_followup(self, step: Step, step_kind: StepKind, text: str) -> None:
        session = self.active
        rule = session.pending_followup
        assert rule is not None
        self.record(text, followup=rule, item_id=session.pending_item)
        step_kind.on_followup_text(self, step, rule, text)
        self.close_followup()
        self.after_answer(step, text)

    def close_followup(self) -> None:
        session = self.active
        session.pending_followup = None
        session.pending_item = None
        self.touch(session)

    # ----------------------------------------------------------------- read back, then correct

    def read_back(self, template: str, step: Step, **values: Any) -> None:
        session = self.active
        assert session.cursor is not None
        session.awaiting = "confirm_items"
        self.touch(session)
        mark = token(session.cursor)
        self.replies.append(
            Reply(
                template=template,
                vars=values,
                kind="confirm",
                buttons=(
                    ReplyButton("labels:thats_right", "confirm:items", "primary"),
                    ReplyButton("labels:back", f"cmd:back@{mark}"),
                ),
                free_text=True,
                step_id=step.id,
            )
        )

    def confirm_or_correct(
        self,
        step: Step,
        text: str,
        correct: Callable[[Turn, Step, Correction], bool],
        add_more: Callable[[str], None],
        listed: Sequence[str] = (),
    ) -> None:
        """A reply to a read-back: "yes" moves on; corrections are applied and read back again;
        anything else is more of the same (another hypothesis, another action)."""
        changes = read_corrections(text, listed)
        if any(c.op == "confirm" for c in changes) and all(c.op in ("confirm", "none") for c in changes):
            self.confirm_done(step)
            return
        if read_confirm(text) == "yes" and not changes:
            self.confirm_done(step)
            return
        if read_confirm(text) == "no" and not changes:
            kind_for(step).read_back(self, step)
            self.say("readback_how", kind="info")
            return
        applied = [c for c in changes if c.op not in ("confirm", "none")]
        if applied:
            self.record(text, field="correction")
            missed = [c for c in applied if not correct(self, step, c)]
            if missed:
                self.say("correction_not_applied", kind="warning", count=len(missed))
        else:
            self.record(text)
            add_more(text)
        self.touch(self.active)
        kind_for(step).read_back(self, step)

    def confirm_done(self, step: Step) -> None:
        session = self.active
        session.awaiting = None
        key = f"{step.id}:readback"
        if key not in session.followups_done:
            session.followups_done.append(key)
        self.touch(session)
        self.advance()

    # ----------------------------------------------------------------- moving

    def advance(self, remember: bool = True) -> None:
        """Move to the next askable place. `remember=False` leaves this one out of `back`."""
        session = self.active
        assert session.cursor is not None
        if session.editing:
            self.complete()  # a change after `finish` goes straight back to the note
            return
        current = session.cursor.model_copy()
        current.revisit = False
        following = next_position(self.model, session, current, self.ctx.ai_available)
        if remember:
            session.history.append(current)
        if following is None:
            self.complete()
            return
        session.cursor = following
        self.touch(session)
        self.ask()

    def ask(self, previous: str | None = None, reminder: bool = False) -> None:
        session = self.active
        step, step_kind = self.step_and_kind()
        assert session.cursor is not None
        if isinstance(step_kind, SummaryKind) and step_kind.before_ask(self, step):
            return
        values = self.step_vars()
        values["previous_answer"] = previous
        values["reminder"] = reminder
        buttons = tuple(
            ReplyButton(c.label, f"choice:{c.value}@{token(session.cursor)}")
            for c in step_kind.options(self, step)
        )
        self.replies.append(
            Reply(
                template=step.prompt,
                vars=values,
                kind="prompt",
                buttons=buttons + self.nav_buttons(),
                free_text=step_kind.free_text,
                step_id=step.id,
            )
        )

    def on_summary_drafted(self, text: str | None) -> None:
        session = self.session
        if session is None or session.awaiting != "ai_summary":
            return
        _, step_kind = self.step_and_kind()
        assert isinstance(step_kind, SummaryKind)
        step_kind.on_drafted(self, text)

    # ----------------------------------------------------------------- values for templates

    def step_vars(self) -> dict[str, Any]:
        session = self.active
        step, step_kind = self.step_and_kind()
        assert session.cursor is not None
        model = self.model
        held = session_hypotheses(session)
        leading = next((h for h in held if h.status == "leading"), None)
        if leading is None and len(held) == 1:
            leading = held[0]
        values: dict[str, Any] = {
            "case_ref": session.case_ref,
            "model_title": model.title,
            "step_number": model.index_of(step.id) + 1,
            "step_total": len(model.steps),
            "step_title": step.title,
            "hypotheses": [{"n": n, "statement": h.statement} for n, h in enumerate(held, start=1)],
            "leading": leading.statement if leading else None,
            "leading_for": leading.evidence_for if leading else None,
            "leading_against": leading.evidence_against if leading else None,
            "leading_kind": classify_hypothesis(leading.statement) if leading else None,
            "seen_alone": session.choices.get("seen_alone"),
            "previous": None,
            "item": None,
            "pledge": None,
            "draft": session.ai_summary.text if session.ai_summary is not None else None,
            "options": [c.label for c in step_kind.options(self, step)],
        }
        if session.pledge is not None:
            values["pledge"] = {
                "point": session.pledge.point,
                "text": session.pledge.text,
                "made": ago(session.pledge.made_at, self.ctx.now),
            }
        if session.previous is not None:
            last = session.previous.last_session_at
            values["previous"] = {
                "since": ago(last, self.ctx.now) if last else None,
                "hypotheses": [
                    {"n": n, "statement": h.statement, "status": h.status}
                    for n, h in enumerate(carried_hypotheses(session), start=1)
                ],
                "actions": [
                    {"n": n, "what": a.what, "who": a.who, "due": self.due_words(a)}
                    for n, a in enumerate(carried_open_actions(session), start=1)
                ],
            }
        cursor = session.cursor
        if step.kind == "hypothesis_evidence" and cursor.item < len(held):
            values["item"] = {
                "n": cursor.item + 1,
                "statement": held[cursor.item].statement,
                "field": cursor.field,
            }
        elif step.kind == "review_hypotheses":
            carried = carried_hypotheses(session)
            if cursor.item < len(carried):
                h = carried[cursor.item]
                values["item"] = {"n": cursor.item + 1, "statement": h.statement, "status": h.status}
        elif step.kind == "review_actions":
            open_actions = carried_open_actions(session)
            if cursor.item < len(open_actions):
                a = open_actions[cursor.item]
                values["item"] = {
                    "n": cursor.item + 1,
                    "what": a.what,
                    "who": a.who,
                    "due": self.due_words(a),
                }
        values.update(step_kind.vars(self, step))
        return values

    @staticmethod
    def due_words(action: ActionItem) -> str | None:
        if action.due is not None:
            return action.due.strftime("%a %d %b %Y")
        return action.due_text

    def nav_buttons(self, followup: bool = False) -> tuple[ReplyButton, ...]:
        session = self.active
        step = self.current_step()
        assert step is not None and session.cursor is not None
        mark = token(session.cursor)
        buttons: list[ReplyButton] = []
        if step.skippable or followup:
            buttons.append(ReplyButton("labels:skip", f"cmd:skip@{mark}"))
        if session.history or followup:
            buttons.append(ReplyButton("labels:back", f"cmd:back@{mark}"))
        buttons.append(ReplyButton("labels:pause", "cmd:pause"))
        buttons.append(ReplyButton("labels:finish", "cmd:finish"))
        return tuple(buttons)

    def risk_buttons(self) -> tuple[ReplyButton, ...]:
        return (
            ReplyButton("labels:carry_on", "cmd:carry_on", "primary"),
            ReplyButton("labels:pause", "cmd:pause"),
        )

    def start_buttons(self, every: bool = False) -> tuple[ReplyButton, ...]:
        models = self.ctx.models.latest()
        chosen = models if every else [m for m in models if m.audience == "practitioner"][:2]
        return tuple(
            ReplyButton(m.title, f"start:{m.id}", "primary" if i == 0 else "default")
            for i, m in enumerate(chosen)
        )

    def paused_buttons(self, offer_new: bool) -> tuple[ReplyButton, ...]:
        buttons = [
            ReplyButton(f"labels:resume_n:{n}", f"resume:{p.session_id}", "primary" if n == 1 else "default")
            for n, p in enumerate(self.ctx.paused[:5], start=1)
        ]
        if offer_new:
            buttons.append(ReplyButton("labels:start_new", "cmd:new"))
        return tuple(buttons)

    def _paused_vars(self) -> list[dict[str, Any]]:
        return [
            {
                "n": n,
                "model_title": p.model_title,
                "case_ref": p.case_ref,
                "step_title": p.step_title,
                "since": ago(p.paused_at, self.ctx.now),
            }
            for n, p in enumerate(self.ctx.paused, start=1)
        ]

    def _models_vars(self) -> list[dict[str, Any]]:
        return [
            {"id": m.id, "title": m.title, "minutes": m.minutes, "summary": m.summary, "audience": m.audience}
            for m in self.ctx.models.latest()
        ]


def _with_buttons(reply: Reply, buttons: tuple[ReplyButton, ...]) -> Reply:
    return Reply(
        template=reply.template,
        vars=reply.vars,
        kind=reply.kind,
        buttons=buttons,
        free_text=reply.free_text,
        step_id=reply.step_id,
    )


def _kinds(hits: list[identifiers.IdentifierHit]) -> list[str]:
    return sorted({h.kind for h in hits})


def _paused_choice(n: int, title: str, case_ref: str | None) -> Choice:
    label = f"{title} {case_ref}" if case_ref else title
    return Choice(value=str(n), label=label)
