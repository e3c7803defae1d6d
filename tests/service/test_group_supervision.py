"""A whole facilitated group supervision session through the service, member by member."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from bot.records.access import Scope
from bot.records.export import export
from bot.service import ReflectionService
from bot.turns import ConversationKey, Incoming, Mention, TurnResult
from storage.database import create_engine
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


async def opened(room: Room, case_ref: str = "HX-2291") -> None:
    """Everyone in the room, the ground rules agreed, the case given: on to the story."""
    await room.say("m1", "group", "p1", "a1", "b1", "c1")
    for who in ["m1", "p1", "a1", "b1", "c1"]:
        await room.say(who, "agree")
    await room.say("m1", case_ref)


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
    assert "*Member Alex* (advice): You should do an unannounced visit" in minutes
    assert "*Member Bo*: Someone else is living there and mum is scared" in minutes
    assert "Not yet confirmed" in minutes and "Minutes reviewed" not in minutes

    number = next(
        line.split(".")[0] for line in minutes.splitlines() if "Someone else is living there" in line
    )
    refused = joined(await room.say("a1", f"correct {number} not mine"))
    assert "isn't yours" in refused
    await room.say("b1", f"correct {number} Another adult may be living there and mum may be frightened")
    not_facilitator = joined(await room.say("b1", "file"))
    assert "Only the facilitator" in not_facilitator
    for who in ["p1", "a1", "c1"]:
        await room.say(who, "yes thats right")
    filed = await room.say("m1", "file")
    assert "Every member confirmed or corrected" in joined(filed)
    assert filed.completed_session_id is not None
    note = filed.note_markdown or ""
    assert "Another adult may be living there and mum may be frightened _(corrected by its author)_" in note
    assert "HX-2291" in note
    async with group_service.store.read() as tx:
        stored = await tx.groups.load(filed.completed_session_id)
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
    await room.say("m1", "file anyway")
    async with group_service.store.read() as tx:
        first = await tx.groups.previous_roles("teams:tenant-1:19:channel")
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
    await opened(room)
    await room.say("p1", "Three visits, curtains always closed, the younger child quiet and watchful.")
    await room.say("m1", "next")
    colleague = joined(
        await room.say("a1", "building on what Pat said, what did Bo's school contact notice?")
    )
    assert "ground rules" not in colleague
    child = joined(await room.say("b1", "did Kayden say anything when you saw him alone?"))
    assert "ground rules" in child and "a name" in child


# ---------------------------------------------------------------- the members' review


@pytest.fixture(params=["sqlite", "postgresql"])
async def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path}/review.db"
    else:
        url = request.getfixturevalue("postgres_db_url")
    engine = create_engine(url)
    await upgrade(engine)
    store = Store(engine)
    yield store
    await store.close()


def numbers_of(minutes: str, words: str) -> str:
    return next(line.split(".")[0] for line in minutes.splitlines() if words in line)


async def session_to_review(room: Room, clock: Clock) -> str:
    """A short session: Pat presents, Alex, Bo and Cal each offer something, then `end`."""
    await opened(room)
    await room.say("p1", "three visits, curtains shut every time, the little one very quiet")
    await room.say("m1", "next")
    await room.say("a1", "what did the little one do while you talked to mum?")
    await room.say("b1", "have you thought about a home visit with health")
    await room.say("p1", "she sat by the door with her coat on")
    await room.say("m1", "next")
    await room.say("a1", "mum is depressed and cant see what the kids need")
    await room.say("b1", "someone else is living there")
    await room.say("c1", "the little one is looking after mum")
    return joined(await room.say("m1", "end"))


async def filed_minutes_review(store: Store, clock: Clock, folder: Path, by_button: bool) -> None:
    room = Room(ReflectionService(store, clock=clock))
    draft = await session_to_review(room, clock)
    assert "Member Alex, Member Bo, Member Cal" in draft and "type *confirm*" in draft
    assert "*Member Bo* (advice): have you thought about a home visit with health" in draft
    advice = numbers_of(draft, "home visit with health")

    mine = joined(await room.say("a1", "group:mine" if by_button else "mine"))
    assert "mum is depressed" in mine and "someone else is living there" not in mine
    confirmed = joined(await room.say("a1", "group:confirm" if by_button else "ok thats right"))
    assert "Member Alex: your contributions are confirmed" in confirmed
    assert "Still to confirm: Presenter Pat, Member Bo, Member Cal" in confirmed
    refused = joined(await room.say("b1", f"correct {numbers_of(draft, 'mum is depressed')}: not that"))
    assert "isn't yours" in refused
    corrected = joined(await room.say("b1", f"correct {advice}: i said joint visit not home visit"))
    assert "contribution " + advice + " is corrected" in corrected
    await room.say("p1", "yes fine")
    nothing = joined(await room.say("m1", "confirm"))  # the facilitator only passed and ran rounds
    assert "nothing for you to confirm" in nothing

    asked = joined(await room.say("m1", "file"))
    assert "Member Cal hasn't confirmed" in asked and "File the minutes anyway?" in asked
    still = await room.say("m1", "group:wait" if by_button else "no wait")
    assert "stay in draft" in joined(still) and still.completed_session_id is None
    asked_again = joined(await room.say("m1", "file"))
    assert "Member Cal hasn't confirmed" in asked_again
    filed = await room.say("m1", "group:file_anyway" if by_button else "yes file them anyway")
    assert "Member Cal did not respond" in joined(filed)
    note = filed.note_markdown or ""
    assert "**Confirmed their contributions:** Presenter Pat, Member Alex" in note
    assert "**Corrected their contributions:** Member Bo (1 correction)" in note
    assert "**Did not respond:** Member Cal" in note
    assert "Filed by the facilitator before every member had confirmed." in note
    assert "i said joint visit not home visit _(corrected by its author)_" in note
    assert "reviewed by the members" not in note.lower()
    assert filed.completed_session_id is not None

    async with store.read() as tx:
        stored = await tx.groups.load(filed.completed_session_id)
    assert stored is not None
    session, _ = stored
    original = next(c for c in session.contributions if c.seq == int(advice))
    assert original.text == "have you thought about a home visit with health"  # the original is kept
    assert original.kind == "advice"
    assert {pid: r.answer for pid, r in session.reviews.items()} == {
        "a1": "confirmed",
        "b1": "corrected",
        "p1": "confirmed",
    }

    for fmt in ("docx", "pdf"):
        out = folder / f"minutes.{fmt}"
        await export(store, "teams:tenant-1:m1", Scope(case="HX-2291"), fmt, out)  # type: ignore[arg-type]
        text = " ".join(document_text(out).split())
        for words in [
            "Review by the members",
            "Confirmed their contributions Presenter Pat, Member Alex",
            "Corrected their contributions Member Bo (1 corrected)",
            "Did not respond Member Cal",
            "before every member had confirmed",
        ]:
            assert words in text, (fmt, words)
        assert "reviewed by the members" not in text.lower()


def document_text(path: Path) -> str:
    if path.suffix == ".docx":
        document = docx.Document(str(path))
        cells = [" ".join(c.text for c in row.cells) for t in document.tables for row in t.rows]
        return "\n".join([p.text for p in document.paragraphs] + cells)
    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


async def test_members_confirm_correct_or_do_not_respond_and_the_filed_minutes_say_so(
    any_store: Store, clock: Clock, tmp_path: Path
) -> None:
    await filed_minutes_review(any_store, clock, tmp_path, by_button=False)


async def test_the_same_review_by_buttons(any_store: Store, clock: Clock, tmp_path: Path) -> None:
    await filed_minutes_review(any_store, clock, tmp_path, by_button=True)


async def test_filing_straight_after_end_never_says_the_members_reviewed_anything(
    group_service: ReflectionService, clock: Clock
) -> None:
    room = Room(group_service)
    await session_to_review(room, clock)
    asked = joined(await room.say("m1", "file"))
    assert "Presenter Pat, Member Alex, Member Bo, Member Cal haven't confirmed" in asked
    filed = await room.say("m1", "file anyway")
    note = filed.note_markdown or ""
    assert "No member confirmed these minutes before the facilitator filed them." in note
    assert "**Did not respond:** Presenter Pat, Member Alex, Member Bo, Member Cal" in note
    assert "Confirmed their" not in note and "reviewed by the members" not in note.lower()


async def test_the_observer_has_a_section_and_the_actions_are_said_once_in_every_format(
    group_service: ReflectionService, clock: Clock, tmp_path: Path
) -> None:
    room = Room(group_service)
    draft = await session_to_review(room, clock)
    assert "Agreed actions" not in draft  # no actions: no empty section
    room = Room(group_service, channel="19:another-channel")
    await opened(room, "HX-3107")
    await room.say("p1", "dad answered the door, the baby was asleep upstairs")
    for _ in range(6):  # questions, hypotheses, devil's advocate, child, presenter, actions
        await room.say("m1", "next")
    await room.say("p1", "me: ring the HV by fri; TM to book strat")
    await room.say("m1", "next")
    async with group_service.store.read() as tx:
        open_group = await tx.groups.load_open("teams:tenant-1:19:another-channel")
    assert open_group is not None and open_group.observer_id is not None
    await room.say(open_group.observer_id, "we stayed curious and the baby stayed in view")
    minutes = joined(await room.say("m1", "end"))
    assert minutes.count("Agreed actions") == 1
    assert "## Observer's reflections on the process" in minutes
    for who in ["p1", open_group.observer_id]:
        await room.say(who, "yes thats right")
    filed = await room.say("m1", "file")
    assert filed.completed_session_id is not None

    for fmt in ("md", "pdf"):
        out = tmp_path / f"minutes.{fmt}"
        await export(group_service.store, "teams:tenant-1:m1", Scope(case="HX-3107"), fmt, out)  # type: ignore[arg-type]
        text = " ".join((out.read_text() if fmt == "md" else document_text(out)).split())
        assert text.count("Observer's reflections on the process") == 1, fmt
        assert "we stayed curious and the baby stayed in view" in text
        assert text.count("Agreed actions") == 0  # the actions table is the record's one Actions section
        assert text.count("ring the HV") == 1, fmt
        assert "Every member with contributions confirmed or corrected their own" in text
