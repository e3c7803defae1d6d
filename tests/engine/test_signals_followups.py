"""Follow-ups that fire only when they help, and the "no words" follow-up adapted for a baby."""

from __future__ import annotations

import pytest

from bot.engine.signals.followups import mentions_baby_or_preverbal, no_child_words, vague_words
from bot.wording import make_environment


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pretty bad", ["pretty bad"]),
        ("Fine.", ["fine"]),
        ("It was a bit chaotic really", ["chaotic"]),
        ("good visit, mum engaged well", ["good"]),
        ("not great tbh", ["not great"]),
        ("Poor lighting, one bulb for the whole flat, mould on every window", []),
        ('mum said "it\'s fine"', []),
        ("mum said it was fine", []),
        ("messy but food in the cupboards and clean sheets on the beds", []),
        ("hard to describe, it felt like walking on eggshells, everyone watching dad", []),
        ("", []),
    ],
)
def test_vague_only_when_the_answer_as_a_whole_is(text: str, expected: list[str]) -> None:
    assert vague_words(text) == expected


@pytest.mark.parametrize(
    ("text", "none"),
    [
        ("nothing", True),
        ("didnt really say anything, kept looking at mum", True),
        ("not spoken to them yet", True),
        ("n/a", True),
        ("tracked my face, smiled at mum's voice", False),
        ("shes 4 months, smiled and grabbed my finger", False),
        ("non verbal, signed 'more' and 'home' with makaton", False),
        ('she said "I make my own tea"', False),
        ("ok", False),  # a reply to the bot, not an answer about the child
    ],
)
def test_no_child_words(text: str, none: bool) -> None:
    assert no_child_words(text) is none


@pytest.mark.parametrize(
    ("text", "baby"),
    [
        ("shes 4 months", True),
        ("the baby", True),
        ("18 month old", True),
        ("non verbal", True),
        ("he's 9 weeks old", True),
        ("she's 9 and chatty", False),
        ("didn't say anything, kept looking at mum", False),
    ],
)
def test_mentions_baby_or_preverbal(text: str, baby: bool) -> None:
    assert mentions_baby_or_preverbal(text) is baby


def test_the_no_words_follow_up_has_a_baby_variant() -> None:
    template = make_environment().get_template("followups/no_child_words.j2")
    for_baby = template.render(baby=True, seen_alone="yes")
    assert "a baby speaks without words" in for_baby
    assert "in how they looked, played" not in for_baby
    for_child = template.render(seen_alone="yes")  # `baby` not given: the child's wording
    assert "a baby speaks" not in for_child and "You did see them on their own" in for_child
    assert "a baby speaks" not in template.render(baby=False, seen_alone="no")
