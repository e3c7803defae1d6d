"""The risk reader asks RE2 which of its patterns may match before searching them with `re`.
That must never hide a match: for every text of every corpus, and for the same texts with the
characters where the two engines differ (accented names, other scripts' digits, unusual
spaces, a trailing newline), every pattern that matches is among RE2's candidates, and the
risk reader's answer is the same as searching every pattern."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.engine.signals import risk
from bot.engine.signals.prefilter import PatternSet, without_lookarounds

CORPORA = Path(__file__).parents[1] / "corpus"


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _texts() -> list[str]:
    texts: dict[str, None] = {}
    for path in sorted(CORPORA.glob("*.yaml")):
        for text in _strings(yaml.safe_load(path.read_text())):
            texts[text] = None
    return list(texts)


TEXTS = _texts()
RISK_TEXTS = list(dict.fromkeys(_strings(yaml.safe_load((CORPORA / "risk.yaml").read_text()))))
# Where re (Unicode) and RE2 (ASCII classes) could read a text differently.
VARIANTS = (
    lambda t: t.replace(" ", " josé ", 1),
    lambda t: t.replace(" ", "\u00a0"),
    lambda t: t.replace(" ", "\x0b", 2),
    lambda t: t + "\n",
    lambda t: "zoë " + t + " naïve",
    lambda t: t.replace("1", "\u0661").replace("2", "\u0662"),
    lambda t: t.replace("her", "hér", 1),
    lambda t: t + " £20 🙂",
)
PATTERNS = risk._PREFILTERED


def test_every_pattern_is_in_the_set() -> None:
    """A pattern RE2 could not take would be searched every time: the speed would go unseen."""
    assert risk._MAY_MATCH.always == frozenset()
    assert len(PATTERNS) > 150


def test_the_corpora_are_there() -> None:
    assert len(TEXTS) > 3000


def _readings(text: str) -> Iterator[str]:
    normal = risk.normalise(text)
    yield normal
    yield risk._mask(normal)


@pytest.mark.parametrize("variant", range(len(VARIANTS) + 1))
def test_no_match_is_ever_hidden(variant: int) -> None:
    missed: list[tuple[str, str]] = []
    # Every text as it is; a fifth of them in each variant (the suite's time is shared).
    for original in TEXTS if not variant else TEXTS[variant % 5 :: 5]:
        text = VARIANTS[variant - 1](original) if variant else original
        for reading in _readings(text):
            maybe = risk._MAY_MATCH.candidates(reading)
            missed += [
                (reading, p.pattern[:60])
                for i, p in enumerate(PATTERNS)
                if i not in maybe and p.search(reading)
            ]
    assert missed == []


def test_the_answer_is_the_same_as_searching_every_pattern(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = RISK_TEXTS + [variant(text) for text in RISK_TEXTS[::9] for variant in VARIANTS]
    with_set = [risk.risk_signal(text) for text in texts]
    monkeypatch.setattr(risk._MAY_MATCH, "candidates", lambda _text: frozenset(range(len(PATTERNS))))
    assert [risk.risk_signal(text) for text in texts] == with_set
    assert sum(signal is not None for signal in with_set) > 900


def test_the_longest_answer_is_read_to_its_end() -> None:
    """20,000 characters of workers' words (RE2's memory holds), then a disclosure."""
    words = " ".join(TEXTS)
    text = (words * (20_000 // len(words) + 1))[:20_000] + " and then she said dad hit the baby"
    for reading in _readings(text):
        maybe = risk._MAY_MATCH.candidates(reading)
        assert [p.pattern[:60] for i, p in enumerate(PATTERNS) if i not in maybe and p.search(reading)] == []
        tail = reading[-40:]
        assert any(PATTERNS[i].search(tail) for i in maybe)


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"a(?=b)c", "ac"),
        (r"a(?!b(c|d))e", "ae"),
        (r"(?<=x)y(?<!\))", "y"),
        (r"[(?=]x(?=[)])", "[(?=]x"),
        (r"\(?=x", r"\(?=x"),
        (r"(?:(?<=\bher)(?=\s*$)|(?<!\bher))z", "(?:|)z"),
        (r"a(?=(?:b|\)))b", "ab"),
    ],
)
def test_lookarounds_are_removed_and_nothing_else(pattern: str, expected: str) -> None:
    assert without_lookarounds(pattern) == expected
    re.compile(without_lookarounds(pattern))


def test_an_unclosed_lookaround_is_left_for_re2_to_refuse() -> None:
    assert without_lookarounds(r"a(?=b") == r"a(?=b"
    assert PatternSet([re.compile("x")]).always == frozenset()


def test_a_pattern_re2_cannot_read_is_always_a_candidate() -> None:
    backreference = re.compile(r"(a)\1")
    plain = re.compile(r"\bcot\b")
    patterns = PatternSet([backreference, plain])
    assert patterns.always == {0}
    assert patterns.candidates("nothing here") == {0}
    assert patterns.candidates("in the cot") == {0, 1}
