"""Where workers already are: the "Reflect on this message" shortcut, and their own time zone
from users.info for reminders. Signed requests to the real app, the mock Web API behind it."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import text

from bot.adapters.slack.translate import SHORTCUT_CALLBACK
from tests.adapters.slack.driver import SlackWorld, visible_text
from tests.support import slack_requests as sr
from tests.support.fuzz import captured_logs

BOOKING = "home visit booked for hx 3107 thurs 2pm, mum asked for afternoons. bring the genogram"


async def rows(world: SlackWorld, sql: str) -> list[Any]:
    async with world.runtime.store.connection() as conn:
        return list(await conn.execute(text(sql)))


async def test_the_message_shortcut_starts_a_reflection_in_the_dm_with_the_case_filled(
    world: SlackWorld,
) -> None:
    mock, sam = world.mock, world.worker()
    root = logging.getLogger()
    with captured_logs() as (stream, records):
        level = root.level
        root.setLevel(logging.DEBUG)  # Bolt's and the SDK's own debug logs too
        try:
            reply = await world.transport.interaction(sr.message_action(SHORTCUT_CALLBACK, BOOKING))
            await world.settle()
        finally:
            root.setLevel(level)
    assert reply.status == 200

    # the DM was opened for Sam (the shortcut was used in a channel) and the reflection began there
    assert mock.calls_for("conversations.open", ok_only=True)
    posted = sam.messages()
    assert posted, "nothing was posted in the DM"
    assert not mock.messages_in("C0VISITS01")  # nothing in the channel the message was in
    [(case_ref, status)] = await rows(world, "SELECT case_ref, status FROM sessions")
    assert case_ref == "HX-3107" and status == "in_progress"
    assert sam.question() is not None and sam.question() != ("prompt", "case_ref")

    # the message itself went nowhere: not stored in clear, not logged, not echoed back
    for phrase in ("genogram", "afternoons"):
        assert phrase not in stream.getvalue()
        assert not [r for r in records.records if phrase in r.getMessage()]
        assert not any(phrase in visible_text(m) for m in posted)

    # typing on from there is the same reflection
    before = len(posted)
    await sam.say("unannounced, the school rang")
    assert len(sam.messages()) > before
    assert len(await rows(world, "SELECT id FROM sessions")) == 1


async def test_a_message_without_a_case_reference_starts_at_the_first_question(world: SlackWorld) -> None:
    sam = world.worker()
    payload = sr.message_action(SHORTCUT_CALLBACK, "can someone cover duty tmrw morning? ta")
    assert (await world.transport.interaction(payload)).status == 200
    await world.settle()
    assert sam.question() == ("prompt", "case_ref")
    [(case_ref,)] = await rows(world, "SELECT case_ref FROM sessions")
    assert case_ref is None


async def test_reminders_use_the_time_zone_slack_knows(world: SlackWorld) -> None:
    mock = world.mock
    mock.add_user("U0BELFAST1", tz="America/New_York")  # on secondment; Slack says so
    worker = world.worker("U0BELFAST1")
    await worker.say("visit HX-2291 14:00")
    await worker.say("reminders")
    [(tz,)] = await rows(world, "SELECT tz FROM reminders")
    assert tz == "America/New_York"
    asked = mock.calls_for("users.info")
    assert [c.params.get("user") for c in asked] == ["U0BELFAST1"]  # asked once, then cached


async def test_when_users_info_fails_the_worker_is_taken_to_be_in_london(world: SlackWorld) -> None:
    mock = world.mock
    mock.add_user("U0NOWHERE1", tz="Asia/Kolkata")
    mock.fail_next("users.info", error="ratelimited", status=200, times=3)
    worker = world.worker("U0NOWHERE1")
    replies = await worker.say("visit hx 4410 at 3pm")
    assert replies  # the turn went on
    [(tz,)] = await rows(world, "SELECT tz FROM reminders")
    assert tz == "Europe/London"
