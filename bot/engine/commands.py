"""Typed commands. A message is a command only when it is the command word alone (plus a
model name after `start`/`reflect`), so an answer that happens to contain "skip" is an answer."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

CommandName = Literal[
    "help", "skip", "back", "pause", "resume", "cancel", "finish", "start", "models", "carry_on", "new"
]

_WORDS: dict[str, CommandName] = {
    "help": "help",
    "?": "help",
    "skip": "skip",
    "next": "skip",
    "pass": "skip",
    "back": "back",
    "go back": "back",
    "previous": "back",
    "undo": "back",
    "pause": "pause",
    "stop for now": "pause",
    "later": "pause",
    "resume": "resume",
    "continue session": "resume",
    "cancel": "cancel",
    "quit": "cancel",
    "finish": "finish",
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
}
_STARTS = ("reflect", "start", "begin")


@dataclass(frozen=True)
class Command:
    name: CommandName
    argument: str | None = None


@dataclass(frozen=True)
class UnknownCommand:
    word: str


def parse_command(text: str) -> Command | UnknownCommand | None:
    cleaned = " ".join(text.strip().lower().rstrip(".!").split())
    slash = cleaned.startswith("/")
    cleaned = cleaned.lstrip("/")
    if cleaned in _WORDS:
        return Command(_WORDS[cleaned])
    first, _, rest = cleaned.partition(" ")
    if first in _STARTS:
        return Command("start", rest.strip() or None)
    if slash and re.fullmatch(r"[a-z_-]+( .*)?", cleaned):
        return UnknownCommand(first)
    return None


def read_confirm(text: str) -> Literal["yes", "no"] | None:
    typed = " ".join(text.strip().lower().rstrip(".!").split())
    if typed in {"yes", "y", "yeah", "yep", "yes please", "go on", "ok", "sure"}:
        return "yes"
    if typed in {"no", "n", "nope", "nah", "no thanks"}:
        return "no"
    return None


def read_cancel_confirm(text: str) -> Literal["yes", "no"] | None:
    typed = " ".join(text.strip().lower().rstrip(".!").split())
    if typed in {"stop", "cancel it", "yes cancel", "yes, cancel", "bin it"}:
        return "yes"
    if typed in {"keep going", "carry on", "keep it"}:
        return "no"
    return read_confirm(text)
