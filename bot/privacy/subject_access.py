"""Subject access: find everything held about a worker or a case reference, and export it.

For a subject access request (UK GDPR Article 15) the council must find every record about
the requester. Sessions are owned by chat identities, so a worker is found through every
identity mapped to their person id; a case is found by its pseudonymous reference across
sessions, group sessions, reminders and the audit trail. The export is one JSON document
(optionally zipped with each note as markdown) for the council's DPO to review and redact
third-party data before disclosure. Every export is audited first, counts only.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import ColumnElement, or_, select

from bot.privacy.holds import audit_event, list_holds, resolve_person
from bot.privacy.retention import conversation_of, group_attendees
from storage.records_repository import records
from storage.repository import Store, TurnTx
from storage.tables import (
    ActionRow,
    AiUsageRow,
    AnswerRow,
    AuditEventRow,
    Base,
    ConversationRow,
    GroupSessionRow,
    HypothesisRow,
    IdentityRow,
    NoteAmendmentRow,
    NoteRow,
    PersonRoleRow,
    PersonRow,
    ReminderRow,
    SessionRow,
    SignoffRow,
    TeamMemberRow,
    TeamsReferenceRow,
)

SubjectKind = Literal["person", "owner", "case"]
SCHEMA = "reflect-subject-access"
SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Subject:
    """Whom a request is about: resolved to a person id (if any), owners and/or a case."""

    kind: SubjectKind
    ref: str
    person_id: str | None
    owners: frozenset[str]
    case_ref: str | None


async def resolve_subject(tx: TurnTx, kind: SubjectKind, ref: str) -> Subject:
    ref = ref.strip()
    if kind == "case":
        return Subject(kind, ref.upper(), None, frozenset(), ref.upper())
    if kind == "owner":
        person_id, owners = None, frozenset({ref})
    else:
        person_id, owners = await resolve_person(records(tx), ref)
    return Subject(kind, ref, person_id, owners, None)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def row_dict(row: Base, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """Every column of a row, decrypted (the column type does it), JSON-ready."""
    return {c.name: _plain(getattr(row, c.key)) for c in row.__table__.columns if c.name not in skip}


def _json_field(text: str | None) -> Any:
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


async def _all(tx: TurnTx, query: Any) -> list[Any]:
    return list((await tx.db.scalars(query)).all())


async def _sessions(tx: TurnTx, subject: Subject) -> list[dict[str, Any]]:
    where = (
        SessionRow.case_ref == subject.case_ref if subject.case_ref else SessionRow.owner.in_(subject.owners)
    )
    found = []
    for session in await _all(tx, select(SessionRow).where(where).order_by(SessionRow.started_at)):
        item = row_dict(session, skip=("state",))
        item["engine_state"] = _json_field(session.state)
        for name, row, order in (
            ("answers", AnswerRow, AnswerRow.seq),
            ("hypotheses", HypothesisRow, HypothesisRow.id),
            ("actions", ActionRow, ActionRow.id),
            ("notes", NoteRow, NoteRow.version),
            ("signoffs", SignoffRow, SignoffRow.id),
            ("amendments", NoteAmendmentRow, NoteAmendmentRow.id),
        ):
            rows = await _all(tx, select(row).where(row.session_id == session.id).order_by(order))
            item[name] = [row_dict(r) for r in rows]
        found.append(item)
    return found


async def _group_sessions(tx: TurnTx, subject: Subject) -> list[dict[str, Any]]:
    query = select(GroupSessionRow).order_by(GroupSessionRow.started_at)
    if subject.case_ref:
        query = query.where(GroupSessionRow.case_ref == subject.case_ref)
    found = []
    for group in await _all(tx, query):
        if not subject.case_ref and not (subject.owners & group_attendees(group.state, group.channel_key)):
            continue
        item = row_dict(group, skip=("state",))
        item["engine_state"] = _json_field(group.state)
        found.append(item)
    return found


async def _reminders(tx: TurnTx, subject: Subject) -> list[dict[str, Any]]:
    if not subject.case_ref:
        rows = await _all(tx, select(ReminderRow).where(ReminderRow.owner.in_(subject.owners)))
        return [row_dict(r) for r in rows]
    found = []
    for reminder in await _all(tx, select(ReminderRow).order_by(ReminderRow.created_at)):
        payload = _json_field(reminder.payload)
        if isinstance(payload, dict) and str(payload.get("case_ref") or "").upper() == subject.case_ref:
            found.append(row_dict(reminder))
    return found


async def _audit(tx: TurnTx, subject: Subject, ids: list[str]) -> list[dict[str, Any]]:
    keys = sorted({*subject.owners, *ids, *([subject.person_id] if subject.person_id else [])})
    clauses: list[ColumnElement[bool]] = [AuditEventRow.target_id.in_(keys), AuditEventRow.actor.in_(keys)]
    if subject.case_ref:
        clauses += [
            AuditEventRow.target_id == subject.case_ref,
            AuditEventRow.detail.contains(f'"{subject.case_ref}"'),
        ]
    rows = await _all(tx, select(AuditEventRow).where(or_(*clauses)).order_by(AuditEventRow.id))
    return [{**row_dict(r, skip=("detail",)), "detail": _json_field(r.detail)} for r in rows]


async def _worker(tx: TurnTx, subject: Subject) -> dict[str, Any]:
    """The directory entry, AI usage counts, chat state and Teams references of a worker."""
    found: dict[str, Any] = {}
    if subject.person_id:
        pid = subject.person_id
        person = await tx.db.get(PersonRow, pid)
        found["person"] = row_dict(person) if person else None
        for name, row in (("identities", IdentityRow), ("roles", PersonRoleRow), ("teams", TeamMemberRow)):
            found[name] = [row_dict(r) for r in await _all(tx, select(row).where(row.person_id == pid))]
        signed = await _all(tx, select(SignoffRow).where(SignoffRow.actor == pid))
        found["signoffs_made"] = [row_dict(r) for r in signed]
    usage = await _all(tx, select(AiUsageRow).where(AiUsageRow.owner.in_(subject.owners)))
    found["ai_usage"] = [row_dict(r) for r in usage]
    conversations = await _all(tx, select(ConversationRow))
    found["conversations"] = [
        {**row_dict(c, skip=("state",)), "state": _json_field(c.state)}
        for c in conversations
        if conversation_of(c.key, subject.owners)
    ]
    users = {o.split(":", 2)[2] for o in subject.owners if o.startswith("teams:")}
    refs = (
        await _all(tx, select(TeamsReferenceRow).where(TeamsReferenceRow.user_id.in_(users))) if users else []
    )
    found["teams_references"] = [
        {**row_dict(r, skip=("reference",)), "reference": _json_field(r.reference)} for r in refs
    ]
    return found


async def gather(tx: TurnTx, subject: Subject, now: datetime) -> dict[str, Any]:
    """Everything about `subject`, as one JSON-ready document."""
    sessions = await _sessions(tx, subject)
    groups = await _group_sessions(tx, subject)
    ids = [s["id"] for s in sessions] + [g["id"] for g in groups]
    holds = [
        {
            "id": h.id,
            "kind": h.kind,
            "subject": h.subject,
            "reason": h.reason,
            "created_at": h.created_at.isoformat(),
            "released_at": h.released_at.isoformat() if h.released_at else None,
        }
        for h in await list_holds(tx)
        if h.subject in {subject.ref, subject.person_id, subject.case_ref, *subject.owners}
    ]
    document: dict[str, Any] = {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "generated_at": now.isoformat(),
        "subject": {
            "kind": subject.kind,
            "ref": subject.ref,
            "person_id": subject.person_id,
            "owners": sorted(subject.owners),
            "case_ref": subject.case_ref,
        },
        "sessions": sessions,
        "group_sessions": groups,
        "reminders": await _reminders(tx, subject),
        "legal_holds": holds,
    }
    if not subject.case_ref:
        document.update(await _worker(tx, subject))
    document["audit_events"] = await _audit(tx, subject, ids)
    return document


def counts(document: dict[str, Any]) -> dict[str, int]:
    return {k: len(v) for k, v in document.items() if isinstance(v, list)}


async def export(
    store: Store, kind: SubjectKind, ref: str, out: Path, actor: str, now: datetime
) -> dict[str, int]:
    """Write the export to `out` (`.zip`: JSON plus each note as markdown; else JSON). Audited."""
    async with store.turn("privacy:subject-access") as tx:
        subject = await resolve_subject(tx, kind, ref)
        document = await gather(tx, subject, now)
        found = counts(document)
        await audit_event(
            tx,
            actor,
            "subject_access_exported",
            kind,
            subject.person_id or subject.ref,
            {"counts": found, "format": "zip" if out.suffix == ".zip" else "json"},
            now,
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    body = json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False)
    if out.suffix != ".zip":
        out.write_text(body + "\n", encoding="utf-8")
        return found
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("subject-access.json", body + "\n")
        for session in document["sessions"]:
            for note in session["notes"]:
                archive.writestr(f"notes/{session['id']}-v{note['version']}.md", note["markdown"])
        for group in document["group_sessions"]:
            if group.get("minutes"):
                archive.writestr(f"group-minutes/{group['id']}.md", group["minutes"])
    return found
