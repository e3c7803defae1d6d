"""`make bench`: run every benchmark side by side, print the table, write results.json.

The machine is shared and noisy, so each comparison is measured in the same run and we
report medians, high percentiles and ratios rather than single timings.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from benchmarks import (
    concurrent_workers,
    exports,
    faults,
    open_loop,
    slack_oauth,
    slack_turn,
    teams_turn,
    tokens,
)
from benchmarks.common import Result, table

RESULTS = Path(__file__).parent / "results.json"


@contextlib.contextmanager
def postgres() -> Iterator[str | None]:
    """A throwaway PostgreSQL on loopback (the test suite's), or None when there is none."""
    from tests.support.postgres import fresh_database, start_postgres

    with contextlib.ExitStack() as stack:
        url: str | None
        try:
            server = stack.enter_context(start_postgres())
            url = stack.enter_context(fresh_database(server, prefix="reflect_bench"))
        except Exception as error:  # no PostgreSQL here: say so
            print(f"PostgreSQL unavailable for benchmarks: {type(error).__name__}: {error}")
            url = None
        yield url


def machine() -> dict[str, str]:
    return {
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.machine()}",
        "cpus": str(os.cpu_count()),
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
    }


async def run_faults(args: argparse.Namespace) -> list[Result]:
    with postgres() as pg_url:
        return await faults.bench(pg_url, kills=args.kills, burst=args.burst)


async def run(args: argparse.Namespace) -> list[Result]:
    def wanted(name: str) -> bool:
        return not args.only or name in args.only

    results: list[Result] = []
    if wanted("slack_turn"):
        results += await slack_turn.bench()
    if wanted("slack_oauth"):
        results += await slack_oauth.bench()
    if wanted("teams_turn"):
        results += await teams_turn.bench()
    if wanted("tokens"):
        results += await tokens.bench()
    if wanted("exports"):
        results += await exports.bench(args.sessions)
    if any(wanted(name) for name in ("concurrent_workers", "open_loop")):
        with postgres() as pg_url:
            if wanted("concurrent_workers"):
                results += await concurrent_workers.bench(args.workers, pg_url)
            if wanted("open_loop") and args.open_seconds > 0:
                results += await open_loop.bench(pg_url, args.open_workers, args.open_gap, args.open_seconds)
    if wanted("faults"):
        results += await run_faults(args)  # its own PostgreSQL: it empties the database it is given
    return results


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--workers", type=int, default=200)
    parser.add_argument(
        "--sessions", type=int, default=10_000, help="sessions in the large CSV export (0: only the year)"
    )
    parser.add_argument("--open-workers", type=int, default=1000, help="workers in the open-loop benchmark")
    parser.add_argument(
        "--open-gap", type=float, default=20.0, help="mean seconds between a worker's messages"
    )
    parser.add_argument("--open-seconds", type=float, default=60.0, help="open-loop duration (0: skip it)")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="MODULE",
        help="run only this benchmark module (repeatable): slack_turn, slack_oauth, teams_turn, "
        "tokens, exports, concurrent_workers, open_loop, faults; its rows replace the same rows of "
        "results.json and the others are kept",
    )
    parser.add_argument("--kills", type=int, default=100, help="kill -9s per database in the fault benchmark")
    parser.add_argument(
        "--burst", type=int, default=2000, help="events in the fault benchmark's SIGTERM burst"
    )
    args = parser.parse_args()
    from bot.logs import configure_logging

    configure_logging("WARNING")  # routine per-turn logs would be measured too
    from bot.heap import settle_after_start

    settle_after_start()  # as `reflect serve` does: this process is the server here
    results = asyncio.run(run(args))
    print(table(results))
    today = machine()["date"]
    rows = [{**r.__dict__, "measured": today} for r in results]
    if args.only and RESULTS.exists():
        # A partial run: its rows replace the same rows, the rest keep the day they were measured.
        fresh = {row["name"]: row for row in rows}
        kept = json.loads(RESULTS.read_text()).get("results", [])
        merged = [fresh.pop(row["name"], row) for row in kept]
        rows = merged + list(fresh.values())
    RESULTS.write_text(json.dumps({"machine": machine(), "results": rows}, indent=2, default=str) + "\n")
    print(f"\nwritten to {RESULTS}")


main()
