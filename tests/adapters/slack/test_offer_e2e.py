"""Slack, through the real Bolt app and the Web API mock: a whole command typed at a free-text
question is kept as the answer and read back; "Make it a reminder" (or typing it) makes the
reminder once, even when Slack delivers the switch twice, and asks the question again; "Keep
as my answer" (or typing it) leaves the words in the note."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from storage.tables import ReminderRow, SessionRow
from tests.adapters.slack.driver import SlackWorld, Worker, buttons, visible_text
from tests.support import slack_requests as sr

TYPED = "visit HX-2291 tmrw 10am"


async def reminders(world: SlackWorld) -> int:
    async with world.runtime.store.read() as tx:
        return await tx.db.scalar(select(func.count()).select_from(ReminderRow)) or 0


async def note_of(world: SlackWorld) -> str:
    """The stored note of the one reflection (as the worker's own copy)."""
    async with world.runtime.store.read() as tx:
        session_id = await tx.db.scalar(select(SessionRow.id))
        stored = await tx.latest_note(str(session_id))
    assert stored is not None
    return stored.markdown


async def answers(world: SlackWorld, step: str) -> tuple[list[str], list[str]]:
    """The live and the superseded answers filed under `step`."""
    async with world.runtime.store.read() as tx:
        session = await tx.load_session(str(await tx.db.scalar(select(SessionRow.id))))
    assert session is not None
    filed = [a for a in session.answers if a.step_id == step]
    return [a.text for a in filed if not a.superseded], [a.text for a in filed if a.superseded]


async def at_the_feeling_question(worker: Worker) -> None:
    await worker.say("start quick checkin")
    await worker.say("hx 1234")
    assert worker.question() == ("prompt", "one_feeling")


async def typed_the_visit(worker: Worker) -> dict[str, object]:
    replies = await worker.say(TYPED)
    offer = next(m for m in replies if "kept that as your answer" in visible_text(m))
    assert "HX-2291 tomorrow at 10:00" in visible_text(offer)
    labels = [element["text"]["text"] for _, element in buttons(offer)]
    assert labels == ["Make it a reminder", "Keep as my answer"]
    assert worker.question() == ("prompt", "one_child_thing")  # filed, as today
    return offer


async def finish(world: SlackWorld, worker: Worker, feeling: str | None) -> str:
    if feeling is not None:
        await worker.say(feeling)
    assert worker.question() == ("prompt", "one_child_thing")
    await worker.say("she hid behind nan the whole time")
    await worker.say("10 mins with my TM")
    await worker.say("private pls")
    assert worker.note_messages(), worker.texts()[-2:]
    return await note_of(world)


async def switched(world: SlackWorld, worker: Worker, replies: list[dict[str, object]]) -> None:
    texts = [visible_text(m) for m in replies]
    assert any("set those words aside" in t for t in texts)
    assert any("How did the visit" in t or "ask how the visit on HX-2291 went" in t for t in texts), texts
    assert worker.question() == ("prompt", "one_feeling")  # asked again
    assert await reminders(world) == 1
    assert sum("set those words aside" in t for t in worker.texts()) == 1  # the repeat did nothing
    assert not any("haven't changed anything" in t for t in worker.texts())


async def test_the_button_makes_it_a_reminder_once_and_asks_again(world: SlackWorld) -> None:
    worker = world.worker()
    await at_the_feeling_question(worker)
    await typed_the_visit(worker)
    click = worker.click_payload("offer:switch")
    before = len(worker.messages())
    await asyncio.gather(world.transport.interaction(click), world.transport.interaction(click))
    await world.settle()
    await switched(world, worker, worker.messages()[before:])
    note = await finish(world, worker, "knackered tbh")
    assert "knackered tbh" in note
    assert TYPED not in note
    assert await answers(world, "one_feeling") == (["knackered tbh"], [TYPED])  # kept, flagged
    assert await reminders(world) == 1


async def test_typing_make_it_a_remidner_twice_delivered_is_one_reminder(world: SlackWorld) -> None:
    worker = world.worker()
    await at_the_feeling_question(worker)
    await typed_the_visit(worker)
    payload = sr.message_event("make it a remidner pls", user=worker.user, channel=worker.dm)
    before = len(worker.messages())
    await asyncio.gather(world.transport.event(payload), world.transport.event(payload, retry_num=1))
    await world.transport.event(payload, retry_num=2)
    await world.settle()
    await switched(world, worker, worker.messages()[before:])
    note = await finish(world, worker, "bit shaky tbh")
    assert "bit shaky tbh" in note and TYPED not in note
    assert await answers(world, "one_feeling") == (["bit shaky tbh"], [TYPED])


async def test_the_keep_button_leaves_the_words_in_the_note(world: SlackWorld) -> None:
    worker = world.worker()
    await at_the_feeling_question(worker)
    await typed_the_visit(worker)
    replies = await worker.click("offer:keep")
    assert any("stays as your answer" in visible_text(m) for m in replies)
    note = await finish(world, worker, None)
    assert TYPED in note
    assert await answers(world, "one_feeling") == ([TYPED], [])
    assert await reminders(world) == 0


async def test_typing_no_its_my_answer_keeps_it(world: SlackWorld) -> None:
    worker = world.worker()
    await at_the_feeling_question(worker)
    await typed_the_visit(worker)
    replies = await worker.say("no its my answer")
    assert any("stays as your answer" in visible_text(m) for m in replies)
    note = await finish(world, worker, None)
    assert TYPED in note
    assert await reminders(world) == 0


async def test_the_offer_lapses_with_an_ordinary_answer(world: SlackWorld) -> None:
    worker = world.worker()
    await at_the_feeling_question(worker)
    await typed_the_visit(worker)
    await worker.say("she hid behind nan the whole time")  # the next answer, not a reply to the offer
    assert worker.question() == ("prompt", "one_need")
    replies = await worker.say("make it a reminder")  # too late: an answer like any other
    assert not any("set those words aside" in visible_text(m) for m in replies)
    assert await reminders(world) == 0
