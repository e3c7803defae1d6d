"""Fixtures for the Teams adapter tests: the connector stand-in and a running server."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.adapters.teams.driver import (
    Connector,
    TeamsWorld,
    no_sleep,
    run_connector,
    serve_teams,
    teams_settings,
)


@pytest.fixture
async def connector() -> AsyncIterator[Connector]:
    async with run_connector() as running:
        yield running


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[TeamsWorld]:
    async with serve_teams(teams_settings(str(tmp_path / "reflect.db"))) as running:
        running.bot.agent.sleep = no_sleep
        running.bot.proactive.sleep = no_sleep
        yield running
