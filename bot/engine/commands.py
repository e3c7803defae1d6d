"""Typed commands. A message is a command only when it is the command word alone (plus a
model name after `start`/`reflect`, and politeness: "pause pls", "can we stop"), or a
"/word", so an answer that happens to contain "skip" is an answer.

Typos are forgiven (rapidfuzz, one slip of the keyboard: "hlep", "pasue", "cancle",
"finsh", "skp", "refelct"), but never when the typed word is itself an ordinary word ("hell", "text",
"lost", "finished", "top"): an answer must not be read as a command.

What the words mean, as a person means them in the middle of a reflection:
"stop", "exit", "quit", "brb", "got to go" pause (everything is kept, to resume later);
"cancel" is the only command that discards anything, and it asks for confirmation
(`read_cancel_confirm` reads the answer).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from rapidfuzz.distance import OSA

CommandName = Literal[
    "help", "skip", "back", "pause", "resume", "cancel", "finish", "start", "models", "carry_on", "new"
]

_WORDS: dict[str, CommandName] = {
    "help": "help",
    "?": "help",
    "help me": "help",
    "need help": "help",
    "i need help": "help",
    "commands": "help",
    "options": "help",
    "skip": "skip",
    "skip it": "skip",
    "skip this": "skip",
    "skip this one": "skip",
    "skip question": "skip",
    "skip this question": "skip",
    "next": "skip",
    "next question": "skip",
    "next one": "skip",
    "nxt": "skip",
    "skip that": "skip",
    "pass": "skip",
    "back": "back",
    "go back": "back",
    "previous": "back",
    "prev": "back",
    "undo": "back",
    "back one": "back",
    "previous question": "back",
    "go back a step": "back",
    "go back one": "back",
    "back a step": "back",
    "last question": "back",
    "undo that": "back",
    "go back to the last question": "back",
    "pause": "pause",
    "stop": "pause",
    "stop for now": "pause",
    "stop there": "pause",
    "stop here": "pause",
    "pause here": "pause",
    "pause there": "pause",
    "leave it there": "pause",
    "leave it there for now": "pause",
    "enough for now": "pause",
    "thats enough for now": "pause",
    "pause for now": "pause",
    "pause it": "pause",
    "pause this": "pause",
    "later": "pause",
    "do this later": "pause",
    "finish later": "pause",
    "carry on later": "pause",
    "save for later": "pause",
    "save and exit": "pause",
    "save and quit": "pause",
    "exit": "pause",
    "quit": "pause",
    "brb": "pause",
    "gtg": "pause",
    "got to go": "pause",
    "gotta go": "pause",
    "have to go": "pause",
    "need to go": "pause",
    "resume": "resume",
    "continue session": "resume",
    "resume session": "resume",
    "pick up where i left off": "resume",
    "cancel": "cancel",
    "cancel this": "cancel",
    "cancel it": "cancel",
    "cancel reflection": "cancel",
    "discard": "cancel",
    "discard this": "cancel",
    "abandon": "cancel",
    "delete this": "cancel",
    "finish": "finish",
    "finish now": "finish",
    "finish it": "finish",
    "finish up": "finish",
    "finish the reflection": "finish",
    "wrap up": "finish",
    "models": "models",
    "list": "models",
    "menu": "models",
    "carry on": "carry_on",
    "continue": "carry_on",
    "go on": "carry_on",
    "keep going": "carry_on",
    "new": "new",
    "start new": "new",
    "new one": "new",
    "start again": "new",
    "start over": "new",
    "start afresh": "new",
}
_STARTS = ("reflect", "start", "begin")
# The words typos are forgiven for (short words like "end", "new", "list" are exact only).
_FUZZY: dict[str, CommandName] = {
    "help": "help",
    "skip": "skip",
    "back": "back",
    "pause": "pause",
    "stop": "pause",
    "exit": "pause",
    "quit": "pause",
    "resume": "resume",
    "cancel": "cancel",
    "finish": "finish",
    "models": "models",
    "continue": "carry_on",
    "previous": "back",
    "reflect": "start",  # the word a worker types most, first thing after a visit
}
# Ordinary words one slip away from a command word: never read as commands.
_REAL_WORDS = frozenset(
    [
        "hell",
        "held",
        "heal",
        "heap",
        "helm",
        "hello",
        "whelp",
        "yelp",
        "kelp",
        "helps",
        "helped",
        "skin",
        "skid",
        "skim",
        "skips",
        "skipped",
        "kip",
        "sip",
        "ski",
        "skimp",
        "skit",
        "slip",
        "ship",
        "text",
        "nest",
        "neat",
        "nexus",
        "last",
        "lost",
        "past",
        "pats",
        "mass",
        "paste",
        "pasta",
        "cause",
        "pulse",
        "parse",
        "purse",
        "passe",
        "house",
        "posse",
        "pauses",
        "paused",
        "shop",
        "step",
        "stoop",
        "stomp",
        "strop",
        "stops",
        "stopped",
        "atop",
        "spot",
        "stow",
        "slop",
        "top",
        "sop",
        "soup",
        "stole",
        "store",
        "story",
        "quiet",
        "quite",
        "quilt",
        "suit",
        "quip",
        "quid",
        "squit",
        "exist",
        "exits",
        "exits",
        "edit",
        "emit",
        "exot",
        "backs",
        "black",
        "aback",
        "bank",
        "bake",
        "beck",
        "buck",
        "pack",
        "hack",
        "rack",
        "sack",
        "lack",
        "jack",
        "bach",
        "bark",
        "bask",
        "baked",
        "bacon",
        "cancer",
        "canceled",
        "cancelled",
        "candle",
        "camel",
        "fines",
        "finis",
        "fish",
        "finnish",
        "finished",
        "finishes",
        "finest",
        "finch",
        "resumed",
        "resumes",
        "resume'",
        "reuse",
        "models'",
        "modes",
        "model",
        "modem",
        "modest",
        "continued",
        "continues",
        "contine",
        "continent",
        "fine",
        "find",
        "done",
        "none",
        "deflect",
        "reflects",
    ]
)
_POLITE = re.compile(
    r"^(?:(?:ok|okay|oh|um|erm|sorry|just|can\s+we|can\s+i|could\s+we|lets|let's|i\s+want\s+to|i'd\s+like\s+to|"
    r"id\s+like\s+to|i\s+need\s+to|need\s+to|please|pls|plz)\s+)*(?P<core>.+?)(?:\s+(?:please|pls|plz|thanks|"
    r"thank\s+you|ta|now|for\s+now|for\s+a\s+bit|a\s+sec|a\s+minute|a\s+min|then|x|lol|thx|mate|bot|me))*$"
)


@dataclass(frozen=True)
class Command:
    name: CommandName
    argument: str | None = None


@dataclass(frozen=True)
class UnknownCommand:
    word: str


def parse_command(text: str) -> Command | UnknownCommand | None:
    cleaned = " ".join(text.strip().lower().rstrip(".!?").split()) or text.strip()
    slash = cleaned.startswith("/")
    cleaned = cleaned.lstrip("/").strip()
    if cleaned in _WORDS:
        return Command(_WORDS[cleaned])
    first, _, rest = cleaned.partition(" ")
    if first in _STARTS or (rest and _fuzzy_command(first) == "start"):  # "refelct checkin"
        return Command("start", rest.strip() or None)
    polite = _POLITE.match(cleaned)
    core = polite.group("core") if polite else cleaned
    if core in _WORDS:
        return Command(_WORDS[core])
    fuzzy = _fuzzy_command(core) if " " not in core else None
    if fuzzy is not None:
        return Command(fuzzy)
    if slash and re.fullmatch(r"[a-z_-]+( .*)?", cleaned):
        return UnknownCommand(first)
    return None


def _fuzzy_command(word: str) -> CommandName | None:
    """A command word typed with one slip: a swap ("hlep"), a missing or extra letter
    ("finsh", "skp", "helpp"); a wrong letter only in a long word ("cancek")."""
    if len(word) < 3 or word in _REAL_WORDS or not word.isalpha():
        return None
    found: list[CommandName] = []
    for known, name in _FUZZY.items():
        if OSA.distance(word, known, score_cutoff=1) > 1:
            continue
        substitution = len(word) == len(known) and sorted(word) != sorted(known)
        if substitution and len(known) < 6:
            continue
        found.append(name)
    return found[0] if len(set(found)) == 1 else None


# ----------------------------------------------------------------- confirmations

_YES = (
    r"yes|y|yeah|yea|yeh|yep|yup|ya|yh|aye|ok|okay|k|kk|sure|go\s+on|go\s+ahead|do\s+it|please|confirm|confirmed|"
    r"correct|right|fine|alright|absolutely|definitely|of\s+course|sounds\s+good|yes\s+please|please\s+do|"
    r"certainly|go\s+for\s+it|affirmative|yass|yess|yesss|100%|deffo|defo|righto|rightio|right\s+o|cool|fab|lovely|"
    r"yes\s+mate|go\s+ahead\s+then|please\s+do|sounds\s+fine|thats\s+fine|that's\s+fine"
)
_NO = (
    r"no|n|nope|nah|na|nay|don't|dont|do\s+not|wait|hold\s+on|hang\s+on|no\s+thanks|not\s+yet|never\s*mind|"
    r"nevermind|leave\s+it|stop|no\s+way|negative|nooo*|not\s+now|cancel\s+that|changed\s+my\s+mind|"
    r"actually\s+no|oops|whoops"
)
_CANCEL_YES = (
    _YES
    + r"|stop|stop\s+it|cancel|cancel\s+it|cancel\s+this|bin\s+it|bin|delete|delete\s+it|discard|discard\s+it|"
    r"get\s+rid(?:\s+of\s+it)?|scrap\s+it|scrap|ditch\s+it|chuck\s+it|lose\s+it|kill\s+it|end\s+it|yes\s+cancel|"
    r"yes\s+bin\s+it|yes\s+delete|throw\s+it\s+away"
)
_CANCEL_NO = (
    r"no|n|nope|nah|na|keep\s+it|keep|keep\s+going|carry\s+on|continue|resume|go\s+back|don't|dont|do\s+not|"
    r"don't\s+cancel|dont\s+cancel|do\s+not\s+cancel|not\s+cancel|don't\s+delete|dont\s+delete|dont\s+bin\s+it|"
    r"wait|hold\s+on|hang\s+on|no\s+thanks|not\s+yet|never\s*mind|nevermind|actually\s+no|changed\s+my\s+mind|"
    r"oops|whoops|mistake|my\s+mistake|by\s+accident|accident|misclick|wrong\s+button|no\s+keep\s+it|"
    r"keep\s+it\s+please|leave\s+it|save\s+it|pause|pause\s+it|nooo*|not\s+now|no\s+ta|hold\s+up"
)


def _reading(text: str, yes: str, no: str) -> Literal["yes", "no"] | None:
    cleaned = " ".join(re.sub(r"[^\w'% ]+", " ", text.lower()).split())
    if not cleaned:
        return None
    pattern = re.compile(rf"(?:^|\s)(?P<no>{no})(?=\s|$)|(?:^|\s)(?P<yes>{yes})(?=\s|$)")
    last: Literal["yes", "no"] | None = None
    position = 0
    while True:
        match = pattern.search(cleaned, position)
        if match is None:
            break
        last = "no" if match.group("no") else "yes"
        position = match.end()
    if last is None:
        return None
    words = cleaned.split()
    if len(words) > 8:
        return None  # a sentence, not an answer to a yes/no question
    return last


def read_confirm(text: str) -> Literal["yes", "no"] | None:
    """A yes/no confirmation in a person's words: "yes please", "go on", "yep do it", "ok",
    "sure" -> yes; "no", "no keep it", "nah", "dont", "wait" -> no. When both are said, the
    last word counts ("yes... actually no" -> no). None when it is neither."""
    return _reading(text, _YES, _NO)


def read_cancel_confirm(text: str) -> Literal["yes", "no"] | None:
    """The answer to "Cancel this reflection and discard it?": "stop", "cancel it", "bin it",
    "yes", "go on" -> yes (discard); "no", "keep it", "carry on", "keep going", "actually no",
    "dont cancel" -> no (keep it). None when it is neither."""
    cleaned = " ".join(re.sub(r"[^\w' ]+", " ", text.lower()).split())
    if re.search(r"\b(?:don'?t|do\s+not|not)\s+(?:cancel|delete|bin|discard|scrap|stop)", cleaned):
        return "no"
    return _reading(text, _CANCEL_YES, _CANCEL_NO)
