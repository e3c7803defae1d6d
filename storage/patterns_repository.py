"""Working patterns: one row per chat identity (days and hours, region, leave, own check-in).

`PatternsRepository` works over an open transaction (`tx.patterns`), like every repository.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.reminders import CheckInRule, WorkPattern
from storage.tables import WorkPatternRow

__all__ = ["PatternsRepository"]


def _shifts_out(shifts: dict[int, tuple[time, time]] | None) -> str | None:
    if shifts is None:
        return None
    return json.dumps(
        {str(d): [s.strftime("%H:%M"), e.strftime("%H:%M")] for d, (s, e) in sorted(shifts.items())}
    )


def _shifts_in(text: str | None) -> dict[int, tuple[time, time]] | None:
    if text is None:
        return None
    loaded: dict[str, list[str]] = json.loads(text)
    return {int(d): (time.fromisoformat(s), time.fromisoformat(e)) for d, (s, e) in loaded.items()}


def _checkin_out(rule: CheckInRule | None) -> str | None:
    if rule is None:
        return None
    return json.dumps(
        {
            "weekday": rule.weekday,
            "at": rule.at.strftime("%H:%M"),
            "first": rule.first.isoformat(),
            "every": rule.every_weeks,
            "what": rule.what,
            "serial": rule.serial,
        }
    )


def _checkin_in(text: str | None) -> CheckInRule | None:
    if text is None:
        return None
    loaded: dict[str, Any] = json.loads(text)
    return CheckInRule(
        weekday=int(loaded["weekday"]),
        at=time.fromisoformat(loaded["at"]),
        first=date.fromisoformat(loaded["first"]),
        every_weeks=int(loaded["every"]),
        what=str(loaded["what"]),
        serial=str(loaded["serial"]),
    )


class PatternsRepository:
    def __init__(self, db: AsyncSession) -> None:
        self.db = db

    async def get(self, owner: str) -> WorkPattern | None:
        row = await self.db.get(WorkPatternRow, owner)
        if row is None:
            return None
        return WorkPattern(
            owner=row.owner,
            shifts=_shifts_in(row.shifts),
            region=row.region,
            back_on=row.back_on,
            checkin=_checkin_in(row.checkin),
        )

    async def save(self, pattern: WorkPattern, now: datetime) -> None:
        row = await self.db.get(WorkPatternRow, pattern.owner)
        if row is None:
            row = WorkPatternRow(owner=pattern.owner, updated_at=now)
            self.db.add(row)
        row.shifts = _shifts_out(pattern.shifts)
        row.region = pattern.region
        row.back_on = pattern.back_on
        row.checkin = _checkin_out(pattern.checkin)
        row.updated_at = now

    async def away(self, owners: list[str], on: date) -> set[str]:
        """Which of these identities are on leave on `on`."""
        if not owners:
            return set()
        rows = await self.db.scalars(
            select(WorkPatternRow.owner).where(WorkPatternRow.owner.in_(owners), WorkPatternRow.back_on > on)
        )
        return set(rows.all())
