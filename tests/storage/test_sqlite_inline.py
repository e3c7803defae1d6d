"""SQLite runs on the event loop's own thread (storage/database.py), and what a turn commits
is in the file when the call returns: another connection, as a restarted process would open,
reads it at once."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from bot.core.session import Conversation
from storage.crypto import FieldCipher
from storage.database import _InlineCursor, create_engine
from storage.inbox_repository import Accepted
from storage.migrate import upgrade
from storage.repository import Store

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


@pytest.fixture
async def sqlite_store(tmp_path: Path) -> AsyncIterator[Store]:
    engine = create_engine(
        f"sqlite:///{tmp_path}/inline.db", cipher=FieldCipher([FieldCipher.generate_key()])
    )
    await upgrade(engine)
    store = Store(engine)
    yield store
    await store.close()


def _rows(path: Path, table: str) -> int:
    with sqlite3.connect(path) as other:
        return int(other.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


async def test_statements_run_on_the_loops_thread(sqlite_store: Store) -> None:
    async with sqlite_store.read() as tx:
        raw = await tx.connection.get_raw_connection()
        raw.driver_connection._conn.create_function("thread_id", 0, threading.get_ident)
        ran_on = (await (await tx.core()).execute(text("SELECT thread_id()"))).scalar()
        through_the_async_api = (await tx.connection.execute(text("SELECT thread_id()"))).scalar()
    assert ran_on == through_the_async_api == threading.get_ident()


async def test_a_turns_statements_skip_the_async_apis_greenlet(
    sqlite_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing a SQLite statement does waits, so the hot path runs it on the synchronous
    connection; the ORM (the async API) still goes through SQLAlchemy's greenlet, whose await
    is the cursor's `_execute_async`."""
    awaited: list[str] = []
    through_greenlet = _InlineCursor._execute_async

    async def spy(self: _InlineCursor, operation: Any, parameters: Any) -> Any:
        awaited.append(operation)
        return await through_greenlet(self, operation, parameters)

    monkeypatch.setattr(_InlineCursor, "_execute_async", spy)
    async with sqlite_store.turn("slack:T1:U1") as tx:
        assert (await (await tx.core()).execute(text("SELECT 'core'"))).scalar() == "core"
        assert awaited == []
        assert (await tx.db.execute(text("SELECT 'orm'"))).scalar() == "orm"
    assert awaited == ["SELECT 'orm'"]


async def test_an_accepted_event_is_in_the_file_before_accept_returns(
    sqlite_store: Store, tmp_path: Path
) -> None:
    async def deliver() -> Accepted:  # Slack sends the same event twice
        async with sqlite_store.write() as tx:
            return await tx.inbox.accept(
                event_key="slack:T1:D1:U1:Ev1",
                lane="slack:T1:U1",
                platform="slack",
                payload={"in": {"text": "visit HX-2291 tmrw 10am"}},
                now=NOW,
            )

    accepted = await deliver()
    assert accepted.fresh
    assert _rows(tmp_path / "inline.db", "inbox") == 1  # what a process started after a kill -9 reads
    again = await deliver()
    assert (again.id, again.fresh) == (accepted.id, False)
    assert _rows(tmp_path / "inline.db", "inbox") == 1


async def test_a_turn_saves_its_conversation_in_one_upsert_each_time(
    sqlite_store: Store, tmp_path: Path
) -> None:
    async with sqlite_store.turn("slack:T1:U1") as tx:
        await tx.save_conversation(Conversation(key="slack:T1:D1:U1", active_session_id="s1"), NOW)
    async with sqlite_store.turn("slack:T1:U1") as tx:
        await tx.save_conversation(Conversation(key="slack:T1:D1:U1", active_session_id=None), NOW)
    assert _rows(tmp_path / "inline.db", "conversations") == 1
    async with sqlite_store.read() as tx:
        loaded = await tx.load_conversation("slack:T1:D1:U1")
    assert loaded is not None and loaded.active_session_id is None
