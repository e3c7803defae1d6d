"""Whole turns through the service: engine + storage + wording, on a real SQLite file."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select, text

from bot.service import ReflectionService
from bot.turns import ConversationKey, Incoming, TurnResult
from bot.wording import Wording
from storage.repository import Store
from storage.tables import ActionRow, AnswerRow, HypothesisRow, SessionRow
from supervision_models.registry import default_registry
from tests.service.conftest import Clock

KEY = ConversationKey(platform="slack", workspace="T1", channel="D1", user="U1")

VISIT = [
    "reflect",
    "HX-2291",
    "2",  # unannounced
    "pretty bad",
    "Feet sticking to the floor, smell of smoke, television loud, no toys anywhere.",
    "Wakes alone at six, makes her own cereal, no bedtime routine I could see.",
    "no",
    "nothing, she was asleep",
    "Next time I'll ask to see her at school.",
    "Tense the whole time, and flat afterwards in the car.",
    "If I was tense after an hour, she lives with that every day.",
    "Mostly about her; some about the assessment deadline.",
    "Ten minutes with my manager tomorrow.",
    "Mum's low mood means nobody is running the home\nAn adult we haven't met is staying and mum is frightened",
    "yes",  # the read-back
    "Curtains closed at noon, mum flat and tired",
    "She engaged well and kept the GP appointment",
    "Men's boots in the hall, two mugs by the bed",
    "Mum says her brother visits",
    "2",
    "If it were wrong I'd expect to see no sign of him at all; the boots could be old.",
    "Mum has kept every health visitor appointment.",
    "Mum says the problem is money and the landlord.",
    "Whether anyone else lives there.",
    "2",  # ticking clock
    "Ring school / me / Friday\nCheck with the health visitor / health visitor / 30 November",
    "yes",  # the read-back
    "share",
]


async def say(service: ReflectionService, text: str, event_id: str | None = None) -> TurnResult:
    return await service.handle(Incoming(key=KEY, text=text, event_id=event_id))


async def run_visit(service: ReflectionService) -> TurnResult:
    result = TurnResult()
    for line in VISIT:
        result = await say(service, line)
    return result


async def test_a_whole_post_visit_reflection_is_stored_and_compiled(
    service: ReflectionService, store: Store
) -> None:
    result = await run_visit(service)
    assert result.completed_session_id is not None
    note = result.note_markdown or ""
    assert result.messages[-1].kind == "note"
    for words in VISIT[4:6] + VISIT[9:11]:
        assert words in note
    assert "## What was seen, heard and smelled" in note
    assert "## The child's daily experience" in note
    assert "## Feelings and functional anxiety (private to the worker; shared by their choice)" in note
    assert "### 2. An adult we haven't met is staying and mum is frightened" in note
    assert "- Status: Leading (provisional)" in note
    assert "| Ring school | me | Fri 06 Nov 2026 |" in note
    assert "- [x] At least two hypotheses" in note
    assert "- [ ] Child seen alone" in note
    assert "_Unverified concern_" in note and "_Observation_" in note and "_Feeling_" in note
    async with store.read() as tx:
        status = await tx.db.scalar(select(SessionRow.status))
        hypotheses = await tx.db.scalar(select(func.count()).select_from(HypothesisRow))
        actions = (await tx.db.execute(select(ActionRow.what, ActionRow.who, ActionRow.due))).all()
        stored = await tx.latest_note(result.completed_session_id)
    assert status == "complete" and hypotheses == 2
    assert sorted(str(a.due) for a in actions) == ["2026-11-06", "2026-11-30"]
    assert stored is not None and stored.markdown == note


async def test_the_supervisor_copy_leaves_out_private_feelings_unless_shared(
    service: ReflectionService,
) -> None:
    lines = [*VISIT[:-1], "keep private"]
    result = TurnResult()
    for line in lines:
        result = await say(service, line)
    assert "Tense the whole time" in (result.note_markdown or "")  # the worker's own copy
    async with service.store.read() as tx:
        session = await tx.load_session(result.completed_session_id or "")
    assert session is not None
    supervisor_copy = service.notes.markdown(session, default_registry().get("post_visit"), "supervisor")
    assert "Tense the whole time" not in supervisor_copy
    assert "kept their feelings answers private" in supervisor_copy
    assert "Feet sticking to the floor" in supervisor_copy


async def test_a_repeated_event_is_processed_once(service: ReflectionService, store: Store) -> None:
    await say(service, "reflect", "Ev0")
    first = await say(service, "HX-2291", "Ev1")
    again = await say(service, "HX-2291", "Ev1")
    assert first.messages and not first.duplicate
    assert again.duplicate and again.messages == ()
    async with store.read() as tx:
        assert await tx.db.scalar(select(func.count()).select_from(AnswerRow)) == 1


async def test_concurrent_deliveries_of_one_event_store_one_answer(
    service: ReflectionService, store: Store
) -> None:
    await say(service, "reflect", "Ev0")
    results = await asyncio.gather(*(say(service, "HX-2291", "Ev1") for _ in range(5)))
    assert sorted(r.duplicate for r in results) == [False, True, True, True, True]
    async with store.read() as tx:
        assert await tx.db.scalar(select(func.count()).select_from(AnswerRow)) == 1


async def test_the_next_session_on_the_case_reviews_last_time(
    service: ReflectionService, clock: Clock
) -> None:
    await run_visit(service)
    clock.advance(days=14)
    await say(service, "reflect")
    opening = await say(service, "HX-2291")
    texts = "\n".join(m.text for m in opening.messages)
    assert "2 weeks ago" in texts
    assert "Mum's low mood means nobody is running the home" in texts and "Ring school" in texts
    await say(service, "School says attendance is up; mum has started a parents' group.")
    await say(service, "weaker")  # first hypothesis
    await say(service, "same")  # second
    await say(service, "done")  # Ring school
    await say(service, "open")  # health visitor check
    result = await say(service, "finish")
    note = result.note_markdown or ""
    assert "| Mum's low mood means nobody is running the home | Less likely now |" in note
    assert "| Ring school | Done |" in note
    async with service.store.read() as tx:
        actions = dict((await tx.db.execute(select(ActionRow.what, ActionRow.status))).all())
    assert actions == {"Ring school": "done", "Check with the health visitor": "open"}


async def test_pause_and_resume_a_week_later(service: ReflectionService, clock: Clock) -> None:
    for line in VISIT[:6]:
        await say(service, line)
    paused = await say(service, "pause")
    assert "Paused at *Seeing the child alone*" in paused.messages[0].text
    clock.advance(days=7)
    resumed = await say(service, "resume")
    assert "paused 7 days ago" in resumed.messages[0].text
    assert "on their own" in resumed.messages[-1].text


async def test_a_database_failure_mid_turn_loses_nothing_and_stores_nothing_twice(
    service: ReflectionService, store: Store
) -> None:
    for line in VISIT[:-1]:
        await say(service, line)
    async with store.connection() as conn:  # a real fault: the notes table refuses writes
        await conn.execute(
            text("CREATE TRIGGER refuse BEFORE INSERT ON notes BEGIN SELECT RAISE(ABORT, 'disk'); END")
        )
    with pytest.raises(Exception, match="disk"):
        await say(service, "share", "Ev-last")
    async with store.read() as tx:
        session = await tx.db.scalar(select(SessionRow.status))
        answers = await tx.db.scalar(select(func.count()).select_from(AnswerRow))
    assert session == "in_progress"
    async with store.connection() as conn:
        await conn.execute(text("DROP TRIGGER refuse"))
    retried = await say(service, "share", "Ev-last")  # the platform retries the same event
    assert retried.completed_session_id is not None
    async with store.read() as tx:
        assert await tx.db.scalar(select(func.count()).select_from(AnswerRow)) == answers + 1


async def test_home_shows_paused_recent_actions_and_hypotheses(service: ReflectionService) -> None:
    await run_visit(service)
    for line in ["start checkin", "HX-3003"]:
        await say(service, line)
    await say(service, "pause")
    home = await service.home(KEY)
    assert [p.model_title for p in home.paused] == ["Quick check-in"]
    assert [n.case_ref for n in home.recent_notes] == ["HX-2291"]
    assert [(a.what, a.due) for a in home.open_actions] == [
        ("Ring school", "2026-11-06"),
        ("Check with the health visitor", "2026-11-30"),
    ]
    assert {h.statement for h in home.hypotheses} == {
        "Mum's low mood means nobody is running the home",
        "An adult we haven't met is staying and mum is frightened",
    }
    stranger = ConversationKey(platform="slack", workspace="T1", channel="D9", user="U9")
    assert (await service.home(stranger)).recent_notes == ()
    assert await service.note_for(stranger, home.recent_notes[0].session_id) is None


async def test_a_command_beside_a_choice_question_is_answered_and_the_question_put_again(
    service: ReflectionService,
) -> None:
    await say(service, "reflect")
    await say(service, "hx 2291")
    listing = await say(service, "reminders")
    texts = [m.text for m in listing.messages]
    assert any("reminder" in t.lower() for t in texts[:-1])
    assert "What kind of visit" in texts[-1]  # back where the worker was
    answered = await say(service, "unannounced, the school rang")
    assert any("Noted: *Unannounced home visit*" in m.text for m in answered.messages)


async def test_an_agreed_note_is_changed_by_amendment_not_reopened(service: ReflectionService) -> None:
    for line in VISIT:
        result = await say(service, line)
    assert result.completed_session_id is not None
    agreed = await say(service, "agree 1")
    assert any("agree" in m.text.lower() for m in agreed.messages)
    refused = await say(service, "change the child's day")
    assert any("already been agreed" in m.text for m in refused.messages)
    assert refused.active_session_id is None


async def test_warming_up_compiles_every_chat_template_before_any_turn(store: Store, clock: Clock) -> None:
    """A server warms up at start (bot/server.py): its first turns compile nothing."""
    wording = Wording()
    service = ReflectionService(store, clock=clock, wording=wording)
    assert not wording.env.cache  # nothing compiled yet
    service.warm_up()
    compiled = {template.name for template in wording.env.cache.values()}
    wanted = {
        name
        for name in wording.env.list_templates(filter_func=lambda name: name.endswith(".j2"))
        if not name.startswith("exports/")
    }
    assert wanted and compiled == wanted
    await service.handle(Incoming(key=ConversationKey("console", "local", "t:w9", "w9"), text="reflct"))
    assert {template.name for template in wording.env.cache.values()} == wanted  # none compiled in the turn
