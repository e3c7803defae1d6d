"""One turn of a conversation: `handle(conversation, active session, event, context)`.

The function is pure: it copies what it is given, decides, and returns an `Outcome`
with the new state, the replies (as template names and values) and the effects the
service must carry out (load a case's history, load a paused session, compile a note).
"""

from __future__ import annotations

from typing import Any

from bot.engine.commands import Command, UnknownCommand, parse_command
from bot.engine.events import Action, CaseHistoryLoaded, Event, SessionLoaded, SummaryDrafted
from bot.engine.flow import (
    carried_hypotheses,
    carried_open_actions,
    first_position_from,
    next_position,
    session_hypotheses,
    token,
)
from bot.engine.outcome import (
    CompileNote,
    DraftSummary,
    Effect,
    LoadCaseHistory,
    LoadSession,
    Outcome,
    Reply,
    ReplyButton,
)
from bot.engine.signals import followups, identifiers, risk
from bot.engine.state import (
    ActionItem,
    AiDraft,
    Answer,
    CaseHistory,
    Context,
    Conversation,
    Cursor,
    Hypothesis,
    Session,
)
from bot.engine.timefmt import ago
from bot.engine.understand import actions, case_refs, choices, evidence, items
from supervision_models.schema import Choice, ReflectionModel, Step

CHOICE_KINDS = {"choice", "share", "leading", "review_hypotheses", "review_actions", "ai_summary"}
_CONFIRM_YES = {"yes", "y", "yes cancel", "yes, cancel", "cancel it"}


def handle(conversation: Conversation, active: Session | None, event: Event, ctx: Context) -> Outcome:
    turn = _Turn(conversation, active, ctx)
    turn.dispatch(event)
    return turn.outcome()


