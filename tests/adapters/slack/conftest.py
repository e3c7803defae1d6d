"""Fixtures for the Slack adapter tests: the Slack mock, settings, a running server."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import structlog

from bot.config import Settings
from tests.adapters.slack.driver import APP_TOKEN, BOT_TOKEN, SlackWorld, serve_slack, slack_settings
from tests.support.slack_mock import SlackMock


@pytest.fixture(autouse=True)
def plain_logging() -> None:
    """Other tests run the CLI in-process, which points structlog at a stream that is closed
    afterwards; start each Slack test from structlog's defaults instead."""
    structlog.reset_defaults()


class Clock:
    """A clock the test moves by hand (the service takes any callable)."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 2, 14, 30, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def mock() -> AsyncIterator[SlackMock]:
    async with SlackMock(bot_token=BOT_TOKEN, app_token=APP_TOKEN) as slack:
        yield slack


@pytest.fixture
def settings(mock: SlackMock, tmp_path: Path) -> Settings:
    return slack_settings(mock, str(tmp_path / "reflect.db"))


@pytest.fixture
async def world(mock: SlackMock, settings: Settings) -> AsyncIterator[SlackWorld]:
    async with serve_slack(mock, settings) as running:
        yield running
