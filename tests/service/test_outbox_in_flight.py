"""A part whose post was under way when its sender died is looked for before it is posted
again (issue 14): found, it is not sent twice; not found, or the platform can't say, it is.

The real outbox on a real SQLite file; the platform is a recording surface whose history
says what arrived. The multiprocess version (a real server killed with SIGKILL between the
post and marking it sent, against the Slack mock) is in tests/multiprocess/test_crash.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.core.outbox import OutboxItem
from bot.outbox import Outbox, Retry
from bot.turns import Incoming, TurnResult
from storage import inbox_repository
from storage.repository import Store
from storage.tables import OutboxRow
from tests.service.conftest import Clock
from tests.support.outbox_rows import stored_reply

LANE = "slack:T1:U1"


@dataclass
class Platform:
    """Takes posts; its history holds what arrived, including a post a dead sender made."""

    platform: str = "slack"
    history: list[tuple[int, int]] = field(default_factory=list)
    posts: list[tuple[int, int, str]] = field(default_factory=list)
    asked: int = 0
    unreachable: bool = False
    failures: list[tuple[Retry, bool]] = field(default_factory=list)  # (error, whether it got there)

    async def prepare(self, incoming: Incoming, address: dict[str, Any]) -> tuple[Incoming, dict[str, Any]]:
        return incoming, address

    def parts(self, item: OutboxItem) -> Sequence[str]:
        return [str(m["text"]) for m in item.payload["messages"]]

    async def send_part(self, item: OutboxItem, index: int, part: str) -> None:
        if self.failures:
            error, arrived = self.failures.pop(0)
            if arrived:
                self.history.append((item.id, index))
            raise error
        self.posts.append((item.id, index, part))
        self.history.append((item.id, index))

    async def delivered(self, item: OutboxItem, index: int, part: str) -> bool:
        self.asked += 1
        if self.unreachable:
            raise Retry("service_unavailable")
        return (item.id, index) in self.history

    async def gave_up(self, item: OutboxItem) -> None:
        pass

    async def after_turn(self, incoming: Incoming, result: TurnResult) -> None:
        pass


async def stored_mid_post(store: Store, clock: Clock) -> int:
    """A two-part reply whose first part a sender had started posting when it died."""
    row_id = await stored_reply(store, LANE, ["ok, noted", "what did the child say?"], clock())
    await inbox_repository.mark_sending(store, row_id, 0, clock() + timedelta(seconds=1))
    clock.advance(seconds=5)  # the dead sender's lease runs out
    return row_id


def outbox(store: Store, clock: Clock, platform: Platform) -> Outbox:
    box = Outbox(store, clock, attempts=2, max_wait=0.0)
    box.register(platform)
    return box


@pytest.mark.parametrize("arrived", [True, False], ids=["it-arrived", "it-never-arrived"])
async def test_a_part_in_flight_at_a_crash_is_sent_once(store: Store, clock: Clock, arrived: bool) -> None:
    row_id = await stored_mid_post(store, clock)
    platform = Platform(history=[(row_id, 0)] if arrived else [])
    box = outbox(store, clock, platform)
    await box.resume()
    await box.settle()
    assert platform.asked == 1
    sent = [(i, part) for _, i, part in platform.posts]
    assert sent == (
        [(1, "what did the child say?")] if arrived else [(0, "ok, noted"), (1, "what did the child say?")]
    )
    assert sorted(platform.history) == [(row_id, 0), (row_id, 1)]  # each part once, in the end
    async with store.read() as tx:
        row = await tx.db.scalar(select(OutboxRow).where(OutboxRow.id == row_id))
    assert row is not None and row.status == "sent" and row.sending is None


async def test_when_the_platform_cant_say_the_part_is_sent_again(store: Store, clock: Clock) -> None:
    await stored_mid_post(store, clock)
    platform = Platform(unreachable=True)
    box = outbox(store, clock, platform)
    await box.resume()
    await box.settle()
    assert platform.asked == 2  # retried, then given up on asking: twice is better than never
    assert [i for _, i, _ in platform.posts] == [0, 1]


async def test_a_reply_sent_without_trouble_never_asks(store: Store, clock: Clock) -> None:
    await stored_reply(store, LANE, ["hiya"], clock())
    platform = Platform()
    box = outbox(store, clock, platform)
    await box.resume()
    await box.settle()
    assert platform.asked == 0 and [p for _, _, p in platform.posts] == ["hiya"]


async def test_a_post_whose_connection_broke_is_looked_for_before_it_is_retried(
    store: Store, clock: Clock
) -> None:
    row_id = await stored_reply(store, LANE, ["ok, noted"], clock())
    platform = Platform(failures=[(Retry("ServerDisconnectedError"), True)])  # Slack had it
    box = outbox(store, clock, platform)
    await box.resume()
    await box.settle()
    assert platform.asked == 1 and platform.posts == [] and platform.history == [(row_id, 0)]


async def test_a_throttled_post_is_retried_without_asking(store: Store, clock: Clock) -> None:
    await stored_reply(store, LANE, ["ok, noted"], clock())
    platform = Platform(failures=[(Retry("ratelimited", 0.0), False)])
    box = Outbox(store, clock, attempts=3, max_wait=0.0)
    box.register(platform)
    await box.resume()
    await box.settle()
    assert platform.asked == 0 and [p for _, _, p in platform.posts] == ["ok, noted"]
