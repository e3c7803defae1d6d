"""The quality indicators from PRACTICE.md, read from what a session holds.

They describe the record, not the worker: "the child's own words recorded", not a score.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.engine.flow import session_hypotheses
from bot.engine.signals.followups import no_child_words
from bot.engine.state import Session
from supervision_models.schema import Indicator, ReflectionModel, Step

INDICATOR_LABELS: dict[Indicator, str] = {
    "child_own_words": "The child's own words recorded",
    "child_seen_alone": "Child seen alone",
    "two_hypotheses": "At least two hypotheses",
    "challenge_to_leading": "A challenge to the leading hypothesis",
    "strength": "A strength noted",
    "parent_view": "The parent's view recorded",
    "uncertainty_named": "An uncertainty named",
    "action_with_owner_and_date": "An action with an owner and a date",
}
ALL_INDICATORS: tuple[Indicator, ...] = tuple(INDICATOR_LABELS)


@dataclass(frozen=True)
class IndicatorResult:
    name: Indicator
    label: str
    present: bool


def indicators(session: Session, model: ReflectionModel) -> list[IndicatorResult]:
    """Each indicator the model's steps can evidence, and whether this session does."""
    results: list[IndicatorResult] = []
    for name in ALL_INDICATORS:
        steps = [s for s in model.steps if name in s.indicators]
        if not steps:
            continue
        results.append(IndicatorResult(name, INDICATOR_LABELS[name], _present(name, session, steps)))
    return results


def _present(name: Indicator, session: Session, steps: list[Step]) -> bool:
    if name == "two_hypotheses":
        return len(session_hypotheses(session)) >= 2
    if name == "action_with_owner_and_date":
        return any(a.who and a.due for a in session.actions)
    for step in steps:
        if step.indicator_values:
            if session.choices.get(step.id) in step.indicator_values:
                return True
            continue
        answers = [a for a in session.live_answers(step.id) if a.followup is None and a.field != "comment"]
        if name == "child_own_words":
            if any(not no_child_words(a.text) for a in answers):
                return True
        elif answers:
            return True
    return False
