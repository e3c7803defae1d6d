"""Every intent the bot understands, declared once: what it matches, who handles it, and
whether it applies in the middle of a reflection. The first route that matches wins.

Precedence, as a person would expect it:

1. A message in a group chat or channel is group facilitation, whatever it says.
2. A button is what its value says: a reminder's Snooze / Not this one, or the engine's.
3. A reflection command (`help`, `skip`, `back`, `pause`, `resume`, `cancel`, `finish`,
   `reflect` / `start` ...) is always the engine's, in a reflection or not.
4. A reminders or records command between reflections is that command, and so is what a
   worker says about their working time: their days and hours ("i work mon tue wed"), leave
   ("away until 12 dec", "i'm back") and their own check-in ("check in with me every
   friday at 3", "stop my check-in").
5. In the middle of a reflection the worker is answering a question, so words are an answer
   unless they cannot be one:
   * the explicit reminder forms (`cancel reminder 2`, `move reminder 2 16:30`,
     `my reminders`) are always commands: no question is answered like that;
   * at a choice question (an answer is one of its choices) any complete reminders, working
     pattern, records or admin command is that command, since it is no choice;
   * at a question answered in the worker's own words (free text, a case reference, a
     list ...), `visit HX-2291 14:00`, `notes`, `export month` and the rest are the answer:
     a worker writing about a visit must not find a reminder made instead.
6. Anything else goes to the engine: an answer with a session in progress, otherwise the
   engine's greeting and menu.

`route()` is the only place a message is classified; handlers get the parsed command.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from bot.engine.commands import Command, parse_command
from bot.engine.understand.case_refs import find_case_ref
from bot.records.chat_commands import Admin, Usage, parse_records_command
from bot.reminders.chat import EXPLICIT, parse_reminders_action, parse_reminders_command
from bot.reminders.patterns import parse_pattern_command
from bot.turns import ConversationKey, Incoming

Area = Literal["reflection", "records", "reminders", "group", "admin"]
Handler = Literal["engine", "records", "reminders", "group"]
# When a route applies in the middle of a reflection: always, only at a choice question
# (where words cannot be an answer), or never (the words are an answer then).
MidReflection = Literal["always", "at_choice", "never"]


@dataclass(frozen=True)
class State:
    """What routing needs to know about the conversation, read under the turn's lock."""

    in_reflection: bool = False
    question_kind: str | None = None  # the kind of the step being asked, e.g. "text", "choice"

    @property
    def at_choice(self) -> bool:
        return self.in_reflection and self.question_kind == "choice"


@dataclass(frozen=True)
class Route:
    name: str
    area: Area
    handler: Handler
    matcher: Callable[[Incoming], Any]  # the parsed command, or None when it does not match
    mid_reflection: MidReflection
    needs_session: bool = False  # only with a reflection in progress
    example: str = ""

    def applies(self, state: State) -> bool:
        if self.needs_session and not state.in_reflection:
            return False
        if not state.in_reflection:
            return True
        return self.mid_reflection == "always" or (self.mid_reflection == "at_choice" and state.at_choice)


@dataclass(frozen=True)
class Routed:
    route: Route
    command: Any  # what the matcher returned


_SLASH_KEY = ConversationKey("slack", "", "", "")


def _text(incoming: Incoming) -> str | None:
    return incoming.text if incoming.action is None and incoming.text else None


def _group(incoming: Incoming) -> object | None:
    return True if incoming.conversation == "group" else None


def _reminder_button(incoming: Incoming) -> object | None:
    return parse_reminders_action(incoming.action) if incoming.action is not None else None


def _engine_button(incoming: Incoming) -> object | None:
    return incoming.action


def _reflection_command(incoming: Incoming) -> object | None:
    text = _text(incoming)
    parsed = parse_command(text) if text else None
    return parsed if isinstance(parsed, Command) else None


def _explicit_reminders(incoming: Incoming) -> object | None:
    text = _text(incoming)
    parsed = parse_reminders_command(text) if text else None
    return parsed if isinstance(parsed, EXPLICIT) else None


def _reminders(incoming: Incoming) -> object | None:
    text = _text(incoming)
    return parse_reminders_command(text) if text else None


def _working_pattern(incoming: Incoming) -> object | None:
    text = _text(incoming)
    return parse_pattern_command(text) if text else None


def _admin(incoming: Incoming) -> object | None:
    text = _text(incoming)
    parsed = parse_records_command(text) if text else None
    if isinstance(parsed, Admin) or (isinstance(parsed, Usage) and parsed.command == "admin"):
        return parsed
    return None


def _records(incoming: Incoming) -> object | None:
    text = _text(incoming)
    return parse_records_command(text) if text else None


