"""Slack's retries, through the real Bolt app and the Web API mock: whatever the command, a
delivery Slack repeats (same event id, or the same trigger for a slash command) is done once."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from storage.tables import ReminderRow
from tests.adapters.slack.driver import SlackWorld
from tests.support import slack_requests as sr


async def reminders(world: SlackWorld) -> int:
    async with world.runtime.store.read() as tx:
        return await tx.db.scalar(select(func.count()).select_from(ReminderRow)) or 0


async def test_a_retried_visit_command_makes_one_reminder_and_one_reply(world: SlackWorld) -> None:
    worker = world.worker()
    payload = sr.message_event("visit HX-2291 tomorrow 10:00", user=worker.user, channel=worker.dm)
    replies = await asyncio.gather(
        world.transport.event(payload), world.transport.event(payload, retry_num=1)
    )
    await world.transport.event(payload, retry_num=2)
    await world.settle()
    assert all(r.status == 200 for r in replies)
    assert await reminders(world) == 1
    assert len(worker.messages()) == 1 and "HX-2291" in worker.texts()[0]


async def test_a_retried_slash_command_runs_once(world: SlackWorld) -> None:
    worker = world.worker()
    fields = sr.slash_command("visit HX-3003 14:00", user_id=worker.user, trigger_id="trig-1")
    await asyncio.gather(world.transport.command(fields), world.transport.command(fields))
    await world.settle()
    assert await reminders(world) == 1
    assert sum("HX-3003" in t for t in worker.texts()) == 1


async def test_a_retried_answer_is_stored_once_and_answered_once(world: SlackWorld) -> None:
    worker = world.worker()
    await worker.say("reflect")
    payload = sr.message_event("HX-2291", user=worker.user, channel=worker.dm)
    before = len(worker.messages())
    await asyncio.gather(*(world.transport.event(payload) for _ in range(3)))
    await world.settle()
    assert worker.question() == ("prompt", "visit_type")
    assert len(worker.messages()) - before == 1
