"""Follow-ups that fire only when they help: the vague-answer follow-up, the "no words from the
child" follow-up, and whether an answer is about a baby or a child without words yet (the
follow-up's wording adapts). `expected` names the follow-up (or "baby") when it should apply,
None when it must not.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import yaml

from bot.engine.signals.followups import mentions_baby_or_preverbal, no_child_words, vague_words
from tests.corpus.framework import Result

CATEGORY = "follow-ups"
TARGET_RECALL = 0.95
TARGET_PRECISION = 0.95

CORPUS = Path(__file__).with_name("followups.yaml")

# (kind, the group that should fire, the test)
KINDS: dict[str, tuple[str, Callable[[str], bool]]] = {
    "vague": ("vague", lambda text: bool(vague_words(text))),
    "no_child_words": ("none", no_child_words),
    "baby": ("baby", mentions_baby_or_preverbal),
}


def cases() -> Iterator[tuple[str, str, bool]]:
    data = yaml.safe_load(CORPUS.read_text())
    for kind, groups in data.items():
        firing, _ = KINDS[kind]
        for group, texts in groups.items():
            for text in texts:
                yield kind, str(text), group == firing


def results() -> Iterator[Result]:
    for kind, text, fires in cases():
        _, test = KINDS[kind]
        yield Result(
            CATEGORY,
            text,
            expected=kind if fires else None,
            got=kind if test(text) else None,
            subcategory=kind,
        )
