"""The AI usage ledger on the database (table `ai_usage`; see bot/assist/budget.py).

Two ways in, because of when AI is used in a turn:

* `TxLedger(db)` works inside an open turn transaction (a drafted summary is part of the
  turn, so its usage commits with it);
* `StoreLedger(store)` opens a short transaction per operation, for AI text that decorates
  replies after the turn has committed. It must never be used while a turn transaction is
  open on SQLite (the second writer would wait for the first).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.usage import UNAVAILABLE, UsageRecord
from storage.repository import Store
from storage.tables import AiUsageRow


class _Queries:
    @asynccontextmanager
    async def _db(self) -> AsyncIterator[AsyncSession]:
        raise NotImplementedError
        yield  # pragma: no cover

    async def tokens_used(self, session_id: str) -> int:
        async with self._db() as db:
            total = await db.scalar(
                select(
                    func.coalesce(func.sum(AiUsageRow.prompt_tokens + AiUsageRow.completion_tokens), 0)
                ).where(AiUsageRow.session_id == session_id)
            )
        return int(total or 0)

    async def calls_since(self, owner: str, since: datetime) -> int:
        async with self._db() as db:
            count = await db.scalar(
                select(func.count()).where(
                    AiUsageRow.owner == owner, AiUsageRow.at >= since, AiUsageRow.prompt_tokens > 0
                )
            )
        return int(count or 0)

    async def unavailable_count(self, session_id: str) -> int:
        async with self._db() as db:
            count = await db.scalar(
                select(func.count()).where(
                    AiUsageRow.session_id == session_id, AiUsageRow.outcome.in_(sorted(UNAVAILABLE))
                )
            )
        return int(count or 0)

    async def record(self, record: UsageRecord) -> None:
        async with self._db() as db:
            db.add(
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
            await db.flush()


class TxLedger(_Queries):
    def __init__(self, db: AsyncSession) -> None:
        self.db = db

    @asynccontextmanager
    async def _db(self) -> AsyncIterator[AsyncSession]:
        yield self.db


class StoreLedger(_Queries):
    def __init__(self, store: Store) -> None:
        self.store = store

    @asynccontextmanager
    async def _db(self) -> AsyncIterator[AsyncSession]:
        async with self.store.read() as tx:
            yield tx.db
