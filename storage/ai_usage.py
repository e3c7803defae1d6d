"""The AI usage ledger on the database (table `ai_usage`; see bot/assist/budget.py).

`AiUsageRepository` works over an open transaction (`tx.ai_usage`) like every repository,
and is itself a `Ledger`: a drafted summary is part of the turn, so its usage commits with
it. `StoreLedger(store)` is the same ledger for AI text that decorates replies after the
turn has committed: one short transaction per operation. It must never be used while a turn
transaction is open on SQLite (the second writer would wait for the first).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.usage import UNAVAILABLE, UsageRecord
from storage.tables import AiUsageRow

if TYPE_CHECKING:
    from storage.repository import Store


class AiUsageRepository:
    def __init__(self, db: AsyncSession) -> None:
        self.db = db

    async def tokens_used(self, session_id: str) -> int:
        total = await self.db.scalar(
            select(func.coalesce(func.sum(AiUsageRow.prompt_tokens + AiUsageRow.completion_tokens), 0)).where(
                AiUsageRow.session_id == session_id
            )
        )
        return int(total or 0)

    async def calls_since(self, owner: str, since: datetime) -> int:
        count = await self.db.scalar(
            select(func.count()).where(
                AiUsageRow.owner == owner, AiUsageRow.at >= since, AiUsageRow.prompt_tokens > 0
            )
        )
        return int(count or 0)

    async def unavailable_count(self, session_id: str) -> int:
        count = await self.db.scalar(
            select(func.count()).where(
                AiUsageRow.session_id == session_id, AiUsageRow.outcome.in_(sorted(UNAVAILABLE))
            )
        )
        return int(count or 0)

    async def record(self, record: UsageRecord) -> None:
        self.db.add(
            AiUsageRow(
                session_id=record.session_id,
                owner=record.owner,
                use=record.use,
                outcome=record.outcome,
                prompt_tokens=record.prompt_tokens,
                completion_tokens=record.completion_tokens,
                at=record.at,
            )
        )
        await self.db.flush()


class StoreLedger:
    """The ledger outside a turn: each operation in its own short transaction."""

    def __init__(self, store: Store) -> None:
        self.store = store

    async def tokens_used(self, session_id: str) -> int:
        async with self.store.read() as tx:
            return await tx.ai_usage.tokens_used(session_id)

    async def calls_since(self, owner: str, since: datetime) -> int:
        async with self.store.read() as tx:
            return await tx.ai_usage.calls_since(owner, since)

    async def unavailable_count(self, session_id: str) -> int:
        async with self.store.read() as tx:
            return await tx.ai_usage.unavailable_count(session_id)

    async def record(self, record: UsageRecord) -> None:
        async with self.store.read() as tx:
            await tx.ai_usage.record(record)
