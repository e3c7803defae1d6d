"""Done means: a reflection full of identifiers gets tailored challenges while the server never
receives an identifier; with the server down the same reflection completes.

Whole turns through ReflectionService on a real SQLite file (migrated), with AI help pointed
at the local OpenAI-compatible server.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.assist import AssistSettings, build_assistant
from bot.assist.names import NameIndex
from bot.config import Settings
from bot.service import ReflectionService
from bot.turns import ConversationKey, Incoming, TurnResult
from storage.database import create_engine
from storage.migrate import upgrade
from storage.repository import Store
from storage.tables import AiUsageRow
from tests.assist.conftest import Sleeps
from tests.assist.fake_openai import FakeOpenAI
from tests.assist.identifiers import NHS, NHS_2, leaks
from tests.service.conftest import Clock

KEY = ConversationKey(platform="slack", workspace="T1", channel="D1", user="U1")

BEFORE_SUMMARY = [
    "reflect",
    "HX-2291",
    "2",  # unannounced
    "pretty bad",  # vague: a follow-up, with an AI-suggested question
    "Feet sticking to the floor at 14 Acacia Avenue, LS6 2QT; smell of smoke; television loud;"
    " flat 3b upstairs had its door open and AB12 CDE was parked outside again.",
    "Kayleigh Smith wakes alone at six and makes her own cereal; Jayden walks her to Brudenell school"
    " with Siobhán and tiago from next door and jayden-lee o'connor, who is at Oakfield Academy.",
    "no",
    "nothing, she was asleep",
    "Next time I'll ask to see her at school.",
    "Tense the whole time, and flat afterwards in the car.",
    "If I was tense after an hour, she lives with that every day.",
    "Mostly about her; some about the assessment deadline.",
    "Ten minutes with my manager tomorrow.",
    "Mum's low mood means nobody is running the home\nDarren, who moved in on 4 May 2021, is staying and mum is"
    " frightened, and Mr O'Sullivan next door says a man called Tyreece visits too",
    "yes",  # the read-back
    f"Curtains closed at noon; Kayleigh's NHS number {NHS} was on a GP letter on the table",
    "She engaged well and kept the GP appointment",
    "Men's boots in the hall; his mobile 07700 900123 was written on a letter to k.smith@example.com",
    f"Mum says her brother visits; the letter said born 12/03/2015 and NHS {NHS_2}; mum's NI is QQ123456C,"
    " the baby was born on the third of may 2019 and nan is on +44 7700 900789",
    "2",  # the leading hypothesis: a devil's-advocate prompt with an AI-suggested challenge
    "If it were wrong I'd expect to see no sign of Darren at all; the boots could be old.",
    "Mum has kept every health visitor appointment.",
    "Mum says the problem is money and the landlord; call her on 0113 496 0000.",
    "Whether anyone else lives in Flat 3.",
    "2",  # ticking clock
    "Ring school / me / Friday\nCheck with the health visitor / health visitor / 30 November",
    "yes",  # the read-back
]
APPROVE_SUMMARY = ["1"]
FINISH = ["share"]


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    engine = create_engine(f"sqlite:///{tmp_path}/assist.db")
    await upgrade(engine)  # the migrations, 0004_ai_usage included
    store = Store(engine)
    yield store
    await store.close()


def service_for(store: Store, base_url: str, names: NameIndex, sleeps: Sleeps) -> ReflectionService:
    settings = Settings(llm_model="test-model", openai_base_url=base_url, openai_api_key="sk-test")
    tuning = AssistSettings(call_budget=3.0, attempts=2, breaker_failures=2)
    assist = build_assistant(settings, tuning, names=names, sleep=sleeps)
    return ReflectionService(store, clock=Clock(), assist=assist)


async def run(service: ReflectionService, lines: list[str]) -> list[TurnResult]:
    """Each line in turn. The worker is warned about identifiers and carries on without
    "use roles", so the words reach the pseudonymiser, which must remove them."""
    return [await service.handle(Incoming(key=KEY, text=line)) for line in lines]


def said(results: list[TurnResult]) -> list[str]:
    return [m.text for r in results for m in r.messages]


async def test_a_reflection_full_of_identifiers_gets_tailored_help_and_sends_none(
    store: Store, server: FakeOpenAI, names: NameIndex, sleeps: Sleeps
) -> None:
    service = service_for(store, server.base_url, names, sleeps)
    results = await run(service, BEFORE_SUMMARY + APPROVE_SUMMARY + FINISH)
    texts = said(results)

    # What the server received: every request, byte for byte, holds no identifier.
    uses = [r.system for r in server.received]
    assert any("devil's advocate" in s for s in uses)
    assert any("follow-up" in s for s in uses)
    assert any("summary" in s for s in uses)
    assert leaks(server.bodies) == [], leaks(server.bodies)
    # ... and the new forms did travel, as placeholders (so the check above is not vacuous).
    for placeholder in ("[CAR_REG_", "[SCHOOL_", "[NI_NUMBER_", "[ADDRESS_", "[PHONE_", "[DATE_"):
        assert placeholder in server.bodies, placeholder
    assert "Darren" not in server.bodies and "HX-2291" not in server.bodies
    assert "Tense the whole time" not in server.bodies  # private feelings answers are never sent

    # What the worker saw: tailored text, labelled, with their own words put back.
    challenge = next(t for t in texts if "AI-suggested challenge" in t)
    assert challenge.startswith("Let me play devil's advocate")  # our wording first
    assert "Darren" in challenge and "[PERSON_" not in challenge
    assert any("AI-suggested question" in t for t in texts)
    assert any("A gentle check" in t for t in texts)  # warned, in chat, about identifiers
    draft = next(t for t in texts if "draft summary written by an AI service" in t)
    assert "Kayleigh Smith" in draft

    note = results[-1].note_markdown or ""
    assert results[-1].completed_session_id is not None
    section = note[note.index("## Summary drafted by AI, approved by the worker") :]
    assert "> The worker reflected on a visit involving Kayleigh Smith." in section
    assert not any("isn't available" in t for t in texts)

    async with store.read() as tx:
        rows = (await tx.db.scalars(select(AiUsageRow))).all()
    assert {r.use for r in rows} >= {"challenge", "followup", "summary"}
    assert all(r.outcome == "ok" and r.prompt_tokens > 0 for r in rows)


async def test_an_edited_summary_is_the_worker_s_version_marked_as_edited(
    store: Store, server: FakeOpenAI, names: NameIndex, sleeps: Sleeps
) -> None:
    service = service_for(store, server.base_url, names, sleeps)
    edit = "The worker saw a home where nobody seemed to be in charge; both hypotheses stay open."
    results = await run(service, [*BEFORE_SUMMARY, "2", edit, *FINISH])
    note = results[-1].note_markdown or ""
    assert "then edited by the worker" in note and f"> {edit}" in note


async def test_a_discarded_summary_leaves_nothing_in_the_note(
    store: Store, server: FakeOpenAI, names: NameIndex, sleeps: Sleeps
) -> None:
    service = service_for(store, server.base_url, names, sleeps)
    results = await run(service, [*BEFORE_SUMMARY, "3", *FINISH])
    note = results[-1].note_markdown or ""
    assert results[-1].completed_session_id is not None
    assert "Summary drafted by AI" not in note and "visit involving" not in note


async def test_with_the_server_down_the_same_reflection_completes(
    store: Store, names: NameIndex, sleeps: Sleeps
) -> None:
    down = FakeOpenAI()  # never started
    down.port = 9  # nothing listens on the loopback discard port: refused at once
    service = service_for(store, down.base_url, names, sleeps)
    results = await run(service, BEFORE_SUMMARY + FINISH)
    texts = said(results)
    assert results[-1].completed_session_id is not None
    assert sum("isn't available just now" in t for t in texts) == 1  # told once, kindly
    assert not any("AI-suggested" in t or "draft summary" in t for t in texts)
    note = results[-1].note_markdown or ""
    assert "Summary drafted by AI" not in note
    assert "> Feet sticking to the floor at 14 Acacia Avenue" in note  # the worker's words, kept
