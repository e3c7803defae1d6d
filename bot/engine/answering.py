"""Answering: what happens to an answer once its kind has read it: it is recorded (a new
version when the worker went back), read for immediate risk and identifiers, followed up when
practice calls for it, and read back for the worker to confirm or correct."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from bot.engine.commands import read_confirm
from bot.engine.flow import carried_hypotheses, carried_open_actions, session_hypotheses, token
from bot.engine.kinds import StepKind, kind_for
from bot.engine.outcome import LoadCaseHistory, Reply, ReplyButton
from bot.engine.signals import followups, identifiers, risk
from bot.engine.state import Answer, CaseHistory, Cursor
from bot.engine.turn_base import TurnBase
from bot.engine.understand.corrections import Correction, read_corrections
from supervision_models.schema import Step


class Answering(TurnBase):
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
        session.supersede(
            {
                answer.seq
                for answer in session.answers
                if (
                    answer.step_id == step.id
                    and answer.item_id == item_id
                    and answer.field in (cursor.field, "comment", "correction")
                )
                or (answer.item_id is not None and answer.item_id in removed)
            }
        )
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

    def after_answer(self, step: Step, text: str) -> None:
        """Every free-text answer is read for immediate risk and for identifiers."""
        session = self.active
        hits = identifiers.find_identifiers(text)
        if self.risk_alert(text, hits):
            return
        if hits:
            # Said at once, without stopping the reflection: the next message is the next
            # answer, and "use roles" (or the button) replaces them in this one at any point.
            session.identifiers_warned = True
            session.identifier_answer = session.answers[-1].seq if session.answers else None
            self.touch(session)
            self.say_with(
                (ReplyButton("labels:replace_roles", f"roles:{session.identifier_answer}", "primary"),),
                "identifiers_warning",
                kind="warning",
                kinds=_kinds(hits),
                first_time=True,
                offer=True,
                suggestion=identifiers.replace_with_roles(text, hits),
            )
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

    def use_roles(self) -> None:
        """ "use roles": the flagged answer gets a new version with roles for its identifiers."""
        session = self.active
        answer = next(
            (a for a in session.answers if a.seq == session.identifier_answer and not a.superseded), None
        )
        session.identifier_answer = None
        self.touch(session)
        if answer is None:
            self.say("identifiers_nothing_to_replace")
        else:
            self.replace_identifiers(answer)
            self.say("identifiers_replaced", step_title=self.model.step(answer.step_id).title)
        if session.cursor is not None and session.awaiting is None:
            self.ask()

    def replace_identifiers(self, answer: Answer) -> None:
        """A new version of the answer with roles for identifiers; the original stays superseded."""
        session = self.active
        replaced = identifiers.replace_with_roles(answer.text, identifiers.find_identifiers(answer.text))
        session.supersede({answer.seq})
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
        return any(
            followups.mentions_baby_or_preverbal(a.text) for a in self.active.live_answers() if not a.private
        )

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
        correct: Callable[[TurnBase, Step, Correction], bool],
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


def _kinds(hits: list[identifiers.IdentifierHit]) -> list[str]:
    return sorted({h.kind for h in hits})
