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
