"""The terminal surface: one user message per input line, bot messages on stdout.

Works interactively and with piped stdin. If input ends before the reflection does, the
session is paused, so `reflect chat` later can resume it.

With piped stdin and nothing paused, the reflection starts with the first answer: commands
before it (`notes`, `show 2`, `sign 3`, `export month`, `help`, typos forgiven) are just
those commands, so a records command never starts a reflection or leaves one paused. In a
terminal the first question is asked at once; a records command typed there, before any
answer, runs with the reflection set aside and then asks the question again, and a
reflection left with nothing answered is discarded rather than paused.
"""

from __future__ import annotations

import asyncio
import getpass
import select
import sys
from pathlib import Path
from typing import TextIO

from bot.router import State, route, slash_words
from bot.service import ReflectionService
from bot.turns import ConversationKey, Incoming, Outgoing, TurnResult

RULE = "─" * 60


def console_key(user: str) -> ConversationKey:
    return ConversationKey(platform="console", workspace="local", channel=f"terminal:{user}", user=user)


def default_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "worker"


def typed_word(value: str) -> str | None:
    """What to type for a non-choice button, so the console can show it."""
    kind, _, arg = value.partition("@")[0].partition(":")
    if kind == "cmd":
        return {"carry_on": "carry on", "new": "new"}.get(arg, arg)
    if kind == "start":
        return f"start {arg}"
    if kind == "confirm":  # what the same words mean typed: see bot.engine.turn's on_action
        return {"cancel": "yes", "items": "yes", "replace": "yes", "keep": "keep"}.get(arg, "no")
    if kind == "resume":
        return None
    return None


def render(message: Outgoing) -> str:
    if message.kind == "note":
        return f"\n{RULE}\n{message.text.rstrip()}\n{RULE}"
    lines = [message.text]
    choices = [b for b in message.buttons if b.value.startswith(("choice:", "resume:"))]
    if choices:
        lines.append("")
        lines.extend(f"  {n}. {b.label}" for n, b in enumerate(choices, start=1))
    words = [w for b in message.buttons if (w := typed_word(b.value))]
    if words:
        lines.append(f"  ({' · '.join(words)})")
    return "\n".join(lines)


def _more_pasted(inp: TextIO, wait: float = 0.05) -> bool:
    """Whether another line is already waiting: the rest of a paste, not a new answer."""
    try:
        ready, _, _ = select.select([inp], [], [], wait)
    except (OSError, ValueError):
        return False
    return bool(ready)


class ConsoleChat:
    def __init__(
        self,
        service: ReflectionService,
        user: str,
        out: TextIO = sys.stdout,
        inp: TextIO = sys.stdin,
    ) -> None:
        self.service = service
        self.key = console_key(user)
        self.out = out
        self.inp = inp
        self.interactive = inp.isatty()

    def show(self, result: TurnResult) -> None:
        for message in result.messages:
            print(render(message), end="\n\n", file=self.out, flush=True)
        for export in result.files:  # an export asked for in chat: saved beside the user
            folder = Path("exports")
            folder.mkdir(exist_ok=True)
            (folder / export.filename).write_bytes(export.data)
            print(
                f"Saved {export.title} to {folder / export.filename}", end="\n\n", file=self.out, flush=True
            )

    async def send(self, text: str, preset_case: str | None = None) -> TurnResult:
        result = await self.service.handle(Incoming(key=self.key, text=text), preset_case=preset_case)
        self.show(result)
        return result

    async def read_line(self) -> str | None:
        """One answer. A line ending in a backslash continues on the next line; in a terminal,
        lines pasted together (arriving within a moment of each other) are one answer too."""
        if self.interactive:
            print("> ", end="", file=self.out, flush=True)
        parts: list[str] = []
        while True:
            line = await asyncio.to_thread(self.inp.readline)
            if line == "":
                return "\n".join(parts) if parts else None
            text = line.rstrip("\r\n")
            if text.endswith("\\"):
                parts.append(text[:-1].rstrip())
                continue
            parts.append(text)
            if not (self.interactive and _more_pasted(self.inp)):
                return "\n".join(parts)

    async def run(self, model: str | None = None, case: str | None = None) -> str | None:
        """Run one reflection; return the completed session id, or None if it didn't finish."""
        start = f"start {model}" if model else "reflect"
        paused_before = bool((await self.service.home(self.key)).paused)
        untouched = False  # a reflection this run started, not answered yet
        if self.interactive or paused_before:
            result = await self.send(start, preset_case=case)
            untouched = not paused_before and result.active_session_id is not None
        else:
            first = await self._commands_first()
            if first is None:
                return None
            result = first if isinstance(first, TurnResult) else await self._start_with(start, first, case)
        while result.completed_session_id is None:
            line = await self.read_line()
            if line is None:
                if result.active_session_id is not None:
                    await self._leave(discard=untouched)
                return None
            if untouched and self._is_side_command(line):
                result = await self._aside(line, case)
                continue
            untouched = False
            result = await self.send(line, preset_case=case)
        return self._saved(result)

    def _is_side_command(self, line: str) -> bool:
        """A records or reminders command (typos forgiven): never an answer before the first one."""
        routed = route(Incoming(key=self.key, text=" ".join(line.split())), State())
        return routed.route.area in ("records", "admin", "reminders") and routed.route.name != "records usage"

    async def _aside(self, line: str, case: str | None) -> TurnResult:
        """A command typed at the first question of a reflection nobody has answered yet: set
        the reflection aside, run the command, and come back to the same question."""
        await self.service.handle(Incoming(key=self.key, text="pause"))
        await self.send(line)
        return await self.send("resume", preset_case=case)

    async def _leave(self, discard: bool) -> None:
        """Input ended: pause the reflection to resume later, or, if nothing was answered in
        it, discard it, so no empty reflection waits to be resumed."""
        if not discard:
            self.show(await self.service.handle(Incoming(key=self.key, text="pause")))
            return
        await self.service.handle(Incoming(key=self.key, text="cancel"))
        await self.service.handle(Incoming(key=self.key, text="yes"))

    async def _commands_first(self) -> TurnResult | str | None:
        """Piped input before a reflection: run commands until one starts a session (its
        result) or a line is an answer (the line); None when input ends first."""
        while True:
            line = await self.read_line()
            if line is None:
                return None
            words = " ".join(line.split())
            if not words or slash_words(words) != words:
                return line  # not a command: the reflection's first answer
            result = await self.send(line)
            if result.active_session_id is not None or result.completed_session_id is not None:
                return result

    async def _start_with(self, start: str, answer: str, case: str | None) -> TurnResult:
        result = await self.send(start, preset_case=case)
        if result.active_session_id is None or not answer.strip():
            return result
        return await self.send(answer, preset_case=case)

    def _saved(self, result: TurnResult) -> str | None:
        print(
            f"Saved. This note is stored as session {result.completed_session_id}.",
            file=self.out,
            flush=True,
        )
        return result.completed_session_id
