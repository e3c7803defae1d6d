"""Teams, through the real Agents SDK endpoint: a whole command typed at a free-text question
is kept as the answer and read back on a card; "Make it a reminder" (pressed, or typed) makes
the reminder once, even when Teams delivers the same activity twice, and asks the question
again; "Keep as my answer" (pressed, or typed) leaves the words in the note."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from storage.tables import ReminderRow, SessionRow
from tests.adapters.teams.activities import execute
from tests.adapters.teams.driver import Connector, Posted, TeamsWorld, say

TYPED = "visit HX-2291 tmrw 10am"


async def reminders(world: TeamsWorld) -> int:
    async with world.runtime.store.read() as tx:
        return await tx.db.scalar(select(func.count()).select_from(ReminderRow)) or 0


async def filed(world: TeamsWorld, step: str) -> tuple[list[str], list[str]]:
    """The live and superseded answers under `step`, and where the session is."""
    async with world.runtime.store.read() as tx:
        session = await tx.load_session(str(await tx.db.scalar(select(SessionRow.id))))
    assert session is not None
    answers = [a for a in session.answers if a.step_id == step]
    return [a.text for a in answers if not a.superseded], [a.text for a in answers if a.superseded]


async def step_now(world: TeamsWorld) -> str | None:
    async with world.runtime.store.read() as tx:
        session = await tx.load_session(str(await tx.db.scalar(select(SessionRow.id))))
    assert session is not None
    return session.cursor.step_id if session.cursor else None


async def note_of(world: TeamsWorld) -> str:
    async with world.runtime.store.read() as tx:
        stored = await tx.latest_note(str(await tx.db.scalar(select(SessionRow.id))))
    assert stored is not None
    return stored.markdown


async def typed_the_visit(world: TeamsWorld, connector: Connector) -> Posted:
    await say(world, connector, "start quick checkin")
    await say(world, connector, "hx 1234")
    connector.clear()
    await say(world, connector, TYPED)
    offer = next(p for p in connector.posted if "kept that as your answer" in p.text)
    assert "HX-2291 tomorrow at 10:00" in offer.text
    assert offer.button_values() == ["offer:switch", "offer:keep"]
    assert [a["title"] for a in offer.actions() if "action" in a.get("data", {})] == [
        "Make it a reminder",
        "Keep as my answer",
    ]
    assert await step_now(world) == "one_child_thing"  # filed, as today
    return offer


async def finish(world: TeamsWorld, connector: Connector, feeling: str | None) -> str:
    if feeling is not None:
        await say(world, connector, feeling)
    assert await step_now(world) == "one_child_thing"
    for text in ("she hid behind nan the whole time", "10 mins with my TM", "private pls"):
        await say(world, connector, text)
    return await note_of(world)


def switched(connector: Connector) -> None:
    texts = connector.texts()
    assert sum("set those words aside" in t for t in texts) == 1
    assert any("ask how the visit on HX-2291 went" in t for t in texts), texts
    assert any("how are you feeling" in t.lower() for t in texts)  # the question again
    assert not any("haven't changed anything" in t for t in texts)


async def test_pressing_make_it_a_reminder_twice_delivered_makes_one(
    world: TeamsWorld, connector: Connector
) -> None:
    offer = await typed_the_visit(world, connector)
    press: dict[str, Any] = offer.button("Make it a reminder")
    connector.clear()
    activity = execute(press["data"], service_url=connector.service_url, activity_id="press-switch")
    await world.invoke(activity)
    await world.invoke(activity)  # Teams delivers the same activity again
    switched(connector)
    assert await reminders(world) == 1
    assert await step_now(world) == "one_feeling"
    note = await finish(world, connector, "knackered tbh")
    assert "knackered tbh" in note and TYPED not in note
    assert await filed(world, "one_feeling") == (["knackered tbh"], [TYPED])
    assert await reminders(world) == 1


async def test_typing_it_was_a_reminder_twice_delivered_makes_one(
    world: TeamsWorld, connector: Connector
) -> None:
    await typed_the_visit(world, connector)
    connector.clear()
    await say(world, connector, "oops it was ment to be a reminder", activity_id="typed-switch")
    await say(world, connector, "oops it was ment to be a reminder", activity_id="typed-switch")
    switched(connector)
    assert await reminders(world) == 1
    note = await finish(world, connector, "flat, bit teary in the car")
    assert "flat, bit teary in the car" in note and TYPED not in note
    assert await filed(world, "one_feeling") == (["flat, bit teary in the car"], [TYPED])


async def test_pressing_keep_leaves_the_words_in_the_note(world: TeamsWorld, connector: Connector) -> None:
    offer = await typed_the_visit(world, connector)
    connector.clear()
    await world.invoke(execute(offer.button("Keep as my answer")["data"], service_url=connector.service_url))
    assert any("stays as your answer" in t for t in connector.texts())
    note = await finish(world, connector, None)
    assert TYPED in note
    assert await filed(world, "one_feeling") == ([TYPED], [])
    assert await reminders(world) == 0


async def test_typing_nah_keep_it_leaves_the_words_in_the_note(
    world: TeamsWorld, connector: Connector
) -> None:
    await typed_the_visit(world, connector)
    connector.clear()
    await say(world, connector, "nah keep it")
    assert any("stays as your answer" in t for t in connector.texts())
    note = await finish(world, connector, None)
    assert TYPED in note
    assert await reminders(world) == 0
