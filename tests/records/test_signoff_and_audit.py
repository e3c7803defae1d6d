"""Sign-off in order, changes as appended versions, and an audit trail nobody can rewrite."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from sqlalchemy import delete, select, text, update

from bot.core.errors import StorageError
from bot.errors import AccessDenied
from bot.records.access import Scope
from bot.records.audit import export_audit
from bot.records.export import export
from bot.records.people import load_directory
from storage.tables import AppendOnlyViolation, AuditEventRow, NoteRow, SignoffRow
from tests.records.conftest import Team, joined, say


async def events(team: Team, action: str | None = None) -> list[AuditEventRow]:
    async with team.store.read() as tx:
        query = select(AuditEventRow).order_by(AuditEventRow.id)
        if action:
            query = query.where(AuditEventRow.action == action)
        rows = list((await tx.db.scalars(query)).all())
        tx.db.expunge_all()
    return rows


async def test_the_worker_agrees_first_then_the_supervisor_signs(team: Team) -> None:
    session = team.sessions["a_first"]
    early = joined(await say(team.service, "sup-a", f"sign {session}"))
    assert "hasn't marked this note agreed yet" in early
    assert "Only the worker" in joined(await say(team.service, "sup-a", f"agree {session}"))
    assert "couldn't find note" in joined(await say(team.service, "worker-z", f"agree {session}"))
    agreed = joined(await say(team.service, "worker-a", f"agree {session}"))
    assert "you've agreed *Post-visit reflection* (HX-2291), version 1" in agreed
    own = joined(await say(team.service, "worker-a", f"sign {session}"))
    assert "This is your own note" in own
    stranger = joined(await say(team.service, "worker-z", f"sign {session}"))
    assert "I couldn't find note" in stranger  # not even whether it exists
    signed = joined(await say(team.service, "sup-a", f"sign {session}"))
    assert "Signed: *Post-visit reflection* (HX-2291) by Worker A, version 1" in signed
    again = joined(await say(team.service, "sup-a", f"sign {session}"))
    assert "already signed" in again
    async with team.store.read() as tx:
        rows = (await tx.db.scalars(select(SignoffRow).where(SignoffRow.session_id == session))).all()
        assert [(r.kind, r.actor, r.note_version) for r in rows] == [
            ("agreed", "worker-a", 1),
            ("signed", "sup-a", 1),
        ]
        assert rows[0].at < rows[1].at
    trail = [e for e in await events(team) if e.target_id == session]
    assert [e.action for e in trail if e.action != "refused"] == ["agreed", "signed"]
    refused = [(e.actor, json.loads(e.detail)) for e in trail if e.action == "refused"]
    assert [(who, d["attempted"], d["outcome"], d["reason"]) for who, d in refused] == [
        ("sup-a", "signed", "refused", "not_agreed_yet"),
        ("sup-a", "agreed", "refused", "only_owner_agrees"),
        ("worker-z", "agreed", "refused", "no_note"),
        ("worker-a", "signed", "refused", "own_note_sign"),
        ("worker-z", "signed", "refused", "no_note"),
    ]


async def test_after_signing_a_change_is_a_new_version_and_the_history_shows(
    team: Team, tmp_path: Path
) -> None:
    session = team.sessions["a_first"]
    await say(team.service, "worker-a", f"agree {session}")
    await say(team.service, "sup-a", f"sign {session}")
    async with team.store.read() as tx:
        signed_version = (await tx.latest_note(session)).markdown  # type: ignore[union-attr]
    amended = joined(
        await say(team.service, "worker-a", f"amend {session} ADDENDUM school nurse called back")
    )
    assert "version 2" in amended
    async with team.store.read() as tx:
        notes = (
            await tx.db.scalars(
                select(NoteRow).where(NoteRow.session_id == session).order_by(NoteRow.version)
            )
        ).all()
        assert [n.version for n in notes] == [1, 2]
        assert notes[0].markdown == signed_version  # the signed version is untouched
        assert "ADDENDUM school nurse called back" in notes[1].markdown
        assert "already been signed" in notes[1].markdown
    shown = await say(team.service, "sup-a", f"show {session}")
    body, history = shown.messages[0].text, shown.messages[1].text
    assert "ADDENDUM school nurse called back" in body
    assert (
        "version 2, added to after signing, awaiting the worker's agreement" in history
        and "Version 2: addition by Worker A" in history
    )
    assert "hasn't marked this note agreed yet" in joined(await say(team.service, "sup-a", f"sign {session}"))
    await say(team.service, "worker-a", f"agree {session}")
    assert "version 2" in joined(await say(team.service, "sup-a", f"sign {session}"))

    out = tmp_path / "a.json"
    await export(team.store, "sup-a", Scope(worker="worker-a", case="HX-2291"), "json", out)
    record = next(s for s in json.loads(out.read_text())["sessions"] if s["id"] == session)
    assert [(v["version"]) for v in record["versions"]] == [1, 2]
    assert record["amendments"][0]["text"] == "ADDENDUM school nurse called back"
    assert [(s["kind"], s["note_version"]) for s in record["signoffs"]] == [
        ("agreed", 1),
        ("signed", 1),
        ("agreed", 2),
        ("signed", 2),
    ]
    assert record["record_status"] == "signed"


async def test_notes_lists_mine_then_those_waiting_for_my_signature(team: Team) -> None:
    await say(team.service, "worker-a", f"agree {team.sessions['a_second']}")
    listing = joined(await say(team.service, "sup-a", "notes"))
    assert "*Your recent notes*\n1. Group supervision" in listing
    assert (
        "*Waiting for your signature*\n2. Worker A · Post-visit reflection · HX-2291 · 10 Nov 2026" in listing
    )
    assert "Signed" in joined(await say(team.service, "sup-a", "sign 2"))
    assert "Waiting for your signature" not in joined(await say(team.service, "sup-a", "notes"))
    mine = joined(await say(team.service, "worker-a", "notes"))
    assert "1. Post-visit reflection · HX-2291 · 10 Nov 2026 · _signed, version 1_" in mine


async def test_the_supervisors_view_of_a_note_keeps_private_answers_out(team: Team) -> None:
    from tests.records.conftest import PRIVATE_FEELING

    session = team.sessions["a_first"]
    supervisor = joined(await say(team.service, "sup-a", f"show {session}"))
    assert PRIVATE_FEELING not in supervisor and "kept their feelings answers private" in supervisor
    worker = joined(await say(team.service, "worker-a", f"show {session}"))
    assert PRIVATE_FEELING in worker
    stranger = joined(await say(team.service, "worker-z", f"show {session}"))
    assert "couldn't find note" in stranger and "CHILD-DAY" not in stranger
    viewed = await events(team, "viewed")
    assert [(e.actor, json.loads(e.detail)["audience"]) for e in viewed] == [
        ("sup-a", "supervisor"),
        ("worker-a", "worker"),
    ]


async def test_every_export_is_audited_with_who_what_and_when(team: Team, tmp_path: Path) -> None:
    before = team.clock.now
    result = await export(
        team.store, "sup-a", Scope(worker="worker-a"), "pdf", tmp_path / "a.pdf", now=before
    )
    exported = await events(team, "exported")
    assert len(exported) == 1
    event = exported[0]
    assert (event.actor, event.at, event.target_kind, event.target_id) == (
        "sup-a",
        before,
        "worker",
        "worker-a",  # the person's id: names stay out of the audit trail
    )
    detail = json.loads(event.detail)
    assert detail["format"] == "pdf" and detail["count"] == result.count == 3
    assert detail["scope"]["worker"] == "worker-a"
    assert set(detail["sessions"]) == {team.sessions[k] for k in ("a_october", "a_first", "a_second")}
    with pytest.raises(AccessDenied):
        await export(team.store, "worker-z", Scope(worker="worker-a"), "pdf", tmp_path / "z.pdf")
    assert len(await events(team, "exported")) == 1  # a refusal exports nothing
    refused = await events(team, "refused")  # but leaves its own row: who, what, when, why
    assert [(e.actor, e.target_kind, e.target_id) for e in refused] == [("worker-z", "worker", "worker-a")]
    assert json.loads(refused[0].detail) == {
        "attempted": "exported",
        "outcome": "refused",
        "reason": "not_your_supervisee",
    }


async def test_the_audit_trail_cannot_be_changed_through_the_app(team: Team) -> None:
    await export(team.store, "sup-a", Scope(worker="worker-a"), "md", io.BytesIO())
    original = [(e.id, e.actor, e.action, e.detail) for e in await events(team)]
    assert original

    with pytest.raises(AppendOnlyViolation):  # the ORM, row by row
        async with team.store.read() as tx:
            row = await tx.db.get(AuditEventRow, original[0][0])
            assert row is not None
            row.actor = "someone-else"
            await tx.db.flush()
    with pytest.raises(AppendOnlyViolation):
        async with team.store.read() as tx:
            row = await tx.db.get(AuditEventRow, original[0][0])
            await tx.db.delete(row)
            await tx.db.flush()
    with pytest.raises(AppendOnlyViolation):  # the ORM, in bulk
        async with team.store.read() as tx:
            await tx.db.execute(update(AuditEventRow).values(actor="someone-else"))
    with pytest.raises(AppendOnlyViolation):
        async with team.store.read() as tx:
            await tx.db.execute(delete(SignoffRow))
    with pytest.raises(StorageError, match="append-only"):  # raw SQL meets the database's trigger
        async with team.store.read() as tx:
            await tx.db.execute(text("UPDATE audit_events SET actor = 'someone-else'"))
    with pytest.raises(StorageError, match="append-only"):
        async with team.store.read() as tx:
            await tx.db.execute(text("DELETE FROM audit_events"))
    assert [(e.id, e.actor, e.action, e.detail) for e in await events(team)] == original


async def test_an_admin_exports_the_audit_trail_and_nobody_else_can(team: Team) -> None:
    await export(team.store, "sup-a", Scope(worker="worker-b"), "csv", io.BytesIO())
    async with team.store.read() as tx:
        directory = await load_directory(tx.people)
    with pytest.raises(AccessDenied) as refused:
        await export_audit(team.store, directory.requester("sup-a"), io.BytesIO(), "csv", team.clock.now)
    assert "Only an admin can export the audit trail" in refused.value.user_message

    as_csv = io.BytesIO()
    count = await export_audit(team.store, directory.requester("admin-1"), as_csv, "csv", team.clock.now)
    rows = list(csv.DictReader(io.StringIO(as_csv.getvalue().decode())))
    assert len(rows) == count
    assert rows[-1]["action"] == "audit_exported" and rows[-1]["actor"] == "admin-1"
    export_row = next(r for r in rows if r["action"] == "exported")
    assert export_row["actor"] == "sup-a" and json.loads(export_row["detail"])["format"] == "csv"
    assert any(r["action"] == "people_changed" and r["actor"] == "admin-1" for r in rows)

    as_json = io.BytesIO()
    await export_audit(team.store, directory.requester("admin-1"), as_json, "json", team.clock.now)
    data = json.loads(as_json.getvalue())
    assert data["schema"] == "reflect-audit-trail" and data["count"] == len(data["events"]) == count + 1
    # Through chat the same, as a file.
    reply = await say(team.service, "admin-1", "admin audit json")
    assert reply.files and reply.files[0].filename.endswith(".json")
    assert "Only an admin" in joined(await say(team.service, "worker-a", "admin audit csv"))
