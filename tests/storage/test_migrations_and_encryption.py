"""Migrations match the tables, and free text never reaches the database file in clear."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from bot.engine.state import Answer, Session
from storage.crypto import DecryptionError, FieldCipher
from storage.database import create_engine, normalise_url
from storage.migrate import upgrade
from storage.repository import Store
from storage.tables import Base

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
CANARY = "CANARY-7f3a-the-child-said-purple-elephant"


async def test_migrations_produce_exactly_the_declared_tables(database_url: str) -> None:
    engine = create_engine(database_url)
    await upgrade(engine)
    async with engine.connect() as conn:
        diff = await conn.run_sync(lambda c: compare_metadata(MigrationContext.configure(c), Base.metadata))
    await engine.dispose()
    assert diff == []


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("sqlite:///data/x.db", "sqlite+aiosqlite:///data/x.db"),
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite+aiosqlite:///x.db", "sqlite+aiosqlite:///x.db"),
        ("postgresql+psycopg://u:p@h:5/db", "postgresql+psycopg://u:p@h:5/db"),
    ],
)
def test_urls_get_their_async_drivers(given: str, expected: str) -> None:
    assert normalise_url(given) == expected


async def test_with_a_key_no_plaintext_reaches_the_sqlite_files(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path}/enc.db", cipher=FieldCipher([FieldCipher.generate_key()]))
    await upgrade(engine)
    store = Store(engine)
    session = Session(
        id="s1", owner="o", model_id="post_visit", model_version=1, platform="console",
        started_at=NOW, updated_at=NOW,
    )  # fmt: skip
    session.answers.append(
        Answer(seq=1, step_id="child_words", lens="child", category="observation", text=CANARY, at=NOW)
    )
    async with store.turn("k") as tx:
        await tx.save_session(session)
    async with store.read() as tx:
        loaded = await tx.load_session("s1")
        raw = await tx.db.scalar(text("SELECT text FROM answers"))
    assert loaded is not None and loaded.answers[0].text == CANARY
    assert raw.startswith("enc:v1:")
    files = list(tmp_path.glob("enc.db*"))
    assert any(f.name.endswith("-wal") for f in files)  # the WAL is checked too
    for path in files:
        assert CANARY.encode() not in path.read_bytes(), path.name
    await store.close()


def test_rotation_keeps_old_data_readable() -> None:
    old, new = FieldCipher.generate_key(), FieldCipher.generate_key()
    stored = FieldCipher([old]).encrypt("secret words")
    rotated = FieldCipher([new, old]).rotate(stored)
    assert FieldCipher([new]).decrypt(rotated) == "secret words"
    with pytest.raises(DecryptionError):
        FieldCipher([new]).decrypt(stored)
