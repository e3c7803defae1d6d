"""Choices about items: the leading hypothesis, and last time's hypotheses and actions.

The worker's words beyond the choice ("more likely, EPDS 14 and a missed clinic") are kept as
their reason, against the item they are about.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.engine.flow import session_hypotheses
from bot.engine.kinds.choice import ChoiceKind
from supervision_models.schema import Choice, Step

if TYPE_CHECKING:
    from bot.engine.turn import Turn


class LeadingKind(ChoiceKind):
    """Which of the worker's hypotheses seems most likely now; the options are their own words."""

    def options(self, turn: Turn, step: Step) -> tuple[Choice, ...]:
        return tuple(
            Choice(value=str(n), label=_short(h.statement))
            for n, h in enumerate(session_hypotheses(turn.active), start=1)
        )

    def apply(self, turn: Turn, step: Step, value: str, item_id: str | None) -> None:
        for n, hypothesis in enumerate(session_hypotheses(turn.active), start=1):
            hypothesis.status = "leading" if str(n) == value else "open"


class ReviewHypothesesKind(ChoiceKind):
    def apply(self, turn: Turn, step: Step, value: str, item_id: str | None) -> None:
        if item_id is not None:
            turn.active.hypothesis_updates[item_id] = value  # type: ignore[assignment]


class ReviewActionsKind(ChoiceKind):
    def apply(self, turn: Turn, step: Step, value: str, item_id: str | None) -> None:
        if item_id is not None:
            turn.active.action_updates[item_id] = value  # type: ignore[assignment]


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
