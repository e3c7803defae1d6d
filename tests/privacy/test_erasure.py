"""Erasure removes a worker's records except held ones, refuses signed-off ones without
force, is audited, and leaves no trace of the words in the SQLite files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select, text

from bot.errors import InvalidRequest
from bot.privacy.erasure import erase, preview
from bot.privacy.holds import add_hold
from bot.service import ReflectionService
from bot.turns import ConversationKey, Incoming
from storage.crypto import FieldCipher
from storage.database import create_engine
from storage.migrate import upgrade
from storage.repository import Store
from storage.tables import (
    AnswerRow,
    AuditEventRow,
    GroupSessionRow,
    IdentityRow,
    PersonRow,
    ReminderRow,
    SessionRow,
)
from tests.privacy.conftest import NOW, RECENT, add_group, add_person, add_reminder, add_session
from tests.service.conftest import Clock
from tests.service.test_service import VISIT

A = "slack:T1:UA"
B = "slack:T1:UB"
CANARY = "CANARY-5d1e-the-child-drew-a-green-kite"


async def seed(store: Store) -> None:
    async with store.turn("seed") as tx:
        await add_person(tx, "worker-a", A)
        await add_person(tx, "worker-b", B)
        await add_session(tx, "a-plain", A, "HX-0001", RECENT)
        await add_session(tx, "a-signed", A, "HX-0001", RECENT, signed=True)
        await add_session(tx, "a-held", A, "HX-0009", RECENT)
        await add_session(tx, "b-plain", B, "HX-0001", RECENT)
        await add_group(tx, "g-1", "UA", ["UB"], "HX-0001", RECENT)
        await add_reminder(tx, "r-a", A, "pending", RECENT)
        await add_reminder(tx, "r-b", B, "pending", RECENT)
        await add_hold(tx, "case", "HX-0009", "Care proceedings", "admin-a", RECENT)


async def session_ids(store: Store) -> set[str]:
    async with store.read() as tx:
        return set((await tx.db.scalars(select(SessionRow.id))).all())


async def test_erasure_keeps_held_and_signed_records_and_is_audited(store: Store) -> None:
    await seed(store)
    plan = await preview(store, "person", "worker-a")
    assert sorted(plan.sessions) == ["a-plain"] and await session_ids(store) >= {"a-plain"}

    done = await erase(store, "person", "worker-a", "dpo-a", NOW)
    assert done.sessions == ["a-plain"]
    assert {(r.target_id, r.why) for r in done.refused} == {
        ("a-signed", "signed_off"),
        ("a-held", "legal_hold"),
    }
    assert any("legal hold" in r.sentence() for r in done.refused)
    assert done.kept_shared == ["g-1"] and not done.erase_person  # something was kept
    assert await session_ids(store) == {"a-signed", "a-held", "b-plain"}
    async with store.read() as tx:
        assert set((await tx.db.scalars(select(ReminderRow.id))).all()) == {"r-b"}
        assert await tx.db.get(GroupSessionRow, "g-1") is not None
        assert await tx.db.get(PersonRow, "worker-a") is not None

    with pytest.raises(InvalidRequest, match="force_without_reason"):
        await erase(store, "person", "worker-a", "dpo-a", NOW, force_signed=True)  # no reason
    forced = await erase(
        store, "person", "worker-a", "dpo-a", NOW, force_signed=True, reason="DPO decision 42"
    )
    assert forced.forced_signed == ["a-signed"]
    assert await session_ids(store) == {"a-held", "b-plain"}  # the hold still wins

    async with store.read() as tx:
        events = (await tx.db.scalars(select(AuditEventRow).where(AuditEventRow.action == "erased"))).all()
    assert len(events) == 2 and all(e.actor == "dpo-a" and e.target_id == "worker-a" for e in events)
    first, second = (json.loads(e.detail) for e in events)
    assert first["sessions"] == 1 and "session:a-signed:signed_off" in first["refusals"]
    assert second["force_signed_reason"] == "DPO decision 42" and second["forced_signed"] == 1
    assert "Curtains" not in events[0].detail + events[1].detail


async def test_erasing_a_case_and_then_an_unheld_worker(store: Store) -> None:
    await seed(store)
    done = await erase(store, "case", "hx-0001", "dpo-a", NOW)
    assert sorted(done.sessions) == ["a-plain", "b-plain"] and done.group_sessions == ["g-1"]
    assert await session_ids(store) == {"a-signed", "a-held"}

    whole = await erase(store, "person", "worker-b", "dpo-a", NOW)
    assert whole.erase_person and whole.reminders == ["r-b"]
    async with store.read() as tx:
        assert await tx.db.get(PersonRow, "worker-b") is None
        assert await tx.db.get(IdentityRow, B) is None  # cascaded with the person


async def test_after_erasure_the_words_are_gone_from_the_sqlite_files(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path}/erase.db", cipher=FieldCipher([FieldCipher.generate_key()]))
    await upgrade(engine)
    store = Store(engine)
    service = ReflectionService(store, clock=Clock())
    key = ConversationKey(platform="slack", workspace="T1", channel="D1", user="UA")
    result = None
    for line in VISIT:
        line = f"{CANARY} was on the fridge." if line == VISIT[5] else line
        result = await service.handle(Incoming(key=key, text=line))
    assert result is not None and CANARY in (result.note_markdown or "")  # readable in the note
    async with store.read() as tx:
        stored = [v for v in (await tx.db.execute(text("SELECT text FROM answers"))).scalars()]
        assert any(CANARY in a.text for a in (await tx.db.scalars(select(AnswerRow))).all())
    ciphertexts = [v.removeprefix("enc:v1:").encode() for v in stored]
    files = list(tmp_path.glob("erase.db*"))
    assert all(CANARY.encode() not in f.read_bytes() for f in files)
    assert any(c in f.read_bytes() for f in files for c in ciphertexts)  # the rows are there...

    done = await erase(store, "person", A, "dpo-a", NOW)
    assert len(done.sessions) == 1
    for path in tmp_path.glob("erase.db*"):  # ...and after erasure not even their ciphertext is
        data = path.read_bytes()
        assert CANARY.encode() not in data, path.name
        assert not any(c in data for c in ciphertexts), path.name
    await store.close()
