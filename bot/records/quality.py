"""The quality indicators from PRACTICE.md, read from what the words of a session say.

They describe the record, not the worker: "the child's own words recorded", not a score, and
never a ranking. Each indicator is read from the answers' words (bot.engine.signals.substance),
not from which step was answered: "nothing", "n/a", "1" or "not spoken to parents yet" is not
evidence, an action needs a real owner and a real date, a challenge needs a real argument. Each
result carries a plain-words reason (prompts/notes/indicators.yaml) that a note can show.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml

from bot.engine.flow import session_hypotheses
from bot.engine.signals.substance import (
    child_voice,
    is_non_answer,
    is_real_challenge,
    is_real_date_words,
    is_real_owner,
    names_something,
    owner_in_text,
    records_parent_view,
)
from bot.engine.state import ActionItem, Session
from bot.wording import PROMPTS_DIR
from supervision_models.schema import Indicator, ReflectionModel, Step

WORDING_FILE = PROMPTS_DIR / "notes" / "indicators.yaml"


@lru_cache(maxsize=1)
def wording() -> dict[str, Any]:
    with WORDING_FILE.open(encoding="utf-8") as handle:
        loaded: dict[str, Any] = yaml.safe_load(handle)
    return loaded


_NAMES: tuple[Indicator, ...] = (
    "child_own_words",
    "child_seen_alone",
    "two_hypotheses",
    "challenge_to_leading",
    "strength",
    "parent_view",
    "uncertainty_named",
    "action_with_owner_and_date",
)
INDICATOR_LABELS: dict[Indicator, str] = {name: str(wording()[name]["label"]) for name in _NAMES}
ALL_INDICATORS: tuple[Indicator, ...] = tuple(INDICATOR_LABELS)


@dataclass(frozen=True)
class IndicatorResult:
    name: Indicator
    label: str
    present: bool
    reason: str = ""  # why it is ticked or not, in plain words


@dataclass(frozen=True)
class _Reading:
    present: bool
    key: str
    values: tuple[tuple[str, object], ...] = ()


def reason_for(name: Indicator, present: bool, key: str, **values: object) -> str:
    """The plain-words reason for an indicator, from prompts/notes/indicators.yaml."""
    text: str = wording()[name]["present" if present else "absent"][key]
    return text.format(**values)


def indicators(session: Session, model: ReflectionModel) -> list[IndicatorResult]:
    """Each indicator the model's steps can evidence, whether this session's words do, and why."""
    results: list[IndicatorResult] = []
    for name in ALL_INDICATORS:
        steps = [s for s in model.steps if name in s.indicators]
        if not steps:
            continue
        reading = _read(name, session, steps)
        results.append(
            IndicatorResult(
                name,
                INDICATOR_LABELS[name],
                reading.present,
                reason_for(name, reading.present, reading.key, **dict(reading.values)),
            )
        )
    return results


def _texts(session: Session, steps: list[Step]) -> list[str]:
    """Every answer to these steps, follow-up answers included (they are the worker's words too)."""
    texts: list[str] = []
    for step in steps:
        texts.extend(a.text for a in session.live_answers(step.id) if a.field != "comment" and a.text.strip())
    return texts


def action_has_owner_and_date(action: ActionItem) -> bool:
    """A real owner ("me", "TM", "HV"; or "I'll..." in the action itself) and a real date."""
    who_is_a_date = is_real_date_words(action.who)
    owner = (is_real_owner(action.who) and not who_is_a_date) or owner_in_text(action.what)
    # "asap" is read as today for a reminder, but it is no date a plan can be held to.
    vague = bool(action.due_text) and (
        is_non_answer(action.due_text or "")
        or _NOT_A_DATE.fullmatch((action.due_text or "").strip().lower()) is not None
    )
    parsed = action.due is not None and not vague
    in_words = any(is_real_date_words(words) for words in (action.due_text, action.what)) or who_is_a_date
    return owner and (parsed or in_words)


_NOT_A_DATE = re.compile(
    r"\W*(?:by\s+)?(?:asap|a\.s\.a\.p\.?|as soon as (?:possible|poss)|soon|tbc|tba|tbd|when possible)\W*"
)


def _read(name: Indicator, session: Session, steps: list[Step]) -> _Reading:
    if name == "two_hypotheses":
        count = sum(1 for h in session_hypotheses(session) if not is_non_answer(h.statement))
        if count >= 2:
            return _Reading(True, "count", (("count", count),))
        return _Reading(False, "one" if count == 1 else "nothing")
    if name == "action_with_owner_and_date":
        total = len(session.actions)
        complete = sum(1 for a in session.actions if action_has_owner_and_date(a))
        if complete:
            return _Reading(True, "both", (("count", complete), ("total", total)))
        return _Reading(False, "missing" if total else "nothing", (("total", total),))
    choice_steps = [s for s in steps if s.indicator_values]
    if choice_steps:
        for step in choice_steps:
            chosen = session.choices.get(step.id)
            if chosen in step.indicator_values:
                return _Reading(True, "chosen")
            if chosen is not None:
                return _Reading(False, "not_seen" if chosen == "not_seen" else "not_alone")
        return _Reading(False, "nothing")
    texts = _texts(session, steps)
    if not texts:
        return _Reading(False, "nothing")
    if name == "child_own_words":
        voices = [child_voice(t) for t in texts]
        if "words" in voices:
            return _Reading(True, "words")
        if "shown" in voices:
            return _Reading(True, "shown")
        return _Reading(False, "non_answer" if all(is_non_answer(t) for t in texts) else "observation")
    if name == "challenge_to_leading":
        return (
            _Reading(True, "argument")
            if any(is_real_challenge(t) for t in texts)
            else _Reading(False, "non_answer")
        )
    if name == "parent_view":
        return (
            _Reading(True, "view")
            if any(records_parent_view(t) for t in texts)
            else _Reading(False, "non_answer")
        )
    # strength, uncertainty_named: the answer names something.
    return (
        _Reading(True, "named") if any(names_something(t) for t in texts) else _Reading(False, "non_answer")
    )
