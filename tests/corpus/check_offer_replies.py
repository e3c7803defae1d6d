"""Replies to the read-back after a whole command was typed at a free-text question ("I kept
that as your answer; it could be a reminder instead"): switch to the command, keep the
answer, or neither, an ordinary answer to the next question (tests/corpus/offer_replies.yaml).
What the router reads, through `bot/engine/understand/offer_replies.py`."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import yaml

from bot.engine.understand.offer_replies import read_offer_reply
from tests.corpus.framework import Result

CATEGORY = "switch or keep"
TARGET_RECALL = 1.0
TARGET_PRECISION = 1.0
TARGET_FALSE_ALARMS = 0.0
DATA = Path(__file__).with_name("offer_replies.yaml")


def results() -> Iterable[Result]:
    for row in yaml.safe_load(DATA.read_text()):
        offer = str(row["offer"])
        text = str(row["text"])
        expected = row["expected"]
        yield Result(CATEGORY, f"[{offer}] {text}", expected, read_offer_reply(text, offer), str(expected))
