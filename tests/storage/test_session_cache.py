"""A process keeps the sessions it last committed, so a turn need not read and decrypt every
answer again; the copy is used only while the stored session is the same one. On SQLite and
a real PostgreSQL, with two stores over one database standing for two server processes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from bot.core.session import Answer, Session
from storage.database import create_engine
from storage.repository import Store

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def _session() -> Session:
    session = Session(
        id="s1", owner="slack:T1:U1", model_id="post_visit", model_version=1, platform="slack",
        started_at=NOW, updated_at=NOW,
    )  # fmt: skip
    session.answers.append(
        Answer(seq=1, step_id="senses", lens="senses", category="observation", text="cold flat", at=NOW)
    )
    return session


def _answer(seq: int, words: str) -> Answer:
    return Answer(
        seq=seq, step_id="senses", lens="senses", category="observation", text=words,
        at=NOW + timedelta(minutes=seq),
    )  # fmt: skip


@pytest.fixture
async def other(store: Store, database_url: str) -> AsyncIterator[Store]:
    """A second process's store over the same database."""
    second = Store(create_engine(database_url))
    yield second
    await second.close()


async def _add(store: Store, seq: int, words: str) -> None:
    async with store.turn("k") as tx:
        session = await tx.load_session("s1")
        assert session is not None
        session.answers.append(_answer(seq, words))
        await tx.save_session(session)


async def _texts(store: Store) -> list[str]:
    async with store.turn("k") as tx:
        session = await tx.load_session("s1")
    return [a.text for a in session.answers] if session else []


async def test_a_committed_save_is_kept_and_the_next_turn_uses_it(store: Store) -> None:
    async with store.turn("k") as tx:
        await tx.save_session(_session())
    assert store.sessions_cache.get("s1") is not None
    await _add(store, 2, "no toys")
    cached = store.sessions_cache.get("s1")
    assert cached is not None and [a.text for a in cached.answers] == ["cold flat", "no toys"]
    assert await _texts(store) == ["cold flat", "no toys"]


async def test_another_process_save_is_never_hidden_by_the_copy(store: Store, other: Store) -> None:
    async with store.turn("k") as tx:
        await tx.save_session(_session())
    assert await _texts(store) == ["cold flat"]  # cached here
    await _add(other, 2, "mum tearful")  # the other process answers the next question
    assert await _texts(store) == ["cold flat", "mum tearful"]
    await _add(store, 3, "baby asleep")
    assert await _texts(other) == ["cold flat", "mum tearful", "baby asleep"]


async def test_a_turn_that_rolls_back_leaves_the_copy_as_committed(store: Store) -> None:
    async with store.turn("k") as tx:
        await tx.save_session(_session())
    with pytest.raises(RuntimeError):
        async with store.turn("k") as tx:
            session = await tx.load_session("s1")
            assert session is not None
            session.answers.append(_answer(2, "never stored"))
            await tx.save_session(session)
            raise RuntimeError("the turn failed after saving")
    assert await _texts(store) == ["cold flat"]


async def test_a_loaded_session_shares_nothing_changeable_with_the_copy(store: Store) -> None:
    """Answers are shared with the copy, and frozen; everything else a turn gets is its own."""
    async with store.turn("k") as tx:
        await tx.save_session(_session())
    async with store.turn("k") as tx:
        session = await tx.load_session("s1")
        assert session is not None
        with pytest.raises(ValidationError):
            session.answers[0].text = "changed in memory, not saved"
        session.supersede({1})
        session.answers.append(_answer(2, "appended in memory, not saved"))
        session.case_ref = "HX-0000"
    async with store.turn("k") as tx:
        again = await tx.load_session("s1")
    assert again is not None and again.case_ref is None
    assert [(a.text, a.superseded) for a in again.answers] == [("cold flat", False)]


async def test_erasing_a_session_drops_the_copy(store: Store) -> None:
    async with store.turn("k") as tx:
        await tx.save_session(_session())
    async with store.turn("k") as tx:
        await tx.privacy.delete_sessions(["s1"])
    assert store.sessions_cache.get("s1") is None
    assert await _texts(store) == []


async def test_a_session_deleted_by_another_process_is_not_served_from_the_copy(
    store: Store, other: Store
) -> None:
    async with store.turn("k") as tx:
        await tx.save_session(_session())
    async with other.turn("k") as tx:
        await tx.privacy.delete_sessions(["s1"])
    assert store.sessions_cache.get("s1") is not None  # this process has not heard
    async with store.turn("k") as tx:
        assert await tx.load_session("s1") is None
