"""Evidence: for and against each hypothesis, and a pledge review's labelled pieces."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.engine.kinds.base import StepKind
from bot.engine.understand import evidence
from supervision_models.schema import Step

if TYPE_CHECKING:
    from bot.engine.turn_base import TurnBase


class HypothesisEvidenceKind(StepKind):
    """One question per hypothesis and side: what supports it, what doesn't fit."""

    def on_text(self, turn: TurnBase, step: Step, text: str) -> None:
        item_id = turn.item_id_at()
        turn.record(text, item_id=item_id)
        cursor = turn.active.cursor
        for hypothesis in turn.active.hypotheses:
            if hypothesis.id == item_id and cursor is not None:
                if cursor.field == "for":
                    hypothesis.evidence_for = _joined(hypothesis.evidence_for, text)
                else:
                    hypothesis.evidence_against = _joined(hypothesis.evidence_against, text)
        turn.after_answer(step, text)


class PledgeEvidenceKind(StepKind):
    """Each piece labelled by its source (SR, SUR, MR, CR), read from labels or from who said it."""

    def on_text(self, turn: TurnBase, step: Step, text: str) -> None:
        turn.record(text)
        pieces = evidence.parse_evidence_items(text)
        turn.active.evidence.extend(pieces)
        turn.touch(turn.active)
        turn.say("evidence_noted", pieces=[{"source": p.source, "text": p.text} for p in pieces])
        turn.after_answer(step, text)


def _joined(before: str | None, text: str) -> str:
    return text if not before else f"{before}\n{text}"
