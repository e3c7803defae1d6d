"""A worker sets their working pattern, goes on leave and sets their own check-in, in chat,
through the service on SQLite and PostgreSQL; the runner delivers what falls due."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.service import ReflectionService
from bot.turns import ConversationKey, Incoming
from storage.repository import Store
from tests.reminders.test_delivery import Inbox, Nudges, open_store
from tests.service.conftest import Clock

KEY = ConversationKey(platform="slack", workspace="T1", channel="D1", user="U1")
OWNER = "slack:T1:U1"


@pytest.fixture
async def clock() -> AsyncIterator[Clock]:
    c = Clock()
    c.now = datetime(2026, 12, 1, 11, 0, tzinfo=UTC)  # Tuesday 1 December, 11:00 in London
    yield c


@pytest.fixture
async def store(db_url: str) -> AsyncIterator[Store]:
    opened = await open_store(db_url)
    yield opened
    await opened.close()


async def say(service: ReflectionService, text: str) -> str:
    result = await service.handle(Incoming(key=KEY, text=text, tz="Europe/London"))
    return "\n".join(m.text for m in result.messages)


async def pending(store: Store) -> list[tuple[str, datetime]]:
    async with store.read() as tx:
        return [(r.kind, r.due_at) for r in await tx.reminders.pending_for(OWNER)]


async def test_a_part_time_pattern_is_read_back_corrected_and_respected(store: Store, clock: Clock) -> None:
    service = ReflectionService(store, clock=clock)
    reply = await say(service, "i work mon tue wed")
    assert "So you work Mon to Wed 09:00 to 17:30." in reply
    assert "bank holidays in England and Wales" in reply
    reply = await say(service, "my hours are 8 till 4")  # a correction keeps the days
    assert "Mon to Wed 08:00 to 16:00" in reply
    reply = await say(service, "i work mon-thu 9-5, fri 9-1")
    assert "Mon to Thu 09:00 to 17:00; Fri 09:00 to 13:00." in reply
    reply = await say(service, "i dont work fridays")
    assert "Mon to Thu 09:00 to 17:00." in reply and "Fri" not in reply.split("\n")[0]
    assert "Mon to Thu 09:00 to 17:00" in await say(service, "my working pattern")

    # Wednesday 2 December, a visit at 16:30: the hour after is 17:30, after their day.
    clock.now = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
    reply = await say(service, "visit HX-2291 16:30")
    assert "09:00 Thursday 03 December" in reply and "outside your working hours" in reply
    # Fridays now off: a Thursday-evening visit waits for Monday.
    reply = await say(service, "visit HX-3107 thursday 16:30")
    assert "09:00 Monday 07 December" in reply

    # Back to a full week with Fridays? No: the worker moves to Scotland's bank holidays.
    assert "bank holidays in Scotland" in await say(service, "im in scotland")
    # Supervision on 1 January is a bank holiday everywhere: the reply says so.
    reply = await say(service, "supervision every 4 weeks from 2027-01-01")
    assert "Friday 1 January is a bank holiday (New Year's Day)" in reply


async def test_leave_holds_reminders_and_brings_them_back_once_as_a_summary(
    store: Store, clock: Clock
) -> None:
    service = ReflectionService(store, clock=clock)
    await say(service, "visit HX-2291 14:00")  # asked at 15:00 today
    await say(service, "visit HX-3107 thursday 11:00")  # asked at 12:00 Thursday
    reply = await say(service, "off til the 14th")
    assert "I'll hold your reminders until Monday 14 December" in reply
    assert "2 reminders due while you're away will come then, in one message" in reply
    assert [k for k, _ in await pending(store)] == ["while_away"]

    inbox = Inbox()
    runner = Nudges(store, inbox, clock)
    for day in (1, 3, 4, 11):  # nothing while away
        clock.now = datetime(2026, 12, day, 16, 0, tzinfo=UTC)
        assert await runner.run_once() == 0
    clock.now = datetime(2026, 12, 14, 9, 0, tzinfo=UTC)
    assert await runner.run_once() == 1
    assert await runner.run_once() == 0
    ((_item, message),) = inbox.got
    text = message.text
    assert "While you were away, 2 reminders waited" in text
    assert "HX-2291" in text and "HX-3107" in text and "Tuesday 1 December" in text


async def test_back_early_brings_held_reminders_now(store: Store, clock: Clock) -> None:
    service = ReflectionService(store, clock=clock)
    await say(service, "visit HX-2291 14:00")
    reply = await say(service, "away until 12 dec")  # a Saturday: back Monday 14th
    assert "until Monday 14 December" in reply and "Saturday 12 December is a day you don't work" in reply
    assert "1 reminder due while you're away will come then" in reply
    clock.now = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
    reply = await say(service, "im back")
    assert "1 reminder waited while you were away; it comes at 10:00 today" in reply
    assert await pending(store) == [("after_visit", datetime(2026, 12, 3, 10, 0, tzinfo=UTC))]
    assert "not on leave" in await say(service, "i'm back")


async def test_a_recurring_check_in_is_offered_respects_leave_and_stops(store: Store, clock: Clock) -> None:
    service = ReflectionService(store, clock=clock)
    reply = await say(service, "check in with me every friday at 3")
    assert "every Friday at 15:00" in reply and "15:00 Friday 4 December" in reply
    inbox = Inbox()
    runner = Nudges(store, inbox, clock)
    clock.now = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)
    assert await runner.run_once() == 1
    ((_item, message),) = inbox.got
    assert "Checking in, as you asked" in message.text
    assert message.buttons[0].value == "start:quick_checkin"
    # The next one was scheduled with the claim: Friday 11th.
    assert await pending(store) == [("checkin", datetime(2026, 12, 11, 15, 0, tzinfo=UTC))]

    # Away over the 11th and 18th: the check-ins during leave are skipped, not saved up.
    clock.now = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
    assert "until Monday 21 December" in await say(service, "on leave till the 21st")
    assert await pending(store) == [("checkin", datetime(2026, 12, 29, 9, 0, tzinfo=UTC))]
    # (Friday 25th is Christmas Day, Monday 28th the Boxing Day substitute: Tuesday 29th.)

    # every other Monday replaces it: from the 14th, so the first after leave is the 28th,
    # the Boxing Day substitute bank holiday, and it comes on the Tuesday; then it stops.
    reply = await say(service, "every other monday 9am")
    assert "every other Monday at 09:00" in reply and "09:00 Tuesday 29 December" in reply
    assert "Monday 09:00 falls on a bank holiday (Boxing Day" in reply
    assert [k for k, _ in await pending(store)] == ["checkin"]
    assert "Stopped" in await say(service, "stop my check-in")
    assert await pending(store) == []
    assert "don't have a check-in" in await say(service, "stop check ins")
    clock.now = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)
    assert await runner.run_once() == 0


async def test_in_a_reflection_pattern_words_are_a_command_only_at_a_choice(
    store: Store, clock: Clock
) -> None:
    service = ReflectionService(store, clock=clock)
    await say(service, "reflect")
    await say(service, "HX-2291")  # the case reference; then the visit type (a choice)
    reply = await say(service, "i dont work fridays")  # no choice reads like that: a command
    assert "So you work Mon to Thu" in reply
    await say(service, "unannounced, school rang")  # the choice; next a question in own words
    reply = await say(service, "i work mon tue wed")  # here the words are the answer
    assert "So you work" not in reply
    async with store.read() as tx:
        pattern = await tx.patterns.get(OWNER)
    assert pattern is not None and pattern.shifts is not None and sorted(pattern.shifts) == [0, 1, 2, 3]


async def test_erasing_a_worker_removes_their_working_pattern(tmp_path: Path, clock: Clock) -> None:
    from bot.privacy.erasure import erase
    from tests.privacy.conftest import add_person

    store = await open_store(f"sqlite:///{tmp_path}/erase.db")
    service = ReflectionService(store, clock=clock)
    async with store.turn("seed") as tx:
        await add_person(tx, "worker-a", OWNER)
    await say(service, "i work mon tue wed")
    await say(service, "away until 12 dec")
    async with store.read() as tx:
        assert await tx.patterns.get(OWNER) is not None
    await erase(store, "person", "worker-a", "dpo-a", clock.now)
    async with store.read() as tx:
        assert await tx.patterns.get(OWNER) is None
    await store.close()


async def test_a_supervision_cadence_reminds_each_person_in_their_own_working_time(
    store: Store, clock: Clock
) -> None:
    service = ReflectionService(store, clock=clock)
    supervisee = ConversationKey(platform="slack", workspace="T1", channel="D2", user="U2")
    reply = await service.handle(Incoming(key=supervisee, text="i dont work mondays", tz="Europe/London"))
    assert "Tue to Fri 09:00 to 17:30" in reply.messages[0].text
    # Supervision on Wednesday 9 December: two days ahead is Monday 7th.
    await say(service, "supervision every 4 weeks from 2026-12-09 with <@U2>")
    async with store.read() as tx:
        mine = [r.due_at for r in await tx.reminders.pending_for(OWNER)]
        theirs = [r.due_at for r in await tx.reminders.pending_for("slack:T1:U2")]
    assert mine[0] == datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
    assert theirs[0] == datetime(2026, 12, 8, 9, 0, tzinfo=UTC)  # their Monday off: Tuesday


def test_the_councils_bank_holiday_region_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.config import load_settings
    from bot.errors import ConfigError

    assert load_settings().bank_holidays_region == "england-and-wales"
    monkeypatch.setenv("REFLECT_BANK_HOLIDAYS_REGION", "scotland")
    assert load_settings().bank_holidays_region == "scotland"
    monkeypatch.setenv("REFLECT_BANK_HOLIDAYS_REGION", "wales-only")
    with pytest.raises(ConfigError, match="REFLECT_BANK_HOLIDAYS_REGION"):
        load_settings()


async def test_a_scottish_council_skips_the_second_of_january(tmp_path: Path) -> None:
    store = await open_store(f"sqlite:///{tmp_path}/scotland.db")
    clock = Clock()
    clock.now = datetime(2025, 12, 31, 12, 0, tzinfo=UTC)
    service = ReflectionService(store, clock=clock, bank_holidays_region="scotland")
    reply = await say(service, "check in with me every friday at 10")
    # Friday 2 January 2026 is a bank holiday in Scotland: the first comes on Monday 5th.
    assert "09:00 Monday 5 January" in reply and "bank holiday" in reply
    reply = await say(service, "bank holidays england")  # this worker's own region
    assert "bank holidays in England and Wales" in reply
    # the check-in waiting for Monday comes back to Friday 2nd, 10:00
    assert await pending(store) == [("checkin", datetime(2026, 1, 2, 10, 0, tzinfo=UTC))]
    await store.close()


async def test_a_cadence_set_while_the_supervisee_is_away_waits_as_one_message(
    store: Store, clock: Clock
) -> None:
    service = ReflectionService(store, clock=clock)
    supervisee = ConversationKey(platform="slack", workspace="T1", channel="D2", user="U2")
    away = await service.handle(Incoming(key=supervisee, text="away until 4th jan", tz="Europe/London"))
    assert "until Monday 4 January" in away.messages[0].text
    # Supervision every 2 weeks from 9 December: the 9th and 23rd fall while they are away.
    await say(service, "supervision every 2 weeks from 2026-12-09 with <@U2>")
    async with store.read() as tx:
        theirs = [(r.kind, r.due_at) for r in await tx.reminders.pending_for("slack:T1:U2")]
    assert theirs[0] == ("while_away", datetime(2027, 1, 4, 9, 0, tzinfo=UTC))
    assert all(kind == "supervision" and due > theirs[0][1] for kind, due in theirs[1:])
