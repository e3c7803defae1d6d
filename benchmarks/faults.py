"""The fault benchmark (issue 14): kill -9 at random points of turns, and SIGTERM during a
burst, against real `reflect serve` processes on SQLite and on PostgreSQL.

* Kills: a few workers type whole reflections into their DMs, each line once the bot has
  answered the last (as people do). Meanwhile the server is killed with SIGKILL again and
  again at random points: a few milliseconds after an acknowledgement, at a random moment
  of the turns, or while a reply is being posted to the Slack Web API (before Slack has it,
  or after Slack has it and before the bot hears back). After each kill the next server
  starts; an event that got no 200 is delivered again with the same event id, as Slack does.
* SIGTERM: a burst of events (a `visit` command each) from many workers; partway through,
  SIGTERM. What got no 200 is delivered again to the next server, which finishes the rest.

Then it counts: events acknowledged, processed (their inbox row done), lost, duplicated
(an answer stored twice; for the burst, a reminder made twice), replies missing (an outbox
row no post delivered) and replies duplicated (a row's part posted twice, seen by the
message metadata every post carries); for the kills also unfinished (a reflection typed to
its end whose session did not complete) and out of order (a turn that ran after a later
event of its worker's). Target: all zeros.

Servers start warm: a parent process imports everything once and forks each server, which
then runs the real `reflect serve` command (its own process, killed by its own pid), so a
kill costs the restart of the service, not Python's imports on a busy machine. The Slack Web API
is the test suite's mock (tests/support/slack_mock.py), in this process.

`python -m benchmarks --only faults` (or `make faults`) runs it alone.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
from sqlalchemy import func, select

from benchmarks.common import REFLECTION, Result, median
from storage.crypto import FieldCipher
from storage.database import create_engine
from storage.migrate import upgrade
from storage.repository import Store
from storage.tables import AnswerRow, InboxRow, OutboxRow, ReminderRow, SessionRow
from tests.adapters.slack.driver import BOT_TOKEN, HttpTransport
from tests.multiprocess.test_two_servers import server_env
from tests.support import slack_requests as sr
from tests.support.slack_mock import SlackError, SlackMock

ROOT = Path(__file__).resolve().parents[1]
KILL_MODES = ("after_ack", "mid_turn", "before_post", "after_post")


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# ---------------------------------------------------------------------- servers


class Servers:
    """The active `reflect serve` process, forked from a warm parent; `kill_now()` kills it
    and `restart()` forks the next one."""

    def __init__(self, env: dict[str, str], folder: Path, http: aiohttp.ClientSession) -> None:
        self.env = env
        self.folder = folder
        self.http = http
        self.pid: int | None = None
        self.root = ""
        self._zygote: subprocess.Popen[bytes] | None = None
        self._started = 0
        self.kills = 0
        self.restarts: list[float] = []  # seconds from a kill to the next server answering
        self.ready = asyncio.Event()  # set while a server is up

    def _fork(self, port: int) -> tuple[int, Path]:
        if self._zygote is None:
            self._zygote = subprocess.Popen(
                [sys.executable, "-m", "benchmarks.faults", "zygote"],
                cwd=ROOT,
                env=self.env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
            )
        zygote = self._zygote
        assert zygote.stdin is not None and zygote.stdout is not None
        log = self.folder / f"server{self._started}.log"
        code = self.folder / f"server{self._started}.exit"
        self._started += 1
        zygote.stdin.write(f"{port} {log} {code}\n".encode())
        zygote.stdin.flush()
        return int(zygote.stdout.readline()), code

    async def start(self) -> None:
        port = _free_port()
        pid, self._exit_file = await asyncio.to_thread(self._fork, port)
        self.pid, self.root = pid, f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if not _alive(pid):
                raise RuntimeError(f"server exited; see {self.folder}")
            with contextlib.suppress(aiohttp.ClientError):
                async with self.http.get(f"{self.root}/healthz") as response:
                    if response.status == 200:
                        self.ready.set()
                        return
            await asyncio.sleep(0.05)
        raise RuntimeError(f"server not ready; see {self.folder}")

    def kill_now(self) -> None:
        """SIGKILL the active server (callable from inside a mock handler)."""
        if self.pid is not None and _alive(self.pid):
            self.ready.clear()
            os.kill(self.pid, signal.SIGKILL)
            self.kills += 1

    async def restart(self) -> None:
        began = time.monotonic()
        await self._exited()
        await self.start()
        self.restarts.append(time.monotonic() - began)

    async def stop(self, sig: signal.Signals = signal.SIGTERM) -> int | None:
        """Signal the active server and wait for it to exit; its exit code when it exited
        by itself (a SIGTERM drains and exits 0)."""
        self.ready.clear()
        if self.pid is not None and _alive(self.pid):
            os.kill(self.pid, sig)
        await self._exited()
        with contextlib.suppress(OSError, ValueError):
            return int(self._exit_file.read_text())
        return None

    async def close(self) -> None:
        await self.stop()
        if self._zygote is not None:
            self._zygote.kill()
            self._zygote.wait()
            self._zygote = None

    async def _exited(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while self.pid is not None and _alive(self.pid) and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        if self.pid is not None and _alive(self.pid):
            os.kill(self.pid, signal.SIGKILL)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


# ---------------------------------------------------------------------- delivery as Slack does


@dataclass
class Deliveries:
    """Events sent, each until it got a 200 (Slack resends what got none, same event id)."""

    servers: Servers
    http: aiohttp.ClientSession
    acked: set[str] = field(default_factory=set)
    resent: int = 0
    on_ack: Callable[[], None] | None = None

    async def deliver(self, payload: dict[str, Any]) -> None:
        event_id = str(payload["event_id"])
        while True:
            await self.servers.ready.wait()
            transport = HttpTransport(f"{self.servers.root}/slack/events", self.http)
            try:
                reply = await transport.event(payload)
            except (aiohttp.ClientError, OSError):
                reply = None
            if reply is not None and reply.status == 200:
                self.acked.add(event_id)
                if self.on_ack is not None:
                    self.on_ack()
                return
            self.resent += 1
            await asyncio.sleep(0.05)


# ---------------------------------------------------------------------- the two runs


def _metadata_parts(mock: SlackMock) -> Counter[tuple[int, int]]:
    posted: Counter[tuple[int, int]] = Counter()
    for message in mock.messages:
        payload = (message.get("metadata") or {}).get("event_payload") or {}
        if "id" in payload:
            posted[(int(payload["id"]), int(payload.get("part", 0)))] += 1
    return posted


async def _settle(store: Store, timeout: float = 90.0) -> None:
    """Until nothing is waiting in the inbox or the outbox."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        async with store.read() as tx:
            waiting = await tx.db.scalar(
                select(func.count()).select_from(InboxRow).where(InboxRow.status == "pending")
            )
            unsent = await tx.db.scalar(
                select(func.count()).select_from(OutboxRow).where(OutboxRow.status == "pending")
            )
        if not waiting and not unsent:
            return
        await asyncio.sleep(0.25)


