"""A CSV export is made from what was stored when each session completed (its quality
indicators, visit type and counts), so it decrypts nothing, and says the same as the whole
sessions would."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

from sqlalchemy import func, select, update

from bot.records.access import Scope, day_range
from bot.records.export import export
from storage.tables import SessionRow
from tests.records.conftest import Team, agree_and_sign

YEAR = day_range(date(2026, 1, 1), date(2026, 12, 31))


async def _team_csv(team: Team, out: Path) -> list[dict[str, str]]:
    since, until = YEAR
    await export(team.store, "sup-a", Scope(team="harbour", since=since, until=until), "csv", out)
    return list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))


async def test_every_completed_reflection_has_its_facts_stored(team: Team) -> None:
    async with team.store.read() as tx:
        missing = await tx.db.scalar(
            select(func.count()).where(SessionRow.status == "complete", SessionRow.facts.is_(None))
        )
        stored = list(await tx.db.scalars(select(SessionRow.facts).where(SessionRow.facts.is_not(None))))
    assert missing == 0
    assert stored and all('"indicators"' in f for f in stored)
    # codes, counts and yes/no only: none of the worker's words
    assert not any("SENSES" in f or "HYPOTHESIS" in f or "ITEMONE" in f for f in stored)


async def test_csv_from_stored_facts_matches_csv_from_whole_sessions(team: Team, tmp_path: Path) -> None:
    await agree_and_sign(team)
    quick = await _team_csv(team, tmp_path / "quick.csv")
    async with team.store.read() as tx:  # as if every session completed before facts were kept
        await tx.db.execute(update(SessionRow).values(facts=None))
    whole = await _team_csv(team, tmp_path / "whole.csv")
    assert len(quick) >= 4
    assert quick == whole
    signed = [r for r in quick if r["record_status"] == "signed"]
    assert signed and signed[0]["signed_by"] == "Supervisor A"
    assert {r["indicator_child_own_words"] for r in quick if r["kind"] == "individual"} == {"yes"}


async def test_csv_reads_no_session_state(team: Team, tmp_path: Path) -> None:
    """Break every stored state: a CSV of sessions with facts still comes out whole."""
    async with team.store.read() as tx:
        ids = list(await tx.db.scalars(select(SessionRow.id).where(SessionRow.facts.is_not(None))))
        await tx.db.execute(update(SessionRow).where(SessionRow.id.in_(ids)).values(state="{not json"))
    rows = await _team_csv(team, tmp_path / "team.csv")
    assert {r["session_id"] for r in rows} >= set(ids) & {r["session_id"] for r in rows}
    assert any(r["session_id"] in ids for r in rows)
