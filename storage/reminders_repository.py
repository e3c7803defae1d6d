"""Durable reminders: scheduling, listing, and claiming due ones exactly once.

A claim marks a reminder delivered in the same transaction that selects it, so two server
processes can never both take it (PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite: the write
lock taken by BEGIN IMMEDIATE). If sending then fails with an error, the reminder goes back
to pending for a bounded number of attempts. The price of "never twice" is that a process
killed between the claim and the send loses that one nudge; that window is milliseconds.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update

from bot.core.reminders import Reminder
from storage.repository import Store, TurnTx
from storage.tables import ReminderRow

MAX_ATTEMPTS = 5

__all__ = [
    "MAX_ATTEMPTS",
    "Reminder",
    "claim_due",
    "get",
    "move",
    "pending_for",
    "release",
    "schedule",
    "set_status",
]


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


async def schedule(
    tx: TurnTx,
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
        existing = await tx.db.scalar(select(ReminderRow.id).where(ReminderRow.dedupe_key == dedupe_key))
        if existing is not None:
            return False
    tx.db.add(
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


async def pending_for(tx: TurnTx, owner: str) -> list[Reminder]:
    rows = (
        await tx.db.scalars(
            select(ReminderRow)
            .where(ReminderRow.owner == owner, ReminderRow.status == "pending")
            .order_by(ReminderRow.due_at)
        )
    ).all()
    return [_reminder(r) for r in rows]


async def get(tx: TurnTx, reminder_id: str) -> Reminder | None:
    row = await tx.db.get(ReminderRow, reminder_id)
    return _reminder(row) if row else None


async def set_status(tx: TurnTx, reminder_id: str, owner: str, status: str) -> bool:
    result = await tx.db.execute(
        update(ReminderRow)
        .where(ReminderRow.id == reminder_id, ReminderRow.owner == owner, ReminderRow.status == "pending")
        .values(status=status)
        .returning(ReminderRow.id)
    )
    return result.first() is not None


async def move(tx: TurnTx, reminder_id: str, owner: str, due_at: datetime) -> bool:
    """Snooze or reschedule one of the owner's own reminders (pending or just delivered)."""
    result = await tx.db.execute(
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


async def claim_due(store: Store, now: datetime, worker: str, limit: int = 50) -> list[Reminder]:
    """Take due reminders for delivery. Each reminder is claimed by exactly one worker."""
    async with store.read() as tx:
        query = (
            select(ReminderRow)
            .where(ReminderRow.status == "pending", ReminderRow.due_at <= now)
            .order_by(ReminderRow.due_at)
            .limit(limit)
        )
        if store.is_postgres:
            query = query.with_for_update(skip_locked=True)
        rows = (await tx.db.scalars(query)).all()
        claimed = []
        for row in rows:
            row.status = "delivered"
            row.delivered_at = now
            row.claimed_by = worker
            claimed.append(_reminder(row))
    return claimed


async def release(store: Store, reminder_id: str, error: str, now: datetime, permanent: bool) -> None:
    """Sending failed: try again later, a bounded number of times (never for a permanent refusal)."""
    async with store.read() as tx:
        row = await tx.db.get(ReminderRow, reminder_id)
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
