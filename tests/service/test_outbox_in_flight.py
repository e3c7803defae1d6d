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
from sqlalchemy import event, select

from bot.core.outbox import OutboxItem
from bot.outbox import Outbox, Retry
from bot.service import ReflectionService
from bot.turns import ConversationKey, Incoming, TurnResult
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
    async with store.write() as tx:
        await tx.outbox.mark_sending(row_id, 0, clock() + timedelta(seconds=1))
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


# ---------------------------------------------------------------------- a turn's own replies
# A turn stores its replies already marked "sending" on their first part, in its own
# transaction: the sender posts them from memory with no commit of its own before the post.

WORKER = ConversationKey("slack", "T1", "D1", "U1")


def outbox_writes(store: Store) -> list[str]:
    """Every UPDATE of the outbox from now on (what a sender commits around its posts)."""
    seen: list[str] = []

    @event.listens_for(store.engine.sync_engine, "before_cursor_execute")
    def _record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith("UPDATE OUTBOX"):
            seen.append(statement)

    return seen


async def test_a_turns_reply_is_posted_with_one_write_after_it_and_never_asked_about(
    store: Store, clock: Clock
) -> None:
    service = ReflectionService(store, clock=clock)
    platform = Platform()
    service.outbox.register(platform)
    writes = outbox_writes(store)
    await service.handle(Incoming(key=WORKER, text="reflect", event_id="e1"))
    await service.outbox.settle()
    async with store.read() as tx:
        rows = (await tx.db.scalars(select(OutboxRow))).all()
    assert rows and all(row.status == "sent" and row.sending is None for row in rows)
    assert platform.asked == 0 and len(platform.posts) >= 1
    # Each part is marked after its post (progress, or sent for the last); only a later part
    # is marked "sending" before its post: a row's first needs no write of its own.
    assert len(writes) == 2 * len(platform.posts) - len(rows)
    assert not writes[0].startswith("UPDATE outbox SET sending")


@pytest.mark.parametrize("arrived", [True, False], ids=["it-arrived", "it-never-arrived"])
async def test_a_turns_reply_left_unsent_at_a_crash_is_looked_for_then_sent_once(
    store: Store, clock: Clock, arrived: bool
) -> None:
    """The process dies after the turn's commit: its row, marked "sending" by the turn, is
    asked about by the next sender, which posts it only if it never arrived."""
    dying = ReflectionService(store, clock=clock)
    dying.outbox.register(Platform())
    dying.outbox.stopping = True  # commits the turn, then sends nothing
    await dying.handle(Incoming(key=WORKER, text="reflect pls", event_id="e1"))
    async with store.read() as tx:
        row = (await tx.db.scalars(select(OutboxRow))).one()
    assert row.status == "pending" and row.sending == 0
    clock.advance(seconds=120)  # its lease has run out

    platform = Platform(history=[(row.id, 0)] if arrived else [])
    box = outbox(store, clock, platform)
    await box.resume()
    await box.settle()
    assert platform.asked == 1
    assert [(item, index) for item, index, _ in platform.posts] == ([] if arrived else [(row.id, 0)])
    assert platform.history.count((row.id, 0)) == 1  # once, whichever way
