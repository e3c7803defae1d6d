"""The cipher is injected per engine, and database errors cross the storage boundary as the
bot's own `StorageError`, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from bot.core.errors import DecryptionError, ReflectError, StorageError
from bot.core.session import Answer, Session
from storage.crypto import FieldCipher
from storage.database import create_engine
from storage.migrate import upgrade
from storage.repository import Store

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def _session(session_id: str, words: str) -> Session:
    session = Session(
        id=session_id, owner="o", model_id="post_visit", model_version=1, platform="console",
        started_at=NOW, updated_at=NOW,
    )  # fmt: skip
    session.answers.append(
        Answer(seq=1, step_id="senses", lens="senses", category="observation", text=words, at=NOW)
    )
    return session


async def test_two_stores_in_one_process_each_use_their_own_key(tmp_path: Path) -> None:
    key_a, key_b = FieldCipher.generate_key(), FieldCipher.generate_key()
    a = Store(create_engine(f"sqlite:///{tmp_path}/a.db"), cipher=FieldCipher([key_a]))
    b = Store(create_engine(f"sqlite:///{tmp_path}/b.db"), cipher=FieldCipher([key_b]))
    for store, words in ((a, "words for a"), (b, "words for b")):
        await upgrade(store.engine)
        async with store.turn("k") as tx:
            await tx.save_session(_session("s1", words))
    async with a.read() as tx:
        loaded_a = await tx.load_session("s1")
        raw_a = await tx.db.scalar(text("SELECT text FROM answers"))
    async with b.read() as tx:
        loaded_b = await tx.load_session("s1")
    assert loaded_a is not None and loaded_a.answers[0].text == "words for a"
    assert loaded_b is not None and loaded_b.answers[0].text == "words for b"
    assert FieldCipher([key_a]).decrypt(raw_a) == "words for a"
    with pytest.raises(DecryptionError):
        FieldCipher([key_b]).decrypt(raw_a)  # b's key cannot read a's data
    await a.close()
    await b.close()


async def test_reading_with_the_wrong_key_is_a_storage_error_not_a_value_error(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/wrong.db"
    store = Store(create_engine(url), cipher=FieldCipher([FieldCipher.generate_key()]))
    await upgrade(store.engine)
    async with store.turn("k") as tx:
        await tx.save_session(_session("s1", "private words"))
    await store.close()

    other = Store(create_engine(url), cipher=FieldCipher([FieldCipher.generate_key()]))
    with pytest.raises(DecryptionError) as caught:
        async with other.read() as tx:
            await tx.load_session("s1")
    assert isinstance(caught.value, StorageError) and isinstance(caught.value, ReflectError)
    assert not isinstance(caught.value, ValueError)
    assert "private words" not in str(caught.value)
    await other.close()


async def test_a_database_error_crosses_the_boundary_as_storage_error(store: Store) -> None:
    with pytest.raises(StorageError) as caught:
        async with store.turn("k") as tx:
            await tx.db.execute(text("SELECT * FROM no_such_table"))
    assert isinstance(caught.value.__cause__, SQLAlchemyError)
    assert "SELECT" not in str(caught.value)  # the statement stays out of the message
    with pytest.raises(StorageError):
        async with store.read() as tx:
            await tx.db.execute(text("INSERT INTO processed_events (event_key) VALUES (NULL)"))


async def test_errors_of_our_own_pass_the_boundary_unchanged(store: Store) -> None:
    class Refused(ReflectError):
        pass

    with pytest.raises(Refused):
        async with store.turn("k"):
            raise Refused("no")
