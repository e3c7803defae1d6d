"""The quality indicators, read from the words: each labelled answer counts as evidence or not.

Each case calls the text function the indicator uses (bot.engine.signals.substance, and for
actions the same parse and test `bot.records.quality` applies), so the figures are the note's.
`expected` is the indicator's name when the answer counts, None when it must not.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import yaml

from bot.engine.signals.substance import (
    child_voice,
    is_non_answer,
    is_real_challenge,
    names_something,
    records_parent_view,
)
from bot.engine.state import ActionItem
from bot.engine.understand.actions import parse_action
from bot.records.quality import action_has_owner_and_date
from tests.corpus.framework import Result

CATEGORY = "indicators"
TARGET_RECALL = 0.95
TARGET_PRECISION = 0.95

CORPORA = sorted(Path(__file__).parent.glob("indicators*.yaml"))
NOW = datetime(2026, 11, 2, 14, 30, tzinfo=UTC)  # a Monday


def _action(text: str) -> bool:
    what, who, due, due_text = parse_action(text, NOW)
    item = ActionItem(id="a1", case_ref=None, what=what, who=who, due=due, due_text=due_text, session_id="s1")
    return action_has_owner_and_date(item)


READERS: dict[str, Callable[[str], bool]] = {
    "child_own_words": lambda text: child_voice(text) is not None,
    "parent_view": records_parent_view,
    "challenge_to_leading": is_real_challenge,
    "strength": names_something,
    "uncertainty_named": names_something,
    "two_hypotheses": lambda text: not is_non_answer(text),
    "action_with_owner_and_date": _action,
}


def cases() -> Iterator[tuple[str, str, bool]]:
    for corpus in CORPORA:
        data = yaml.safe_load(corpus.read_text())
        for indicator, groups in data.items():
            for text in groups.get("counts", []):
                yield indicator, str(text), True
            for text in groups.get("does_not_count", []):
                yield indicator, str(text), False


def results() -> Iterator[Result]:
    for indicator, text, counts in cases():
        got = READERS[indicator](text)
        yield Result(
            CATEGORY,
            text,
            expected=indicator if counts else None,
            got=indicator if got else None,
            subcategory=indicator,
        )
