"""Kill -9 and SIGTERM against a real `reflect serve` process (issue 14): nothing Slack got a
200 for is lost or stored twice, on SQLite and on PostgreSQL.

A worker types a whole reflection into their DM. After some acknowledgements the server is
killed with SIGKILL at once or a few milliseconds later (before, during or after the turn),
then started again; Slack does not resend what it got a 200 for, so the next start must
finish what the last one acknowledged. Then a burst of events from many workers is
followed by SIGTERM: the server drains what it can, and the next start does the rest. No
reply is posted twice: a post in flight at a kill is found in the DM's history by its
message metadata. A kill between the post and marking it sent, and one between claiming a
reminder and sending its nudge, are reproduced exactly with a mock Slack that takes a post
and never answers.
"""

from __future__ import annotations

import asyncio
import random
import signal
import subprocess
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import func, select

from benchmarks.common import ANSWERS_PER_REFLECTION, REFLECTION
from storage.crypto import FieldCipher
from storage.database import create_engine
from storage.migrate import upgrade
from storage.repository import Store
from storage.tables import AnswerRow, InboxRow, OutboxRow, ReminderRow, SessionRow
from tests.adapters.slack.driver import BOT_TOKEN, HttpTransport
from tests.adapters.teams.driver import free_port
from tests.multiprocess.test_two_servers import ready, server, server_env
from tests.support import slack_requests as sr
from tests.support.slack_mock import SlackMock

ROOT = Path(__file__).resolve().parents[2]
USER = "U0CRASH001"

KEY = FieldCipher.generate_key()


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/crash.db"
    return str(request.getfixturevalue("postgres_db_url"))


def environment(database_url: str, mock: SlackMock) -> dict[str, str]:
    # A dead sender's rows are taken over quickly; the sweep looks often.
    return server_env(
        database_url,
        mock,
        REFLECT_OUTBOX_LEASE_SECONDS="1",
        REFLECT_SWEEP_SECONDS="0.5",
        REFLECT_ENCRYPTION_KEY=KEY,  # the servers and this test read the same encrypted rows
    )


async def exited(process: subprocess.Popen[bytes], timeout: float = 40.0) -> int | None:
    """Wait without blocking the event loop: the Slack mock the server talks to runs on it."""
    deadline = time.monotonic() + timeout
    while process.poll() is None and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    return process.poll()


async def settled(mock: SlackMock, channel: str, before: int, timeout: float = 30.0) -> None:
    await mock._wait(lambda: len(mock.messages_in(channel)) > before, timeout, f"a reply in {channel}")
    count = -1
    while count != len(mock.messages_in(channel)):
        count = len(mock.messages_in(channel))
        await asyncio.sleep(0.4)


async def test_kill_9_after_the_ack_loses_and_doubles_nothing(database_url: str, tmp_path: Path) -> None:
    rng = random.Random(14)
    kills = set(rng.sample(range(1, len(REFLECTION)), 8))
    async with SlackMock(bot_token=BOT_TOKEN) as mock, aiohttp.ClientSession() as http:
        dm = mock.dm_channel(USER)
        env = environment(database_url, mock)
        port = free_port()
        root = f"http://127.0.0.1:{port}"
        starts = iter(range(100))
        log = tmp_path / f"server{next(starts)}.log"
        transport = HttpTransport(f"{root}/slack/events", http)
        process_cm = server(port, env, log)
        process = process_cm.__enter__()
        try:
            await ready(http, root, process, log)
            for i, line in enumerate(REFLECTION):
                before = len(mock.messages_in(dm))
                reply = await transport.event(sr.message_event(line.format(n=2291), user=USER, channel=dm))
                assert reply.status == 200, reply
                if i in kills:
                    await asyncio.sleep(rng.choice([0.0, 0.0, 0.005, 0.02, 0.04]))
                    process.send_signal(signal.SIGKILL)
                    await exited(process)
                    process_cm.__exit__(None, None, None)
                    log = tmp_path / f"server{next(starts)}.log"
                    process_cm = server(port, env, log)
                    process = process_cm.__enter__()
                    await ready(http, root, process, log)
                await settled(mock, dm, before)
        finally:
            process_cm.__exit__(None, None, None)

        engine = create_engine(database_url, cipher=FieldCipher([KEY]))
        store = Store(engine)
        async with store.read() as tx:
            sessions = list(await tx.db.scalars(select(SessionRow)))
            answers = list(await tx.db.scalars(select(AnswerRow).order_by(AnswerRow.seq)))
            pending = await tx.db.scalar(
                select(func.count()).select_from(InboxRow).where(InboxRow.status != "done")
            )
        await store.close()
        assert pending == 0
        assert len(sessions) == 1 and sessions[0].status == "complete"
        assert len(answers) == ANSWERS_PER_REFLECTION  # none lost, none twice
        typed = [line.format(n=2291) for line in REFLECTION if len(line) > 20]
        assert [a.text for a in answers if a.text in typed] == typed
        texts = [str(m.get("text")) for m in mock.messages_in(dm)]
        assert sum(t.startswith("Your supervision note") for t in texts) >= 1
        # Every question arrived, once: a part in flight at a kill is found in the DM's history.
        parts = [part for part in posted_parts(mock, dm) if part[0] is not None]
        assert len(parts) == len(set(parts)), parts


