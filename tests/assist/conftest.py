from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.assist.names import NameIndex, shared_index
from tests.assist.fake_openai import FakeOpenAI


@pytest.fixture(scope="session")
def names() -> NameIndex:
    """The real UK/Irish first-name list, read once for the whole run (a few seconds)."""
    index = shared_index()
    index.load_now()
    return index


@pytest.fixture
async def server() -> AsyncIterator[FakeOpenAI]:
    fake = await FakeOpenAI().start()
    yield fake
    await fake.stop()


class Sleeps:
    """An injected sleep: records what tenacity asked for and returns at once (no real waiting)."""

    def __init__(self) -> None:
        self.asked: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.asked.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()
