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
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from bot.privacy.holds import audit_event, list_holds, resolve_person
from bot.privacy.retention import attendees_of, conversation_of
from storage.repository import Store, TurnTx

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
        person_id, owners = await resolve_person(tx.people, ref)
    return Subject(kind, ref, person_id, owners, None)


async def _sessions(tx: TurnTx, subject: Subject) -> list[dict[str, Any]]:
    return await tx.privacy.session_documents(subject.owners, subject.case_ref)


async def _group_sessions(tx: TurnTx, subject: Subject) -> list[dict[str, Any]]:
    groups = await tx.privacy.groups(subject.case_ref)
    if not subject.case_ref:
        groups = [g for g in groups if subject.owners & attendees_of(g)]
    return await tx.privacy.group_documents([g.id for g in groups])


async def _reminders(tx: TurnTx, subject: Subject) -> list[dict[str, Any]]:
    def about(owner: str, payload: dict[str, Any]) -> bool:
        if subject.case_ref:
            return str(payload.get("case_ref") or "").upper() == subject.case_ref
        return owner in subject.owners

    found = [r.id for r in await tx.privacy.reminders() if about(r.owner, r.payload)]
    return await tx.privacy.reminder_documents(found)


async def _audit(tx: TurnTx, subject: Subject, ids: list[str]) -> list[dict[str, Any]]:
    keys = sorted({*subject.owners, *ids, *([subject.person_id] if subject.person_id else [])})
    return await tx.privacy.audit_documents(keys, subject.case_ref)


async def _worker(tx: TurnTx, subject: Subject) -> dict[str, Any]:
    """The directory entry, AI usage counts, chat state and Teams references of a worker."""
    repo = tx.privacy
    found: dict[str, Any] = {}
    if subject.person_id:
        found.update(await repo.person_documents(subject.person_id))
    found["ai_usage"] = await repo.ai_usage_documents(subject.owners)
    keys = [k for k in await repo.conversation_keys() if conversation_of(k, subject.owners)]
    found["conversations"] = await repo.conversation_documents(keys)
    users = sorted({o.split(":", 2)[2] for o in subject.owners if o.startswith("teams:")})
    found["teams_references"] = await repo.teams_reference_documents(users)
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
