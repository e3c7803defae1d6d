"""What workers type at a read-back (tests/corpus/corrections.yaml): corrections to the
items read back, requests to edit a finished note, and which earlier items to keep.

- kind corrections (default): `expected` is a list of [op, index, field, value], [] when the
  text is a fresh answer; `items` are the items read back (default: three actions);
- kind edit: the step id asked for (the steps of a first post-visit note, in order), or null;
- kind keep: the numbers kept out of `count` (default 3), or null.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from bot.engine.understand.corrections import read_corrections, read_edit_request, read_keep
from supervision_models.registry import default_registry
from tests.corpus.framework import Result

CATEGORY = "corrections"
TARGET_RECALL = 1.0
TARGET_PRECISION = 1.0
DATA = Path(__file__).with_name("corrections.yaml")
ITEMS = ("strategy discussion", "child protection medical", "check household members")


# The steps a first post-visit note shows, in order (no earlier history, no AI).
NOTE_STEPS = [
    "case_ref",
    "visit_type",
    "senses",
    "child_day",
    "seen_alone",
    "child_words",
    "feelings",
    "functional_anxiety",
    "worry_sorting",
    "support",
    "hypotheses",
    "hypothesis_evidence",
    "leading",
    "devils_advocate",
    "strengths",
    "parent_view",
    "worries",
    "classification",
    "actions",
    "share_feelings",
]


def _steps() -> list[tuple[str, str]]:
    model = default_registry().get("post_visit")
    return [(step_id, model.step(step_id).title) for step_id in NOTE_STEPS]


def read(row: dict[str, Any]) -> Any:
    kind = row.get("kind", "corrections")
    text = str(row["text"])
    if kind == "edit":
        return read_edit_request(text, _steps())
    if kind == "keep":
        return read_keep(text, int(row.get("count", 3)))
    found = read_corrections(text, tuple(row.get("items", ITEMS)))
    return [[c.op, c.index, c.field, c.value] for c in found]


def _expected(row: dict[str, Any]) -> Any:
    expected = row["expected"]
    if row.get("kind", "corrections") == "corrections":
        pad: list[Any] = [None, None, None, ""]
        return [[*e, *pad[len(e) :]] for e in expected]
    return expected


def results() -> Iterable[Result]:
    for row in yaml.safe_load(DATA.read_text()):
        kind = row.get("kind", "corrections")
        got = read(row)
        want = _expected(row)
        if kind == "corrections" and want == [] and got == []:
            got = want = None  # a fresh answer, rightly not read as a correction
        elif kind == "corrections" and got == []:
            got = None
        yield Result(CATEGORY, f"[{kind}] {row['text']}", want, got, kind)
