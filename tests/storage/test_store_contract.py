"""The storage contract: what every back end must do for the service to be correct."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from bot.engine.state import ActionItem, Answer, Conversation, Hypothesis, Session
from storage.repository import Store
from storage.tables import AnswerRow, HypothesisRow

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
OWNER = "slack:T1:U1"


def make_session(session_id: str = "s1", status: str = "in_progress", case_ref: str = "HX-2291") -> Session:
    return Session(
        id=session_id,
        owner=OWNER,
        model_id="post_visit",
        model_version=1,
        platform="slack",
        case_ref=case_ref,
        status=status,  # type: ignore[arg-type]
        started_at=NOW,
        updated_at=NOW,
        ended_at=NOW if status == "complete" else None,
    )


def answer(seq: int, text: str) -> Answer:
    return Answer(seq=seq, step_id="senses", lens="senses", category="observation", text=text, at=NOW)


async def test_a_conversation_and_session_round_trip(store: Store) -> None:
    session = make_session()
    session.answers.append(answer(1, "Kitchen floor sticky — “quotes” and émojis 🙂 survive"))
    async with store.turn("k1") as tx:
        await tx.save_conversation(Conversation(key="k1", active_session_id="s1"), NOW)
        await tx.save_session(session)
    async with store.turn("k1") as tx:
        conversation = await tx.load_conversation("k1")
        loaded = await tx.load_session("s1")
    assert conversation is not None and conversation.active_session_id == "s1"
    assert loaded == session
    assert loaded.started_at.tzinfo is not None


async def test_saving_again_never_stores_an_answer_twice(store: Store) -> None:
    session = make_session()
    session.answers.append(answer(1, "first"))
    for _ in range(3):
        async with store.turn("k") as tx:
            await tx.save_session(session)
    session.answers.append(answer(2, "second"))
    session.supersede({1})
    async with store.turn("k") as tx:
        await tx.save_session(session)
    async with store.read() as tx:
        rows = (
            await tx.db.execute(select(AnswerRow.seq, AnswerRow.superseded).order_by(AnswerRow.seq))
        ).all()
    assert [tuple(r) for r in rows] == [(1, True), (2, False)]


async def test_a_failed_turn_leaves_nothing_behind(store: Store) -> None:
    session = make_session()
    try:
        async with store.turn("k") as tx:
            await tx.save_conversation(Conversation(key="k", active_session_id="s1"), NOW)
            await tx.save_session(session)
            raise RuntimeError("the process died here")
    except RuntimeError:
        pass
    async with store.turn("k") as tx:
        assert await tx.load_session("s1") is None
        assert await tx.load_conversation("k") is None


async def test_case_history_carries_completed_sessions_only(store: Store) -> None:
    done = make_session("done", "complete")
    done.hypotheses.append(
        Hypothesis(
            id="done:h1",
            case_ref="HX-2291",
            statement="Mum is isolated",
            session_id="done",
            step_id="hypotheses",
        )
    )
    done.actions.append(
        ActionItem(id="done:a1", case_ref="HX-2291", what="Ring school", session_id="done", step_id="actions")
    )
    paused = make_session("paused", "paused")
    paused.hypotheses.append(
        Hypothesis(
            id="paused:h1", case_ref="HX-2291", statement="Not yet", session_id="paused", step_id="hypotheses"
        )
    )
    other_case = make_session("other", "complete", case_ref="HX-9999")
    other_case.hypotheses.append(
        Hypothesis(
            id="other:h1", case_ref="HX-9999", statement="Elsewhere", session_id="other", step_id="hypotheses"
        )
    )
    async with store.turn("k") as tx:
        for s in (done, paused, other_case):
            await tx.save_session(s)
    async with store.read() as tx:
        history = await tx.case_history(OWNER, "HX-2291", exclude_session="new")
        strangers = await tx.case_history("slack:T1:U2", "HX-2291", exclude_session=None)
    assert [h.statement for h in history.hypotheses] == ["Mum is isolated"]
    assert [a.what for a in history.actions] == ["Ring school"]
    assert history.last_session_at == NOW
    assert strangers.hypotheses == [] and strangers.actions == []


async def test_review_updates_reach_the_carried_rows_when_the_session_completes(store: Store) -> None:
    done = make_session("done", "complete")
    done.hypotheses.append(
        Hypothesis(
            id="done:h1",
            case_ref="HX-2291",
            statement="Mum is isolated",
            session_id="done",
            step_id="hypotheses",
        )
    )
    async with store.turn("k") as tx:
        await tx.save_session(done)
    follow = make_session("next", "in_progress")
    follow.hypothesis_updates = {"done:h1": "set_aside"}
    async with store.turn("k") as tx:
        await tx.save_session(follow)  # not complete yet: no change
    async with store.read() as tx:
        assert await tx.db.scalar(select(HypothesisRow.status).where(HypothesisRow.id == "done:h1")) == "open"
    follow.status = "complete"
    async with store.turn("k") as tx:
        await tx.save_session(follow)
    async with store.read() as tx:
        assert (
            await tx.db.scalar(select(HypothesisRow.status).where(HypothesisRow.id == "done:h1"))
            == "set_aside"
        )
        assert (await tx.case_history(OWNER, "HX-2291", None)).hypotheses == []


async def test_turns_on_one_key_are_serialised(store: Store) -> None:
    """Twenty concurrent read-modify-write turns on one conversation lose no update."""

    async def add_one(n: int) -> None:
        async with store.turn("shared") as tx:
            session = await tx.load_session("s1") or make_session()
            await asyncio.sleep(0)  # give the other tasks every chance to interleave
            session.answers.append(answer(len(session.answers) + 1, f"answer {n}"))
            await tx.save_session(session)

    await asyncio.gather(*(add_one(n) for n in range(20)))
    async with store.read() as tx:
        count = await tx.db.scalar(select(func.count()).select_from(AnswerRow))
        loaded = await tx.load_session("s1")
    assert count == 20
    assert loaded is not None and sorted(a.text for a in loaded.answers) == sorted(
        f"answer {n}" for n in range(20)
    )


async def test_paused_sessions_newest_first(store: Store) -> None:
    older, newer = make_session("a", "paused"), make_session("b", "paused")
    newer.updated_at = NOW + timedelta(hours=1)
    async with store.turn("k") as tx:
        await tx.save_session(older)
        await tx.save_session(newer)
        await tx.save_session(make_session("c", "complete"))
    async with store.read() as tx:
        assert [p.session_id for p in await tx.paused_sessions(OWNER)] == ["b", "a"]


async def test_notes_are_versions_never_edits(store: Store) -> None:
    async with store.turn("k") as tx:
        await tx.save_session(make_session("s1", "complete"))
        assert await tx.save_note("s1", "# v1", OWNER, NOW) == 1
        assert await tx.save_note("s1", "# v2", OWNER, NOW) == 2
    async with store.read() as tx:
        latest = await tx.latest_note("s1")
    assert latest is not None and (latest.version, latest.markdown) == (2, "# v2")
