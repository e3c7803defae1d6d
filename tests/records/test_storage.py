"""Migration 0002 and the records queries on both back ends (SQLite file and PostgreSQL)."""

from __future__ import annotations

import io
import json
from collections.abc import AsyncIterator

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.engine import Connection

from bot.core.errors import StorageError
from bot.records.access import Scope
from bot.records.export import export
from bot.service import ReflectionService
from storage.database import create_engine
from storage.migrate import alembic_config, current_revision, upgrade
from storage.repository import Store
from tests.records.conftest import Clock, first_visit, joined, reflect, say, set_up_people


@pytest.fixture
async def store(database_url: str) -> AsyncIterator[Store]:
    engine = create_engine(database_url)
    await upgrade(engine)
    store = Store(engine)
    yield store
    await store.close()


async def test_the_database_itself_refuses_to_rewrite_the_audit_trail(store: Store) -> None:
    clock = Clock()
    await set_up_people(store, clock.now)
    for statement in ["UPDATE audit_events SET actor = 'x'", "DELETE FROM audit_events"]:
        with pytest.raises(StorageError, match="append-only"):
            async with store.connection() as conn:
                await conn.execute(text(statement))
    if store.is_postgres:
        with pytest.raises(StorageError, match="append-only"):
            async with store.connection() as conn:
                await conn.execute(text("TRUNCATE audit_events"))
    async with store.connection() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM audit_events"))).scalar_one() > 0


async def test_sign_off_and_export_work_the_same_on_both(store: Store) -> None:
    clock = Clock()
    await set_up_people(store, clock.now)
    service = ReflectionService(store, clock=clock)
    session = await reflect(service, "worker-a", first_visit())
    assert "Waiting for your signature" not in joined(await say(service, "sup-a", "notes"))
    await say(service, "worker-a", "agree 1")
    assert "1. Worker A" in joined(await say(service, "sup-a", "notes"))
    assert "Signed" in joined(await say(service, "sup-a", "sign 1"))
    out = io.BytesIO()
    await export(store, "sup-a", Scope(team="harbour"), "json", out)
    data = json.loads(out.getvalue())
    assert [s["id"] for s in data["sessions"]] == [session]
    assert data["sessions"][0]["record_status"] == "signed"


async def test_waiting_lists_overview_and_refusals_work_the_same_on_both(store: Store) -> None:
    from datetime import UTC, date, datetime

    from bot.records import signoff
    from bot.records.overview import team_overview
    from bot.records.people import load_directory

    clock = Clock()
    await set_up_people(store, clock.now)
    service = ReflectionService(store, clock=clock)
    session = await reflect(service, "worker-a", first_visit())
    owners = ["console:local:worker-a"]
    await say(service, "worker-a", "agere 1")  # a slip
    async with store.read() as tx:
        assert await signoff.awaiting_signature(tx, owners, 10) == [session]
    assert "version 1" in joined(await say(service, "sup-a", "sgin 1"))
    await say(service, "worker-a", f"amend {session} the nurse rang back")
    async with store.read() as tx:
        assert await signoff.awaiting_signature(tx, owners, 10) == []
        directory = await load_directory(tx.people)
        lines = await signoff.notes_of(tx, directory.requester("sup-a"), directory, "worker-a", clock.now)
        assert [(x.session.id, x.status, x.version) for x in lines] == [(session, "amended_after_signing", 2)]
    await say(service, "sup-a", "supervision every 2 weeks from 2026-11-24 with @worker-a")
    result = await team_overview(store, "sup-a", "harbour", datetime(2026, 12, 1, tzinfo=UTC))
    assert [(w.session.id, w.waiting_for) for w in result.waiting] == [(session, "agreement")]
    assert [(a.owner, a.due) for a in result.overdue_actions] == [("me", date(2026, 11, 27))]
    lines_by_name = {s.worker: s for s in result.supervision}
    assert lines_by_name["Worker A"].next == date(2026, 12, 8) and lines_by_name["Worker A"].overdue
    assert "couldn't find" in joined(await say(service, "worker-z", f"show {session}"))
    async with store.connection() as conn:
        refused = (
            await conn.execute(text("SELECT actor, detail FROM audit_events WHERE action = 'refused'"))
        ).all()
    assert [(a, json.loads(d)["attempted"]) for a, d in refused] == [("worker-z", "viewed")]


async def test_migration_0140_replaces_names_in_old_export_rows_by_ids(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        await upgrade(engine, "0100")
        old = [  # rows as exports wrote them before: the shown name as target
            ("sup-a", "worker", "Worker A", {"scope": {"worker": "worker-a"}, "count": 2}),
            ("sup-a", "team", "Harbour Team", {"scope": {"team": "harbour"}, "count": 3}),
            ("worker-a", "own", "your own notes", {"scope": {}, "count": 1}),
            ("sup-a", "case", "HX-2291", {"scope": {"case": "HX-2291"}, "count": 1}),
        ]
        async with engine.begin() as conn:
            for actor, kind, target, detail in old:
                await conn.execute(
                    text(
                        "INSERT INTO audit_events (at, actor, action, target_kind, target_id, detail) "
                        "VALUES (:at, :actor, 'exported', :kind, :target, :detail)"
                    ),
                    {
                        "at": "2026-11-20 10:00:00.000000"
                        if engine.dialect.name == "sqlite"
                        else "2026-11-20T10:00:00+00:00",
                        "actor": actor,
                        "kind": kind,
                        "target": target,
                        "detail": json.dumps(detail),
                    },
                )
        await upgrade(engine)
        async with engine.connect() as conn:
            rows = (
                await conn.execute(text("SELECT action, target_id, detail FROM audit_events ORDER BY id"))
            ).all()
        assert [r.target_id for r in rows if r.action == "exported"] == [
            "worker-a",
            "harbour",
            "worker-a",
            "HX-2291",
        ]
        rewritten = [json.loads(r.detail) for r in rows if r.action == "audit_rewritten"]
        assert rewritten == [{"rows": 3, "change": "export_target_name_to_id"}]
        with pytest.raises(StorageError, match="append-only"):  # the trigger is back
            async with Store(engine).connection() as conn:
                await conn.execute(text("UPDATE audit_events SET target_id = 'Worker A'"))
    finally:
        await engine.dispose()


async def test_migration_0002_goes_down_and_up_again(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        await upgrade(engine)

        def down(connection: Connection) -> None:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.downgrade(config, "0001")

        async with engine.begin() as conn:
            await conn.run_sync(down)
        assert await current_revision(engine) == "0001"
        await upgrade(engine)
        assert await current_revision(engine) not in (None, "0001")
    finally:
        await engine.dispose()