async def _delivery_counts(store: Store, mock: SlackMock, acked: int) -> dict[str, int]:
    async with store.read() as tx:
        done = await tx.db.scalar(select(func.count()).select_from(InboxRow).where(InboxRow.status == "done"))
        rows = list(await tx.db.execute(select(OutboxRow.id, OutboxRow.kind, OutboxRow.status)))
    posted = _metadata_parts(mock)
    delivered_rows = {row_id for row_id, _ in posted}
    messages = [r for r in rows if r.kind == "messages"]
    missing = sum(1 for r in messages if r.status != "sent" or r.id not in delivered_rows)
    missing += sum(1 for r in rows if r.kind != "messages" and r.status != "sent")
    return {
        "acknowledged": acked,
        "processed": int(done or 0),
        "lost": max(0, acked - int(done or 0)),
        "replies_missing": missing,
        "replies_duplicated": sum(n - 1 for n in posted.values() if n > 1),
    }


@contextlib.asynccontextmanager
async def _world(url: str, key: str, tag: str) -> AsyncIterator[tuple[SlackMock, Servers, Store]]:
    engine = create_engine(url, cipher=FieldCipher([key]))
    await upgrade(engine)
    store = Store(engine)
    folder = Path(tempfile.mkdtemp(prefix=f"reflect-faults-{tag}-"))
    async with SlackMock(bot_token=BOT_TOKEN) as mock, aiohttp.ClientSession() as http:
        mock.set_latency(0.01, "chat.postMessage")  # a real Slack takes a moment per post
        env = server_env(
            url,
            mock,
            REFLECT_ENCRYPTION_KEY=key,
            REFLECT_OUTBOX_LEASE_SECONDS="1",  # a dead sender's rows are taken over quickly
            REFLECT_SWEEP_SECONDS="0.25",
            REFLECT_DRAIN_SECONDS="0.5",
        )
        servers = Servers(env, folder, http)
        try:
            await servers.start()
            yield mock, servers, store
        except BaseException:
            print(f"fault benchmark ({tag}) failed; the servers' logs are in {folder}")
            raise
        else:
            shutil.rmtree(folder, ignore_errors=True)
        finally:
            await servers.close()
            await store.close()


