"""A group's devil's-advocate round gets a neutral synthesis and a challenge; names stay here."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.assist import AssistSettings, build_assistant
from bot.assist.names import NameIndex
from bot.config import Settings
from bot.service import ReflectionService
from storage.database import create_engine
from storage.migrate import upgrade
from storage.repository import Store
from tests.assist.conftest import Sleeps
from tests.assist.fake_openai import FakeOpenAI
from tests.service.conftest import Clock
from tests.service.test_group_supervision import Room, joined


@pytest.fixture
async def group_service(
    tmp_path: Path, server: FakeOpenAI, names: NameIndex, sleeps: Sleeps
) -> AsyncIterator[ReflectionService]:
    engine = create_engine(f"sqlite:///{tmp_path}/group.db")
    await upgrade(engine)
    store = Store(engine)
    settings = Settings(llm_model="test-model", openai_base_url=server.base_url, openai_api_key="sk-test")
    assist = build_assistant(settings, AssistSettings(call_budget=3.0), names=names, sleep=sleeps)
    yield ReflectionService(store, clock=Clock(), assist=assist)
    await store.close()


async def test_the_hypotheses_round_is_synthesised_without_names(
    group_service: ReflectionService, server: FakeOpenAI
) -> None:
    room = Room(group_service)
    await room.say("m1", "group", "p1", "a1", "b1", "c1")
    for who in ["m1", "p1", "a1", "b1", "c1"]:
        await room.say(who, "agree")
    await room.say("m1", "HX-2291")
    await room.say("p1", "Three visits to Kayleigh at 14 Acacia Avenue, curtains always closed.")
    await room.say("m1", "next")
    await room.say("b1", "What did Kayleigh do while you talked to mum?")
    await room.say("m1", "next")
    await room.say("a1", "Mum is depressed and can't see Kayleigh's needs")
    await room.say("b1", "Someone else is living there and mum is scared, as Pat said")
    await room.say("c1", "Kayleigh is looking after mum")
    await room.say("a1", "you should book a strat tbh")  # advice, not a hypothesis: not synthesised
    await room.say("m1", "pass")
    devil = joined(await room.say("m1", "next"))
    assert "AI-suggested synthesis of the hypotheses round" in devil
    assert "AI-suggested challenge" in devil
    assert "Kayleigh" in devil  # re-identified for the group, on our side
    assert any("synthesis" in r.system for r in server.received)
    for word in ("Kayleigh", "Acacia", "Pat", "Alex", "Cal", "HX-2291"):
        assert word not in server.bodies, word
    assert "book a strat" not in server.bodies
