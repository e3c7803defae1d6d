"""Asking: how a question is put to the worker (its values, options and buttons), and
where the conversation goes after an answer."""

from __future__ import annotations

from typing import Any

from bot.engine.flow import carried_hypotheses, carried_open_actions, next_position, session_hypotheses, token
from bot.engine.kinds.summary import SummaryKind
from bot.engine.outcome import Reply, ReplyButton
from bot.engine.state import ActionItem
from bot.engine.timefmt import ago
from bot.engine.turn_base import TurnBase
from bot.engine.understand.hypothesis_kinds import classify_hypothesis


class Asking(TurnBase):
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