async def kill_run(url: str, kills: int, workers: int, seed: int, tag: str) -> dict[str, Any]:
    """Workers reflect while the server is killed `kills` times at random points."""
    rng = random.Random(seed)
    key = FieldCipher.generate_key()
    async with _world(url, key, tag) as (mock, servers, store):
        users = [f"U0FAULT{n:03d}" for n in range(workers)]
        deliveries = Deliveries(servers, servers.http)
        armed: list[str] = []  # a kill waiting for the next chat.postMessage
        post = mock._m_chat_postMessage

        async def posting(params: dict[str, Any]) -> dict[str, Any]:
            if armed:
                mode = armed.pop()
                if mode == "after_post":
                    post(params)  # Slack has it; the bot never hears back
                    await mock._notify()
                servers.kill_now()
                await asyncio.sleep(0.2)
                raise SlackError("fatal_error", status=500)  # to a dead process: goes nowhere
            return post(params)

        mock.set_handler("chat.postMessage", posting)
        acks = asyncio.Event()
        deliveries.on_ack = acks.set
        finished = asyncio.Event()

        cases: list[int] = []  # one reflection each, until the kills are done

        async def worker(user: str, first: int) -> None:
            dm = mock.dm_channel(user)
            n = first
            while not cases or servers.kills < kills:
                cases.append(n)
                for line in REFLECTION:
                    before = len(mock.messages_in(dm))
                    await deliveries.deliver(sr.message_event(line.format(n=n), user=user, channel=dm))
                    with contextlib.suppress(TimeoutError):
                        await mock._wait(lambda b=before: len(mock.messages_in(dm)) > b, 30, "a reply")
                    count = -1
                    while count != len(mock.messages_in(dm)):  # until the reply's parts have landed
                        count = len(mock.messages_in(dm))
                        await asyncio.sleep(0.15)
                n += 100

        async def killer() -> None:
            modes: Counter[str] = Counter()
            while servers.kills < kills and not finished.is_set():
                mode = rng.choice(KILL_MODES)
                if mode == "after_ack":
                    acks.clear()
                    await acks.wait()
                    await asyncio.sleep(rng.choice([0.0, 0.002, 0.01, 0.02, 0.04]))
                    servers.kill_now()
                elif mode == "mid_turn":
                    await asyncio.sleep(rng.uniform(0.0, 0.25))
                    servers.kill_now()
                else:
                    armed.append(mode)
                    while armed and not finished.is_set():
                        await asyncio.sleep(0.01)
                    if finished.is_set():
                        break
                modes[mode] += 1
                await servers.restart()
            stats["modes"] = dict(modes)

        stats: dict[str, Any] = {}
        started = time.monotonic()
        kill_task = asyncio.create_task(killer())
        await asyncio.gather(*(worker(u, 3000 + i) for i, u in enumerate(users)))
        finished.set()
        armed.clear()
        await kill_task
        mock.set_handler("chat.postMessage", post)
        if not servers.ready.is_set():
            await servers.restart()
        await _settle(store)
        await asyncio.sleep(1.0)  # a late second post would land now
        elapsed = time.monotonic() - started

        counts = await _delivery_counts(store, mock, len(deliveries.acked))
        async with store.read() as tx:
            sessions = list(await tx.db.scalars(select(SessionRow)))
            answers = list(await tx.db.scalars(select(AnswerRow)))
            done = list(
                await tx.db.execute(
                    select(InboxRow.lane, InboxRow.done_at)
                    .where(InboxRow.status == "done")
                    .order_by(InboxRow.lane, InboxRow.id)
                )
            )
        # Turns run after a later event of their lane (none of these turns leaves work outside).
        out_of_order = sum(
            1 for a, b in itertools.pairwise(done) if a.lane == b.lane and a.done_at > b.done_at
        )
        typed = {line.format(n=n) for n in cases for line in REFLECTION if len(line) > 20}
        texts = Counter((a.session_id, a.text) for a in answers)
        duplicated = sum(n - 1 for (_, t), n in texts.items() if n > 1 and t in typed)
        complete = sum(s.status == "complete" for s in sessions)
        return {
            **counts,
            "duplicated": duplicated + max(0, len(sessions) - len(cases)),
            "unfinished": len(cases) - complete,  # every reflection was typed to its end
            "out_of_order": out_of_order,
            "kills": servers.kills,
            "reflections": len(cases),
            "sessions_complete": complete,
            "workers": workers,
            "resent_by_slack": deliveries.resent,
            "seconds": round(elapsed, 1),
            "restart_s_median": round(median(servers.restarts), 3),
            **{f"kills_{k}": v for k, v in sorted(stats.get("modes", {}).items())},
        }


