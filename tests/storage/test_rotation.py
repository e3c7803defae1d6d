"""Key rotation re-encrypts every field under the newest key and can be run again."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

from bot.engine.state import Answer, Session
from storage.crypto import FieldCipher
from storage.database import create_engine
from storage.migrate import upgrade
from storage.repository import Store
from storage.rotation import rotate_keys

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


async def test_rotation_moves_every_field_to_the_new_key(tmp_path: Path) -> None:
    old, new = FieldCipher.generate_key(), FieldCipher.generate_key()
    engine = create_engine(f"sqlite:///{tmp_path}/rot.db", cipher=FieldCipher([old]))
    await upgrade(engine)
    store = Store(engine)
    for n in range(7):
        session = Session(
            id=f"s{n}", owner="o", model_id="post_visit", model_version=1, platform="console",
            started_at=NOW, updated_at=NOW,
        )  # fmt: skip
        session.answers.append(
            Answer(seq=1, step_id="senses", lens="senses", category="observation", text=f"words {n}", at=NOW)
        )
        async with store.turn("k") as tx:
            await tx.save_session(session)

    reports = await rotate_keys(engine, FieldCipher([new, old]), batch_size=3)
    assert {r.table: r.rows for r in reports}["answers"] == 7
    again = await rotate_keys(engine, FieldCipher([new, old]), batch_size=3)  # an interrupted run restarts
    assert {r.table: r.rows for r in again}["answers"] == 7

    await store.close()
    store = Store(create_engine(f"sqlite:///{tmp_path}/rot.db", cipher=FieldCipher([new])))  # old key gone
    try:
        async with store.read() as tx:
            loaded = [await tx.load_session(f"s{n}") for n in range(7)]
            raw = (await tx.db.execute(text("SELECT text FROM answers"))).scalars().all()
        assert [s.answers[0].text for s in loaded if s] == [f"words {n}" for n in range(7)]
        assert all(value.startswith("enc:v1:") for value in raw)
    finally:
        await store.close()