async def test_sigterm_during_a_burst_finishes_everything_at_the_next_start(
    database_url: str, tmp_path: Path
) -> None:
    workers = [f"U0BURST{n:03d}" for n in range(300)]
    async with SlackMock(bot_token=BOT_TOKEN) as mock, aiohttp.ClientSession() as http:
        mock.set_latency(0.02, "chat.postMessage")  # a real Slack takes a moment per post
        env = {**environment(database_url, mock), "REFLECT_DRAIN_SECONDS": "0.5"}
        port = free_port()
        root = f"http://127.0.0.1:{port}"
        log = tmp_path / "server0.log"
        transport = HttpTransport(f"{root}/slack/events", http)
        with server(port, env, log) as process:
            await ready(http, root, process, log)
            replies = await asyncio.gather(
                *(
                    transport.event(
                        sr.message_event(f"visit HX-{n:04d} 14:00", user=u, channel=mock.dm_channel(u))
                    )
                    for n, u in enumerate(workers)
                )
            )
            assert all(r.status == 200 for r in replies)
            process.send_signal(signal.SIGTERM)
            assert await exited(process) == 0
        replied = sum(bool(mock.messages_in(mock.dm_channel(u))) for u in workers)
        print(f"replied before the restart: {replied} of {len(workers)}")
        log = tmp_path / "server1.log"
        with server(port, env, log) as process:
            await ready(http, root, process, log)
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                if all(mock.messages_in(mock.dm_channel(u)) for u in workers):
                    break
                await asyncio.sleep(0.3)
            await asyncio.sleep(1.0)

        store = Store(create_engine(database_url, cipher=FieldCipher([KEY])))
        async with store.read() as tx:
            reminders = await tx.db.scalar(select(func.count()).select_from(ReminderRow))
        await store.close()
        assert reminders == len(workers)  # every acknowledged event ran once
        counts = [len(mock.messages_in(mock.dm_channel(u))) for u in workers]
        assert all(counts), counts  # every worker got their reply
        # Exactly once: a post in flight at the stop is found in the DM's history by its
        # metadata at the next start, not posted again.
        assert sum(counts) == len(workers), counts


def posted_parts(mock: SlackMock, channel: str) -> list[tuple[object, object]]:
    """The outbox row and part each post in `channel` delivered (from its message metadata)."""
    parts = []
    for message in mock.messages_in(channel):
        payload = (message.get("metadata") or {}).get("event_payload") or {}
        parts.append((payload.get("id"), payload.get("part")))
    return parts


