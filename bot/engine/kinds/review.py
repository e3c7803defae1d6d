"""Choices about items: the leading hypothesis, and last time's hypotheses and actions.

The worker's words beyond the choice ("more likely, EPDS 14 and a missed clinic") are kept as
their reason, against the item they are about.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.engine.flow import carried_hypotheses, session_hypotheses
from bot.engine.kinds.choice import ChoiceKind
from bot.engine.understand import choices
from bot.engine.understand.corrections import read_keep
from supervision_models.schema import Choice, Step

if TYPE_CHECKING:
    from bot.engine.turn_base import TurnBase

_KEEP_WORDS = re.compile(r"\b(keep|kept|all|both|none|neither|drop|from last time)\b", re.IGNORECASE)


class LeadingKind(ChoiceKind):
    """Which of the worker's hypotheses seems most likely now; the options are their own words."""

    def options(self, turn: TurnBase, step: Step) -> tuple[Choice, ...]:
        return tuple(
            Choice(value=str(n), label=_short(h.statement))
            for n, h in enumerate(session_hypotheses(turn.active), start=1)
        )

    def apply(self, turn: TurnBase, step: Step, value: str, item_id: str | None) -> None:
        for n, hypothesis in enumerate(session_hypotheses(turn.active), start=1):
            hypothesis.status = "leading" if str(n) == value else "open"


class ReviewHypothesesKind(ChoiceKind):
    """One question per carried hypothesis; "keep 2 and 3 from last time" answers them all."""

    def on_text(self, turn: TurnBase, step: Step, text: str) -> None:
        carried = carried_hypotheses(turn.active)
        if len(carried) > 1 and choices.read_choice(text, self.options(turn, step)).value is None:
            kept = read_keep(text, len(carried)) if _KEEP_WORDS.search(text) else None
            if kept is not None:
                self.keep_by_number(turn, step, text, kept, len(carried))
                return
        super().on_text(turn, step, text)

    def keep_by_number(self, turn: TurnBase, step: Step, text: str, kept: list[int], count: int) -> None:
        session = turn.active
        assert session.cursor is not None
        turn.record(text, field="comment")
        for n, hypothesis in enumerate(carried_hypotheses(session), start=1):
            value = "same" if n in kept else "set_aside"
            session.hypothesis_updates[hypothesis.id] = value  # type: ignore[assignment]
            session.choices[f"{step.id}:{hypothesis.id}"] = value
        session.held_text = None
        session.cursor = session.cursor.model_copy(update={"item": count - 1})
        turn.say("kept_by_number", kept=kept, count=count)
        turn.advance()

    def apply(self, turn: TurnBase, step: Step, value: str, item_id: str | None) -> None:
        if item_id is not None:
            turn.active.hypothesis_updates[item_id] = value  # type: ignore[assignment]


class ReviewActionsKind(ChoiceKind):
    def apply(self, turn: TurnBase, step: Step, value: str, item_id: str | None) -> None:
        if item_id is not None:
            turn.active.action_updates[item_id] = value  # type: ignore[assignment]


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