def _complete_records(incoming: Incoming) -> object | None:
    """A records command whose words all parsed (not a half-typed one that shows usage)."""
    parsed = _records(incoming)
    return parsed if parsed is not None and not isinstance(parsed, Usage) else None


def _any_text(incoming: Incoming) -> object | None:
    return incoming.text if incoming.action is None else None


ROUTES: tuple[Route, ...] = (
    Route("group message", "group", "group", _group, "always", example="next round please"),
    Route("reminder button", "reminders", "reminders", _reminder_button, "always", example="reminder:snooze:r1"),
    Route("engine button", "reflection", "engine", _engine_button, "always", example="cmd:skip"),
    Route("reflection command", "reflection", "engine", _reflection_command, "always", example="pause"),
    Route("explicit reminder command", "reminders", "reminders", _explicit_reminders, "always",
          example="cancel reminder 2"),
    Route("reminders command", "reminders", "reminders", _reminders, "at_choice",
          example="visit HX-2291 14:00"),
    Route("working pattern", "reminders", "reminders", _working_pattern, "at_choice",
          example="i work mon tue wed"),
    Route("admin command", "admin", "records", _admin, "at_choice", example="admin people"),
    Route("records command", "records", "records", _complete_records, "at_choice", example="export month"),
    Route("records usage", "records", "records", _records, "never", example="export the thing"),
    Route("answer", "reflection", "engine", _any_text, "always", needs_session=True,
          example="Mum was tired"),
    Route("chat", "reflection", "engine", _any_text, "never", example="hello"),
)  # fmt: skip


def route(incoming: Incoming, state: State) -> Routed:
    """The first route that applies and matches. Every message has one (`chat` at worst)."""
    for candidate in ROUTES:
        if not candidate.applies(state):
            continue
        command = candidate.matcher(incoming)
        if command is not None:
            return Routed(candidate, command)
    return Routed(ROUTES[-1], incoming.text or "")


def slash_words(text: str) -> str:
    """What `/reflect <text>` means as a typed message.

    `/reflect` alone starts the default reflection; a command (`/reflect resume`,
    `/reflect help`, `/reflect notes`, `/reflect visit HX-2291 14:00`) is that command;
    anything else names a reflection model (`/reflect quick checkin` means `start quick checkin`).
    """
    words = " ".join(text.split())
    if not words:
        return "reflect"
    probe = Incoming(key=_SLASH_KEY, text=words)
    matchers = (_reflection_command, _reminders, _working_pattern, _complete_records, _admin)
    if any(m(probe) is not None for m in matchers):
        return words
    return f"start {words}"


# Words that come before a number in a booking without being a case prefix: "at 14:00",
# "on 12/3", "room 12", "flat 9". The engine's reader takes the first letters-and-digits it
# finds; in a message written for something else, these are skipped and the search goes on.
_NOT_A_CASE_PREFIX = frozenset(
    [
        "at",
        "on",
        "by",
        "in",
        "to",
        "for",
        "from",
        "till",
        "until",
        "after",
        "before",
        "about",
        "around",
        "and",
        "or",
        "the",
        "is",
        "was",
        "room",
        "rm",
        "flat",
        "no",
        "tel",
        "ext",
        "yr",
        "age",
        "aged",
        "wk",
        "week",
        "day",
        "min",
        "mins",
        "hr",
        "hrs",
        "from",
    ]
)


def case_ref_in(text: str) -> str | None:
    """The case reference a message holds ("home visit HX 3107 thurs 2pm" -> "HX-3107"), for a
    reflection started from that message (a Slack message shortcut): the engine's own reader,
    so a reference reads the same wherever it was typed. None when it holds none."""
    rest = text
    for _ in range(20):
        found = find_case_ref(rest)
        if found is None:
            return None
        letters, _, digits = found.partition("-")
        if not digits or letters.lower() not in _NOT_A_CASE_PREFIX:
            return found
        # "at 14" from "at 14:00": drop that one and read on
        rest = re.sub(rf"(?i)\b{letters}[\s_/-]?{digits}\b", " ", rest, count=1)
    return None


def table() -> str:
    """The precedence table, for people and for the test that prints it."""
    rows = [("#", "route", "area", "handler", "mid-reflection", "needs session", "e.g.")]
    for n, r in enumerate(ROUTES, start=1):
        rows.append(
            (
                str(n),
                r.name,
                r.area,
                r.handler,
                r.mid_reflection,
                "yes" if r.needs_session else "no",
                r.example,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows)


__all__ = ["ROUTES", "Route", "Routed", "State", "route", "slash_words", "table"]
