"""One turn of a conversation: `handle(conversation, active session, event, context)`.

The function is pure: it copies what it is given, decides, and returns an `Outcome` with the
new state, the replies (as template names and values) and the effects the service must carry
out (load a case's history, a paused session or a pledge; compile a note; draft a summary).

The turn owns what every step shares: commands (start, pause, resume, skip, back, finish,
cancel), recording answers, the safeguarding and identifier checks, follow-ups, read-backs and
moving on. How a particular question is understood belongs to its kind (`bot/engine/kinds/`).
"""

from __future__ import annotations

import re

from bot.engine.answering import Answering
from bot.engine.asking import Asking
from bot.engine.commands import Command, UnknownCommand, parse_command, read_cancel_confirm, read_confirm
from bot.engine.events import (
    Action,
    CaseHistoryLoaded,
    Event,
    LooksLike,
    PledgeLoaded,
    SessionLoaded,
    SummaryDrafted,
)
from bot.engine.flow import (
    first_position_from,
    session_hypotheses,
    token,
)
from bot.engine.kinds import kind_for
from bot.engine.kinds.choice import ChoiceKind
from bot.engine.outcome import (
    CompileNote,
    LoadPledge,
    LoadSession,
    Outcome,
    Reply,
    ReplyButton,
)
from bot.engine.state import (
    Context,
    Conversation,
    Cursor,
    Offer,
    PledgeBrief,
    Session,
)
from bot.engine.timefmt import ago, six_months_after
from bot.engine.understand import case_refs, choices
from bot.engine.understand.corrections import read_edit_request
from supervision_models.schema import Choice, ReflectionModel, Step


def handle(
    conversation: Conversation, active: Session | None, event: Event, ctx: Context, *, owned: bool = False
) -> Outcome:
    """One event: the outcome says what changed. The inputs are left as they were, unless
    `owned`: the caller hands them over (it reads them no more), and they are worked on in
    place rather than copied first."""
    turn = Turn(conversation, active, ctx, owned=owned)
    turn.dispatch(event)
    return turn.outcome()


