"""Migration 0002 and the records queries on both back ends (SQLite file and PostgreSQL)."""

from __future__ import annotations

import io
import json
from collections.abc import AsyncIterator
from pathlib import Path

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


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/records.db"
    url: str = request.getfixturevalue("postgres_db_url")
    return url


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
