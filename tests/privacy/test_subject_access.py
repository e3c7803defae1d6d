"""A subject access export for a case reference finds every record of it."""

from __future__ import annotations

import json
import zipfile
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.privacy.subject_access import export
from bot.service import ReflectionService
from bot.turns import ConversationKey, Incoming
from storage.crypto import FieldCipher
from storage.database import create_engine
from storage.migrate import upgrade
from storage.repository import Store
from storage.tables import (
    ActionRow,
    AnswerRow,
    AuditEventRow,
    GroupSessionRow,
    HypothesisRow,
    NoteRow,
    ReminderRow,
    SessionRow,
)
from tests.service.conftest import Clock
from tests.service.test_group_supervision import Room, run_session
from tests.service.test_service import VISIT

CASE = "HX-2291"


@pytest.fixture
async def service(tmp_path: Path) -> AsyncIterator[ReflectionService]:
    engine = create_engine(f"sqlite:///{tmp_path}/sar.db", cipher=FieldCipher([FieldCipher.generate_key()]))
    await upgrade(engine)
    store = Store(engine)
    yield ReflectionService(store, clock=Clock())
    await store.close()


async def reflect(service: ReflectionService, user: str, case: str) -> None:
    key = ConversationKey(platform="slack", workspace="T1", channel=f"D-{user}", user=user)
    for line in VISIT:
        await service.handle(Incoming(key=key, text=case if line == CASE else line))


async def test_a_case_export_finds_every_record_of_the_case(
    service: ReflectionService, tmp_path: Path
) -> None:
    store = service.store
    clock = service.clock
    assert isinstance(clock, Clock)
    await reflect(service, "U1", CASE)
    await reflect(service, "U2", CASE)
    await reflect(service, "U3", "KT-1000")  # another case: must not appear
    await run_session(Room(service), clock)  # group supervision on the same case

    out = tmp_path / "sar" / "case.zip"
    counts = await export(store, "case", CASE, out, "dpo-a", clock())

    with zipfile.ZipFile(out) as archive:
        document = json.loads(archive.read("subject-access.json"))
        notes = [n for n in archive.namelist() if n.startswith("notes/")]
    async with store.read() as tx:
        sessions = set((await tx.db.scalars(select(SessionRow.id).where(SessionRow.case_ref == CASE))).all())
        in_case = select(SessionRow.id).where(SessionRow.case_ref == CASE)
        answers = len(
            (await tx.db.scalars(select(AnswerRow.id).where(AnswerRow.session_id.in_(in_case)))).all()
        )
        hypotheses = set(
            (await tx.db.scalars(select(HypothesisRow.id).where(HypothesisRow.case_ref == CASE))).all()
        )
        actions = set((await tx.db.scalars(select(ActionRow.id).where(ActionRow.case_ref == CASE))).all())
        note_rows = (await tx.db.scalars(select(NoteRow).where(NoteRow.session_id.in_(in_case)))).all()
        groups = set(
            (await tx.db.scalars(select(GroupSessionRow.id).where(GroupSessionRow.case_ref == CASE))).all()
        )
        reminders = (await tx.db.scalars(select(ReminderRow))).all()
        audit = (
            await tx.db.scalars(
                select(AuditEventRow).where(AuditEventRow.action == "subject_access_exported")
            )
        ).all()

    assert len(sessions) == 2 and len(groups) == 1
    assert {s["id"] for s in document["sessions"]} == sessions
    assert sum(len(s["answers"]) for s in document["sessions"]) == answers > 0
    assert {h["id"] for s in document["sessions"] for h in s["hypotheses"]} == hypotheses
    assert {a["id"] for s in document["sessions"] for a in s["actions"]} == actions
    assert {g["id"] for g in document["group_sessions"]} == groups
    case_reminders = {r.id for r in reminders if json.loads(r.payload).get("case_ref") == CASE}
    assert {r["id"] for r in document["reminders"]} == case_reminders
    assert len(notes) == len(note_rows) == 2
    text = json.dumps(document)
    assert "KT-1000" not in text
    assert VISIT[4] in text  # decrypted: the worker's own words, as written
    assert "Three visits, curtains always closed" in text  # the group's contributions
    assert len(audit) == 1 and json.loads(audit[0].detail)["counts"]["sessions"] == 2 == counts["sessions"]
    assert audit[0].actor == "dpo-a" and audit[0].target_id == CASE


async def test_a_worker_export_covers_every_identity(service: ReflectionService, tmp_path: Path) -> None:
    from bot.records.people import PeopleAdmin, Requester

    store = service.store
    await reflect(service, "U1", CASE)
    await reflect(service, "U9", "KT-1000")
    async with store.turn("people") as tx:
        admin = Requester("admin", None, "Admin", frozenset(), frozenset({"admin"}))
        people = PeopleAdmin(tx, admin, service.clock())
        await people.add_person("worker-a", "Worker A")
        await people.add_identity("worker-a", "slack:T1:U1")
        await people.add_identity("worker-a", "teams:tenant-1:m1")
    out = tmp_path / "worker.json"
    await export(store, "person", "worker-a", out, "dpo-a", service.clock())
    document = json.loads(out.read_text())
    assert document["subject"]["owners"] == ["slack:T1:U1", "teams:tenant-1:m1"]
    assert [s["case_ref"] for s in document["sessions"]] == [CASE]
    assert document["person"]["display_name"] == "Worker A"
    assert len(document["identities"]) == 2
