"""Hypotheses: several explanations in one message, split, de-duplicated and read back.

"1) mum's depression is back 2) dad is back and she's hiding it" holds two; "could be money
or could be the new partner" holds two. The worker sees the list and confirms or corrects it
("drop 2", "change 1 to ...", or simply another explanation) before the evidence questions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.engine.flow import session_hypotheses
from bot.engine.kinds.base import StepKind
from bot.engine.state import Hypothesis
from bot.engine.understand import items
from bot.engine.understand.corrections import Correction
from supervision_models.schema import Step

if TYPE_CHECKING:
    from bot.engine.turn_base import TurnBase


class HypothesesKind(StepKind):
    reads_back = True

    def on_text(self, turn: TurnBase, step: Step, text: str) -> None:
        turn.record(text)
        self.add(turn, step, items.split_hypotheses(text))
        turn.after_answer(step, text)

    def on_followup_text(self, turn: TurnBase, step: Step, rule: str, text: str) -> None:
        if rule == "single_hypothesis":
            self.add(turn, step, items.split_hypotheses(text))

    def add(self, turn: TurnBase, step: Step, statements: list[str]) -> None:
        session = turn.active
        held = [h.statement for h in session_hypotheses(session)]
        fresh = items.unique_items(statements, held)
        repeated = [statement for statement in statements if statement not in fresh]
        if repeated:
            turn.say("already_listed", items=repeated)
        for statement in fresh:
            session.hypotheses.append(
                Hypothesis(
                    id=f"{session.id}:h{len(session.hypotheses) + 1}",
                    case_ref=session.case_ref,
                    statement=statement,
                    session_id=session.id,
                    step_id=step.id,
                )
            )
        turn.touch(session)

    def read_back(self, turn: TurnBase, step: Step) -> None:
        held = session_hypotheses(turn.active)
        turn.read_back(
            "chat/readback_hypotheses.j2",
            step,
            hypotheses=[{"n": n, "statement": h.statement} for n, h in enumerate(held, start=1)],
        )

    def on_confirm(self, turn: TurnBase, step: Step, text: str) -> None:
        turn.confirm_or_correct(
            step,
            text,
            self.correct,
            lambda more: self.add(turn, step, items.split_hypotheses(more)),
            [h.statement for h in session_hypotheses(turn.active)],
        )

    def correct(self, turn: TurnBase, step: Step, change: Correction) -> bool:
        held = session_hypotheses(turn.active)
        if change.op == "add":
            self.add(turn, step, items.split_hypotheses(change.value))
            return True
        if change.index is None or not 1 <= change.index <= len(held):
            return False
        target = held[change.index - 1]
        if change.op == "drop":
            turn.active.hypotheses = [h for h in turn.active.hypotheses if h.id != target.id]
        elif change.op in ("replace", "set") and change.value:
            target.statement = change.value
        else:
            return False
        return True
