"""A session's answers have one home, the `answers` rows: the session's state JSON holds
everything else. Migration 0050 moves existing databases there without losing an answer.
Both on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import select, text, update

from bot.core.session import Answer, Session
from storage.crypto import FieldCipher
from storage.database import create_engine
from storage.migrate import upgrade
from storage.records_repository import SessionFilter
from storage.repository import Store
from storage.tables import AnswerRow, SessionRow

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def _session(status: str = "complete") -> Session:
    session = Session(
        id="s1", owner="slack:T1:U1", model_id="post_visit", model_version=1, platform="slack",
        started_at=NOW, updated_at=NOW, status=status,  # type: ignore[arg-type]
    )  # fmt: skip
    for seq, words in enumerate(["A cold flat.", "She smiled at me."], start=1):
        session.answers.append(
            Answer(seq=seq, step_id="senses", lens="senses", category="observation", text=words, at=NOW)
        )
    return session


async def test_the_state_json_holds_no_answers_and_the_rows_are_read(store: Store) -> None:
    async with store.turn("k") as tx:
        await tx.save_session(_session())
    async with store.read() as tx:
        state = await tx.db.scalar(select(SessionRow.state)) or ""
        assert "answers" not in json.loads(state)
        assert "A cold flat." not in state
        # Change a row: every reader sees the row, since there is no other copy that could
        # hide it (a process's cached copy is used only while the session's revision, which
        # every writer of its rows bumps, is unchanged: tests/storage/test_session_cache.py).
        await tx.db.execute(update(AnswerRow).where(AnswerRow.seq == 2).values(text="He cried."))
        await tx.db.execute(update(SessionRow).values(revision=SessionRow.revision + 1))
        loaded = await tx.load_session("s1")
        listed = await tx.sessions_for(owners=["slack:T1:U1"])
        page = await tx.records.session_page(SessionFilter(owners=frozenset({"slack:T1:U1"})), None, 10)
    assert loaded is not None and [a.text for a in loaded.answers] == ["A cold flat.", "He cried."]
    assert [a.text for a in listed[0].answers] == ["A cold flat.", "He cried."]
    assert [a.text for a in page.sessions[0].answers] == ["A cold flat.", "He cried."]


async def test_migration_0050_moves_answers_out_of_the_state_losing_none(database_url: str) -> None:
    key = FieldCipher.generate_key()
    engine = create_engine(database_url, cipher=FieldCipher([key]))
    await upgrade(engine, "0007")
    store = Store(engine)
    session = _session()
    cipher = FieldCipher([key])
    old_state = session.model_dump_json()  # how 0007 stored it: answers inside the state
    first = session.answers[0]
    async with engine.begin() as conn:  # the 0007 tables, written as that release did
        await conn.execute(
            text(
                "INSERT INTO sessions (id, owner, platform, model_id, model_version, status,"
                " started_at, updated_at, share_feelings, risk_flagged, state) VALUES"
                " ('s1', 'slack:T1:U1', 'slack', 'post_visit', 1, 'complete', :at, :at, false, false, :state)"
            ),
            {"at": NOW.replace(tzinfo=None), "state": cipher.encrypt(old_state)},
        )
        # only the first answer has a row: the second only the state knew about (not to be lost)
        await conn.execute(
            text(
                "INSERT INTO answers (session_id, seq, step_id, lens, category, text, at, private,"
                " superseded) VALUES ('s1', 1, 'senses', 'senses', 'observation', :text, :at, false, false)"
            ),
            {"text": cipher.encrypt(first.text), "at": NOW.replace(tzinfo=None)},
        )
    await upgrade(engine)
    async with store.read() as tx:
        state = json.loads(await tx.db.scalar(select(SessionRow.state)) or "")
        raw = (await tx.db.execute(text("SELECT text FROM answers ORDER BY seq"))).scalars().all()
        loaded = await tx.load_session("s1")
    assert "answers" not in state and state["owner"] == "slack:T1:U1"
    assert all(value.startswith("enc:v1:") for value in raw) and len(raw) == 2
    assert loaded is not None and [a.text for a in loaded.answers] == ["A cold flat.", "She smiled at me."]
    await store.close()
