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
   * the explicit reminder forms (`cancel reminder 2`, `move reminder 2 16:30`) are always
     commands: no question is answered like that (`my reminders` could be, so it is read
     back, below);
   * at a choice question (an answer is one of its choices) any complete reminders, working
     pattern, records or admin command is that command, since it is no choice;
   * at a question answered in the worker's own words (free text, a case reference, a
     list ...), `visit HX-2291 14:00`, `notes`, `export month` and the rest are the answer:
     a worker writing about a visit must not find a reminder made instead. But a worker who
     meant the reminder must not find none, silently: when the whole message is such a
     command, the `Routed` answer carries what it looked like (`looks_like`: that route and
     its parsed command), and the engine, once it has filed the words as the answer, says so
     in one line before the next question and offers the command instead ("make it a
     reminder" / "keep it", buttons on Slack and Teams). Words that merely mention a visit
     are only ever the answer.
   * that offer lasts for the next message only. A switch ("make it a reminder", "it was a
     reminder", "reminder pls", the button) is `take offer`: its command is the parsed
     command the filed words were, read again as between reflections; the answer is set
     aside (kept, flagged, out of the note), the command carried out in the same turn and
     the question asked again. A keep ("no keep it", "it was my answer") is `keep answer`.
     Anything else routes as it would without the offer, and the offer lapses.
6. Anything else goes to the engine: an answer with a session in progress, otherwise the
   engine's greeting and menu.

`route()` is the only place a message is classified; handlers get the parsed command.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Literal

from bot.engine.commands import Command, parse_command
from bot.engine.understand.case_refs import find_case_ref
from bot.engine.understand.offer_replies import OfferReply, read_offer_reply
from bot.engine.understand.working import read_leave
from bot.records.chat_commands import (
    Admin,
    Amend,
    ExportRequest,
    ListNotes,
    NoteCommand,
    Overview,
    RecordsHelp,
    Usage,
    parse_records_command,
)
from bot.reminders import schedule as when
from bot.reminders.chat import (
    EXPLICIT,
    Cadence,
    ListReminders,
    Visit,
    parse_reminders_action,
    parse_reminders_command,
)
from bot.reminders.patterns import (
    EndCheckIn,
    Leave,
    SetCheckIn,
    SetPattern,
    SetRegion,
    ShowPattern,
    day_words,
    parse_pattern_command,
)
from bot.turns import ConversationKey, Incoming

Area = Literal["reflection", "records", "reminders", "group", "admin"]
Handler = Literal["engine", "records", "reminders", "group", "switch"]
# When a route applies in the middle of a reflection: always, only at a choice question
# (where words cannot be an answer), or never (the words are an answer then).
MidReflection = Literal["always", "at_choice", "never"]


@dataclass(frozen=True)
class State:
    """What routing needs to know about the conversation, read under the turn's lock."""

    in_reflection: bool = False
    question_kind: str | None = None  # the kind of the step being asked, e.g. "text", "choice"
    # The worker's last answer read as a whole command (rule 5): what it was offered back as
    # ("reminder", "notes" ...) and the words filed, for this message only.
    offer: str | None = None
    offer_words: str | None = None

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
    # A reply to an offer (rule 5): read with what was offered, instead of by `matcher`.
    offer_reply: OfferReply | None = None

    def applies(self, state: State) -> bool:
        if self.needs_session and not state.in_reflection:
            return False
        if self.offer_reply is not None and (state.offer is None or not state.offer_words):
            return False
        if not state.in_reflection:
            return True
        return self.mid_reflection == "always" or (self.mid_reflection == "at_choice" and state.at_choice)


@dataclass(frozen=True)
class Routed:
    route: Route
    command: Any  # what the matcher returned; for `take offer`, the Routed command it takes
    # An answer whose whole words are a command that applies at a choice question (rule 5).
    looks_like: Routed | None = None


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


def _by_offer(incoming: Incoming) -> object | None:
    return None  # read in `route`, with what was offered (Route.offer_reply)


ROUTES: tuple[Route, ...] = (
    Route("group message", "group", "group", _group, "always", example="next round please"),
    Route("reminder button", "reminders", "reminders", _reminder_button, "always", example="reminder:snooze:r1"),
    Route("take offer", "reflection", "switch", _by_offer, "always", needs_session=True,
          example="make it a reminder", offer_reply="switch"),
    Route("keep answer", "reflection", "engine", _by_offer, "always", needs_session=True,
          example="no keep it", offer_reply="keep"),
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
        if candidate.offer_reply is not None:
            command = _offer_reply(candidate.offer_reply, incoming, state)
        else:
            command = candidate.matcher(incoming)
        if command is not None:
            if candidate.name == "answer" and not state.at_choice:
                return Routed(candidate, command, looks_like=_looks_like(incoming))
            return Routed(candidate, command)
    return Routed(ROUTES[-1], incoming.text or "")


def _looks_like(incoming: Incoming) -> Routed | None:
    """The command the whole message is, of those that are commands only at a choice question."""
    if _text(incoming) is None:
        return None
    for candidate in ROUTES:
        if candidate.mid_reflection == "at_choice":
            command = candidate.matcher(incoming)
            if command is not None:
                return Routed(candidate, command)
    return None


def _offer_reply(reply: OfferReply, incoming: Incoming, state: State) -> object | None:
    """A reply to the offer: its button, or words that say so for what was offered. A switch
    takes the command the filed words were, read as between reflections."""
    assert state.offer is not None and state.offer_words
    if incoming.action is not None:
        said = incoming.action == f"offer:{reply}"
    else:
        said = bool(incoming.text) and read_offer_reply(incoming.text or "", state.offer) == reply
    if not said:
        return None
    if reply == "keep":
        return "offer:keep"
    taken = route(replace(incoming, text=state.offer_words, action=None), State())
    return taken if taken.route.mid_reflection == "at_choice" else None


def offer_what(routed: Routed) -> str:
    """What an offer names, from the command the words looked like (`chat/_offer.j2`)."""
    command = routed.command
    if isinstance(command, ListReminders):
        return "reminders"
    if isinstance(command, (Visit, Cadence)):
        return "reminder"
    if isinstance(command, Leave):
        return "leave"
    if isinstance(command, (SetCheckIn, EndCheckIn)):
        return "checkin"
    if isinstance(command, (SetPattern, ShowPattern, SetRegion)):
        return "working_time"
    if isinstance(command, ListNotes):
        return "notes"
    if isinstance(command, (NoteCommand, Amend)):
        return "note"
    if isinstance(command, ExportRequest):
        return "export"
    if isinstance(command, Overview):
        return "overview"
    if isinstance(command, RecordsHelp):
        return "records"
    return "admin"


# What an offer's wording may name (chat/_offer.j2); None where this offer has nothing.
OFFER_VARS = ("case_ref", "day", "on", "at", "verb", "ref", "days", "back_on")


def offer_vars(routed: Routed, now: datetime, tz: str | None) -> dict[str, Any]:
    """What was understood, for the offer's wording: a visit's case, day and time (read by the
    reminders' own reader at this turn's time), a note's number."""
    values: dict[str, Any] = dict.fromkeys(OFFER_VARS)
    command = routed.command
    if isinstance(command, Visit):
        plan = when.parse_visit(command.text, now, tz)
        if plan is not None:
            local = plan.visit_at.astimezone(when.zone(tz))
            today = now.astimezone(when.zone(tz)).date()
            relative = {0: "today", 1: "tomorrow"}.get((local.date() - today).days)
            timed = plan.visit_at != now  # "visit HX-2291" alone: now, no time said
            values.update(
                case_ref=plan.case_ref,
                day=relative,
                on=day_words(local.date()),
                at=local.strftime("%H:%M") if timed else None,
            )
    elif isinstance(command, SetPattern) and command.words.replaces:
        values.update(days=[calendar.day_name[day] for day, _, _ in command.words.shifts])
    elif isinstance(command, Leave):
        leave = read_leave(command.text, now)
        if leave is not None and leave.back_on is not None:
            values.update(back_on=day_words(leave.back_on))
    elif isinstance(command, NoteCommand):
        values.update(verb=command.verb, ref=command.ref)
    elif isinstance(command, Amend):
        values.update(verb="amend", ref=command.ref)
    return values


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
                "offer" if r.offer_reply else "yes" if r.needs_session else "no",
                r.example,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows)


__all__ = [
    "OFFER_VARS",
    "ROUTES",
    "Route",
    "Routed",
    "State",
    "offer_vars",
    "offer_what",
    "route",
    "slash_words",
    "table",
]
