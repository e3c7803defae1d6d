"""Supervision files built the way they are in use: real reflections driven through
`ReflectionService` on a migrated SQLite file, people set up through the admin service.

The team (all invented):

- `admin-1`   an admin, who supervises nobody
- `sup-a`     supervisor of team `harbour` (worker-a, worker-b); runs group supervision
- `worker-a`  two post-visit reflections on HX-2291 in November 2026 (the first keeps
              feelings private, the second shares them), one in October; agrees note 1,
              which sup-a then signs
- `worker-b`  one reflection on HX-3107 in November
- `worker-z`  in team `lighthouse`, supervised by nobody here: the stranger

sup-a, worker-a and worker-b also have Teams accounts, and in November sup-a facilitates a
group session in a Teams group chat (bot.engine.group), whose minutes are filed.
"""

from __future__ import annotations

import asyncio
import itertools
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.records.people import PeopleAdmin, load_directory
from bot.service import ReflectionService
from bot.turns import ConversationKey, Incoming, Mention, TurnResult
from storage.crypto import FieldCipher
from storage.database import create_engine
from storage.migrate import upgrade
from storage.repository import Store

NOVEMBER = datetime(2026, 11, 3, 9, 0, tzinfo=UTC)
OCTOBER = datetime(2026, 10, 14, 9, 0, tzinfo=UTC)
PRIVATE_FEELING = "PRIVATE-FEELING frightened and tired after the visit"
SHARED_FEELING = "SHARED-FEELING anxious but steadier than last time"
# Words typed beside the choice to keep feelings private: the worker's alone, like the feelings.
SHARE_COMMENT = "WRECK-COMMENT i was a wreck in the car after"
ESCAPE_ME = 'ESCAPE-ME <script>alert("x")</script> & <b>bold</b> | pipe'


class Clock:
    def __init__(self, now: datetime = NOVEMBER) -> None:
        self.now = now

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=30)  # every turn takes a moment
        return self.now

    def set(self, moment: datetime) -> None:
        self.now = moment


def console(user: str) -> ConversationKey:
    return ConversationKey("console", "local", f"terminal:{user}", user)


def joined(result: TurnResult) -> str:
    return "\n".join(m.text for m in result.messages)


async def say(service: ReflectionService, user: str, text: str) -> TurnResult:
    return await service.handle(Incoming(key=console(user), text=text))


def first_visit(feelings_choice: str = "1") -> dict[str, str | list[str]]:
    return {
        "case_ref": "HX-2291",
        "visit_type": "1",
        "senses": "SENSES the kitchen floor was sticky and the flat smelled of damp",
        "child_day": "CHILD-DAY she gets herself up at seven and walks to school alone",
        "seen_alone": "1",
        "child_words": 'CHILD-WORDS she said "I make my own toast"',
        "feelings": PRIVATE_FEELING,
        "functional_anxiety": "If I feel like this, she must feel alone in that flat",
        "worry_sorting": "Some of it is fear of being blamed",
        "hypotheses": "HYPOTHESIS-ONE mum is low and not coping\nHYPOTHESIS-TWO another adult has moved in",
        "hypothesis_evidence": [
            "FOR-ONE the curtains were closed at noon",
            "AGAINST-ONE the school says mum comes to every meeting",
            "FOR-TWO there were work boots by the door",
            "AGAINST-TWO mum says her brother visits",
        ],
        "leading": "1",
        "devils_advocate": "CHALLENGE maybe mum is coping better than it looks: attendance is up",
        "strengths": "STRENGTH mum walked her to school twice this week",
        "parent_view": "PARENT-VIEW mum says the problem is money, not her mood",
        "worries": "UNCERTAINTY I am not sure who else lives there",
        "classification": "3",
        "actions": "ITEMONE call school about attendance / me / 27 November 2026\n"
        "ITEMTWO ask the health visitor about the growth check / me / 4 December 2026",
        "share_feelings": feelings_choice,
    }


def second_visit() -> dict[str, str | list[str]]:
    answers = first_visit("2")
    answers.update(
        {
            "review_previous": "REVIEW school confirmed attendance is up",
            "review_hypotheses": ["1", "2"],
            "review_actions": ["1", "2"],
            "feelings": SHARED_FEELING,
            "senses": "SENSES-TWO the flat was warmer and tidier",
            "hypotheses": "HYPOTHESIS-THREE mum is recovering with support\nHYPOTHESIS-FOUR the uncle is helping",
            "hypothesis_evidence": ["FOR-THREE", "AGAINST-THREE", "FOR-FOUR", "AGAINST-FOUR"],
        }
    )
    return answers


