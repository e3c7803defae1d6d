"""A reply to the read-back that follows a whole command typed at a free-text question: "I've
kept that as your answer. It could be a reminder instead."

`read_offer_reply(text, offered)` says whether the worker wants the command carried out
instead ("make it a reminder", "it was a reminder", "yes reminder", "reminder pls", "do the
reminder"), wants the words kept as their answer ("no keep it", "it was my answer", "no
reminder"), or neither: anything else ("yes", "no", "keep an eye on the baby") is an ordinary
answer to the question asked next, and the offer lapses. The whole message must read as one
of these; naming another thing than was offered ("make it a reminder" after an offer of your
notes) is neither.

Pure: no I/O. `offered` is what the offer named (see `WHAT` below).
"""

from __future__ import annotations

import re
from typing import Literal

OfferReply = Literal["switch", "keep"]

# What an offer can name, and the words a worker uses for it (after the spellings below are
# put right). Phrases, longest first where one holds another.
_THINGS: dict[str, tuple[str, ...]] = {
    "reminder": ("reminders", "reminder", "remind me"),
    "reminders": ("my reminders", "reminders", "them"),
    "notes": ("my notes", "the notes command", "notes command", "notes", "them"),
    "note": ("the note", "note"),
    "export": ("export",),
    "overview": ("overview",),
    "records": ("records help", "records"),
    "working_time": (
        "working days",
        "working hours",
        "working pattern",
        "working time",
        "work pattern",
        "days",
        "hours",
        "pattern",
    ),
    "leave": ("leave", "im on leave"),
    "checkin": ("check in", "checkin"),
    "admin": ("admin command", "admin", "command"),
}
WHAT = frozenset(_THINGS)
_GENERIC = ("it", "that", "them")
# Said alone, these are no reply to the offer ("leave" alone is not "leave it").
_NOT_ALONE = frozenset(["leave", "days", "hours", "pattern", "command", "them"])

_SPELLINGS = {
    "remidner": "reminder",
    "reminer": "reminder",
    "remnder": "reminder",
    "reminderr": "reminder",
    "remider": "reminder",
    "rmeinder": "reminder",
    "reminda": "reminder",
    "mak": "make",
    "ment": "meant",
    "ntoes": "notes",
    "noets": "notes",
    "ntes": "notes",
    "expot": "export",
    "exprot": "export",
    "exort": "export",
    "kep": "keep",
    "keeep": "keep",
    "kepp": "keep",
    "anwser": "answer",
    "answr": "answer",
    "asnwer": "answer",
    "ur": "your",
    "u": "you",
    "ya": "yes",
}
_POLITE = r"(?:\s+(?:pls|plz|please|thanks|thx|ta|cheers|thank you|then|mate|instead))*"
_AFFIRM = (
    r"(?:(?:yes|yeah|yep|yup|yh|ye|y|ok|okay|oops|sorry|ah|oh|doh|go on then|go on|sure|"
    r"please|pls|actually|oh yes)\s+)*"
)
_NEGATE = r"(?:(?:no|nah|nope|no no|no thanks|no thank you)\s+)"
_FINE = r"(?:(?:(?:thats|its|it is|that is|all) fine|fine|all good|its ok|thats ok)\s+)?"
_ART = r"(?:(?:a|an|the|my|as a|as an|as my|as the)\s+)?"
_NOT_ANSWER = r"(?:\s+not\s+(?:an?|my|the)?\s*answer)?"
_ANSWER = r"(?:(?:my|an|the)\s+)?answer"
_IT_IS = r"(?:it|that|this)\s*(?:was|is|s)\s+(?:(?:meant|supposed|ment)\s+to\s+be\s+)?"
_IT_ISNT = r"(?:it|that|this)\s+(?:wasnt|isnt|was not|is not)\s+"
_VERB = (
    r"(?:make|turn|change|switch|set|do|run|save|show(?:\s+me)?|use|put|go\s+with|go\s+for)"
    r"(?:\s+(?:it|that|this))?(?:\s+(?:into|in to|to|as|in))?\s+"
)
_I_MEANT = r"i\s+(?:meant|wanted|want|need|asked\s+for)\s+"


def _alternation(phrases: tuple[str, ...]) -> str:
    return "(?:" + "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in phrases) + ")"


def _patterns(offered: str) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    named = _THINGS[offered]
    thing = _alternation(named)
    any_thing = _alternation(named + _GENERIC)
    alone = _alternation(tuple(p for p in named if p not in _NOT_ALONE))
    switch = re.compile(
        rf"{_AFFIRM}(?:"
        rf"{_VERB}{_ART}{any_thing}"
        rf"|{_IT_IS}{_ART}{thing}"
        rf"|{_I_MEANT}{_ART}{thing}"
        rf"|{_ART}{alone}"
        rf"|(?:{_IT_ISNT}|not\s+){_ANSWER}"
        rf"){_NOT_ANSWER}{_POLITE}"
    )
    keep = re.compile(
        rf"{_NEGATE}?{_FINE}(?:"
        rf"keep(?:\s+(?:it|that|this))?(?:\s+as(?:\s+it\s+is|\s+is)?)?(?:\s+{_ANSWER})?"
        rf"|leave(?:\s+(?:it|that))(?:\s+as\s+(?:it\s+is|is|{_ANSWER}))?"
        rf"|{_IT_IS}{_ANSWER}"
        rf"|{_ANSWER}"
        rf"|i\s+meant\s+it\s+as\s+{_ANSWER}"
        rf"|{_IT_ISNT}{_ART}{thing}"
        rf"|(?:not|dont|do not)\s+(?:make\s+(?:it\s+)?)?{_ART}{thing}(?:,?\s+{_ANSWER})?"
        rf"){_POLITE}"
    )
    negated_thing = re.compile(rf"{_NEGATE}(?:not\s+)?{_ART}{thing}{_POLITE}")
    return switch, keep, negated_thing


_CACHE: dict[str, tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]] = {}


def _normalise(text: str) -> str:
    lowered = text.lower().replace("\u2019", "'").replace("'", "").replace("-", " ")
    words = re.sub(r"[^\w\s]", " ", lowered).split()
    return " ".join(_SPELLINGS.get(word, word) for word in words)


def read_offer_reply(text: str, offered: str) -> OfferReply | None:
    """ "switch", "keep", or None: an ordinary message (see the module docstring)."""
    if offered not in _THINGS:
        return None
    words = _normalise(text)
    if not words:
        return None
    patterns = _CACHE.get(offered)
    if patterns is None:
        patterns = _CACHE[offered] = _patterns(offered)
    switch, keep, negated_thing = patterns
    if keep.fullmatch(words) or negated_thing.fullmatch(words):
        return "keep"
    if switch.fullmatch(words):
        return "switch"
    return None


__all__ = ["WHAT", "OfferReply", "read_offer_reply"]
