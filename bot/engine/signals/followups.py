"""When a follow-up question helps: an answer too vague to picture, no words from the child."""

from __future__ import annotations

import re

_WORD = re.compile(r"[a-z']+")

# Short descriptions that say how a visit felt without saying what was there.
VAGUE_PHRASES = (
    "pretty bad",
    "not great",
    "not good",
    "not too bad",
    "not bad",
    "all right",
    "alright",
    "as usual",
    "as normal",
    "the same",
    "nothing much",
    "nothing new",
    "so so",
    "so-so",
    "fine",
    "ok",
    "okay",
    "normal",
    "usual",
    "bad",
    "good",
    "nice",
    "messy",
    "chaotic",
    "concerning",
    "poor",
    "unremarkable",
    "difficult",
    "tough",
    "hard",
)
VAGUE_MAX_WORDS = 12


def vague_words(text: str) -> list[str]:
    """The vague phrases in a short answer; a detailed answer is never vague."""
    lowered = " ".join(_WORD.findall(text.lower()))
    if not lowered or len(lowered.split()) > VAGUE_MAX_WORDS:
        return []
    found: list[str] = []
    for phrase in VAGUE_PHRASES:
        if re.search(rf"\b{re.escape(phrase)}\b", lowered) and not any(phrase in f for f in found):
            found.append(phrase)
    return found


_NO_WORDS = re.compile(
    r"^(no|none|nothing|nope|n/?a|not really|not much)\b"
    r"|\b(didn'?t|did not|wouldn'?t|would not|couldn'?t|could not) (say|speak|talk|tell|engage|see)\b"
    r"|\bno (words|voice|chance|time|opportunity)\b"
    r"|\b(asleep|sleeping|pre-?verbal|non-?verbal|too young|at school|at nursery|not (there|home|present|seen))\b"
    r"|\b(wasn'?t|was not|weren'?t) (there|home|present|seen|available)\b"
    r"|\bnothing (said|to say)\b"
)


def no_child_words(text: str) -> bool:
    """True when an answer about the child's own words records none."""
    lowered = text.lower().strip()
    if len(lowered.split()) > 25:
        return False
    return bool(_NO_WORDS.search(lowered))