async def test_a_kill_between_the_post_and_marking_it_sent_sends_the_reply_once(
    database_url: str, tmp_path: Path
) -> None:
    """Slack took the post, but the process died before it could mark the row sent: the next
    start finds the post in the DM's history by its metadata and does not post it again."""
    async with SlackMock(bot_token=BOT_TOKEN) as mock, aiohttp.ClientSession() as http:
        dm = mock.dm_channel(USER)
        env = environment(database_url, mock)
        port = free_port()
        root = f"http://127.0.0.1:{port}"
        transport = HttpTransport(f"{root}/slack/events", http)
        never = asyncio.Event()

        async def post_then_hang(params: dict[str, object]) -> dict[str, object]:
            mock._m_chat_postMessage(params)  # Slack has it and shows it ...
            await mock._notify()
            await never.wait()  # ... but the answer never gets back to the bot
            return {}

        mock.set_handler("chat.postMessage", post_then_hang)
        with server(port, env, tmp_path / "server0.log") as process:
            await ready(http, root, process, tmp_path / "server0.log")
            reply = await transport.event(
                sr.message_event("hi can we do a reflection pls", user=USER, channel=dm)
            )
            assert reply.status == 200
            await mock._wait(lambda: mock.messages_in(dm), 20, "the first post")
            process.send_signal(signal.SIGKILL)
            await exited(process)
        assert len(mock.messages_in(dm)) == 1  # the first part only: the sender was stuck on it
        del mock._handlers["chat.postMessage"]

        with server(port, env, tmp_path / "server1.log") as process:
            await ready(http, root, process, tmp_path / "server1.log")
            await mock.wait_for_calls("conversations.history", timeout=20)
            await asyncio.sleep(1.0)  # a second post of the same part would land now
            before = len(mock.messages_in(dm))
            reply = await transport.event(sr.message_event("reflect", user=USER, channel=dm))
            assert reply.status == 200
            await settled(mock, dm, before)  # the conversation goes on from there

        parts = posted_parts(mock, dm)
        assert all(row is not None for row, _ in parts), parts
        assert len(parts) == len(set(parts)), parts  # no part posted twice
        texts = [str(m.get("text")) for m in mock.messages_in(dm)]
        assert texts.count(texts[0]) == 1, texts  # the reply in flight at the kill arrived once
        never.set()


@pytest.mark.parametrize("reached_slack", [False, True], ids=["before-the-post", "after-the-post"])
async def test_a_kill_between_claiming_a_reminder_and_sending_it_sends_one_nudge(
    database_url: str, tmp_path: Path, reached_slack: bool
) -> None:
    """The runner claimed a due reminder and stored the nudge in the outbox in one
    transaction; the process died while posting it (before Slack had it, or after). The next
    start sends it from the outbox, once."""
    engine = create_engine(database_url, cipher=FieldCipher([KEY]))
    await upgrade(engine)
    store = Store(engine)
    now = datetime.now(UTC)
    async with store.read() as tx:
        await tx.reminders.schedule(
            reminder_id="crash-reminder-1",
            owner=f"slack:{sr.TEAM_ID}:{USER}",
            platform="slack",
            channel=None,  # scheduled before the DM was known: opened at send time
            kind="after_visit",
            due_at=now - timedelta(minutes=1),
            tz=None,
            payload={"case_ref": "HX-4417"},
            now=now - timedelta(hours=1),
        )
    async with SlackMock(bot_token=BOT_TOKEN) as mock, aiohttp.ClientSession() as http:
        dm = mock.dm_channel(USER)
        env = environment(database_url, mock)
        port = free_port()
        root = f"http://127.0.0.1:{port}"
        started, never = asyncio.Event(), asyncio.Event()

        async def hang(params: dict[str, object]) -> dict[str, object]:
            if reached_slack:
                mock._m_chat_postMessage(params)
            started.set()
            await never.wait()
            return {}

        mock.set_handler("chat.postMessage", hang)
        with server(port, env, tmp_path / "server0.log") as process:
            await ready(http, root, process, tmp_path / "server0.log")
            await asyncio.wait_for(started.wait(), 20)
            process.send_signal(signal.SIGKILL)
            await exited(process)
        del mock._handlers["chat.postMessage"]
        assert len(mock.messages_in(dm)) == int(reached_slack)

        with server(port, env, tmp_path / "server1.log") as process:
            await ready(http, root, process, tmp_path / "server1.log")
            await mock.wait_for_calls("conversations.history", timeout=20)
            await mock._wait(lambda: mock.messages_in(dm), 20, "the nudge")
            await asyncio.sleep(1.5)  # a second nudge would land now
        never.set()

        async with store.read() as tx:
            unsent = await tx.db.scalar(
                select(func.count()).select_from(OutboxRow).where(OutboxRow.status != "sent")
            )
            status = await tx.db.scalar(
                select(ReminderRow.status).where(ReminderRow.id == "crash-reminder-1")
            )
        await store.close()
        nudges = [m for m in mock.messages_in(dm) if "HX-4417" in str(m.get("text"))]
        assert len(nudges) == 1, [m.get("text") for m in mock.messages_in(dm)]
        assert len(mock.messages_in(dm)) == 1
        assert unsent == 0 and status == "delivered"
