"""The immediate-risk boundary: disclosures must prompt, near-misses must not.

`expected` is "prompt" for a disclosure and None for a near-miss, so the table's recall is the
share of disclosures that prompt and its false-alarm figure the share of near-misses that do.
The category the bot names is kept as the subcategory (shown when a case is got wrong).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import yaml

from bot.engine.signals.risk import risk_signal
from tests.corpus.framework import Result

CATEGORY = "risk boundary"
TARGET_RECALL = 0.98
TARGET_PRECISION = 0.97
TARGET_FALSE_ALARMS = 0.03  # of the near-misses, at most this share may prompt

CORPUS = Path(__file__).with_name("risk.yaml")


def cases() -> Iterator[tuple[str, str, bool]]:
    """(group, text, is a disclosure) for every case in the corpus."""
    data = yaml.safe_load(CORPUS.read_text())
    for group, texts in data["disclosures"].items():
        for text in texts:
            yield group, str(text), True
    for group, texts in data["near_misses"].items():
        for text in texts:
            yield group, str(text), False


def results() -> Iterator[Result]:
    for group, text, disclosure in cases():
        signal = risk_signal(text)
        yield Result(
            CATEGORY,
            text,
            expected="prompt" if disclosure else None,
            got="prompt" if signal else None,
            subcategory=f"{group} -> {signal.category}: {signal.phrase!r}" if signal else group,
        )
