"""Two `reflect serve` processes against one PostgreSQL behave as one bot (issue 8).

One worker's DM events alternate between the two servers for a whole reflection; one event
is delivered to both servers at once (Slack's retry landing on another instance); a due
reminder is waiting when both start. Each answer is stored once, in order, the session
completes, and the reminder DM is posted once.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
from sqlalchemy import select

from benchmarks.common import ANSWERS_PER_REFLECTION, REFLECTION
from bot.service import owner_of
from bot.turns import ConversationKey
from storage.crypto import FieldCipher
from storage.database import create_engine
from storage.migrate import upgrade
from storage.repository import Store
from storage.tables import AnswerRow, SessionRow
from tests.adapters.slack.driver import BOT_TOKEN, SECRET, HttpTransport
from tests.adapters.teams.driver import free_port
from tests.support import slack_requests as sr
from tests.support.slack_mock import SlackMock

ROOT = Path(__file__).resolve().parents[2]
USER = "U0MULTI001"


def server_env(database_url: str, mock: SlackMock, **extra: str) -> dict[str, str]:
    """The environment of a `reflect serve` subprocess on this database, talking to the mock."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "MICROSOFT_", "OPENAI_", "REFLECT_"))
    }
    env.update(
        REFLECT_DATABASE_URL=database_url,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=mock.base_url,
        REFLECT_LOG_LEVEL="WARNING",
        **extra,
    )
    return env


@contextlib.contextmanager
def server(port: int, env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            yield process
        finally:
            process.kill()
            process.wait(timeout=10)


async def ready(http: aiohttp.ClientSession, root: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, f"server exited: {log.read_text()[-2000:]}"
        with contextlib.suppress(aiohttp.ClientError):
            async with http.get(f"{root}/healthz") as response:
                if response.status == 200:
                    return
        await asyncio.sleep(0.2)
    raise AssertionError(f"server at {root} not ready: {log.read_text()[-2000:]}")


async def quiet(mock: SlackMock, channel: str, before: int, timeout: float = 20.0) -> None:
    """Wait for the bot's reply to land, then until nothing more arrives for a moment."""
    await mock._wait(lambda: len(mock.messages_in(channel)) > before, timeout, f"a reply in {channel}")
    count = -1
    while count != len(mock.messages_in(channel)):
        count = len(mock.messages_in(channel))
        await asyncio.sleep(0.3)


async def test_two_servers_one_conversation(postgres_db_url: str, tmp_path: Path) -> None:
    async with SlackMock(bot_token=BOT_TOKEN) as mock:
        dm = mock.dm_channel(USER)
        key = ConversationKey("slack", sr.TEAM_ID, dm, USER)

        # Encryption at rest is always on: the servers and this test share one key (set here, so
        # a key left active by an earlier test in this process is not used for the reminder).
        key_for_both = FieldCipher.generate_key()
        # Migrate once, and leave a reminder already due for both servers' runners to find.
        engine = create_engine(postgres_db_url, cipher=FieldCipher([key_for_both]))
        await upgrade(engine)
        store = Store(engine)
        now = datetime.now(UTC)
        async with store.turn("bench:reminder") as tx:
            await tx.reminders.schedule(
                reminder_id="multi-reminder-1",
                owner=owner_of(key),
                platform="slack",
                channel=dm,
                kind="after_visit",
                due_at=now - timedelta(minutes=1),
                tz=None,
                payload={"case_ref": "HX-2291"},
                now=now - timedelta(hours=1),
            )

        env = server_env(postgres_db_url, mock, REFLECT_ENCRYPTION_KEY=key_for_both)
        ports = [free_port(), free_port()]
        with contextlib.ExitStack() as stack:
            processes = [
                stack.enter_context(server(port, env, tmp_path / f"server{i}.log"))
                for i, port in enumerate(ports)
            ]
            async with aiohttp.ClientSession() as http:
                roots = [f"http://127.0.0.1:{port}" for port in ports]
                for root, process, i in zip(roots, processes, range(2), strict=True):
                    await ready(http, root, process, tmp_path / f"server{i}.log")
                transports = [HttpTransport(f"{root}/slack/events", http) for root in roots]

                # The reminder was due before either server started: both runners look at once.
                await mock._wait(
                    lambda: any("HX-2291" in str(m.get("text")) for m in mock.messages_in(dm)),
                    20,
                    "the reminder DM",
                )
                reminder_count = len(mock.messages_in(dm))

                duplicated_at = 5
                for i, line in enumerate(REFLECTION):
                    payload = sr.message_event(line.format(n=2291), user=USER, channel=dm)
                    before = len(mock.messages_in(dm))
                    if i == duplicated_at:  # the same event id to both servers at the same moment
                        replies = await asyncio.gather(*(t.event(payload) for t in transports))
                    else:
                        replies = [await transports[i % 2].event(payload)]
                    assert all(r.status == 200 for r in replies), replies
                    await quiet(mock, dm, before)

                await asyncio.sleep(1.0)  # a late second delivery of anything would show now
                for process in processes:
                    assert process.poll() is None

        # The reminder was posted once, by one of the two servers.
        reminder_posts = [m for m in mock.messages_in(dm) if "HX-2291" in str(m.get("text"))]
        assert reminder_count == 1, [m["text"] for m in mock.messages_in(dm)]
        assert sum("How did the visit" in str(m.get("text")) for m in mock.messages_in(dm)) == 1, [
            m["text"] for m in reminder_posts
        ]

        # One stored answer per event, in the order typed, and the session completed.
        async with store.read() as tx:
            sessions = list(await tx.db.scalars(select(SessionRow)))
            answers = list(await tx.db.scalars(select(AnswerRow).order_by(AnswerRow.seq)))
        await store.close()
        assert len(sessions) == 1
        assert sessions[0].status == "complete"
        assert len(answers) == ANSWERS_PER_REFLECTION
        assert [a.seq for a in answers] == sorted({a.seq for a in answers})
        typed = [line.format(n=2291) for line in REFLECTION if len(line) > 20]
        stored = [a.text for a in answers if a.text in typed]
        assert stored == typed

        # Replies arrived in order: one note, last, after every question.
        texts = [str(m.get("text")) for m in mock.messages_in(dm)]
        notes = [i for i, t in enumerate(texts) if t.startswith("Your supervision note")]
        assert len(notes) == 1, texts[-5:]
        assert notes[0] >= len(texts) - 2
        stamps = [float(m["ts"]) for m in mock.messages_in(dm)]
        assert stamps == sorted(stamps)
