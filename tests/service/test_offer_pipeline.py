"""The offer through the whole pipeline (engine + router + storage, one transaction a turn):
an export taken from an offer is made outside the lock like any export, with the question
asked again meanwhile; a reminders command next lets the offer lapse; nothing runs twice."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.service import ReflectionService
from bot.turns import ConversationKey, Incoming, TurnResult
from storage.database import create_engine
from storage.migrate import upgrade
from storage.repository import Store
from storage.tables import ReminderRow, SessionRow

KEY = ConversationKey(platform="console", workspace="local", channel="c1", user="worker-a")


@pytest.fixture(params=["sqlite", "postgresql"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    """A real SQLite file, and a private PostgreSQL server's fresh database."""
    url = f"sqlite:///{tmp_path}/offer.db"
    if request.param == "postgresql":
        url = str(request.getfixturevalue("postgres_db_url"))
    engine = create_engine(url)
    await upgrade(engine)
    opened = Store(engine)
    yield opened
    await opened.close()


async def say(service: ReflectionService, text: str, event_id: str | None = None) -> TurnResult:
    return await service.handle(Incoming(key=KEY, text=text, event_id=event_id))


def text_of(result: TurnResult) -> str:
    return "\n".join(m.text for m in result.messages)


async def session_now(store: Store) -> tuple[str | None, list[tuple[str, str, bool]], object]:
    async with store.read() as tx:
        session = await tx.load_session(str(await tx.db.scalar(select(SessionRow.id))))
    assert session is not None
    step = session.cursor.step_id if session.cursor else None
    return step, [(a.step_id, a.text, a.superseded) for a in session.answers], session.offer


async def reminders(store: Store) -> int:
    async with store.read() as tx:
        return await tx.db.scalar(select(func.count()).select_from(ReminderRow)) or 0


async def at_feeling(service: ReflectionService) -> None:
    await say(service, "start quick checkin")
    await say(service, "hx 1234")


async def test_do_the_export_makes_it_outside_the_turn_and_asks_again(
    service: ReflectionService, store: Store
) -> None:
    await at_feeling(service)
    offered = await say(service, "export month pdf")
    assert "reads like an export" in text_of(offered)
    done = await say(service, "yes do the expot")
    said = text_of(done)
    assert "set those words aside" in said
    assert "how are you feeling" in said.lower()  # the question again, while the export is made
    assert "nothing to export" in said  # the export's own reply (no finished notes yet)
    step, answers, offer = await session_now(store)
    assert step == "one_feeling"
    assert answers[-1] == ("one_feeling", "export month pdf", True)
    await say(service, "wiped out")
    step, answers, offer = await session_now(store)
    assert offer is None and step == "one_child_thing"
    assert ("one_feeling", "wiped out", False) in answers


async def test_a_command_next_lets_the_offer_lapse(service: ReflectionService, store: Store) -> None:
    await at_feeling(service)
    await say(service, "visit HX-2291 tmrw 10am")
    assert (await session_now(store))[2] is not None
    await say(service, "cancel reminder 1")  # a command in its own right: the offer goes
    step, _, offer = await session_now(store)
    assert offer is None and step == "one_child_thing"
    said = text_of(await say(service, "make it a reminder"))  # now just an answer
    assert "set those words aside" not in said
    assert await reminders(store) == 0
    assert ("one_child_thing", "make it a reminder", False) in (await session_now(store))[1]


async def test_a_repeated_switch_runs_once(service: ReflectionService, store: Store) -> None:
    await at_feeling(service)
    await say(service, "visit HX-2291 tmrw 10am")
    first = await say(service, "reminder pls", event_id="ev-1")
    again = await say(service, "reminder pls", event_id="ev-1")
    assert "set those words aside" in text_of(first)
    assert again.duplicate
    assert await reminders(store) == 1
    step, answers, _ = await session_now(store)
    assert step == "one_feeling"
    assert [a for a in answers if a[0] == "one_feeling"] == [("one_feeling", "visit HX-2291 tmrw 10am", True)]
