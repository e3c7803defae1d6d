"""One pipeline for every intent: each kind of command delivered twice with the same event
id, concurrently and in sequence, on SQLite and on PostgreSQL, is processed once: one set of
rows, one set of replies. Replies go through the real outbox to a recording surface."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from benchmarks.common import REFLECTION
from bot.core.outbox import OutboxItem
from bot.outbox import GiveUp, Retry
from bot.service import ReflectionService
from bot.turns import ConversationKey, Incoming, TurnResult, outgoing_from_json
from storage.crypto import FieldCipher
from storage.database import create_engine
from storage.migrate import upgrade
from storage.repository import Store
from storage.tables import (
    AnswerRow,
    AuditEventRow,
    GroupSessionRow,
    InboxRow,
    OutboxRow,
    ReminderRow,
    SessionRow,
)
from tests.service.conftest import Clock


@dataclass
class Recorder:
    """A platform that takes whatever it is sent, and remembers it (optionally failing first)."""

    platform: str = "console"
    sent: list[tuple[int, Any]] = field(default_factory=list)
    failures: list[Exception] = field(default_factory=list)

    async def prepare(self, incoming: Incoming, address: dict[str, Any]) -> tuple[Incoming, dict[str, Any]]:
        return incoming, address

    def parts(self, item: OutboxItem) -> Sequence[Any]:
        if item.kind == "messages":
            return [outgoing_from_json(m).text for m in item.payload["messages"]]
        return [item.payload["filename"]]

    async def send_part(self, item: OutboxItem, index: int, part: Any) -> None:
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append((item.id, part))

    async def delivered(self, item: OutboxItem, index: int, part: Any) -> bool:
        return False

    async def gave_up(self, item: OutboxItem) -> None:
        pass

    async def after_turn(self, incoming: Incoming, result: TurnResult) -> None:
        pass

    def texts(self) -> list[str]:
        return [str(part) for _, part in self.sent]


@pytest.fixture(params=["sqlite", "postgres"])
async def db_store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    url = (
        f"sqlite:///{tmp_path}/pipeline.db"
        if request.param == "sqlite"
        else request.getfixturevalue("postgres_db_url")
    )
    engine = create_engine(url, cipher=FieldCipher([FieldCipher.generate_key()]))
    await upgrade(engine)
    store = Store(engine)
    yield store
    await store.close()


async def counts(store: Store) -> dict[str, int]:
    tables = {
        "sessions": SessionRow,
        "answers": AnswerRow,
        "reminders": ReminderRow,
        "audit": AuditEventRow,
        "groups": GroupSessionRow,
        "inbox": InboxRow,
        "outbox": OutboxRow,
    }
    async with store.read() as tx:
        return {
            name: await tx.db.scalar(select(func.count()).select_from(t)) or 0 for name, t in tables.items()
        }


KEY = ConversationKey("console", "local", "terminal:w1", "w1")
GROUP = ConversationKey("console", "local", "room-1", "w1")

# (what is typed, rows it adds): each is delivered three times under one event id.
STEPS: list[tuple[str, dict[str, int], bool]] = [
    ("visit HX-2291 tomorrow 10:00", {"reminders": 1}, False),
    ("supervision every 4 weeks from 2026-12-01", {"reminders": 6}, False),
    ("reminders", {}, False),
    ("cancel reminder 1", {}, False),
    ("notes", {"audit": 1}, False),
    ("export all csv", {"audit": 1}, False),
    ("records", {}, False),
    ("admin people", {"audit": 1}, False),  # refused (w1 is no admin): audited
    ("move reminder 1 16:30", {}, False),
    ("reflect", {"sessions": 1}, False),
    ("HX-2291", {"answers": 1}, False),
    ("pause", {}, False),
    ("resume", {}, False),
    ("help", {}, False),
    ("start group supervision", {"groups": 1}, True),
]


async def test_every_kind_of_command_twice_is_processed_once(db_store: Store, clock: Clock) -> None:
    service = ReflectionService(db_store, clock=clock)
    surface = Recorder()
    service.outbox.register(surface)
    for n, (text, adds, group) in enumerate(STEPS):
        before, sent_before = await counts(db_store), len(surface.sent)
        incoming = Incoming(
            key=GROUP if group else KEY,
            text=text,
            event_id=f"ev-{n}",
            conversation="group" if group else "personal",
            sender_name="Worker One",
        )
        together = await asyncio.gather(service.handle(incoming), service.handle(incoming))
        again = await service.handle(incoming)
        await service.outbox.settle()
        results = [*together, again]
        assert sorted(r.duplicate for r in results) == [False, True, True], text
        (done,) = [r for r in results if not r.duplicate]
        after = await counts(db_store)
        grew = {name: after[name] - before[name] for name in after if after[name] != before[name]}
        replies = len(done.messages) and 1  # one row for the turn's messages
        # (a quick export has no "preparing your export" sent first: tests/records/test_export_progress.py)
        files = len(done.files) + (1 if done.note_markdown and done.completed_session_id else 0)
        assert grew == {**adds, "inbox": 1, "outbox": replies + files}, text
        delivered = surface.sent[sent_before:]
        assert len(delivered) == len(done.messages) + files, text  # every reply once
        assert [part for _, part in delivered][: len(done.messages)] == [m.text for m in done.messages]
    async with db_store.read() as tx:
        statuses = set(await tx.db.scalars(select(OutboxRow.status)))
    assert statuses == {"sent"}


async def test_a_reused_activity_id_in_another_conversation_is_another_message(
    db_store: Store, clock: Clock
) -> None:
    service = ReflectionService(db_store, clock=clock)
    a = ConversationKey("teams", "tenant-1", "a:conv-a", "29:a")
    b = ConversationKey("teams", "tenant-1", "a:conv-b", "29:b")
    first = await service.handle(Incoming(key=a, text="visit HX-1 14:00", event_id="1"))
    second = await service.handle(Incoming(key=b, text="visit HX-2 14:00", event_id="1"))
    assert not first.duplicate and not second.duplicate
    assert (await counts(db_store))["reminders"] == 2


async def test_a_platform_that_says_slow_down_is_waited_for_and_gets_each_reply_once(
    store: Store, clock: Clock
) -> None:
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    service = ReflectionService(store, clock=clock)
    service.outbox.sleep = sleep
    surface = Recorder(failures=[Retry("ratelimited", retry_after=2.0), Retry("internal_error")])
    service.outbox.register(surface)
    await service.handle(Incoming(key=KEY, text="reflect", event_id="e1"))
    await service.outbox.settle()
    assert slept[0] >= 2.0 and len(slept) == 2  # Retry-After honoured, then a jittered backoff
    assert len(surface.sent) == len(set(surface.sent)) >= 1


async def test_a_reply_given_up_on_comes_again_with_the_next_message(store: Store, clock: Clock) -> None:
    service = ReflectionService(store, clock=clock)
    surface = Recorder(failures=[GiveUp("not_in_channel")])
    service.outbox.register(surface)
    await service.handle(Incoming(key=KEY, text="reflect", event_id="e1"))
    await service.outbox.settle()
    assert surface.sent == []
    again = await service.handle(Incoming(key=KEY, text="hello?", event_id="e2"))
    await service.outbox.settle()
    texts = surface.texts()
    assert "didn't reach you" in texts[0]
    assert any("case reference" in t.lower() or "HX-" in t for t in texts[1:]), texts
    async with store.read() as tx:  # "hello?" was not taken as the case reference
        assert await tx.db.scalar(select(func.count()).select_from(AnswerRow)) == 0
        assert set(await tx.db.scalars(select(OutboxRow.status))) == {"reposted", "sent"}
    assert again.messages


async def test_unfinished_events_and_unsent_replies_resume_on_start(store: Store, clock: Clock) -> None:
    """What a killed process leaves: an accepted event whose turn never ran, and a turn whose
    replies were stored but not sent. A new process runs the one and sends the other."""
    first = ReflectionService(store, clock=clock)
    first.outbox.register(Recorder())
    first.outbox.lease = timedelta(seconds=30)

    async def killed(lane: str, items: object) -> None:  # the process dies before it sends
        return None

    first.outbox.enqueue = killed  # type: ignore[method-assign,assignment]
    other = ConversationKey("console", "local", "terminal:w2", "w2")
    ran = await first.handle(Incoming(key=other, text="reflect", event_id="e0"))  # stored, never sent
    await first.accept(Incoming(key=KEY, text="reflect", event_id="e1"))  # acknowledged, never run
    second = ReflectionService(store, clock=clock)
    surface = Recorder()
    second.outbox.register(surface)
    clock.advance(seconds=31)  # the dead sender's lease on its rows runs out
    assert await second.resume() == 1
    await second.outbox.settle()
    assert (await counts(store))["sessions"] == 2
    assert [m.text for m in ran.messages] == [t for i, t in surface.sent if i == 1]  # w2's, in order
    assert any(i > 1 for i, _ in surface.sent)  # and w1's, after its turn ran
    sent = list(surface.sent)
    assert await second.resume() == 0  # nothing twice
    await second.outbox.settle()
    assert surface.sent == sent and len(sent) == len(set(sent))


async def test_a_sweep_leaves_a_live_process_its_fresh_events(store: Store, clock: Clock) -> None:
    """Several servers: a sweep takes only what another process left waiting, not what it
    accepted a moment ago and is about to run (taking it would only queue on its lock)."""
    live = ReflectionService(store, clock=clock)
    live.outbox.register(Recorder())
    await live.accept(Incoming(key=KEY, text="reflect", event_id="fresh"))  # accepted, not yet run
    sweeper = ReflectionService(store, clock=clock)
    sweeper.outbox.register(Recorder())
    assert await sweeper.resume(grace=timedelta(seconds=30)) == 0
    assert (await counts(store))["sessions"] == 0
    clock.advance(seconds=31)  # the live process never ran it (it died, or is backed up)
    assert await sweeper.resume(grace=timedelta(seconds=30)) == 1
    await sweeper.outbox.settle()
    assert (await counts(store))["sessions"] == 1


# The fault benchmark's reflection; a worker types it twice.
LINES = [line.format(n=3000) for line in REFLECTION] + [line.format(n=3100) for line in REFLECTION]


@pytest.mark.parametrize(
    "left",
    [
        len(REFLECTION) - 1,  # the first reflection's last answer; the next line starts the second
        REFLECTION.index("Whether anyone else lives there.") + 1,  # a choice, the next line an answer
    ],
)
async def test_an_event_a_dead_process_accepted_runs_before_the_next_process_runs_a_later_one(
    db_store: Store, clock: Clock, left: int
) -> None:
    """A process accepts line `left` (the worker has their 200) and is killed before its turn
    runs. The worker's next line reaches the next process, which runs it from memory at once,
    before its sweep has found the one left in the inbox: that one must run first. (Run the
    other way round, the fault benchmark's second reflection was answered into the first,
    completed session, and got no session of its own.)"""
    dead = ReflectionService(db_store, clock=clock)
    dead.outbox.register(Recorder())
    for n, line in enumerate(LINES[:left]):
        clock.advance(seconds=5)
        await dead.handle(Incoming(key=KEY, text=line, event_id=f"ev-{n}"))
    await dead.outbox.settle()
    clock.advance(seconds=5)
    await dead.accept(Incoming(key=KEY, text=LINES[left], event_id=f"ev-{left}"))  # then killed

    service = ReflectionService(db_store, clock=clock)  # the next process
    surface = Recorder()
    service.outbox.register(surface)
    clock.advance(seconds=5)
    live = await service.handle(Incoming(key=KEY, text=LINES[left + 1], event_id=f"ev-{left + 1}"))
    await service.outbox.settle()
    async with db_store.read() as tx:
        rows = list(await tx.db.execute(select(InboxRow.id, InboxRow.status).order_by(InboxRow.id)))
        replied = list(await tx.db.scalars(select(OutboxRow.inbox_id).order_by(OutboxRow.id)))
    assert [status for _, status in rows] == ["done"] * len(rows)  # the one left behind ran too
    earlier, later = rows[-2].id, rows[-1].id
    assert replied[-2:] == [earlier, later]  # and its replies come before the later one's
    assert not live.duplicate and live.messages  # the caller gets its own event's replies
    if left == len(REFLECTION) - 1:
        assert live.active_session_id is not None and live.completed_session_id is None

    for n in range(left + 2, len(LINES)):
        clock.advance(seconds=5)
        await service.handle(Incoming(key=KEY, text=LINES[n], event_id=f"ev-{n}"))
    await service.outbox.settle()
    assert await service.resume() == 0
    async with db_store.read() as tx:
        sessions = list(await tx.db.execute(select(SessionRow.id, SessionRow.status, SessionRow.case_ref)))
        answers = list(
            await tx.db.execute(select(AnswerRow.session_id, AnswerRow.text).order_by(AnswerRow.id))
        )
    assert sorted((status, case) for _, status, case in sessions) == [
        ("complete", "HX-3000"),
        ("complete", "HX-3100"),
    ]
    words = {sid: [text for s, text in answers if s == sid] for sid, _, _ in sessions}
    first, second = sorted(words.values())
    assert first[0] == "HX-3000" and second[0] == "HX-3100"  # each in its own session
    assert first[1:] == second[1:]  # with the same answers, in the order typed
    typed = [line for line in REFLECTION if len(line) > 20]
    assert [text for text in first if text in typed] == typed  # each once
