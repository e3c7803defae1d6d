"""Durable reminders: scheduling, listing, and claiming due ones exactly once.

A claim marks a reminder delivered in the same transaction that selects it, so two server
processes can never both take it (PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite: the write
lock taken by BEGIN IMMEDIATE). The nudge is written to the outbox in that same transaction
(bot/reminders/runner.py), so a process killed after the claim leaves a reply to send, not
a lost nudge; the outbox sends it once.

`RemindersRepository` works over an open transaction (`tx.reminders`).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.reminders import Reminder
from storage.tables import ReminderRow

MAX_ATTEMPTS = 5

__all__ = ["MAX_ATTEMPTS", "Reminder", "RemindersRepository"]


def _reminder(row: ReminderRow) -> Reminder:
    return Reminder(
        id=row.id,
        owner=row.owner,
        platform=row.platform,
        channel=row.channel,
        kind=row.kind,
        due_at=row.due_at,
        status=row.status,
        tz=row.tz,
        payload=json.loads(row.payload),
        attempts=row.attempts,
    )


class RemindersRepository:
    def __init__(self, db: AsyncSession, is_postgres: bool) -> None:
        self.db = db
        self.is_postgres = is_postgres

    async def schedule(
        self,
        *,
        reminder_id: str,
        owner: str,
        platform: str,
        channel: str | None,
        kind: str,
        due_at: datetime,
        tz: str | None,
        payload: dict[str, Any],
        now: datetime,
        dedupe_key: str | None = None,
    ) -> bool:
        """Add a reminder; False when one with the same dedupe key already exists."""
        if dedupe_key is not None:
            existing = await self.db.scalar(
                select(ReminderRow.id).where(ReminderRow.dedupe_key == dedupe_key)
            )
            if existing is not None:
                return False
        self.db.add(
            ReminderRow(
                id=reminder_id,
                owner=owner,
                platform=platform,
                channel=channel,
                kind=kind,
                due_at=due_at,
                status="pending",
                tz=tz,
                payload=json.dumps(payload),
                dedupe_key=dedupe_key,
                created_at=now,
                attempts=0,
            )
        )
        return True

    async def pending_for(self, owner: str) -> list[Reminder]:
        rows = (
            await self.db.scalars(
                select(ReminderRow)
                .where(ReminderRow.owner == owner, ReminderRow.status == "pending")
                .order_by(ReminderRow.due_at)
            )
        ).all()
        return [_reminder(r) for r in rows]

    async def get(self, reminder_id: str) -> Reminder | None:
        row = await self.db.get(ReminderRow, reminder_id)
        return _reminder(row) if row else None

    async def set_status(self, reminder_id: str, owner: str, status: str) -> bool:
        result = await self.db.execute(
            update(ReminderRow)
            .where(ReminderRow.id == reminder_id, ReminderRow.owner == owner, ReminderRow.status == "pending")
            .values(status=status)
            .returning(ReminderRow.id)
        )
        return result.first() is not None

    async def cancel_by_key(self, owner: str, dedupe_keys: list[str]) -> int:
        """Cancel this owner's pending reminders with these keys (say, the nudge for an action
        closed in a later review); returns how many were cancelled."""
        if not dedupe_keys:
            return 0
        result = await self.db.execute(
            update(ReminderRow)
            .where(
                ReminderRow.owner == owner,
                ReminderRow.dedupe_key.in_(dedupe_keys),
                ReminderRow.status == "pending",
            )
            .values(status="cancelled")
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def pending_before(self, owner: str, before: datetime) -> list[Reminder]:
        """This owner's pending reminders due before a moment (say, the end of their leave)."""
        rows = (
            await self.db.scalars(
                select(ReminderRow)
                .where(
                    ReminderRow.owner == owner, ReminderRow.status == "pending", ReminderRow.due_at < before
                )
                .order_by(ReminderRow.due_at)
            )
        ).all()
        return [_reminder(r) for r in rows]

    async def cancel_kind(self, owner: str, kind: str) -> int:
        """Cancel this owner's pending reminders of one kind (say, their own check-in)."""
        result = await self.db.execute(
            update(ReminderRow)
            .where(ReminderRow.owner == owner, ReminderRow.kind == kind, ReminderRow.status == "pending")
            .values(status="cancelled")
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def fold(self, reminder_ids: list[str], owner: str) -> None:
        """Pending reminders replaced by one summary (held while their owner was away): they
        are cancelled, the summary carries what they were."""
        if reminder_ids:
            await self.db.execute(
                update(ReminderRow)
                .where(
                    ReminderRow.id.in_(reminder_ids),
                    ReminderRow.owner == owner,
                    ReminderRow.status == "pending",
                )
                .values(status="cancelled")
            )

    async def move(self, reminder_id: str, owner: str, due_at: datetime) -> bool:
        """Snooze or reschedule one of the owner's own reminders (pending or just delivered)."""
        result = await self.db.execute(
            update(ReminderRow)
            .where(
                ReminderRow.id == reminder_id,
                ReminderRow.owner == owner,
                ReminderRow.status.in_(("pending", "delivered")),
            )
            .values(status="pending", due_at=due_at, delivered_at=None, claimed_by=None)
            .returning(ReminderRow.id)
        )
        return result.first() is not None

    async def claim_due(self, now: datetime, worker: str, limit: int = 50) -> list[Reminder]:
        """Take due reminders for delivery. Each reminder is claimed by exactly one worker."""
        query = (
            select(ReminderRow)
            .where(ReminderRow.status == "pending", ReminderRow.due_at <= now)
            .order_by(ReminderRow.due_at)
            .limit(limit)
        )
        if self.is_postgres:
            query = query.with_for_update(skip_locked=True)
        rows = (await self.db.scalars(query)).all()
        claimed = []
        for row in rows:
            row.status = "delivered"
            row.delivered_at = now
            row.claimed_by = worker
            claimed.append(_reminder(row))
        return claimed

    async def release(self, reminder_id: str, error: str, now: datetime, permanent: bool) -> None:
        """Sending failed: try again later, a bounded number of times (never for a permanent refusal)."""
        row = await self.db.get(ReminderRow, reminder_id)
        if row is None:
            return
        row.attempts += 1
        row.last_error = error[:200]
        if permanent or row.attempts >= MAX_ATTEMPTS:
            row.status = "failed"
        else:
            row.status = "pending"
            row.delivered_at = None
            row.due_at = now + timedelta(minutes=2**row.attempts)
