"""Actions read into what / who / by when, and answers to "who and by when?"
(tests/corpus/dates_owners.yaml). `now` is the moment the worker typed (default: Monday
2 November 2026, 14:30); `due` is an ISO date or null; `due_text` is checked when given."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import yaml

from bot.engine.understand.actions import parse_action, parse_who_when
from tests.corpus.framework import Result

CATEGORY = "dates and owners"
TARGET_RECALL = 1.0
TARGET_PRECISION = 1.0
DATA = Path(__file__).with_name("dates_owners.yaml")
DEFAULT_NOW = "2026-11-02 14:30"  # a Monday


def _now(row: dict[str, Any]) -> datetime:
    return datetime.strptime(str(row.get("now", DEFAULT_NOW)), "%Y-%m-%d %H:%M").replace(tzinfo=UTC)


def _due(value: Any) -> date | None:
    if value is None:
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def results() -> Iterable[Result]:
    for row in yaml.safe_load(DATA.read_text()):
        now = _now(row)
        text = str(row["text"])
        if row.get("kind") == "who_when":
            who, due, due_text = parse_who_when(text, now)
            got: tuple[Any, ...] = (who, due)
            want: tuple[Any, ...] = (row["who"], _due(row["due"]))
        else:
            action = parse_action(text, now)
            got = (action.what, action.who, action.due)
            want = (row["what"], row["who"], _due(row["due"]))
            due_text = action.due_text
        if "due_text" in row:
            got = (*got, due_text)
            want = (*want, row["due_text"])
        yield Result(CATEGORY, f"{text} (now {now:%a %d %b})", want, got, row.get("kind", "action"))
