"""Load that councils make (issue 17.8): an open-loop benchmark against real `reflect serve`
processes, for SQLite and for PostgreSQL with one and with two server processes.

* Open loop: W workers each send a DM on random (Poisson) arrivals, one every `mean_gap`
  seconds on average, whatever the bot is doing, through a reflection's script. A reply's
  latency is from the moment the event was stored (the inbox row, before Slack's 200) to
  the moment its first reply was posted (the outbox row's sent_at), read back from the
  database; the acknowledgement time is measured by the sender.
* Capacity: a burst of events (a `visit` command each, from many workers) sent as fast as
  the servers take them; turns a second is events done over the time to do them all.

The Slack Web API is the test suite's mock (tests/support/slack_mock.py) in this process.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import psutil
from sqlalchemy import func, select

from benchmarks.common import REFLECTION, Result, median, percentile
from storage.database import create_engine
from storage.migrate import upgrade
from storage.repository import Store
from storage.tables import InboxRow, OutboxRow
from tests.adapters.slack.driver import BOT_TOKEN, HttpTransport
from tests.multiprocess.test_two_servers import server_env
from tests.support import slack_requests as sr
from tests.support.slack_mock import SlackMock

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.asynccontextmanager
async def servers(url: str, mock: SlackMock, count: int, folder: Path) -> AsyncIterator[list[str]]:
    engine = create_engine(url)
    await upgrade(engine)
    await engine.dispose()
    env = server_env(url, mock)
    processes = []
    roots = []
    try:
        for n in range(count):
            port = _free_port()
            log = (folder / f"server{n}.log").open("wb")
            processes.append(
                await asyncio.create_subprocess_exec(
                    sys.executable,
                    "-m",
                    "bot",
                    "serve",
                    "--port",
                    str(port),
                    cwd=ROOT,
                    env=env,
                    stdout=log,
                    stderr=log,
                )
            )
            roots.append(f"http://127.0.0.1:{port}")
        async with aiohttp.ClientSession() as http:
            for root in roots:
                for _ in range(300):
                    with contextlib.suppress(aiohttp.ClientError):
                        async with http.get(f"{root}/healthz") as response:
                            if response.status == 200:
                                break
                    await asyncio.sleep(0.2)
        _SERVER_PIDS[:] = [process.pid for process in processes]
        yield [f"{root}/slack/events" for root in roots]
    finally:
        for process in processes:
            with contextlib.suppress(ProcessLookupError):
                process.terminate()
        for process in processes:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(process.wait(), 30)


async def _done_count(store: Store, since: datetime) -> int:
    done = select(func.count()).select_from(InboxRow)
    async with store.read() as tx:
        return await tx.db.scalar(done.where(InboxRow.status == "done", InboxRow.received_at >= since)) or 0


async def _reply_latencies(store: Store, since: datetime) -> list[float]:
    async with store.read() as tx:
        rows = await tx.db.execute(
            select(InboxRow.received_at, func.min(OutboxRow.sent_at))
            .join(OutboxRow, OutboxRow.inbox_id == InboxRow.id)
            .where(OutboxRow.sent_at.is_not(None), InboxRow.received_at >= since)
            .group_by(InboxRow.id, InboxRow.received_at)
        )
        return [(sent - received).total_seconds() for received, sent in rows]


async def open_loop(
    url: str, label: str, processes: int, workers: int, mean_gap: float, duration: float
) -> Result:
    rng = random.Random(17)
    acks: list[float] = []
    async with SlackMock(bot_token=BOT_TOKEN) as mock, aiohttp.ClientSession() as http:
        with tempfile.TemporaryDirectory() as tmp:
            async with servers(url, mock, processes, Path(tmp)) as urls:
                transports = [HttpTransport(u, http) for u in urls]
                sent = 0

                async def worker(n: int) -> None:
                    nonlocal sent
                    user = f"U0LOAD{n:05d}"
                    dm = mock.dm_channel(user)
                    await asyncio.sleep(rng.uniform(0, mean_gap))
                    began = time.monotonic()
                    i = 0
                    while time.monotonic() - began < duration:
                        line = REFLECTION[i % len(REFLECTION)].format(n=n)
                        started = time.perf_counter()
                        reply = await transports[(n + i) % len(transports)].event(
                            sr.message_event(line, user=user, channel=dm)
                        )
                        if reply.status == 200:
                            acks.append(time.perf_counter() - started)
                            sent += 1
                        i += 1
                        await asyncio.sleep(rng.expovariate(1 / mean_gap))

                t0, since = time.monotonic(), datetime.now(UTC)
                await asyncio.gather(*(worker(n) for n in range(workers)))
                sending = time.monotonic() - t0
                store = Store(create_engine(url))
                deadline = time.monotonic() + 120
                while await _done_count(store, since) < sent and time.monotonic() < deadline:
                    await asyncio.sleep(0.5)
                elapsed = time.monotonic() - t0
                await asyncio.sleep(2.0)  # the last replies
                latencies = await _reply_latencies(store, since)
                done = await _done_count(store, since)
                await store.close()
    p99 = percentile(latencies, 99)
    return Result(
        name=f"Open loop, {workers} workers every {mean_gap:.0f} s ({label}, {processes} process"
        f"{'es' if processes > 1 else ''})",
        metrics={
            "events": sent,
            "done": done,
            "arrivals_per_s": sent / sending if sending else 0.0,
            "turns_per_s_per_process": done / elapsed / processes if elapsed else 0.0,
            "reply_p50_ms": median(latencies) * 1000,
            "reply_p99_ms": p99 * 1000,
            "ack_p99_ms": percentile(acks, 99) * 1000,
        },
        target="reply p99 < 1000 ms",
        met=p99 < 1.0 and done == sent,
        note="latency from the inbox row (before the 200) to the first reply posted",
    )


_SERVER_PIDS: list[int] = []  # the servers of the last `servers()`, for their CPU time


@dataclass
class Capacity:
    turns_per_s: float
    busy: float  # of the machine's cores, 0..1, over the burst
    cpu_ms_per_turn: dict[str, float]  # servers, database, load


def _cpu(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        with contextlib.suppress(psutil.Error):
            times = psutil.Process(pid).cpu_times()
            total += times.user + times.system
    return total


def _database_cpu() -> dict[int, float]:
    """CPU seconds of every PostgreSQL process now running (the postmaster with what its
    backends that already ended used: they come and go with connections)."""
    found: dict[int, float] = {}
    for process in psutil.process_iter(["name"]):
        if not (process.info["name"] or "").startswith("postgres"):
            continue
        with contextlib.suppress(psutil.Error):
            times = process.cpu_times()
            found[process.pid] = times.user + times.system + times.children_user + times.children_system
    return found


def _database_used(before: dict[int, float]) -> float:
    return sum(cpu - before.get(pid, 0.0) for pid, cpu in _database_cpu().items())


async def capacity(url: str, processes: int, events: int) -> Capacity:
    """Turns a second, all servers together, for a burst sent as fast as they take it, and
    where the CPU went: with every core busy, a second server can only share the same cores."""
    async with SlackMock(bot_token=BOT_TOKEN) as mock, aiohttp.ClientSession() as http:
        with tempfile.TemporaryDirectory() as tmp:
            async with servers(url, mock, processes, Path(tmp)) as urls:
                transports = [HttpTransport(u, http) for u in urls]
                store = Store(create_engine(url))
                since = datetime.now(UTC)
                users = [f"U0CAP{n:05d}" for n in range(max(1, events // 5))]
                pids = list(_SERVER_PIDS)
                database = _database_cpu()
                cpu_before = (_cpu(pids), 0.0, time.process_time())
                machine_before = psutil.cpu_times()
                began = time.monotonic()
                limit = asyncio.Semaphore(64)

                async def one(k: int) -> None:
                    user = users[k % len(users)]
                    async with limit:
                        await transports[k % len(transports)].event(
                            sr.message_event(
                                f"visit HX-{k:05d} 14:00", user=user, channel=mock.dm_channel(user)
                            )
                        )

                await asyncio.gather(*(one(k) for k in range(events)))
                deadline = time.monotonic() + 300
                while await _done_count(store, since) < events and time.monotonic() < deadline:
                    await asyncio.sleep(0.2)
                elapsed = time.monotonic() - began
                cpu_after = (_cpu(pids), _database_used(database), time.process_time())
                machine_after = psutil.cpu_times()
                done = await _done_count(store, since)
                await store.close()
    idle = (machine_after.idle + machine_after.iowait) - (machine_before.idle + machine_before.iowait)
    wall = sum(machine_after) - sum(machine_before)
    per_turn = {
        name: (after - before) / done * 1000 if done else 0.0
        for name, before, after in zip(("servers", "database", "load"), cpu_before, cpu_after, strict=True)
    }
    return Capacity(done / elapsed if elapsed else 0.0, 1 - idle / wall if wall else 0.0, per_turn)


async def bench(
    pg_url: str | None, workers: int = 1000, mean_gap: float = 20.0, duration: float = 60.0
) -> list[Result]:
    results: list[Result] = []
    with tempfile.TemporaryDirectory() as tmp:
        results.append(await open_loop(f"sqlite:///{tmp}/open.db", "SQLite", 1, workers, mean_gap, duration))
    if pg_url is not None:
        for processes in (1, 2):
            results.append(await open_loop(pg_url, "PostgreSQL", processes, workers, mean_gap, duration))
        first = await capacity(pg_url, 1, 1500)
        second = await capacity(pg_url, 2, 1500)
        one, two = first.turns_per_s, second.turns_per_s
        cpu = first.cpu_ms_per_turn
        # What the cores allow: with every core busy, turns/s = cores / CPU per turn (all parties).
        ceiling = psutil.cpu_count() * 1000 / sum(cpu.values()) if sum(cpu.values()) else 0.0
        results.append(
            Result(
                name="PostgreSQL capacity, one and two processes (1,500-event burst)",
                metrics={
                    "one_turns_per_s": one,
                    "two_turns_per_s": two,
                    "two_over_one": two / one if one else 0.0,
                    "cores_busy_one": first.busy,
                    "cores_busy_two": second.busy,
                    "cpu_ms_per_turn_servers": cpu["servers"],
                    "cpu_ms_per_turn_database": cpu["database"],
                    "cpu_ms_per_turn_load": cpu["load"],
                    "cores_ceiling_over_one": ceiling / one if one else 0.0,
                },
                target="two >= 1.7 x one",
                met=one > 0 and two / one >= 1.7,
                note=(
                    "the two servers, the database and the load generator share this machine's cores;"
                    " cores_ceiling_over_one: the most any number of servers could carry here (cores /"
                    " CPU per turn of all parties), over one server's figure"
                ),
            )
        )
    return results