class Turn(Answering, Asking):
    """Dispatch, commands and the life of a session: start, pause, resume, skip, back, finish."""

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
            self.on_text(event.text, event.looks_like)

    def on_action(self, raw: str) -> None:
        value, _, mark = raw.partition("@")
        kind, _, arg = value.partition(":")
        if kind == "offer":
            self.on_offer(arg)
            return
        # The question put again after a switch keeps the taken offer for the turn's export.
        self.drop_offer(taken_too=value != "cmd:carry_on")
        if kind == "start":  # "start:post_visit" or, from a reminder, "start:post_visit:HX-2291"
            model_id, _, case_ref = arg.partition(":")
            self.start(model_id or None, case_ref or None)
            return
        if kind == "resume" and arg:
            self.request_resume(arg)
            return
        if kind == "confirm":
            self.on_text({"cancel": "yes", "items": "yes"}.get(arg, "no"))
            return
        if kind == "roles" and self.session is not None:
            self.active.identifier_answer = int(arg) if arg.isdigit() else None
            self.use_roles()
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

    def on_text(self, raw: str, looks_like: LooksLike | None = None) -> None:
        self.drop_offer()  # an offer lasts for the next message only
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
        if session is not None and session.identifier_answer is not None and _USE_ROLES.match(text):
            self.use_roles()
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
            self.say("still_preparing", drafting=session.awaiting == "ai_summary")
            return
        assert step is not None
        step_kind = kind_for(step)
        if session.awaiting == "confirm_items":
            step_kind.on_confirm(self, step, text)
            return
        if session.pending_followup is not None:
            self.answer_followup(step, step_kind, text)
            return
        assert session.cursor is not None
        before = (session.cursor.model_copy(), len(session.history), len(session.answers))
        step_kind.on_text(self, step, text)
        if looks_like is not None:
            self.offer_command(looks_like, text, *before)

    # ------------------------------------------------------------ an answer that was a command?

    def offer_command(self, looks_like: LooksLike, text: str, cursor: Cursor, history: int, had: int) -> None:
        """The words, filed as the answer, read whole as a command: say so in one line before
        the next question, with how to make them that command instead (router rule 5)."""
        session = self.active
        filed = [
            a
            for a in session.answers[had:]
            if a.text == text
            and not a.superseded
            and a.followup is None
            and a.field not in ("comment", "correction")
        ]
        if (
            not filed
            or session.status != "in_progress"
            or session.cursor is None
            or session.awaiting not in (None, "confirm_items")
        ):
            return  # not filed as the answer as typed, or something else now waits on it
        session.offer = Offer(
            route=looks_like.route, what=looks_like.what, seq=filed[0].seq, cursor=cursor, history=history
        )
        self.touch(session)
        line = Reply(
            template="chat/offer_command.j2",
            vars={
                **looks_like.vars,
                "what": looks_like.what,
                "step_title": self.model.step(cursor.step_id).title,
            },
            kind="info",
            buttons=(
                ReplyButton(f"labels:offer_{looks_like.what}", "offer:switch", "primary"),
                ReplyButton("labels:offer_keep", "offer:keep"),
            ),
        )
        at = next(
            (
                i
                for i in range(len(self.replies) - 1, -1, -1)
                if self.replies[i].kind in ("prompt", "confirm", "followup")
            ),
            len(self.replies),
        )
        self.replies.insert(at, line)

    def drop_offer(self, taken_too: bool = True) -> None:
        session = self.session
        if session is not None and session.offer is not None and (taken_too or not session.offer.taken):
            session.offer = None
            self.touch(session)

    def on_offer(self, arg: str) -> None:
        """ "offer:switch": the words were the command. They are set aside (kept, flagged, out of
        the note) and the session is back at the question they were filed under; the service
        carries the command out and puts that question again. "offer:keep": they were the
        answer; the reflection goes on where it is."""
        session = self.session
        offer = session.offer if session is not None else None
        if session is None or offer is None or offer.taken:
            self.say("offer_gone", kind="warning")
            self.put_again()
            return
        if arg != "switch":
            session.offer = None
            self.touch(session)
            self.say("offer_kept", what=offer.what)
            self.put_again()
            return
        step = self.model.step(offer.cursor.step_id)
        session.cursor = offer.cursor.model_copy()
        session.history = session.history[: offer.history]
        session.pending_followup = None
        session.pending_item = None
        session.awaiting = None
        self.supersede(step, session.cursor)
        session.supersede({offer.seq})
        if session.identifier_answer == offer.seq:
            session.identifier_answer = None
        session.offer = offer.model_copy(update={"taken": True})
        self.touch(session)
        self.say("offer_taken", what=offer.what, step_title=step.title)

    def put_again(self) -> None:
        """Where the reflection is, put again: the question, or the read-back waiting on it."""
        session = self.session
        if session is None or session.cursor is None or session.pending_followup is not None:
            return
        if session.awaiting == "confirm_items":
            step, step_kind = self.step_and_kind()
            step_kind.read_back(self, step)
        elif session.awaiting is None:
            self.ask()

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

    def skip(self) -> None:
        session = self.active
        step = self.current_step()
        assert step is not None and session.cursor is not None
        if session.awaiting == "confirm_items":
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
        if session.pending_followup is not None or session.awaiting == "confirm_items":
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


_USE_ROLES = re.compile(
    r"^\s*(?:ok\s+|yes\s+|yeah\s+|please\s+)?(?:use|put)\s+(?:the\s+)?roles?(?:\s+instead)?(?:\s+please|\s+pls)?\s*[.!]*\s*$"
    r"|^\s*replace\s+(?:the\s+)?(?:names?|them|it|identifiers?)(?:\s+with\s+roles?)?(?:\s+please|\s+pls)?\s*[.!]*\s*$",
    re.IGNORECASE,
)


def _paused_choice(n: int, title: str, case_ref: str | None) -> Choice:
    label = f"{title} {case_ref}" if case_ref else title
    return Choice(value=str(n), label=label)
