"""Legal holds: a person or a case reference whose records must not be purged or erased.

A hold is placed when records may be needed for proceedings, a complaint or an inquiry. The
holds tables are append-only (storage.tables): releasing adds a release row, so the history
of who held what, and when, survives. Each change is audited. Reasons are encrypted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, cast

from bot.records import audit
from bot.records.people import load_directory
from bot.records.refusals import invalid, not_found
from storage.privacy_repository import HoldRecord
from storage.records_repository import PeopleRepository
from storage.repository import TurnTx

HoldKind = Literal["person", "case"]


async def audit_event(
    tx: TurnTx,
    actor: str,
    action: str,
    target_kind: str,
    target_id: str | None,
    detail: dict[str, Any],
    now: datetime,
) -> None:
    """Append an audit row for a privacy action. Details are ids and counts, never text.

    The privacy actions (held, hold_released, purged, subject_access_exported, erased) are
    not yet in `bot.records.audit.AuditAction`; the column is plain text, so they are stored
    as they are.
    """
    await audit.record(tx.audit, actor, cast(audit.AuditAction, action), target_kind, target_id, detail, now)


Hold = HoldRecord  # a legal hold as stored: id, kind, subject, reason, who and when, released


@dataclass(frozen=True)
class HoldScope:
    """What the active holds cover: session owners (every identity of a held person) and cases."""

    owners: frozenset[str]
    cases: frozenset[str]
    person_ids: frozenset[str]

    def covers(self, owner: str | None, case_ref: str | None) -> bool:
        return (owner is not None and owner in self.owners) or (
            case_ref is not None and case_ref in self.cases
        )

    @property
    def empty(self) -> bool:
        return not (self.owners or self.cases)


async def list_holds(tx: TurnTx, include_released: bool = True) -> list[Hold]:
    holds = await tx.privacy.holds()
    return [h for h in holds if include_released or h.active]


async def resolve_person(rtx: PeopleRepository, ref: str) -> tuple[str | None, frozenset[str]]:
    """A person id (if registered) and every session owner of `ref`: a person id or an identity."""
    directory = await load_directory(rtx)
    person_id = directory.resolve(ref)
    if person_id is not None:
        return person_id, directory.identities_of(person_id)
    if ref.count(":") >= 2:
        return None, frozenset({ref})
    raise not_found("no_such_person", ref=ref)


async def hold_scope(tx: TurnTx) -> HoldScope:
    active = await list_holds(tx, include_released=False)
    directory = await load_directory(tx.people)
    owners: set[str] = set()
    people: set[str] = set()
    for hold in active:
        if hold.kind != "person":
            continue
        person_id = directory.resolve(hold.subject)
        if person_id is not None:
            people.add(person_id)
            owners |= directory.identities_of(person_id)
        else:
            owners.add(hold.subject)
    cases = frozenset(h.subject for h in active if h.kind == "case")
    return HoldScope(frozenset(owners), cases, frozenset(people))


async def add_hold(tx: TurnTx, kind: HoldKind, subject: str, reason: str, by: str, now: datetime) -> int:
    subject = subject.strip()
    if not reason.strip():
        raise invalid("hold_without_reason")
    if kind == "person":
        person_id, _owners = await resolve_person(tx.people, subject)
        subject = person_id or subject
    hold_id = await tx.privacy.add_hold(kind, subject, reason.strip(), by, now)
    await audit_event(tx, by, "held", kind, subject, {"hold_id": hold_id}, now)
    return hold_id


async def release_hold(tx: TurnTx, hold_id: int, by: str, now: datetime) -> Hold:
    found = next((h for h in await list_holds(tx) if h.id == hold_id), None)
    if found is None:
        raise not_found("no_such_hold", hold_id=hold_id)
    if not found.active:
        raise invalid("hold_already_released", hold_id=hold_id)
    await tx.privacy.release_hold(hold_id, by, now)
    await audit_event(tx, by, "hold_released", found.kind, found.subject, {"hold_id": hold_id}, now)
    return found
