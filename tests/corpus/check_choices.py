"""Choice questions answered in words (tests/corpus/choices.yaml).

Each row names the step it answers (`model.step`), or gives its own `options` (labels, as
the engine passes the leading-hypothesis options), and what it must be read as: `value`,
`tie` (the options it is torn between) or `none: true` (nothing clear: ask again).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from bot.engine.understand.choices import read_choice
from supervision_models.registry import default_registry
from supervision_models.schema import Choice
from tests.corpus.framework import Result

CATEGORY = "choices"
TARGET_RECALL = 1.0
TARGET_PRECISION = 1.0
DATA = Path(__file__).with_name("choices.yaml")


def _options(row: dict[str, Any]) -> tuple[Choice, ...]:
    if "options" in row:
        return tuple(Choice(value=f"h{i + 1}", label=label) for i, label in enumerate(row["options"]))
    model_id, step_id = row["step"].split(".")
    return default_registry().get(model_id).step(step_id).choices


def expected(row: dict[str, Any]) -> Any:
    if "tie" in row:
        return ("tie", tuple(row["tie"]))
    if row.get("none"):
        return None
    return row["value"]


def read(text: str, options: tuple[Choice, ...]) -> Any:
    reading = read_choice(text, options)
    if reading.value is not None:
        return reading.value
    if reading.candidates:
        return ("tie", reading.candidates)
    return None


def results() -> Iterable[Result]:
    rows = yaml.safe_load(DATA.read_text())
    for row in rows:
        options = _options(row)
        step = row.get("step", "leading")
        yield Result(
            CATEGORY, f"[{step}] {row['text']}", expected(row), read(str(row["text"]), options), step
        )
