"""Shared word handling for the readings: tokens with their place in the typed text, typo
tolerance, negation and filler words. Pure and small; every reading module builds on it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz.distance import OSA

# A word: letters/digits, with an apostrophe inside ("didn't") or "&" ("a&e").
_TOKEN = re.compile(r"[0-9a-z]+(?:['’&][0-9a-z]+)*", re.IGNORECASE)

# Negators, as typed (apostrophes are dropped when tokens are normalised).
NEGATORS = frozenset(
    {
        "not",
        "no",
        "never",
        "nt",
        "wasnt",
        "werent",
        "isnt",
        "arent",
        "didnt",
        "dont",
        "doesnt",
        "hadnt",
        "hasnt",
        "havent",
        "cant",
        "cannot",
        "couldnt",
        "wouldnt",
        "shouldnt",
        "wont",
        "without",
        "nor",
        "neither",
        "aint",
    }
)

# Words that may sit between a negator and what it negates ("wasnt really planned").
NEGATION_GAP = frozenset(
    {"really", "very", "even", "actually", "been", "be", "quite", "properly", "exactly", "so", "too", "a"}
)

# Words that carry no answer of their own: hedges, politeness, text-speak.
FILLERS = frozenset(
    {
        "i",
        "think",
        "guess",
        "suppose",
        "reckon",
        "probably",
        "prob",
        "probs",
        "maybe",
        "perhaps",
        "definitely",
        "def",
        "defo",
        "deffo",
        "defs",
        "certainly",
        "absolutely",
        "honestly",
        "tbh",
        "tbf",
        "lol",
        "haha",
        "ha",
        "pls",
        "plz",
        "please",
        "thanks",
        "ta",
        "thx",
        "it",
        "its",
        "it's",
        "was",
        "is",
        "that",
        "thats",
        "that's",
        "the",
        "a",
        "one",
        "just",
        "um",
        "umm",
        "erm",
        "er",
        "hmm",
        "well",
        "ok",
        "okay",
        "so",
        "yeah",
        "really",
        "very",
        "id",
        "say",
        "go",
        "with",
        "for",
        "mostly",
        "mainly",
        "basically",
        "literally",
        "ish",
        "sort",
        "kind",
        "of",
        "more",
        "like",
        "would",
        "be",
        "im",
        "i'm",
        "sure",
        "to",
        "honest",
        "now",
        "then",
        "this",
        "time",
        "x",
        "xx",
        "today",
        "too",
        "as",
        "again",
    }
)


@dataclass(frozen=True)
class Token:
    word: str  # normalised: lower case, no apostrophes
    start: int  # span in the typed text
    end: int


def tokens(text: str) -> list[Token]:
    return [Token(norm(m.group(0)), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def norm(word: str) -> str:
    """Lower case without apostrophes: "Didn't" -> "didnt"."""
    return word.lower().replace("'", "").replace("’", "")


def words(text: str) -> list[str]:
    return [t.word for t in tokens(text)]


def clean(text: str) -> str:
    """Lower case words joined by single spaces, punctuation dropped."""
    return " ".join(words(text))


def is_negator(word: str) -> bool:
    return word in NEGATORS or (
        word.endswith("nt") and word[:-2] in {"was", "were", "did", "do", "does", "is"}
    )


def same_word(typed: str, known: str) -> bool:
    """The same word, allowing a plural "s" and one slip of the keyboard in a longer word
    (a swap, a missing, extra or wrong letter): "nursey" = "nursery", "crises" = "crisis"."""
    if typed == known:
        return True
    if typed.isdigit() or known.isdigit():
        return False
    if typed.rstrip("s") == known.rstrip("s") and min(len(typed), len(known)) >= 3:
        return True
    if len(known) < 5 or len(typed) < 4:
        return False
    allowed = 1 if len(known) < 9 else 2
    return OSA.distance(typed, known, score_cutoff=allowed) <= allowed


def negated(toks: list[Token], index: int) -> bool:
    """Whether the word at `index` is negated by a word just before it ("not planned",
    "wasnt really planned", "dont share")."""
    j = index - 1
    gap = 0
    while j >= 0 and toks[j].word in NEGATION_GAP and gap < 2:
        j -= 1
        gap += 1
    return j >= 0 and is_negator(toks[j].word)


# Numbers and ordinals as workers type them, shared by every reading that counts things.
NUMBER_WORDS: dict[str, int] = {
    word: n
    for n, word in enumerate(
        [
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
        ],
        start=1,
    )
}
ORDINAL_WORDS: dict[str, int] = {
    **{
        word: n
        for n, word in enumerate(
            [
                "first",
                "second",
                "third",
                "fourth",
                "fifth",
                "sixth",
                "seventh",
                "eighth",
                "ninth",
                "tenth",
                "eleventh",
                "twelfth",
                "thirteenth",
                "fourteenth",
            ],
            start=1,
        )
    },
    **{
        f"{n}{'st' if n % 10 == 1 and n != 11 else 'nd' if n % 10 == 2 and n != 12 else 'rd' if n % 10 == 3 and n != 13 else 'th'}": n
        for n in range(1, 15)
    },
}
