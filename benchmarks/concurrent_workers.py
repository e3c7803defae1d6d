"""200 simulated workers each doing a whole reflection at once, on SQLite and PostgreSQL.

Measures turns per second and turn latency through the real service and storage, and
counts answers lost or stored twice (must be 0).
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select

from benchmarks.common import ANSWERS_PER_REFLECTION, REFLECTION, Result, percentile
from bot.service import ReflectionService
from bot.turns import ConversationKey, Incoming
from storage.crypto import FieldCipher
from storage.database import create_engine
from storage.migrate import upgrade
from storage.repository import Store
from storage.tables import AnswerRow


async def run_workers(url: str, workers: int) -> Result:
    pooled = {"pool_size": 30, "max_overflow": 10, "pool_timeout": 600} if url.startswith("postgres") else {}
    engine = create_engine(url, **pooled, cipher=FieldCipher([FieldCipher.generate_key()]))
    await upgrade(engine)
    store = Store(engine)
    service = ReflectionService(store)
    latencies: list[float] = []

    async def worker(n: int) -> None:
        key = ConversationKey("slack", "T1", f"D{n}", f"U{n}")
        for i, line in enumerate(REFLECTION):
            started = time.perf_counter()
            await service.handle(Incoming(key=key, text=line.format(n=n), event_id=f"E{n}-{i}"))
            latencies.append(time.perf_counter() - started)

    began = time.perf_counter()
    await asyncio.gather(*(worker(n) for n in range(workers)))
    elapsed = time.perf_counter() - began
    async with store.read() as tx:
        stored = await tx.db.scalar(select(func.count()).select_from(AnswerRow)) or 0
    await store.close()
    expected = workers * ANSWERS_PER_REFLECTION
    backend = "postgresql" if url.startswith("postgres") else "sqlite"
    return Result(
        name=f"{workers} concurrent workers ({backend})",
        metrics={
            "turns": len(latencies),
            "turns_per_second": len(latencies) / elapsed,
            "turn_p50_ms": percentile(latencies, 50) * 1000,
            "turn_p99_ms": percentile(latencies, 99) * 1000,
            "lost_or_duplicated_answers": abs(stored - expected),
        },
        target="lost_or_duplicated_answers = 0",
        met=stored == expected,
    )


async def bench(workers: int = 200, postgres_url: str | None = None) -> list[Result]:
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        results.append(await run_workers(f"sqlite:///{Path(tmp) / 'bench.db'}", workers))
    if postgres_url:
        results.append(await run_workers(postgres_url, workers))
    return results
