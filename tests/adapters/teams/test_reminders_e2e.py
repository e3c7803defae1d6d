"""A worker logs a visit in Teams; after it the bot asks them, once, as a proactive personal
message, even when the server restarted in between (issue 9)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
from aiohttp import web

from bot.runtime import open_runtime
from bot.server import build_app
from bot.service import ReflectionService
from tests.adapters.teams.activities import activity
from tests.adapters.teams.driver import Connector, TeamsWorld, free_port, no_sleep, teams_settings
from tests.service.conftest import Clock


async def wait_for(condition: Callable[[], bool], timeout: float = 15.0) -> bool:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            return False
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.2)  # let the runner's first pass finish
    return True


@contextlib.asynccontextmanager
async def serve_at(database: Path, clock: Clock) -> AsyncIterator[TeamsWorld]:
    async with open_runtime(teams_settings(str(database))) as opened:
        runtime = replace(opened, service=ReflectionService(opened.store, clock=clock))
        app = build_app(runtime)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        port = free_port()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        try:
            async with aiohttp.ClientSession() as http:
                world = TeamsWorld(url=f"http://127.0.0.1:{port}", runtime=runtime, app=app, http=http)
                world.bot.agent.sleep = no_sleep
                world.bot.proactive.sleep = no_sleep
                yield world
        finally:
            await runner.cleanup()


async def test_a_visit_logged_before_a_restart_is_followed_up_once(
    tmp_path: Path, connector: Connector
) -> None:
    clock = Clock()
    clock.now = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # Friday noon
    database = tmp_path / "reflect.db"
    async with serve_at(database, clock) as world:
        status = await world.post(
            activity(
                text="visit HX-2291 14:00", service_url=connector.service_url, localTimezone="Europe/London"
            )
        )
        assert status in (200, 202)
        assert "at 15:00 today" in connector.texts()[-1]
    connector.clear()
    clock.now = datetime(2026, 11, 20, 15, 1, tzinfo=UTC)
    async with serve_at(database, clock):
        await wait_for(lambda: any("How did the visit" in t for t in connector.texts()))
    asks = [t for t in connector.texts() if "How did the visit on HX-2291 go?" in t]
    assert len(asks) == 1
    assert any("start:post_visit:HX-2291" in p.button_values() for p in connector.posted)
    async with serve_at(database, clock) as world:  # a third start: the runner finds nothing due
        runner_done = await wait_for(lambda: True)
        assert runner_done and world.runtime.service is not None
    assert len([t for t in connector.texts() if "How did the visit on HX-2291 go?" in t]) == 1