GROUP = {
    "ground_rules": "1",
    "roles": "ROLES presenter worker-a; devil's advocate worker-b; observer sup-a",
    "case_ref": "HX-2291",
    "story": "GROUP-STORY three visits, curtains always closed",
    "questions": "GROUP-QUESTIONS what did the younger child do while you talked?",
    "hypotheses": "GROUP-HYPOTHESIS-ONE mum is depressed\nGROUP-HYPOTHESIS-TWO the child is a young carer",
    "devils_advocate": "GROUP-CHALLENGE perhaps the family is managing",
    "child_experience": "GROUP-CHILD it is lonely and watchful",
    "presenter_reflection": "GROUP-NEW I had not thought about the uncle",
    "actions": "GROUP-ACTION speak to the school nurse / worker-a / 20 November 2026",
    "observer": "GROUP-OBSERVER everyone got a turn",
    "checkout": "GROUP-CHECKOUT tired but clearer",
}


async def reflect(
    service: ReflectionService, user: str, answers: dict[str, str | list[str]], model: str | None = None
) -> str:
    """Run one whole reflection, answering each question by its step id; return the session id."""
    queues = {k: list(v) if isinstance(v, list) else [v] for k, v in answers.items()}
    result = await say(service, user, f"start {model}" if model else "reflect")
    for _ in range(80):
        if result.completed_session_id:
            return result.completed_session_id
        asking = [m for m in result.messages if m.step_id is not None]
        assert asking, f"no question to answer: {joined(result)}"
        last = asking[-1]
        if last.kind == "followup":
            reply = "skip"
        elif last.kind == "confirm":
            reply = "yes"  # the read-back of hypotheses or actions
        else:
            queue = queues.get(last.step_id or "", [])
            reply = queue.pop(0) if len(queue) > 1 else (queue[0] if queue else "skip")
        result = await say(service, user, reply)
    raise AssertionError("the reflection did not finish")


TEAMS = {
    "sup-a": "teams:tenant-1:t-sup-a",
    "worker-a": "teams:tenant-1:t-worker-a",
    "worker-b": "teams:tenant-1:t-worker-b",
}
TEAMS_NAMES = {"t-sup-a": "Supervisor A", "t-worker-a": "Worker A", "t-worker-b": "Worker B"}


async def channel_group(service: ReflectionService) -> str:
    """sup-a facilitates group supervision in a Teams group chat; returns the filed minutes' id."""
    events = itertools.count(1)

    async def said(who: str, text: str, *mentions: str) -> TurnResult:
        return await service.handle(
            Incoming(
                key=ConversationKey("teams", "tenant-1", "19:harbour-group", who),
                text=text,
                event_id=f"group-{next(events)}",
                conversation="group",
                sender_name=TEAMS_NAMES[who],
                mentions=tuple(Mention(m, TEAMS_NAMES[m]) for m in mentions),
            )
        )

    await said("t-sup-a", "group", "t-worker-a", "t-worker-b")
    for who in ("t-sup-a", "t-worker-a", "t-worker-b"):
        await said(who, "agree")
    await said("t-sup-a", "HX-2291")
    await said("t-worker-a", "CHANNEL-STORY three visits and the curtains were always closed")
    await said("t-sup-a", "next")
    await said("t-worker-b", "CHANNEL-QUESTION what did the younger child do while you talked?")
    await said("t-sup-a", "next")
    await said("t-worker-b", "CHANNEL-HYPOTHESIS mum is depressed")
    await said("t-sup-a", "CHANNEL-HYPOTHESIS-TWO the child is caring for mum")
    await said("t-worker-a", "pass")
    for _ in range(6):
        await said("t-sup-a", "next")
    await said("t-sup-a", "end")
    await said("t-worker-b", "ok thats right")  # worker-a does not answer
    await said("t-sup-a", "yes fine")
    asked = await said("t-sup-a", "file")
    assert "Worker A hasn't confirmed" in joined(asked), joined(asked)
    filed = await said("t-sup-a", "file anyway")
    assert filed.completed_session_id, joined(filed)
    return filed.completed_session_id


@dataclass
class Team:
    service: ReflectionService
    store: Store
    clock: Clock
    sessions: dict[str, str] = field(default_factory=dict)  # label -> session id


