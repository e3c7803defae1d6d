"""Export time and peak memory: CSV of 1,000 and 10,000 sessions, Word and PDF of a worker's year.

Seeding 10,000 reflections turn by turn would take longer than the whole benchmark budget,
so a few real reflections are typed through the service (the real engine, notes,
hypotheses and actions) and their rows are then copied under new ids, with start dates
spread over a year. The export reads and writes every copy like any other session.
Time is measured in one run, peak Python memory (tracemalloc) in a second run.
"""

from __future__ import annotations

import io
import tempfile
import time
import tracemalloc
from datetime import timedelta
from pathlib import Path
from typing import IO, Any, cast

from sqlalchemy import insert, select

from benchmarks.common import REFLECTION, Result
from bot.records.access import Scope
from bot.records.export import Format, export
from bot.service import ReflectionService, owner_of
from bot.turns import ConversationKey, Incoming
from storage.crypto import FieldCipher
from storage.database import create_engine
from storage.migrate import upgrade
from storage.repository import Store
from storage.tables import ActionRow, AnswerRow, HypothesisRow, NoteRow, SessionRow

TEMPLATES = 5
BULK = ConversationKey("slack", "T1", "D1", "U0BULK")  # the 1,000 / 10,000 sessions
YEAR = ConversationKey("slack", "T1", "D2", "U0YEAR")  # one worker's year, ~100 sessions


async def _type_reflections(store: Store, key: ConversationKey, count: int) -> list[str]:
    service = ReflectionService(store)
    for n in range(count):
        for i, line in enumerate(REFLECTION):
            await service.handle(Incoming(key=key, text=line.format(n=n), event_id=f"{key.user}-{n}-{i}"))
    async with store.read() as tx:
        return list(await tx.db.scalars(select(SessionRow.id).where(SessionRow.owner == owner_of(key))))


async def _copy(store: Store, templates: list[str], copies: int, start: int) -> None:
    """Copy the template sessions' rows `copies` times (sessions, answers, notes, hypotheses, actions)."""
    engine = store.engine
    async with engine.connect() as conn:
        rows: dict[Any, list[dict[str, Any]]] = {}
        tables: tuple[Any, ...] = (SessionRow, AnswerRow, NoteRow, HypothesisRow, ActionRow)
        for table in tables:
            column = SessionRow.id if table is SessionRow else table.session_id
            result = await conn.execute(select(table.__table__).where(column.in_(templates)))
            rows[table] = [dict(r._mapping) for r in result]
    batch = 500
    for first in range(start, start + copies, batch):
        chunk = range(first, min(first + batch, start + copies))
        out: dict[Any, list[dict[str, Any]]] = {t: [] for t in rows}
        for k in chunk:
            for s in rows[SessionRow]:
                when = s["started_at"] - timedelta(days=(k * 365) // max(1, start + copies))
                out[SessionRow].append(
                    {
                        **s,
                        "id": f"{s['id']}-{k}",
                        "case_ref": _case(s["case_ref"], k),
                        "started_at": when,
                        "updated_at": when,
                        "ended_at": when,
                    }
                )
            for table in (AnswerRow, NoteRow):
                out[table] += [{**r, "id": None, "session_id": f"{r['session_id']}-{k}"} for r in rows[table]]
            for table in (HypothesisRow, ActionRow):
                out[table] += [
                    {
                        **r,
                        "id": f"{r['id']}-{k}",
                        "session_id": f"{r['session_id']}-{k}",
                        "case_ref": _case(r["case_ref"], k),
                    }
                    for r in rows[table]
                ]
        async with engine.begin() as conn:
            for table, values in out.items():
                if values:
                    if table in (AnswerRow, NoteRow):
                        values = [{c: v for c, v in r.items() if c != "id"} for r in values]
                    await conn.execute(insert(table.__table__), values)


def _case(case_ref: str | None, k: int) -> str | None:
    """Each copy is about its own case, as a worker's year is (a case's history is in its notes)."""
    return f"{case_ref}-{k}" if case_ref else None


async def _seed(store: Store, key: ConversationKey, total: int, have: int = 0) -> int:
    """Bring `key`'s sessions up to `total` (whole copies of the typed templates)."""
    if have == 0:
        templates = await _type_reflections(store, key, TEMPLATES)
        have = len(templates)
    else:
        async with store.read() as tx:
            templates = list(
                await tx.db.scalars(
                    select(SessionRow.id).where(SessionRow.owner == owner_of(key)).limit(TEMPLATES)
                )
            )
    missing = (total - have) // len(templates)
    await _copy(store, templates, missing, start=have)
    return have + missing * len(templates)


async def _timed(
    store: Store, key: ConversationKey, fmt: Format, memory: bool = True
) -> tuple[float, int, int]:
    """(seconds, peak bytes, output bytes): time in one run, tracemalloc peak in another."""
    sink = io.BytesIO()
    started = time.perf_counter()
    result = await export(store, owner_of(key), Scope(), fmt, sink)
    seconds = time.perf_counter() - started
    size = len(sink.getvalue())
    assert result.count > 0
    if not memory:
        return seconds, 0, size
    tracemalloc.start()
    try:
        await export(store, owner_of(key), Scope(), fmt, cast(IO[bytes], _Discard()))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return seconds, peak, size


class _Discard(io.RawIOBase):
    """Counts bytes and keeps none, so a streamed export's memory is the exporter's alone."""

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        return len(data)


async def bench(bulk: int = 10_000) -> list[Result]:
    results: list[Result] = []
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_engine(
            f"sqlite:///{Path(tmp) / 'exports.db'}", cipher=FieldCipher([FieldCipher.generate_key()])
        )
        await upgrade(engine)
        store = Store(engine)
        try:
            csv: dict[int, tuple[float, int, int]] = {}
            have = 0
            for n in (1_000, bulk):
                have = await _seed(store, BULK, n, have)
                csv[have] = await _timed(store, BULK, "csv")
            (n1, (t1, m1, _)), (n2, (t2, m2, s2)) = sorted(csv.items())
            results.append(
                Result(
                    name=f"CSV export, {n1:,} and {n2:,} sessions",
                    metrics={
                        f"export_csv_{n1 // 1000}k_s": t1,
                        "export_csv_10k_s" if n2 == 10_000 else f"export_csv_{n2}_s": t2,
                        f"peak_mb_{n1 // 1000}k": m1 / 2**20,
                        f"peak_mb_{n2 // 1000}k": m2 / 2**20,
                        f"csv_mb_{n2 // 1000}k": s2 / 2**20,
                    },
                    target="10k < 10 s; memory flat",
                    met=t2 * (10_000 / n2) < 10 and m2 < 2 * m1 + 2**20,
                    note=f"SQLite, encrypted at rest; {TEMPLATES} typed reflections copied under new ids",
                )
            )
            year = await _seed(store, YEAR, 100)
            metrics: dict[str, Any] = {"sessions": year}
            slowest = 0.0
            formats: tuple[Format, ...] = ("docx", "pdf")
            for fmt in formats:
                seconds, _, size = await _timed(store, YEAR, fmt, memory=False)
                metrics[f"export_{fmt}_year_s"] = seconds
                metrics[f"{fmt}_kb"] = size / 1024
                slowest = max(slowest, seconds)
            results.append(
                Result(
                    name="Word and PDF, one worker's year",
                    metrics=metrics,
                    target="< 5 s each",
                    met=slowest < 5,
                    note="built in memory by python-docx / reportlab (not streamed), as designed",
                )
            )
        finally:
            await store.close()
    return results
