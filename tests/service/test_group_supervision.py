"""A whole facilitated group supervision session through the service, member by member."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.service import ReflectionService
from bot.turns import ConversationKey, Incoming, Mention, TurnResult
from storage.database import create_engine
from storage.group_repository import load_group
from storage.migrate import upgrade
from storage.repository import Store
from tests.service.conftest import Clock

PEOPLE = {
    "m1": "Team Manager",
    "p1": "Presenter Pat",
    "a1": "Member Alex",
    "b1": "Member Bo",
    "c1": "Member Cal",
}


@pytest.fixture
async def group_service(tmp_path: Path, clock: Clock) -> AsyncIterator[ReflectionService]:
    engine = create_engine(f"sqlite:///{tmp_path}/group.db")
    await upgrade(engine)
    store = Store(engine)
    yield ReflectionService(store, clock=clock)
    await store.close()


class Room:
    def __init__(self, service: ReflectionService, channel: str = "19:channel") -> None:
        self.service = service
        self.channel = channel
        self.events = 0

    async def say(self, who: str, text: str, *mentions: str) -> TurnResult:
        self.events += 1
        return await self.service.handle(
            Incoming(
                key=ConversationKey("teams", "tenant-1", self.channel, who),
                text=text,
                event_id=f"{self.channel}-{self.events}",
                conversation="group",
                sender_name=PEOPLE[who],
                mentions=tuple(Mention(m, PEOPLE[m]) for m in mentions),
            )
        )


def joined(result: TurnResult) -> str:
    return "\n".join(m.text for m in result.messages)


async def run_session(room: Room, clock: Clock) -> TurnResult:
    started = await room.say("m1", "group", "p1", "a1", "b1", "c1")
    text = joined(started)
    assert "Team Manager as facilitator" in text and "Can everyone agree" in text
    for who in ["m1", "p1", "a1", "b1"]:
        await room.say(who, "agree")
    roles = joined(await room.say("c1", "agree"))
    assert "everyone has agreed" in roles
    assert "*Presenter*: Presenter Pat" in roles
    assert "case reference" in roles.lower()
    story = joined(await room.say("m1", "HX-2291"))
    assert "Presenter Pat" in story
    hold = joined(await room.say("a1", "Was dad there?"))
    assert "This round is for Presenter Pat" in hold
    await room.say("p1", "Three visits, curtains always closed, the younger child quiet and watchful.")
    await room.say("m1", "next")
    advice = joined(await room.say("a1", "You should do an unannounced visit"))
    assert "turn it into a question" in advice
    await room.say("b1", "What did the younger child do while you talked to mum?")
    await room.say("p1", "Sat by the door with her coat on.")
    hypotheses = joined(await room.say("m1", "next"))
    assert "one each" in hypotheses
    await room.say("a1", "Mum is depressed and can't see the children's needs")
    quiet = joined(await room.say("b1", "Someone else is living there and mum is scared"))
    assert "haven't heard from" in quiet and "Member Cal" in quiet and "Team Manager" in quiet
    await room.say("c1", "The child is looking after mum")
    done = joined(await room.say("m1", "pass"))
    assert "Everyone has contributed" in done
    clock.advance(minutes=1)
    await room.say("m1", "timebox 5")
    devil = joined(await room.say("m1", "next"))
    assert "Devil's advocate" in devil
    await room.say("a1", "Another thought")  # not the devil's advocate's turn: an aside, kept
    clock.advance(minutes=2)
    for step in ["next", "next", "next", "next", "next"]:
        await room.say("m1", step)
    return await room.say("m1", "end")


async def test_a_whole_group_session_runs_in_rounds_and_files_minutes(
    group_service: ReflectionService, clock: Clock
) -> None:
    room = Room(group_service)
    review = await run_session(room, clock)
    minutes = joined(review)
    assert "draft minutes" in minutes
    assert "- Presenter Pat: presenter" in minutes
    assert "- Team Manager: facilitator" in minutes
    assert "*Member Alex* (question): You should do an unannounced visit" in minutes
    assert "*Member Bo*: Someone else is living there and mum is scared" in minutes

    number = next(
        line.split(".")[0] for line in minutes.splitlines() if "Someone else is living there" in line
    )
    refused = joined(await room.say("a1", f"correct {number} not mine"))
    assert "isn't yours" in refused
    await room.say("b1", f"correct {number} Another adult may be living there and mum may be frightened")
    not_facilitator = joined(await room.say("b1", "file"))
    assert "Only the facilitator" in not_facilitator
    filed = await room.say("m1", "file")
    assert filed.completed_session_id is not None
    note = filed.note_markdown or ""
    assert "Another adult may be living there and mum may be frightened _(corrected by its author)_" in note
    assert "HX-2291" in note
    async with group_service.store.read() as tx:
        stored = await load_group(tx, filed.completed_session_id)
    assert stored is not None
    session, saved_minutes = stored
    assert session.status == "filed" and saved_minutes == note
    corrected = next(c for c in session.contributions if c.corrected_text)
    assert corrected.text == "Someone else is living there and mum is scared"  # the original is kept


async def test_roles_rotate_between_sessions_and_retries_are_processed_once(
    group_service: ReflectionService, clock: Clock
) -> None:
    room = Room(group_service)
    await run_session(room, clock)
    await room.say("m1", "file")
    async with group_service.store.read() as tx:
        from storage.group_repository import previous_roles

        first = await previous_roles(tx, "teams:tenant-1:19:channel")
    clock.advance(days=28)
    second = joined(await room.say("m1", "group", "p1", "a1", "b1", "c1"))
    for who in ["m1", "p1", "a1", "b1"]:
        await room.say(who, "agree")
    roles_text = joined(await room.say("c1", "agree"))
    last_devil = next(pid for pid, role in first[0].items() if role == "devils_advocate")
    assert f"*Devil's advocate*: {PEOPLE[last_devil]}" not in roles_text
    assert "Group supervision is starting" in second

    retry = Incoming(
        key=ConversationKey("teams", "tenant-1", room.channel, "m1"),
        text="HX-3003",
        event_id="same-activity",
        conversation="group",
        sender_name=PEOPLE["m1"],
    )
    once = await group_service.handle(retry)
    twice = await group_service.handle(retry)
    assert once.messages and twice.duplicate


async def test_identifiers_and_risk_in_the_group_get_reminders(group_service: ReflectionService) -> None:
    room = Room(group_service)
    await room.say("m1", "group", "p1", "a1")
    for who in ["m1", "p1", "a1"]:
        await room.say(who, "agree")
    await room.say("m1", "skip")
    warned = joined(await room.say("p1", "The family at 12 Acacia Avenue; dad said he is going to kill her."))
    assert "case references and roles" in warned
    assert "follow your local safeguarding procedures" in warned


async def test_a_late_press_of_the_agree_button_is_not_a_contribution(
    group_service: ReflectionService,
) -> None:
    room = Room(group_service)
    await room.say("m1", "group", "p1", "a1")
    for who in ["m1", "p1", "a1"]:
        await room.say(who, "agree")
    await room.say("m1", "skip")  # no case reference: on to the story
    await room.say("a1", "group:agree")
    await room.say("m1", "end")
    minutes = joined(await room.say("m1", "minutes"))
    assert "group:agree" not in minutes


async def test_colleagues_named_in_the_room_are_not_flagged_but_a_childs_name_is(
    group_service: ReflectionService, clock: Clock
) -> None:
    room = Room(group_service)
    await room.say("m1", "group", "p1", "a1", "b1", "c1")
    for who in ["m1", "p1", "a1", "b1", "c1"]:
        await room.say(who, "agree")
    await room.say("m1", "HX-2291")
    await room.say("p1", "Three visits, curtains always closed, the younger child quiet and watchful.")
    await room.say("m1", "next")
    colleague = joined(
        await room.say("a1", "building on what Pat said, what did Bo's school contact notice?")
    )
    assert "ground rules" not in colleague
    child = joined(await room.say("b1", "did Kayden say anything when you saw him alone?"))
    assert "ground rules" in child and "a name" in child
