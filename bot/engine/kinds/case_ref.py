"""The case reference: pseudonymous, one canonical form so every spelling finds the same case."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.engine.kinds.base import StepKind
from bot.engine.understand import case_refs
from supervision_models.schema import Step

if TYPE_CHECKING:
    from bot.engine.turn_base import TurnBase


class CaseRefKind(StepKind):
    def on_text(self, turn: TurnBase, step: Step, text: str) -> None:
        problem = case_refs.case_ref_problem(text)
        if problem is not None:
            # Deliberately not stored: it may be a name or an identifier.
            turn.say("case_ref_problem", kind="warning", problem=problem)
            turn.ask()
            return
        reference = case_refs.normalise_case_ref(text)
        turn.record(reference)
        turn.accept_case_ref(reference)
