"""Reminders are durable and delivered once: across restarts and racing processes."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.core.outbox import OutboxItem
from bot.outbox import GiveUp, Outbox
from bot.reminders.runner import ReminderRunner
from bot.service import ReflectionService
from bot.turns import ConversationKey, Incoming, Outgoing, TurnResult, outgoing_from_json
from storage.database import create_engine
from storage.migrate import upgrade
from storage.repository import Store
from tests.service.conftest import Clock
from tests.service.test_service import VISIT

KEY = ConversationKey(platform="slack", workspace="T1", channel="D1", user="U1")


class Inbox:
    """A platform the real outbox sends to: it records each nudge (or refuses, when told to)."""

    platform = "slack"

    def __init__(self) -> None:
        self.got: list[tuple[OutboxItem, Outgoing]] = []
        self.refuse = False
        self.tries = 0

    async def prepare(self, incoming: Incoming, address: dict[str, Any]) -> tuple[Incoming, dict[str, Any]]:
        return incoming, address

    def parts(self, item: OutboxItem) -> Sequence[Outgoing]:
        return [outgoing_from_json(m) for m in item.payload["messages"]]

    async def send_part(self, item: OutboxItem, index: int, part: Outgoing) -> None:
        self.tries += 1
        if self.refuse:
            raise GiveUp("account_inactive")
        self.got.append((item, part))

    async def delivered(self, item: OutboxItem, index: int, part: Outgoing) -> bool:
        return False

    async def gave_up(self, item: OutboxItem) -> None:
        pass

    async def after_turn(self, incoming: Incoming, result: TurnResult) -> None:
        pass


class Nudges:
    """The reminder runner over a real outbox; `run_once` returns once the outbox is idle."""

    def __init__(self, store: Store, inbox: Inbox, clock: Clock, worker: str | None = None) -> None:
        self.outbox = Outbox(store, clock)
        self.outbox.register(inbox)
        self.runner = ReminderRunner(store, self.outbox, clock, worker=worker)

    async def run_once(self) -> int:
        queued = await self.runner.run_once()
        await self.outbox.settle()
        return queued


def reminder_id(message: Outgoing) -> str:
    return next(b.value for b in message.buttons if b.value.startswith("reminder:snooze:")).rsplit(":", 1)[1]


async def open_store(url: str) -> Store:
    engine = create_engine(url)
    await upgrade(engine)
    return Store(engine)


@pytest.fixture
async def clock() -> AsyncIterator[Clock]:
    c = Clock()
    c.now = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # a Friday, noon in London
    yield c


async def say(service: ReflectionService, text: str, action: str | None = None) -> str:
    result = await service.handle(
        Incoming(key=KEY, text=None if action else text, action=action, tz="Europe/London")
    )
    return "\n".join(m.text for m in result.messages)


async def test_a_visit_is_followed_up_once_even_across_a_restart(db_url: str, clock: Clock) -> None:
    store = await open_store(db_url)
    reply = await say(ReflectionService(store, clock=clock), "visit HX-2291 14:00")
    assert "at 15:00 today" in reply
    await store.close()  # the server restarts

    store = await open_store(db_url)
    inbox = Inbox()
    runner = Nudges(store, inbox, clock)
    clock.now = datetime(2026, 11, 20, 14, 59, tzinfo=UTC)
    assert await runner.run_once() == 0
    clock.now = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
    assert await runner.run_once() == 1
    assert await runner.run_once() == 0
    ((item, message),) = inbox.got
    assert item.address["channel"] == "D1" and item.lane == "slack:T1:U1"
    assert "How did the visit on HX-2291 go?" in message.text
    assert "later than planned" not in message.text
    assert [b.value for b in message.buttons][:2] == [
        "start:post_visit:HX-2291",
        "start:quick_checkin:HX-2291",
    ]
    await store.close()


async def test_two_processes_racing_deliver_each_reminder_once(db_url: str, clock: Clock) -> None:
    first, second = await open_store(db_url), await open_store(db_url)  # two engines, two pools
    service = ReflectionService(first, clock=clock)
    for n in range(12):
        await say(service, f"visit HX-{n:04d} 13:00")
    clock.now = datetime(2026, 11, 20, 16, 0, tzinfo=UTC)
    inbox_a, inbox_b = Inbox(), Inbox()
    runners = [Nudges(first, inbox_a, clock, worker="a"), Nudges(second, inbox_b, clock, worker="b")]
    await asyncio.gather(*(r.run_once() for r in runners for _ in range(3)))
    delivered = [reminder_id(m) for _, m in inbox_a.got + inbox_b.got]
    assert len(delivered) == 12 and len(set(delivered)) == 12
    await first.close()
    await second.close()


async def test_a_reminder_missed_while_down_goes_out_late_and_says_so(tmp_path: Path, clock: Clock) -> None:
    store = await open_store(f"sqlite:///{tmp_path}/late.db")
    await say(ReflectionService(store, clock=clock), "visit HX-2291 14:00")
    clock.now = datetime(2026, 11, 23, 9, 5, tzinfo=UTC)  # the bot was down all weekend
    inbox = Inbox()
    assert await Nudges(store, inbox, clock).run_once() == 1
    assert "later than planned" in inbox.got[0][1].text
    await store.close()


async def test_snooze_list_cancel_and_not_this_one(tmp_path: Path, clock: Clock) -> None:
    store = await open_store(f"sqlite:///{tmp_path}/snooze.db")
    service = ReflectionService(store, clock=clock)
    await say(service, "visit HX-2291 14:00")
    await say(service, "visit HX-3003 tomorrow 10:00")
    listing = await say(service, "reminders")
    assert "1. Ask how the visit went (HX-2291): 15:00 today" in listing
    assert "2. Ask how the visit went (HX-3003): 09:00 Monday 23 November" in listing  # Saturday -> Monday
    assert "Cancelled" in await say(service, "cancel reminder 2")
    assert "HX-3003" not in await say(service, "reminders")

    inbox = Inbox()
    runner = Nudges(store, inbox, clock)
    clock.now = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
    await runner.run_once()
    snooze = next(b.value for b in inbox.got[0][1].buttons if b.value.startswith("reminder:snooze"))
    assert "16:00 today" in await say(service, "", action=snooze)
    clock.now = datetime(2026, 11, 20, 16, 0, tzinfo=UTC)
    assert await runner.run_once() == 1
    dismiss = next(b.value for b in inbox.got[1][1].buttons if b.value.startswith("reminder:dismiss"))
    assert "won't ask" in await say(service, "", action=dismiss)
    clock.now += timedelta(days=1)
    assert await runner.run_once() == 0
    await store.close()


async def test_a_refusing_platform_is_not_hammered(tmp_path: Path, clock: Clock) -> None:
    store = await open_store(f"sqlite:///{tmp_path}/fail.db")
    await say(ReflectionService(store, clock=clock), "visit HX-2291 14:00")
    inbox = Inbox()
    inbox.refuse = True  # the worker left: Slack answers account_inactive
    runner = Nudges(store, inbox, clock)
    clock.now = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
    assert await runner.run_once() == 1
    inbox.refuse = False
    clock.now += timedelta(hours=5)
    assert await runner.run_once() == 0  # a refusal is never retried by itself
    assert inbox.tries == 1 and inbox.got == []
    await store.close()


async def test_finishing_a_reflection_schedules_the_workers_own_actions(tmp_path: Path, clock: Clock) -> None:
    store = await open_store(f"sqlite:///{tmp_path}/actions.db")
    clock.now = datetime(2026, 11, 2, 14, 30, tzinfo=UTC)
    service = ReflectionService(store, clock=clock)
    for line in VISIT:
        await say(service, line)
    listing = await say(service, "reminders")
    assert "Action due (HX-2291): 09:00 Friday 06 November" in listing  # the worker's own ("me")
    assert "30 November" not in listing  # the health visitor's: not the worker's to be nudged about
    await store.close()


async def test_a_supervision_cadence_reminds_both_people_ahead(tmp_path: Path, clock: Clock) -> None:
    store = await open_store(f"sqlite:///{tmp_path}/cadence.db")
    service = ReflectionService(store, clock=clock)
    reply = await say(service, "supervision every 4 weeks from 2026-12-02 with <@U2>")
    assert "Supervision every 4 weeks with <@U2>: Wed 02 Dec 2026, Wed 30 Dec 2026, Wed 27 Jan 2027" in reply
    assert "09:00 Monday 30 November" in await say(service, "reminders")  # two days ahead
    inbox = Inbox()
    clock.now = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    assert await Nudges(store, inbox, clock).run_once() == 2
    owners = sorted(item.lane for item, _ in inbox.got)
    assert owners == ["slack:T1:U1", "slack:T1:U2"]
    texts = [m.text for _, m in inbox.got]
    assert all("Wednesday 02 December" in t and "bring" in t for t in texts)
    again = await say(
        service, "supervision every 4 weeks from 2026-12-02 with <@U2>"
    )  # set twice: no doubles
    assert "Supervision every 4 weeks" in again
    # Two days before 30 December is Monday 28th, the Boxing Day bank holiday (substitute
    # day) in England and Wales: both reminders wait for Tuesday morning.
    clock.now = datetime(2026, 12, 28, 9, 0, tzinfo=UTC)
    assert await Nudges(store, inbox, clock).run_once() == 0
    clock.now = datetime(2026, 12, 29, 9, 0, tzinfo=UTC)
    assert await Nudges(store, inbox, clock).run_once() == 2
    await store.close()


async def test_an_action_done_in_a_later_review_is_no_longer_nudged(tmp_path: Path, clock: Clock) -> None:
    store = await open_store(f"sqlite:///{tmp_path}/closed.db")
    clock.now = datetime(2026, 11, 2, 14, 30, tzinfo=UTC)
    service = ReflectionService(store, clock=clock)
    for line in VISIT:  # "Ring school / me / Friday" among the actions
        await say(service, line)
    assert "Action due (HX-2291): 09:00 Friday 06 November" in await say(service, "reminders")
    clock.now = datetime(2026, 11, 4, 10, 0, tzinfo=UTC)  # before it falls due
    await say(service, "reflect")
    await say(service, "hx 2291")
    for _ in range(12):  # the carried items come first: say where each stands
        listing = await say(service, "skip")
        if "Ring school" in listing:
            break
    noted = await say(service, "done, rang them this morning")
    assert "Noted: *Done*" in noted
    await say(service, "finish")
    listing = await say(service, "reminders")
    assert "Ring school" not in listing and "06 November" not in listing
    await store.close()
