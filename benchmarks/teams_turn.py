"""Our Teams turn against a bare Microsoft 365 Agents SDK echo bot, side by side.

Both get the same activities (anonymous auth, as the local Playground sends them) on
POST /api/messages and send their replies to the same local connector stand-in before
answering, so a turn is the HTTP round trip. Turns alternate between the two bots.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from benchmarks.common import REFLECTION, Result, median, percentile
from tests.adapters.teams.activities import activity
from tests.adapters.teams.driver import run_connector, serve_teams, teams_settings
from tests.support.echo_agent import run_echo_agent


async def bench(reflections: int = 4) -> list[Result]:
    ours: list[float] = []
    bare: list[float] = []
    async with run_connector() as connector, run_echo_agent() as echo:
        with tempfile.TemporaryDirectory() as tmp:
            async with serve_teams(teams_settings(str(Path(tmp) / "bench.db"))) as world:
                for n in range(reflections):
                    conversation = f"a:bench-{n:04d}"
                    for line in REFLECTION:
                        text = line.format(n=n)
                        sent = activity(
                            text=text, service_url=connector.service_url, conversation=conversation
                        )
                        before = len(connector.posted)
                        started = time.perf_counter()
                        status = await world.post(sent)
                        ours.append(time.perf_counter() - started)
                        assert status < 300 and len(connector.posted) > before, status

                        sent = activity(
                            text=text, service_url=connector.service_url, conversation=conversation
                        )
                        before = len(connector.posted)
                        started = time.perf_counter()
                        async with world.http.post(echo.url, json=sent) as response:
                            await response.read()
                        bare.append(time.perf_counter() - started)
                        assert response.status < 300 and len(connector.posted) > before, response.status
    ratio = median(ours) / median(bare)
    return [
        Result(
            name=f"Teams turn vs bare Agents SDK echo ({len(ours)} turns each)",
            metrics={
                "ours_p50_ms": median(ours) * 1000,
                "ours_p99_ms": percentile(ours, 99) * 1000,
                "bare_agents_p50_ms": median(bare) * 1000,
                "bare_agents_p99_ms": percentile(bare, 99) * 1000,
                "teams_turn_ratio_vs_bare_agents": ratio,
            },
            target="ratio <= 3, p99 < 50 ms",
            met=ratio <= 3 and percentile(ours, 99) < 0.050,
            note="median of a whole reflection's turns (SQLite); the echo bot replies once per message",
        )
    ]