class _Turn:
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

    def touch(self, session: Session) -> None:
        session.updated_at = self.ctx.now
        self._changed[session.id] = session

    @property
    def model(self) -> ReflectionModel:
        assert self.session is not None
        return self.ctx.models.get(self.session.model_id, self.session.model_version)

    def current_step(self) -> Step | None:
        if self.session is None or self.session.cursor is None:
            return None
        return self.model.step(self.session.cursor.step_id)

    # ----------------------------------------------------------------- dispatch

    def dispatch(self, event: Event) -> None:
        if isinstance(event, CaseHistoryLoaded):
            self.on_case_history(event.history)
        elif isinstance(event, SessionLoaded):
            self.resume_loaded(event.session)
        elif isinstance(event, SummaryDrafted):
            self.on_summary_drafted(event.text)
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
            self.on_text("yes" if arg == "cancel" else "no")
            return
        session = self.session
        if mark and (session is None or session.cursor is None or token(session.cursor) != mark):
            self.say("stale_button", kind="warning")
            if session is not None and session.cursor is not None:
                self.ask()
            return
        if kind == "cmd":
            self.command(Command(arg))  # type: ignore[arg-type]
        elif kind == "choice" and self.session is not None:
            self.answer_choice(arg)
        else:
            self.say("unknown_command", kind="warning", word=kind)

    def on_text(self, raw: str) -> None:
        text = raw.strip()
        if len(text) > self.ctx.max_answer_chars:
            self.say("too_long", kind="warning", length=len(text), limit=self.ctx.max_answer_chars)
            return
        if self.conv.pending is not None and self.on_pending(text):
            return
        session = self.session
        if session is not None and session.awaiting == "cancel_confirm":
            session.awaiting = None
            self.touch(session)
            if text.lower().strip(".!") in _CONFIRM_YES:
                self.cancel_now()
                return
            self.say("cancel_declined")
            if text.lower() in {"no", "n", "no thanks", "keep going", "carry on"}:
                self.ask()
                return
        step = self.current_step()
        if step is not None and step.kind in CHOICE_KINDS and session is not None:
            choice = choices.match_choice(text, self.choices_for(step))
            if choice is not None and session.awaiting is None and session.pending_followup is None:
                self.answer_choice(choice)
                return
        parsed = parse_command(text)
        if isinstance(parsed, Command):
            self.command(parsed)
            return
        if isinstance(parsed, UnknownCommand):
            self.say("unknown_command", kind="warning", word=parsed.word, in_session=session is not None)
            if session is not None:
                self.ask()
            return
        if not text:
            self.say("empty", kind="warning", in_session=session is not None)
            if session is not None:
                self.ask()
            return
        if session is None:
            self.say("no_session")
            self.replies[-1] = _with_buttons(self.replies[-1], self.start_buttons())
            return
        idle_hours = (self.ctx.now - session.updated_at).total_seconds() / 3600
        if idle_hours >= self.ctx.idle_after_hours:
            self.touch(session)
            self.say("welcome_back", since=ago(session.updated_at, self.ctx.now), not_saved=True)
            self.ask()
            return
        if session.awaiting == "risk_ack":
            self.record(text, extra=True)
            self.say("risk_waiting", kind="alert")
            self.replies[-1] = _with_buttons(self.replies[-1], self.risk_buttons())
            return
        self.answer_text(text)

    def on_pending(self, text: str) -> bool:
        """Answers to "resume or start new?" and "which paused one?". True when consumed."""
        pending = self.conv.pending
        lowered = text.lower().strip(".!")
        if pending == "resume_or_new":
            if lowered in {"new", "start new", "new one", "2", "start a new one"}:
                model_id, case_ref = self.conv.pending_model, self.conv.pending_case
                self.clear_pending()
                model = self.ctx.models.get(model_id) if model_id else self.ctx.models.default()
                self.create(model, case_ref)
                return True
            if lowered in {"resume", "1", "resume it", "carry on", "continue"}:
                self.clear_pending()
                self.command(Command("resume"))
                return True
        if pending == "pick_paused" and lowered.isdigit() and 1 <= int(lowered) <= len(self.ctx.paused):
            self.clear_pending()
            self.request_resume(self.ctx.paused[int(lowered) - 1].session_id)
            return True
        if parse_command(text) is None:
            self.say("pending_reminder", pending=pending, paused=self._paused_vars())
            self.replies[-1] = _with_buttons(
                self.replies[-1], self.paused_buttons(pending == "resume_or_new")
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
            self.say("models", models=self._models_vars())
            self.replies[-1] = _with_buttons(self.replies[-1], self.start_buttons(every=True))
            return
        if name == "start":
            self.start(cmd.argument)
            return
        if name == "resume":
            if session is not None:
                self.say("already_active", model_title=self.model.title)
                self.ask()
                return
            if not self.ctx.paused:
                self.say("nothing_paused")
                self.replies[-1] = _with_buttons(self.replies[-1], self.start_buttons())
                return
            if len(self.ctx.paused) == 1:
                self.request_resume(self.ctx.paused[0].session_id)
                return
            self.conv.pending = "pick_paused"
            self.say("pick_paused", paused=self._paused_vars())
            self.replies[-1] = _with_buttons(self.replies[-1], self.paused_buttons(False))
            return
        if name == "new":
            self.start(None)
            return
        if session is None:
            self.say("no_session_for_command", command=name)
            self.replies[-1] = _with_buttons(self.replies[-1], self.start_buttons())
            return
        if name == "carry_on":
            if session.awaiting == "risk_ack":
                session.awaiting = None
                self.touch(session)
                self.say("carrying_on")
                self.after_answer_decided()
            else:
                self.ask()
            return
        if name == "pause":
            self.pause()
        elif name == "finish":
            self.complete()
        elif name == "cancel":
            session.awaiting = "cancel_confirm"
            self.touch(session)
            self.say("cancel_confirm", kind="warning", model_title=self.model.title)
            self.replies[-1] = _with_buttons(
                self.replies[-1],
                (
                    ReplyButton("labels:cancel_yes", "confirm:cancel", "danger"),
                    ReplyButton("labels:cancel_no", "confirm:keep", "primary"),
                ),
            )
        elif name == "skip":
            self.skip()
        elif name == "back":
            self.back()

    def start(self, name: str | None, case_ref: str | None = None) -> None:
        if name:
            model = self.ctx.models.find(name)
            if model is None:
                self.say("unknown_model", kind="warning", name=name, models=self._models_vars())
                self.replies[-1] = _with_buttons(self.replies[-1], self.start_buttons(every=True))
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
            self.say("resume_or_new", paused=self._paused_vars(), wanted=model.title)
            self.replies[-1] = _with_buttons(self.replies[-1], self.paused_buttons(True))
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
        preset = case_ref or self.ctx.preset_case
        if first.kind == "case_ref" and preset and not case_refs.case_ref_problem(preset):
            session.cursor = Cursor(step_id=first.id)
            self.accept_case_ref(case_refs.normalise_case_ref(preset), first)
            return
        position = first_position_from(model, session, first.id, self.ctx.ai_available)
        if position is None:
            self.complete()
            return
        session.cursor = position
        self.ask()

    def request_resume(self, session_id: str) -> None:
        if self.session is not None:
            self.say("already_active", model_title=self.model.title)
            self.ask()
            return
        self.effects.append(LoadSession(session_id))

    def resume_loaded(self, loaded: Session) -> None:
        if loaded.owner != self.ctx.owner or loaded.status != "paused":
            self.say("cannot_resume")
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
        else:
            self.ask()

    def pause(self) -> None:
        session = self.session
        assert session is not None
        step = self.current_step()
        session.status = "paused"
        session.paused_at = self.ctx.now
        self.touch(session)
        self.conv.active_session_id = None
        self.say("paused", step_title=step.title if step else None, case_ref=session.case_ref)

    def cancel_now(self) -> None:
        session = self.session
        assert session is not None
        session.status = "cancelled"
        session.ended_at = self.ctx.now
        session.cursor = None
        self.touch(session)
        self.conv.active_session_id = None
        self.say("cancelled")

    def complete(self) -> None:
        session = self.session
        assert session is not None
        held = session_hypotheses(session)
        if len(held) == 1 and held[0].status == "open":
            held[0].status = "leading"
        session.status = "complete"
        session.ended_at = self.ctx.now
        session.cursor = None
        session.pending_followup = None
        session.awaiting = None
        self.touch(session)
        self.conv.active_session_id = None
        self.effects.append(CompileNote(session.id))
        self.say("complete", case_ref=session.case_ref, shared=session.share_feelings)

    def skip(self) -> None:
        session = self.session
        step = self.current_step()
        assert session is not None and step is not None and session.cursor is not None
        if session.pending_followup is not None:
            self.close_followup()
            self.advance()
            return
        if not step.skippable:
            self.say("cannot_skip", step_title=step.title)
            self.ask()
            return
        self.advance()

    def back(self) -> None:
        session = self.session
        assert session is not None and session.cursor is not None
        if session.pending_followup is not None:
            session.pending_followup = None
            session.pending_item = None
            session.cursor.revisit = True
            self.touch(session)
            self.ask(previous=self.previous_answer(session.cursor))
            return
        if not session.history:
            self.say("nothing_to_go_back_to")
            self.ask()
            return
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
    ) -> Answer:
        session = self.session
        step = self.current_step()
        assert session is not None and step is not None and session.cursor is not None
        cursor = session.cursor
        if cursor.revisit and not extra and followup is None:
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
            private=step.private,
        )
        session.answers.append(answer)
        self.touch(session)
        return answer

    def supersede(self, step: Step, cursor: Cursor) -> None:
        """The worker went back: mark what they said here before as replaced."""
        session = self.session
        assert session is not None
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
        for answer in session.answers:
            same_place = (
                answer.step_id == step.id and answer.item_id == item_id and (answer.field == cursor.field)
            )
            if same_place or (answer.item_id is not None and answer.item_id in removed):
                answer.superseded = True
        session.followups_done = [f for f in session.followups_done if not f.startswith(f"{step.id}:")]

    def previous_answer(self, cursor: Cursor) -> str | None:
        session = self.session
        assert session is not None
        item_id = self.item_id_at(cursor)
        found = [
            a.text
            for a in session.live_answers(cursor.step_id)
            if a.followup is None and a.item_id == item_id and a.field == cursor.field
        ]
        return found[-1] if found else None

    def item_id_at(self, cursor: Cursor) -> str | None:
        session = self.session
        assert session is not None
        step = self.model.step(cursor.step_id)
        items: list[Any] = []
        if step.kind == "hypothesis_evidence":
            items = session_hypotheses(session)
        elif step.kind == "review_hypotheses":
            items = carried_hypotheses(session)
        elif step.kind == "review_actions":
            items = carried_open_actions(session)
        return str(items[cursor.item].id) if cursor.item < len(items) else None

    def answer_text(self, text: str) -> None:
        session = self.session
        step = self.current_step()
        assert session is not None and step is not None and session.cursor is not None
        if session.pending_followup is not None:
            self.answer_followup(text)
            return
        if step.kind == "case_ref":
            problem = case_refs.case_ref_problem(text)
            if problem is not None:
                # Deliberately not stored: it may be a name or an identifier.
                self.say("case_ref_problem", kind="warning", problem=problem)
                self.ask()
                return
            self.record(case_refs.normalise_case_ref(text))
            self.accept_case_ref(case_refs.normalise_case_ref(text), step)
            return
        if step.kind == "ai_summary":
            self.summary_text(text)
            return
        if step.kind in CHOICE_KINDS:
            # Not one of the options: keep the words, then ask again for a choice.
            self.record(text, field="comment")
            self.say("choice_not_understood", options=[c.label for c in self.choices_for(step)])
            self.ask(reminder=True)
            return
        item_id = self.item_id_at(session.cursor)
        self.record(text, item_id=item_id)
        self.apply_structured(step, text, item_id)
        self.after_answer(step, text)

    def apply_structured(self, step: Step, text: str, item_id: str | None) -> None:
        session = self.session
        assert session is not None and session.cursor is not None
        if step.kind == "hypotheses":
            self.add_hypotheses(step, text)
        elif step.kind == "hypothesis_evidence" and item_id is not None:
            for hypothesis in session.hypotheses:
                if hypothesis.id == item_id:
                    if session.cursor.field == "for":
                        hypothesis.evidence_for = text
                    else:
                        hypothesis.evidence_against = text
        elif step.kind == "actions":
            for line in items.split_items(text):
                what, who, due, due_text = actions.parse_action(line, self.ctx.now)
                session.actions.append(
                    ActionItem(
                        id=f"{session.id}:a{len(session.actions) + 1}",
                        case_ref=session.case_ref,
                        what=what,
                        who=who,
                        due=due,
                        due_text=due_text,
                        session_id=session.id,
                        step_id=step.id,
                    )
                )
        elif step.kind == "evidence":
            session.evidence.extend(evidence.parse_evidence(line) for line in items.split_items(text))

    def add_hypotheses(self, step: Step, text: str) -> None:
        session = self.session
        assert session is not None
        for statement in items.split_items(text):
            session.hypotheses.append(
                Hypothesis(
                    id=f"{session.id}:h{len(session.hypotheses) + 1}",
                    case_ref=session.case_ref,
                    statement=statement,
                    session_id=session.id,
                    step_id=step.id,
                )
            )

    def accept_case_ref(self, case_ref: str, step: Step) -> None:
        session = self.session
        assert session is not None
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

    def answer_followup(self, text: str) -> None:
        session = self.session
        step = self.current_step()
        assert session is not None and step is not None
        rule = session.pending_followup
        item_id = session.pending_item
        self.record(text, followup=rule, item_id=item_id)
        if rule == "single_hypothesis":
            self.add_hypotheses(step, text)
        elif rule == "missing_owner_or_date":
            who, due, due_text = actions.parse_who_when(text, self.ctx.now)
            for action in session.actions:
                if action.id == item_id:
                    action.who = action.who or who
                    if action.due is None:
                        action.due, action.due_text = due, due_text or action.due_text
        self.close_followup()
        self.after_answer(step, text, followup_answer=True)

    def close_followup(self) -> None:
        session = self.session
        assert session is not None
        session.pending_followup = None
        session.pending_item = None
        self.touch(session)

    def after_answer(self, step: Step, text: str, followup_answer: bool = False) -> None:
        session = self.session
        assert session is not None
        hits = identifiers.find_identifiers(text)
        if hits:
            kinds = sorted({h.kind for h in hits})
            self.say(
                "identifiers_warning", kind="warning", kinds=kinds, first_time=not session.identifiers_warned
            )
            session.identifiers_warned = True
        if risk.suggests_immediate_risk(text):
            session.risk_flagged = True
            session.awaiting = "risk_ack"
            self.touch(session)
            self.say("risk_alert", kind="alert")
            self.replies[-1] = _with_buttons(self.replies[-1], self.risk_buttons())
            return
        self.after_answer_decided(latest_text=text)

    def after_answer_decided(self, latest_text: str | None = None) -> None:
        """Ask a follow-up if practice calls for one, otherwise move on."""
        session = self.session
        step = self.current_step()
        assert session is not None and step is not None and session.cursor is not None
        if latest_text is None:
            latest = [a.text for a in session.live_answers(step.id)]
            latest_text = latest[-1] if latest else ""
        for rule in step.followups:
            key = f"{step.id}:{rule.when}"
            if rule.when == "missing_owner_or_date":
                for action in session.actions:
                    action_key = f"{key}:{action.id}"
                    incomplete = action.who is None or action.due is None
                    if action.step_id == step.id and incomplete and action_key not in session.followups_done:
                        session.followups_done.append(action_key)
                        missing = [n for n, v in (("owner", action.who), ("date", action.due)) if v is None]
                        self.ask_followup(
                            rule.when,
                            rule.prompt,
                            item=action.id,
                            action={"what": action.what, "who": action.who, "due": action.due_text},
                            missing=missing,
                        )
                        return
                continue
            if key in session.followups_done:
                continue
            fires = (
                (rule.when == "vague" and followups.vague_words(latest_text))
                or (rule.when == "single_hypothesis" and len(session_hypotheses(session)) < 2)
                or (rule.when == "no_child_words" and followups.no_child_words(latest_text))
            )
            if fires:
                session.followups_done.append(key)
                self.ask_followup(rule.when, rule.prompt, vague_words=followups.vague_words(latest_text))
                return
        self.advance()

    def ask_followup(self, rule: str, template: str, item: str | None = None, **values: Any) -> None:
        session = self.session
        assert session is not None and session.cursor is not None
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

    def answer_choice(self, value: str) -> None:
        session = self.session
        step = self.current_step()
        assert session is not None and step is not None and session.cursor is not None
        choices = self.choices_for(step)
        chosen = next((c for c in choices if c.value == value), None)
        if chosen is None or step.kind not in CHOICE_KINDS:
            self.say("stale_button", kind="warning")
            self.ask()
            return
        if step.kind == "ai_summary":
            self.summary_choice(value)
            return
        item_id = self.item_id_at(session.cursor)
        self.record(chosen.label, item_id=item_id)
        session.choices[step.id if item_id is None else f"{step.id}:{item_id}"] = value
        if step.kind == "share":
            session.share_feelings = value == "share"
        elif step.kind == "leading":
            for n, hypothesis in enumerate(session_hypotheses(session), start=1):
                hypothesis.status = "leading" if str(n) == value else "open"
        elif step.kind == "review_hypotheses" and item_id is not None:
            session.hypothesis_updates[item_id] = value  # type: ignore[assignment]
        elif step.kind == "review_actions" and item_id is not None:
            session.action_updates[item_id] = value  # type: ignore[assignment]
        self.touch(session)
        self.advance()

    # ----------------------------------------------------------------- moving

    def advance(self, remember: bool = True) -> None:
        """Move to the next askable place. `remember=False` leaves this one out of `back`."""
        session = self.session
        assert session is not None and session.cursor is not None
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
        session = self.session
        step = self.current_step()
        assert session is not None and step is not None and session.cursor is not None
        if step.kind == "ai_summary" and self.ask_summary():
            return
        values = self.step_vars()
        values["previous_answer"] = previous
        values["reminder"] = reminder
        buttons = tuple(
            ReplyButton(c.label, f"choice:{c.value}@{token(session.cursor)}") for c in self.choices_for(step)
        )
        self.replies.append(
            Reply(
                template=step.prompt,
                vars=values,
                kind="prompt",
                buttons=buttons + self.nav_buttons(),
                free_text=step.kind not in CHOICE_KINDS or step.kind == "ai_summary",
                step_id=step.id,
            )
        )

    # ----------------------------------------------------------------- an AI-drafted summary

    def ask_summary(self) -> bool:
        """Before showing the draft: ask for one if there is none. True when nothing more to say."""
        session = self.session
        step = self.current_step()
        assert session is not None and step is not None and session.cursor is not None
        if session.ai_summary is None:
            session.awaiting = "ai_summary"
            self.touch(session)
            self.effects.append(DraftSummary(session.id))
            return True
        if session.awaiting == "summary_edit":
            self.replies.append(
                Reply(
                    template="chat/ai_summary_edit.j2",
                    vars={"draft": session.ai_summary.text},
                    kind="prompt",
                    buttons=self.nav_buttons(),
                    free_text=True,
                    step_id=step.id,
                )
            )
            return True
        return False

    def on_summary_drafted(self, text: str | None) -> None:
        session = self.session
        if session is None or session.awaiting != "ai_summary":
            return
        session.awaiting = None
        self.touch(session)
        if text is None or not text.strip():
            # AI help let us down: pass over the step (and out of `back`, so it can't trap anyone).
            self.advance(remember=False)
            return
        session.ai_summary = AiDraft(text=text.strip())
        self.ask()

    def summary_choice(self, value: str) -> None:
        session = self.session
        assert session is not None
        if session.ai_summary is None:  # no draft to act on (it never arrived): ask for one
            self.ask()
            return
        if value == "edit":
            session.awaiting = "summary_edit"
            self.touch(session)
            self.ask()
            return
        if value == "approve":
            session.ai_summary.approved = True
        else:
            session.ai_summary = None  # discarded: nothing of it enters the note
        self.touch(session)
        self.say("ai_summary_kept", outcome="approved" if value == "approve" else "discarded")
        self.advance()

    def summary_text(self, text: str) -> None:
        """Typed text at the summary step: the worker's own version of it (or an unclear choice)."""
        session = self.session
        step = self.current_step()
        assert session is not None and step is not None
        if session.awaiting != "summary_edit" and len(text.split()) < 4:
            self.say("choice_not_understood", options=[c.label for c in step.choices])
            self.ask(reminder=True)
            return
        session.ai_summary = AiDraft(text=text, approved=True, edited_by_worker=True)
        session.awaiting = None
        self.touch(session)
        self.say("ai_summary_kept", outcome="edited")
        self.advance()

    # ----------------------------------------------------------------- values for templates

    def step_vars(self) -> dict[str, Any]:
        session = self.session
        step = self.current_step()
        assert session is not None and step is not None and session.cursor is not None
        model = self.model
        held = session_hypotheses(session)
        leading = next((h.statement for h in held if h.status == "leading"), None)
        if leading is None and len(held) == 1:
            leading = held[0].statement
        values: dict[str, Any] = {
            "case_ref": session.case_ref,
            "model_title": model.title,
            "step_number": model.index_of(step.id) + 1,
            "step_total": len(model.steps),
            "step_title": step.title,
            "hypotheses": [{"n": n, "statement": h.statement} for n, h in enumerate(held, start=1)],
            "leading": leading,
            "seen_alone": session.choices.get("seen_alone"),
            "previous": None,
            "item": None,
            "pledge": None,
            "draft": session.ai_summary.text if session.ai_summary is not None else None,
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
                    {"n": n, "what": a.what, "who": a.who, "due": _due_words(a)}
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
            actions = carried_open_actions(session)
            if cursor.item < len(actions):
                a = actions[cursor.item]
                values["item"] = {"n": cursor.item + 1, "what": a.what, "who": a.who, "due": _due_words(a)}
        return values

    def choices_for(self, step: Step) -> tuple[Choice, ...]:
        session = self.session
        assert session is not None
        if step.kind == "leading":
            return tuple(
                Choice(value=str(n), label=_short(h.statement))
                for n, h in enumerate(session_hypotheses(session), start=1)
            )
        return step.choices

    def nav_buttons(self, followup: bool = False) -> tuple[ReplyButton, ...]:
        session = self.session
        step = self.current_step()
        assert session is not None and step is not None and session.cursor is not None
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


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _due_words(action: ActionItem) -> str | None:
    if action.due is not None:
        return action.due.strftime("%a %d %b %Y")
    return action.due_text