async def set_up_people(store: Store, now: datetime) -> None:
    async with store.read() as tx:
        directory = await load_directory(tx.people)
        operator = directory.requester("cli:operator")
        bootstrap = PeopleAdmin(tx, operator, now)
        await bootstrap.add_person(
            "admin-1", "Admin One", identities=("console:local:admin-1",), roles=("admin",), bootstrap=True
        )
        admin = PeopleAdmin(tx, (await load_directory(tx.people)).requester("admin-1"), now)
        await admin.add_person("sup-a", "Supervisor A", identities=("console:local:sup-a",))
        await admin.add_identity("sup-a", TEAMS["sup-a"])
        for person, name in [("worker-a", "Worker A"), ("worker-b", "Worker B"), ("worker-z", "Worker Z")]:
            await admin.add_person(
                person, name, identities=(f"console:local:{person}",), roles=("practitioner",)
            )
            if person in TEAMS:
                await admin.add_identity(person, TEAMS[person])
        await admin.add_team("harbour", "Harbour Team")
        await admin.add_team("lighthouse", "Lighthouse Team")
        await admin.add_member("worker-a", "harbour")
        await admin.add_member("worker-b", "harbour")
        await admin.add_member("worker-z", "lighthouse")
        await admin.link("sup-a", team_ref="harbour")


async def build_team(store: Store, clock: Clock, first_id: int = 1) -> Team:
    """Everyone's reflections, driven through the service, in the order they happened."""
    ids = itertools.count(first_id)
    service = ReflectionService(store, clock=clock, new_id=lambda: f"ab{next(ids):030x}")
    team = Team(service, store, clock)
    await set_up_people(store, clock.now)
    clock.set(OCTOBER)
    october = first_visit()
    october["senses"] = "SENSES-OCTOBER a different visit, last month"
    team.sessions["a_october"] = await reflect(service, "worker-a", october)
    clock.set(NOVEMBER)
    team.sessions["a_first"] = await reflect(
        service, "worker-a", first_visit(f"keep them private please, {SHARE_COMMENT}")
    )
    clock.set(NOVEMBER + timedelta(days=7))
    team.sessions["a_second"] = await reflect(service, "worker-a", second_visit())
    clock.set(NOVEMBER + timedelta(days=8))
    b_answers = first_visit()
    b_answers["case_ref"] = "HX-3107"
    b_answers["child_words"] = ESCAPE_ME
    team.sessions["b_first"] = await reflect(service, "worker-b", b_answers)
    clock.set(NOVEMBER + timedelta(days=10))
    team.sessions["group"] = await reflect(service, "sup-a", GROUP, model="group")
    clock.set(NOVEMBER + timedelta(days=11))
    team.sessions["channel_group"] = await channel_group(service)
    return team


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database on each back end: a SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/records.db"
    url: str = request.getfixturevalue("postgres_db_url")
    return url


@pytest.fixture
async def empty_store(database_url: str) -> AsyncIterator[Store]:
    """An empty, migrated database on each back end, encrypted with a key of its own."""
    engine = create_engine(database_url, cipher=FieldCipher([FieldCipher.generate_key()]))
    await upgrade(engine)
    store = Store(engine)
    yield store
    await store.close()


@dataclass(frozen=True)
class Template:
    """A database with the team's records, built once per test run and copied for each test."""

    path: Path
    key: str
    sessions: dict[str, str]


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Template:
    key = FieldCipher.generate_key()
    path = tmp_path_factory.mktemp("records-template") / "records.db"

    async def build() -> dict[str, str]:
        engine = create_engine(f"sqlite:///{path}", cipher=FieldCipher([key]))
        await upgrade(engine)
        store = Store(engine)
        try:
            return (await build_team(store, Clock())).sessions
        finally:
            await store.close()

    return Template(path, key, asyncio.run(build()))


@pytest.fixture
async def store(template: Template, tmp_path: Path) -> AsyncIterator[Store]:
    copy = tmp_path / "records.db"
    shutil.copyfile(template.path, copy)
    store = Store(create_engine(f"sqlite:///{copy}"), cipher=FieldCipher([template.key]))
    yield store
    await store.close()


@pytest.fixture
def team(store: Store, template: Template) -> Team:
    clock = Clock(NOVEMBER + timedelta(days=12))
    ids = itertools.count(10_000)  # after the template's ids
    service = ReflectionService(store, clock=clock, new_id=lambda: f"ab{next(ids):030x}")
    return Team(service, store, clock, dict(template.sessions))


async def agree_and_sign(team: Team, label: str = "a_first") -> None:
    """worker-a agrees the note, sup-a signs it, through chat, by session id prefix."""
    prefix = team.sessions[label]
    agreed = await say(team.service, "worker-a", f"agree {prefix}")
    assert "agreed" in joined(agreed), joined(agreed)
    signed = await say(team.service, "sup-a", f"sign {prefix}")
    assert "Signed" in joined(signed), joined(signed)