async def sigterm_run(url: str, events: int, workers: int, seed: int, tag: str) -> dict[str, Any]:
    """A burst of `events` visit commands; SIGTERM partway; the next start finishes them."""
    rng = random.Random(seed)
    key = FieldCipher.generate_key()
    async with _world(url, key, tag) as (mock, servers, store):
        deliveries = Deliveries(servers, servers.http)
        stop_at = int(events * rng.uniform(0.4, 0.7))
        stopped = asyncio.Event()
        exit_code: list[int | None] = []

        def maybe_stop() -> None:
            if len(deliveries.acked) >= stop_at and not stopped.is_set():
                stopped.set()

        deliveries.on_ack = maybe_stop
        payloads = []
        for n in range(events):
            user = f"U0BURST{n % workers:04d}"
            text = f"visit HX-{n:04d} tomorrow 10:00"
            payloads.append(sr.message_event(text, user=user, channel=mock.dm_channel(user)))
        gate = asyncio.Semaphore(64)  # Slack sends many at once, not all at once

        async def send(payload: dict[str, Any]) -> None:
            async with gate:
                await deliveries.deliver(payload)

        async def terminate() -> None:
            await stopped.wait()
            exit_code.append(await servers.stop(signal.SIGTERM))
            await servers.start()

        started = time.monotonic()
        term = asyncio.create_task(terminate())
        await asyncio.gather(*(send(p) for p in payloads))
        await term
        await _settle(store)
        await asyncio.sleep(1.0)
        elapsed = time.monotonic() - started
        counts = await _delivery_counts(store, mock, len(deliveries.acked))
        async with store.read() as tx:
            reminders = int(await tx.db.scalar(select(func.count()).select_from(ReminderRow)) or 0)
        return {
            **counts,
            "duplicated": max(0, reminders - events),
            "reminders": reminders,
            "sigterm_after_acks": stop_at,
            "sigterm_exit": exit_code[0] if exit_code else None,
            "resent_by_slack": deliveries.resent,
            "seconds": round(elapsed, 1),
        }


ZERO = ("lost", "duplicated", "replies_missing", "replies_duplicated")


def _result(name: str, metrics: dict[str, Any], note: str | None = None) -> Result:
    met = (
        all(metrics.get(k) == 0 for k in ZERO)
        and metrics.get("unfinished", 0) == 0
        and metrics.get("out_of_order", 0) == 0
        and metrics.get("processed") == metrics.get("acknowledged")
    )
    return Result(
        name,
        metrics,
        target="0 lost, duplicated, unfinished or out of order; 0 replies missing or duplicated",
        met=met,
        note=note,
    )


async def bench(
    pg_url: str | None,
    kills: int = 100,
    burst: int = 2000,
    workers: int = 6,
    seed: int = 14,
) -> list[Result]:
    results: list[Result] = []
    with tempfile.TemporaryDirectory() as folder:
        databases = [("sqlite", f"sqlite:///{folder}/faults.db", f"sqlite:///{folder}/burst.db")]
        if pg_url is not None:
            databases.append(("postgres", pg_url, pg_url))
        for tag, url, burst_url in databases:
            if kills:
                if tag == "postgres":
                    await _reset(url)
                metrics = await kill_run(url, kills, workers, seed, tag)
                results.append(_result(f"faults: {kills} x kill -9, {tag}", metrics))
            if burst:
                if tag == "postgres":
                    await _reset(burst_url)
                metrics = await sigterm_run(burst_url, burst, max(1, burst // 4), seed, tag)
                results.append(_result(f"faults: SIGTERM in {burst} events, {tag}", metrics))
        if pg_url is None:
            results.append(Result("faults: postgres", note="skipped: no PostgreSQL here"))
    return results


async def _reset(url: str) -> None:
    """Empty the PostgreSQL database between the two runs (each counts its own rows)."""
    from sqlalchemy import text

    engine = create_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


# ---------------------------------------------------------------------- the server processes


def _zygote() -> None:
    """Import everything `reflect serve` needs once; then, for each line "PORT LOG EXIT" on
    stdin, fork a child that runs the real `reflect serve --port PORT` (its output to LOG,
    its exit code to EXIT) and print the child's pid. Children are reaped by the kernel."""
    import importlib

    for module in (
        "alembic.command",
        "bot.adapters.slack.http",
        "bot.adapters.teams.http",
        "bot.runtime",
        "bot.server",
        "storage.migrate",
    ):
        importlib.import_module(module)
    from bot.cli import app

    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    while line := sys.stdin.readline():
        port, log, exit_file = line.split()
        pid = os.fork()
        if pid:
            sys.stdout.write(f"{pid}\n")
            sys.stdout.flush()
            continue
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        out = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(out, 1)
        os.dup2(out, 2)
        code = 1
        try:
            app(["serve", "--port", port], prog_name="reflect")
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
        finally:
            Path(exit_file).write_text(str(code))
            os._exit(code)


if __name__ == "__main__" and sys.argv[1:2] == ["zygote"]:
    _zygote()
