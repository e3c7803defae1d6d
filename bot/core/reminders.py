"""A reminder as the scheduler, storage and the delivering adapters all see it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any


@dataclass(frozen=True)
class Reminder:
    id: str
    owner: str
    platform: str
    channel: str | None
    kind: str
    due_at: datetime
    status: str
    tz: str | None
    payload: dict[str, Any]
    attempts: int = 0


@dataclass(frozen=True)
class CheckInRule:
    """A worker's own recurring check-in: every `every_weeks` weeks on `weekday` at `at`.

    `first` is the first occurrence; `serial` tells one rule's reminders from an earlier one's.
    """

    weekday: int  # 0 Monday .. 6 Sunday
    at: time
    first: date
    every_weeks: int = 1
    what: str = "checkin"  # checkin | reflect: how the worker asked for it
    serial: str = ""


@dataclass(frozen=True)
class WorkPattern:
    """When one person works, where their bank holidays come from, and whether they are away.

    `shifts` maps a weekday (0 Monday) to its start and end; None means the council's default
    (Monday to Friday, 9:00 to 17:30). `back_on` is the first day of work after leave.
    """

    owner: str
    shifts: dict[int, tuple[time, time]] | None = None
    region: str | None = None
    back_on: date | None = None
    checkin: CheckInRule | None = None
