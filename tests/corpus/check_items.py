"""Several items in one message, and the other structured readings of a message
(tests/corpus/items.yaml): `kind` says which reading a row tests.

- items / hypotheses / actions: the list it splits into;
- unique: the items kept (with `existing` already stored);
- evidence: [source, text] per piece;
- case_ref: the canonical form; hypothesis_kind: the kind.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from bot.engine.understand.actions import split_actions
from bot.engine.understand.case_refs import case_ref_problem, normalise_case_ref
from bot.engine.understand.evidence import parse_evidence_items
from bot.engine.understand.hypothesis_kinds import classify_hypothesis
from bot.engine.understand.items import split_hypotheses, split_items, unique_items
from tests.corpus.framework import Result

CATEGORY = "items"
TARGET_RECALL = 1.0
TARGET_PRECISION = 1.0
DATA = Path(__file__).with_name("items.yaml")


def read(row: dict[str, Any]) -> Any:
    kind, text = row["kind"], str(row["text"])
    if kind == "items":
        return split_items(text)
    if kind == "hypotheses":
        return split_hypotheses(text)
    if kind == "actions":
        return split_actions(text)
    if kind == "unique":
        return unique_items(split_items(text), row.get("existing", []))
    if kind == "evidence":
        return [[e.source, e.text] for e in parse_evidence_items(text)]
    if kind == "case_ref":
        return None if case_ref_problem(text) else normalise_case_ref(text)
    if kind == "hypothesis_kind":
        return classify_hypothesis(text)
    raise ValueError(kind)


def results() -> Iterable[Result]:
    for row in yaml.safe_load(DATA.read_text()):
        yield Result(CATEGORY, f"[{row['kind']}] {row['text']}", row["expected"], read(row), row["kind"])
