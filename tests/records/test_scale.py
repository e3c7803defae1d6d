"""Exports stream: a CSV of 10,000 sessions needs no more memory than one of 2,000 (and JSON,
written the same way, no more than CSV).

The sessions are copies of one real reflection (driven through the service by the fixture),
saved through the store under new ids and dates, as if a team had reflected for years.
"""

from __future__ import annotations

import csv
import io
import time
import tracemalloc
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert

from bot.records.access import Scope
from bot.records.export import export
from storage.repository import Store
from storage.tables import NoteRow, SessionRow
from tests.records.conftest import Team


async def clone(store: Store, source_id: str, first: int, count: int) -> None:
    """Copies `first` .. `first + count - 1` of a stored session (state and note), a thousand
    per transaction. Only `sessions` and `notes` rows: that is all an export reads."""
    async with store.read() as tx:
        session = await tx.load_session(source_id)
        note = await tx.latest_note(source_id)
    assert session is not None and note is not None
    made = first
    while made < first + count:
        batch = []
        notes = []
        for n in range(made, min(first + count, made + 1000)):
            copy = session.model_copy(
                update={
                    "id": f"clone{n:06d}",
                    "started_at": session.started_at - timedelta(hours=n + 1),
                    "ended_at": session.ended_at,
                }
            )
            batch.append(
                {
                    "id": copy.id,
                    "owner": copy.owner,
                    "platform": copy.platform,
                    "model_id": copy.model_id,
                    "model_version": copy.model_version,
                    "case_ref": copy.case_ref,
                    "status": copy.status,
                    "current_step": None,
                    "started_at": copy.started_at,
                    "updated_at": copy.updated_at,
                    "paused_at": None,
                    "ended_at": copy.ended_at,
                    "share_feelings": copy.share_feelings,
                    "risk_flagged": copy.risk_flagged,
                    "state": copy.model_dump_json(),
                }
            )
            notes.append(
                {
                    "session_id": copy.id,
                    "version": 1,
                    "markdown": note.markdown,
                    "created_at": note.created_at,
                    "created_by": copy.owner,
                }
            )
        async with store.read() as tx:
            await tx.db.execute(insert(SessionRow), batch)
            await tx.db.execute(insert(NoteRow), notes)
        made += len(batch)


async def peak_export(team: Team, fmt: str, tmp_path: Path) -> tuple[int, int]:
    out = tmp_path / f"all.{fmt}"
    tracemalloc.start()
    try:
        result = await export(team.store, "sup-a", Scope(team="harbour"), fmt, out)  # type: ignore[arg-type]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result.count, peak


@pytest.mark.timeout(600)
async def test_exports_stay_flat_for_ten_thousand_sessions(team: Team, tmp_path: Path) -> None:
    await clone(team.store, team.sessions["b_first"], 0, 2_000)
    small_count, small_peak = await peak_export(team, "csv", tmp_path)
    json_count, json_peak = await peak_export(team, "json", tmp_path)
    assert json_count == small_count and json_peak < small_peak * 1.5 + 2_000_000
    await clone(team.store, team.sessions["b_first"], 2_000, 8_000)
    started = time.monotonic()
    count, peak = await peak_export(team, "csv", tmp_path)
    elapsed = time.monotonic() - started
    assert count == small_count + 8_000 >= 10_000
    rows = list(csv.DictReader(io.StringIO((tmp_path / "all.csv").read_text(encoding="utf-8-sig"))))
    assert len(rows) == count
    assert peak < small_peak * 1.5 + 2_000_000, (small_peak, peak)  # flat, not 5x
    assert peak < 64_000_000
    print(
        f"csv: {count} sessions in {elapsed:.1f}s, peak {peak / 1e6:.1f} MB (2,000: {small_peak / 1e6:.1f} MB)"
    )
