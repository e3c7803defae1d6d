"""When a follow-up question helps: an answer too vague to picture, no words from the child.

A follow-up that fires on a specific answer ("Poor lighting, one bulb for the whole flat, mould
on every window" is not vague because it says "poor") or on someone else's words (mum said
"it's fine") teaches the worker to ignore follow-ups. So the vague-answer follow-up reads the
answer as a whole, without quoted or reported speech, and fires only when what is left is
vague words with nothing concrete beside them. The "no words from the child" follow-up treats
what a baby or a non-verbal child showed as their voice, and the engine can adapt its wording
for a baby (`mentions_baby_or_preverbal`).
"""

from __future__ import annotations

import re

from bot.engine.signals.substance import (
    mentions_baby_or_preverbal,
    records_no_child_words,
    without_reported_speech,
)

__all__ = ["VAGUE_PHRASES", "mentions_baby_or_preverbal", "no_child_words", "vague_words"]

_WORD = re.compile(r"[a-z']+|\d+")

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
    "same as usual",
    "same as always",
    "same old",
    "nothing much",
    "nothing new",
    "nothing unusual",
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
    "grim",
    "awful",
    "horrible",
    "terrible",
    "weird",
    "odd",
    "strange",
    "mixed",
    "stressful",
    "busy",
    "calm",
    "quiet",
    "tense",
    "meh",
    "average",
    "better",
    "worse",
    "okish",
    "no concerns",
    "not the best",
    "not ideal",
    "not brilliant",
    "not amazing",
    "could be better",
    "seen worse",
    "seen better",
    "bad vibes",
    "a bit much",
    "no real concerns",
    "nothing to report",
    "nothing of note",
    "nothing stood out",
    "nothing major",
    "as expected",
    "as you'd expect",
    "typical",
    "same as ever",
    "standard",
    "no change",
    "no different",
    "lovely",
    "a bit off",
    "off",
    "all good",
    "uncomfortable",
    "unsettling",
    "positive",
    "negative",
    "productive",
    "settled",
    "ordinary",
)

# Words that carry no picture of their own: fillers, hedges, and the generic nouns of a visit.
_FILLER_WORDS = """
a an the and or but so then it it's its was were is
are be been being am i i'm im me my we our us you
he she they him her them his their there here this that these those
of to in on at for with from by as very really quite bit
a-bit pretty rather fairly just still all much more less too kind sort of
kinda sorta tbh honestly think guess suppose suppose reckon probably maybe mostly overall generally
usually always again today visit visits home house flat place room rooms things thing
stuff everything everyone everybody someone something anything nothing lot lots whole day time bit
session it'd i'd id would could should did do does done had has have
having got get gets getting went go goes going felt feel feels feeling seemed
seem seems looked look looks like lol haha ok fine well good bad not
no yes yeah yep also though although overall considering family mum dad kids children
child baby parents both usual same normal
"""
_FILLER = frozenset(re.findall(r"\S+", _FILLER_WORDS))
VAGUE_MAX_WORDS = 25
CONCRETE_ENOUGH = 2  # this many concrete words beside the vague ones make the answer specific


# Compiled once: built for each answer, they overflowed re's own cache and were compiled
# again on almost every turn.
_VAGUE_PATTERNS = tuple(
    (phrase, re.compile(rf"(?<![a-z']){re.escape(phrase)}(?![a-z'])")) for phrase in VAGUE_PHRASES
)


def vague_words(text: str) -> list[str]:
    """The vague phrases of an answer that is vague as a whole; [] for a specific or a long answer.

    Quoted and reported speech are left out first, so mum said "it's fine" is mum's, not vague."""
    own = without_reported_speech(text)
    words = _WORD.findall(own)
    if not words or len(words) > VAGUE_MAX_WORDS:
        return []
    lowered = " ".join(words)
    found: list[str] = []
    spans: list[tuple[int, int]] = []
    for phrase, pattern in _VAGUE_PATTERNS:
        for match in pattern.finditer(lowered):
            if any(s <= match.start() < e for s, e in spans):
                continue
            spans.append((match.start(), match.end()))
            if phrase not in found and not any(phrase in f for f in found):
                found.append(phrase)
    if not found:
        return []
    rest = lowered
    for start, end in sorted(spans, reverse=True):
        rest = rest[:start] + " " + rest[end:]
    concrete = [w for w in rest.split() if w not in _FILLER and (len(w) > 2 or w.isdigit())]
    if len(concrete) >= CONCRETE_ENOUGH:
        return []
    return found


def no_child_words(text: str) -> bool:
    """True when an answer about the child's own words records none.

    What a baby or a non-verbal child showed ("tracked my face, smiled at mum's voice") is their
    voice, so it is not "no words"; "didn't say anything, kept looking at mum" about a child who
    speaks is."""
    if _ACKNOWLEDGEMENT.match(text.lower()):
        return False  # "ok", "thanks": a reply to the bot, not an answer about the child
    return records_no_child_words(text)


_ACKNOWLEDGEMENT = re.compile(
    r"^\W*(ok|okay|k|kk|yes|yeah|yep|sure|right|fine|thanks|thank you|ta|cheers|got it|understood|noted|will do|"
    r"done|carry on|continue)\W*$"
)
