"""Commands typed with typos, ordinary answers that must never be read as commands, and
answers to yes/no confirmations (tests/corpus/commands.yaml). `kind`: command (the
command name, or null for an answer), confirm, cancel_confirm (yes / no / null)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from bot.engine.commands import Command, UnknownCommand, parse_command, read_cancel_confirm, read_confirm
from tests.corpus.framework import Result

CATEGORY = "commands"
TARGET_RECALL = 1.0
TARGET_PRECISION = 1.0
DATA = Path(__file__).with_name("commands.yaml")


def read(kind: str, text: str) -> Any:
    if kind == "confirm":
        return read_confirm(text)
    if kind == "cancel_confirm":
        return read_cancel_confirm(text)
    parsed = parse_command(text)
    if isinstance(parsed, Command):
        return parsed.name if parsed.argument is None else f"{parsed.name} {parsed.argument}"
    if isinstance(parsed, UnknownCommand):
        return f"unknown {parsed.word}"
    return None


def results() -> Iterable[Result]:
    for row in yaml.safe_load(DATA.read_text()):
        kind = row.get("kind", "command")
        text = str(row["text"])
        yield Result(CATEGORY, f"[{kind}] {text}", row["expected"], read(kind, text), kind)
