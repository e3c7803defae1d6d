from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.service import ReflectionService
from storage.database import create_engine
from storage.migrate import upgrade
from storage.repository import Store


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
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    engine = create_engine(f"sqlite:///{tmp_path}/service.db")
    await upgrade(engine)
    store = Store(engine)
    yield store
    await store.close()


@pytest.fixture
def service(store: Store, clock: Clock) -> ReflectionService:
    return ReflectionService(store, clock=clock)
