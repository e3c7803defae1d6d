"""When to ask: pure functions over an injected "now", a time zone and working hours.

A nudge that arrives at 11pm, on a Sunday, on a part-timer's day off, on a bank holiday or
while they are on leave is not kind, so every reminder time is moved into the worker's
working hours in their own time zone. Bank holidays come from the `holidays` package for the
person's UK region (England and Wales, Scotland, Northern Ireland).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from bot.core.reminders import CheckInRule, WorkPattern
from bot.engine.understand.case_refs import normalise_case_ref
from bot.engine.understand.dates import TOMORROW_WORD
from bot.engine.understand.working import weekday_named

DEFAULT_TZ = "Europe/London"


REGIONS = {"england-and-wales": "ENG", "scotland": "SCT", "northern-ireland": "NIR"}
DEFAULT_REGION = "england-and-wales"
_LOOK_AHEAD_DAYS = 400  # a year of leave and holidays, and then some


@lru_cache(maxsize=8)
def _bank_holidays(region: str) -> holidays.HolidayBase:
    return holidays.country_holidays("GB", subdiv=REGIONS[region])


def warm_up(region: str | None, today: date) -> None:
    """Build a region's bank holiday tables for this year and next (the holidays package
    computes each year on first use)."""
    if region in REGIONS:
        for year in (today.year, today.year + 1):
            bank_holiday(date(year, 1, 1), region)


def bank_holiday(day: date, region: str | None) -> str | None:
    """The bank holiday's name on `day` in a UK region ("england-and-wales", "scotland",
    "northern-ireland"), or None (also for no region, or one we do not know)."""
    if region not in REGIONS:
        return None
    name = _bank_holidays(region).get(day)
    return str(name) if name else None


@dataclass(frozen=True)
class Closed:
    """Why a day has no working hours: a day off, a bank holiday (named), or leave."""

    why: str  # day_off | bank_holiday | away
    holiday: str | None = None


@dataclass(frozen=True)
class WorkingHours:
    """One person's working time: days and hours (per day for part-time patterns), the UK
    region whose bank holidays they have off, and the day they are back from leave."""

    start: time = time(9, 0)
    end: time = time(17, 30)
    days: frozenset[int] = frozenset({0, 1, 2, 3, 4})  # Monday to Friday
    shifts: tuple[tuple[int, time, time], ...] = ()  # per weekday, overriding start/end and days
    region: str | None = None
    back_on: date | None = None

    def hours_on(self, weekday: int) -> tuple[time, time] | None:
        if self.shifts:
            return next(((s, e) for d, s, e in self.shifts if d == weekday), None)
        return (self.start, self.end) if weekday in self.days else None

    @property
    def working_days(self) -> tuple[int, ...]:
        return tuple(d for d in range(7) if self.hours_on(d) is not None)

    def closed(self, day: date) -> Closed | None:
        if self.back_on is not None and day < self.back_on:
            return Closed("away")
        holiday = bank_holiday(day, self.region)
        if holiday:
            return Closed("bank_holiday", holiday)
        return Closed("day_off") if self.hours_on(day.weekday()) is None else None

    def within(self, local: datetime) -> bool:
        hours = self.hours_on(local.weekday())
        return (
            hours is not None
            and self.closed(local.date()) is None
            and hours[0] <= local.time().replace(tzinfo=None) < hours[1]
        )

    def next_open(self, local: datetime) -> datetime:
        """`local` if it is inside working time, otherwise the next start of a working day
        (not a day off, a bank holiday or a day of leave)."""
        for offset in range(_LOOK_AHEAD_DAYS):
            day = local.date() + timedelta(days=offset)
            hours = self.hours_on(day.weekday())
            if hours is None or self.closed(day) is not None:
                continue
            opening = datetime.combine(day, hours[0], local.tzinfo)
            if offset == 0:
                clock = local.time().replace(tzinfo=None)
                if clock >= hours[1]:
                    continue
                return opening if clock < hours[0] else local
            return opening
        return local  # nobody works for a year: send it as asked rather than never

    def why_moved(self, local: datetime) -> Closed | None:
        """Why a time asked for is not working time (None when it is, or cannot be placed)."""
        if self.within(local):
            return None
        closed = self.closed(local.date())
        return closed or Closed("after_hours" if self.hours_on(local.weekday()) else "day_off")


def hours_for(pattern: WorkPattern | None, default_region: str | None = DEFAULT_REGION) -> WorkingHours:
    """The working time a stored pattern describes (the council's default where it says nothing)."""
    if pattern is None:
        return WorkingHours(region=default_region)
    shifts = tuple(sorted((d, s, e) for d, (s, e) in pattern.shifts.items())) if pattern.shifts else ()
    return WorkingHours(shifts=shifts, region=pattern.region or default_region, back_on=pattern.back_on)


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
            case_ref = normalise_case_ref(word)  # "hx3107" is HX-3107, as everywhere
            rest = rest.replace(word, " ")
            break
    tz = zone(tz_name)
    local_now = now.astimezone(tz)
    day = local_now.date()
    lowered = rest.lower()
    if "tomorrow" in lowered or TOMORROW_WORD.search(lowered):  # "tmrw", "tomoz" too
        day = day + timedelta(days=1)
    else:
        named = weekday_named(lowered)  # "weds", "thurs", "friday"
        if named is not None:
            day = day + timedelta(days=(named - local_now.weekday()) % 7)
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
    """The start of working hours on a day (for actions and reviews due that day), or of the
    next working day when that one is not."""
    tz = zone(tz_name)
    return hours.next_open(datetime.combine(day, time(0, 0), tz))


def cadence_dates(first: date, every_weeks: int, count: int) -> list[date]:
    return [first + timedelta(weeks=every_weeks * n) for n in range(count)]


# ---------------------------------------------------------------- a worker's own check-in


def checkin_on_or_after(rule: CheckInRule, day: date) -> date:
    """The first occurrence of the rule on or after `day`."""
    if day <= rule.first:
        return rule.first
    step = 7 * rule.every_weeks
    periods = -(-(day - rule.first).days // step)  # ceiling
    return rule.first + timedelta(days=periods * step)


def first_checkin(weekday: int, at: time, now: datetime, tz_name: str | None) -> date:
    """The first day a new "every <weekday> at <time>" falls: today if that time is still ahead."""
    local = now.astimezone(zone(tz_name))
    ahead = (weekday - local.weekday()) % 7
    if ahead == 0 and local.time().replace(tzinfo=None) >= at:
        ahead = 7
    return local.date() + timedelta(days=ahead)


def checkin_due(rule: CheckInRule, day: date, tz_name: str | None, hours: WorkingHours) -> datetime:
    """When the occurrence on `day` is delivered: its time, moved into working time."""
    return hours.next_open(datetime.combine(day, rule.at, zone(tz_name)))
