"""Advice in group supervision (tests/corpus/contribution_kinds.yaml): what a member says is
read as advice (bot.engine.understand.contribution_kinds) or not. Questions, hypotheses and
challenges are the near-misses: advice must not swallow them."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import yaml

from bot.engine.understand.contribution_kinds import is_advice
from tests.corpus.framework import Result

CATEGORY = "contribution kinds"
TARGET_RECALL = 0.95
TARGET_PRECISION = 0.95
TARGET_FALSE_ALARMS = 0.05
DATA = Path(__file__).with_name("contribution_kinds.yaml")


def results() -> Iterable[Result]:
    for row in yaml.safe_load(DATA.read_text()):
        text = str(row["text"])
        expected = "advice" if row["kind"] == "advice" else None
        got = "advice" if is_advice(text) else None
        yield Result(CATEGORY, text, expected, got, row["kind"])
