"""Working patterns, leave and a worker's own check-in, as typed between reflections
(tests/corpus/working.yaml), read through the router as the bot reads them.

Labels: "work mon-thu 09:00-17:00, fri 09:00-13:00" (days, with hours when given), "hours
08:00-16:00", "not fri", "back 2026-12-14" (read on Tuesday 1 December 2026), "back now",
"checkin fri 15:00" (+ " fortnightly", " reflect"), "stop checkin", "region scotland", "show";
null for a message that is something else (which must not change anyone's pattern)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

import yaml

from bot.engine.understand.working import read_leave
from bot.reminders.patterns import EndCheckIn, Leave, SetCheckIn, SetPattern, SetRegion, ShowPattern
from bot.router import State, route
from bot.turns import ConversationKey, Incoming
from tests.corpus.framework import Result

CATEGORY = "working patterns"
TARGET_RECALL = 0.9
TARGET_PRECISION = 0.98
TARGET_FALSE_ALARMS = 0.03
DATA = Path(__file__).with_name("working.yaml")
NOW = datetime(2026, 12, 1, 11, 0, tzinfo=UTC)  # a Tuesday
KEY = ConversationKey("slack", "T1", "D1", "U1")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _days(command: SetPattern) -> str:
    groups: list[tuple[list[int], str]] = []
    for day, start, end in command.words.shifts:
        hours = f" {start:%H:%M}-{end:%H:%M}" if start and end else ""
        if groups and groups[-1][1] == hours and groups[-1][0][-1] == day - 1:
            groups[-1][0].append(day)
        else:
            groups.append(([day], hours))
    parts = []
    for days, hours in groups:
        named = f"{DAYS[days[0]]}-{DAYS[days[-1]]}" if len(days) > 2 else ", ".join(DAYS[d] for d in days)
        parts.append(named + hours)
    return "work " + ", ".join(parts)


def read(text: str) -> str | None:
    routed = route(Incoming(key=KEY, text=text), State())
    if routed.route.name != "working pattern":
        return None
    command = routed.command
    if isinstance(command, ShowPattern):
        return "show"
    if isinstance(command, SetRegion):
        return f"region {command.region}"
    if isinstance(command, EndCheckIn):
        return "stop checkin"
    if isinstance(command, Leave):
        leave = read_leave(command.text, NOW)
        if leave is None:
            return None
        return "back now" if leave.back_on is None else f"back {leave.back_on.isoformat()}"
    if isinstance(command, SetCheckIn):
        w = command.words
        label = f"checkin {DAYS[w.weekday]}" + (f" {w.at:%H:%M}" if w.at else "")
        return (
            label
            + (" fortnightly" if w.every_weeks == 2 else "")
            + (" reflect" if w.what == "reflect" else "")
        )
    if isinstance(command, SetPattern):
        words = command.words
        if words.dropped:
            return "not " + ", ".join(DAYS[d] for d in words.dropped)
        if words.hours:
            return f"hours {words.hours[0]:%H:%M}-{words.hours[1]:%H:%M}"
        return _days(command)
    return None


def results() -> Iterable[Result]:
    for row in yaml.safe_load(DATA.read_text()):
        text = str(row["text"])
        yield Result(CATEGORY, text, row["expected"], read(text))
