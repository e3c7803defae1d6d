"""Privacy tests run on a SQLite file and a real PostgreSQL, with rows written directly so
each record type's age is exact. Fixture data is invented: no real people or cases."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.engine.group_state import GroupSession, Participant
from storage.database import create_engine
from storage.migrate import upgrade
from storage.repository import Store, TurnTx
from storage.tables import (
    ActionRow,
    AiUsageRow,
    AnswerRow,
    HypothesisRow,
    IdentityRow,
    NoteRow,
    PersonRow,
    ProcessedEventRow,
    ReminderRow,
    SessionRow,
    SignoffRow,
)

NOW = datetime(2033, 1, 10, 9, 0, tzinfo=UTC)
OLD = NOW - timedelta(days=7 * 365)  # past every default period
RECENT = NOW - timedelta(days=10)  # inside every default period


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/privacy.db"
    url: str = request.getfixturevalue("postgres_db_url")
    return url


@pytest.fixture
async def store(database_url: str) -> AsyncIterator[Store]:
    engine = create_engine(database_url)
    await upgrade(engine)
    store = Store(engine)
    yield store
    await store.close()


async def add_person(tx: TurnTx, person_id: str, *owners: str) -> None:
    tx.db.add(PersonRow(id=person_id, display_name=f"Worker {person_id}", created_at=OLD, created_by="test"))
    await tx.db.flush()
    for owner in owners:
        tx.db.add(IdentityRow(owner=owner, person_id=person_id, platform=owner.split(":")[0], created_at=OLD))
    await tx.db.flush()


async def add_session(
    tx: TurnTx,
    session_id: str,
    owner: str,
    case_ref: str | None,
    ended: datetime,
    signed: bool = False,
    words: str = "Curtains closed at noon.",
) -> None:
    tx.db.add(
        SessionRow(
            id=session_id,
            owner=owner,
            platform=owner.split(":")[0],
            model_id="post_visit",
            model_version=1,
            case_ref=case_ref,
            status="complete",
            started_at=ended - timedelta(minutes=15),
            updated_at=ended,
            ended_at=ended,
            state="{}",
        )
    )
    await tx.db.flush()
    tx.db.add(
        AnswerRow(
            session_id=session_id,
            seq=1,
            step_id="senses",
            lens="senses",
            category="observation",
            text=words,
            at=ended,
        )
    )
    tx.db.add(
        HypothesisRow(
            id=f"{session_id}-h1",
            owner=owner,
            case_ref=case_ref,
            session_id=session_id,
            statement="Mum is low",
            status="leading",
            updated_at=ended,
        )
    )
    tx.db.add(
        ActionRow(
            id=f"{session_id}-a1",
            owner=owner,
            case_ref=case_ref,
            session_id=session_id,
            what="Ring school",
            status="open",
            updated_at=ended,
        )
    )
    tx.db.add(
        NoteRow(
            session_id=session_id,
            version=1,
            markdown=f"# Note\n\n{words}",
            created_at=ended,
            created_by=owner,
        )
    )
    if signed:
        tx.db.add(
            SignoffRow(session_id=session_id, note_version=1, kind="signed", actor="manager-a", at=ended)
        )
    await tx.db.flush()


async def add_group(
    tx: TurnTx, group_id: str, facilitator: str, members: list[str], case_ref: str, ended: datetime
) -> None:
    session = GroupSession(
        id=group_id,
        channel_key="slack:T1:C1",
        model_id="group_supervision",
        model_version=1,
        status="filed",
        facilitator=Participant(id=facilitator, name="Facilitator"),
        members=[Participant(id=m, name=f"Member {m}") for m in members],
        case_ref=case_ref,
        started_at=ended - timedelta(hours=1),
        updated_at=ended,
        ended_at=ended,
    )
    await tx.groups.save(session, minutes=f"# Minutes for {case_ref}")
    await tx.db.flush()


async def add_reminder(
    tx: TurnTx, reminder_id: str, owner: str, status: str, at: datetime, case_ref: str | None = None
) -> None:
    tx.db.add(
        ReminderRow(
            id=reminder_id,
            owner=owner,
            platform=owner.split(":")[0],
            kind="after_visit",
            due_at=at,
            status=status,
            payload=f'{{"case_ref": "{case_ref}"}}' if case_ref else "{}",
            created_at=at,
            delivered_at=at if status == "delivered" else None,
            attempts=0,
        )
    )
    await tx.db.flush()


async def add_event_and_usage(tx: TurnTx, key: str, owner: str, at: datetime) -> None:
    tx.db.add(ProcessedEventRow(event_key=key, processed_at=at))
    tx.db.add(AiUsageRow(session_id=f"s-{key}", owner=owner, use="challenge", outcome="ok", at=at))
    await tx.db.flush()
