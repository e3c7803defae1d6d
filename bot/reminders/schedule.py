"""When to ask: pure functions over an injected "now", a time zone and working hours.

A nudge that arrives at 11pm or on a Sunday is not kind, so every reminder time is moved
into the worker's working hours in their own time zone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DEFAULT_TZ = "Europe/London"


@dataclass(frozen=True)
class WorkingHours:
    start: time = time(9, 0)
    end: time = time(17, 30)
    days: frozenset[int] = frozenset({0, 1, 2, 3, 4})  # Monday to Friday

    def within(self, local: datetime) -> bool:
        return local.weekday() in self.days and self.start <= local.time() < self.end

    def next_open(self, local: datetime) -> datetime:
        """`local` if it is inside working hours, otherwise the next start of a working day."""
        if self.within(local):
            return local
        candidate = local
        if local.weekday() in self.days and local.time() < self.start:
            return local.replace(hour=self.start.hour, minute=self.start.minute, second=0, microsecond=0)
        for _ in range(8):
            candidate = (candidate + timedelta(days=1)).replace(
                hour=self.start.hour, minute=self.start.minute, second=0, microsecond=0
            )
            if candidate.weekday() in self.days:
                return candidate
        return candidate


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or DEFAULT_TZ)
    except (KeyError, ValueError):
        return ZoneInfo(DEFAULT_TZ)


def in_working_hours(when: datetime, tz_name: str | None, hours: WorkingHours) -> datetime:
    """Move an aware datetime into working hours in the worker's zone (returned in UTC-aware form)."""
    tz = zone(tz_name)
    local = when.astimezone(tz)
    return hours.next_open(local).astimezone(when.tzinfo or tz)


@dataclass(frozen=True)
class VisitPlan:
    case_ref: str | None
    visit_at: datetime  # aware


_TIME = re.compile(r"\b(?P<h>[01]?\d|2[0-3])(?::|\.)?(?P<m>[0-5]\d)?\s*(?P<ampm>am|pm)?\b", re.IGNORECASE)
_DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def parse_visit(text: str, now: datetime, tz_name: str | None) -> VisitPlan | None:
    """Read "visit HX-2291 14:00", "visit 2pm tomorrow", "visit HX-2291" (now).

    Returns None when the words are not a visit. The case reference is optional; a time
    without a day means today (or tomorrow if that time has passed by more than an hour).
    """
    words = text.strip().split()
    if not words or words[0].lower() not in {"visit", "/visit"}:
        return None
    rest = " ".join(words[1:])
    case_ref = None
    for word in words[1:]:
        looks_like_ref = any(ch.isdigit() for ch in word) and any(ch.isalpha() for ch in word)
        is_time = ":" in word or re.fullmatch(r"\d{1,2}(am|pm)", word, re.IGNORECASE)
        if looks_like_ref and not is_time:
            case_ref = word.upper()
            rest = rest.replace(word, " ")
            break
    tz = zone(tz_name)
    local_now = now.astimezone(tz)
    day = local_now.date()
    lowered = rest.lower()
    if "tomorrow" in lowered:
        day = day + timedelta(days=1)
    else:
        for index, name in enumerate(_DAYS):
            if name in lowered or re.search(rf"\b{name[:3]}\b", lowered):
                ahead = (index - local_now.weekday()) % 7
                day = day + timedelta(days=ahead)
                break
    match = _TIME.search(rest)
    if match is None:
        return VisitPlan(case_ref, now)
    hour = int(match.group("h"))
    minute = int(match.group("m") or 0)
    if match.group("ampm"):
        hour = hour % 12 + (12 if match.group("ampm").lower() == "pm" else 0)
    elif hour < 8 and match.group("m") is None:
        hour += 12  # "visit 2" means 2pm: visits are in the day
    visit = datetime.combine(day, time(hour, minute), tz)
    if day == local_now.date() and visit < local_now - timedelta(hours=1) and "today" not in lowered:
        visit = visit + timedelta(days=1)
    return VisitPlan(case_ref, visit)


def after_visit(plan: VisitPlan, delay: timedelta, tz_name: str | None, hours: WorkingHours) -> datetime:
    return in_working_hours(plan.visit_at + delay, tz_name, hours)


def snoozed(
    now: datetime, tz_name: str | None, hours: WorkingHours, by: timedelta = timedelta(hours=1)
) -> datetime:
    return in_working_hours(now + by, tz_name, hours)


def on_day(day: date, tz_name: str | None, hours: WorkingHours) -> datetime:
    """The start of working hours on a day (for actions and reviews due that day)."""
    tz = zone(tz_name)
    local = datetime.combine(day, hours.start, tz)
    return hours.next_open(local)


def cadence_dates(first: date, every_weeks: int, count: int) -> list[date]:
    return [first + timedelta(weeks=every_weeks * n) for n in range(count)]
