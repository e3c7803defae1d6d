"""Erasure: delete a worker's or a case's records where that is lawful.

Erasure is not absolute (UK GDPR Article 17(3)): records needed for legal claims, or
supervision records a supervisor has signed, may have to be kept. So erasure first makes a
plan: what will be deleted, and what is refused and why (a legal hold; a signed-off
record). Signed-off records are erased only with `force_signed` and a reason, which goes in
the audit row. Held records are never erased: release the hold first. Group sessions are
shared with other members, so a worker's erasure keeps them and says so.

The audit rows themselves are kept: they hold ids, codes and counts, never content, and they
are the council's evidence that the erasure happened (see docs/data-protection.md).
After deleting, a SQLite database is checkpointed and vacuumed so freed pages and the WAL no
longer hold the deleted (encrypted) values.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import delete, select

from bot.privacy.holds import HoldScope, audit_event, hold_scope
from bot.privacy.retention import conversation_of, delete_sessions, group_attendees
from bot.privacy.subject_access import Subject, resolve_subject
from bot.records.refusals import invalid
from storage.repository import Store, TurnTx
from storage.tables import (
    AiUsageRow,
    ConversationRow,
    GroupSessionRow,
    PersonRow,
    ReminderRow,
    SessionRow,
    SignoffRow,
    TeamsReferenceRow,
)

ErasureKind = Literal["person", "case"]


@dataclass(frozen=True)
class Refusal:
    target_kind: str  # "session" | "group_session" | "person"
    target_id: str
    why: str  # "legal_hold" | "signed_off"

    def sentence(self) -> str:
        if self.why == "legal_hold":
            return f"{self.target_kind} {self.target_id} is under a legal hold (release it first)"
        return f"{self.target_kind} {self.target_id} is a signed-off supervision record (needs --force-signed --reason)"


@dataclass
class ErasurePlan:
    subject: Subject
    sessions: list[str] = field(default_factory=list)
    group_sessions: list[str] = field(default_factory=list)
    reminders: list[str] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    kept_shared: list[str] = field(default_factory=list)  # group sessions shared with others
    forced_signed: list[str] = field(default_factory=list)
    erase_person: bool = False

    def summary(self) -> dict[str, Any]:
        return {
            "sessions": len(self.sessions),
            "group_sessions": len(self.group_sessions),
            "reminders": len(self.reminders),
            "refused": len(self.refused),
            "kept_shared_group_sessions": len(self.kept_shared),
            "forced_signed": len(self.forced_signed),
            "person_record": self.erase_person,
        }


async def _signed(tx: TurnTx, session_ids: list[str]) -> set[str]:
    if not session_ids:
        return set()
    rows = await tx.db.scalars(
        select(SignoffRow.session_id).where(
            SignoffRow.session_id.in_(session_ids), SignoffRow.kind == "signed"
        )
    )
    return set(rows.all())


async def make_plan(tx: TurnTx, kind: ErasureKind, ref: str, force_signed: bool) -> ErasurePlan:
    subject = await resolve_subject(tx, kind, ref)
    holds = await hold_scope(tx)
    plan = ErasurePlan(subject)
    await _plan_sessions(tx, plan, holds, force_signed)
    await _plan_groups(tx, plan, holds)
    await _plan_reminders(tx, plan, holds)
    if subject.person_id and subject.person_id in holds.person_ids:
        plan.refused.append(Refusal("person", subject.person_id, "legal_hold"))
    plan.erase_person = bool(subject.person_id) and not plan.refused
    return plan


async def _plan_sessions(tx: TurnTx, plan: ErasurePlan, holds: HoldScope, force_signed: bool) -> None:
    s = plan.subject
    where = SessionRow.case_ref == s.case_ref if s.case_ref else SessionRow.owner.in_(s.owners)
    rows = (
        await tx.db.execute(
            select(SessionRow.id, SessionRow.owner, SessionRow.case_ref, SessionRow.status).where(where)
        )
    ).all()
    signed = await _signed(tx, [r.id for r in rows]) | {r.id for r in rows if r.status == "signed"}
    for row in rows:
        if holds.covers(row.owner, row.case_ref):
            plan.refused.append(Refusal("session", row.id, "legal_hold"))
        elif row.id in signed and not force_signed:
            plan.refused.append(Refusal("session", row.id, "signed_off"))
        else:
            plan.sessions.append(row.id)
            if row.id in signed:
                plan.forced_signed.append(row.id)


async def _plan_groups(tx: TurnTx, plan: ErasurePlan, holds: HoldScope) -> None:
    s = plan.subject
    query = select(
        GroupSessionRow.id, GroupSessionRow.case_ref, GroupSessionRow.channel_key, GroupSessionRow.state
    )
    if s.case_ref:
        query = query.where(GroupSessionRow.case_ref == s.case_ref)
    for row in (await tx.db.execute(query)).all():
        attendees = group_attendees(row.state, row.channel_key)
        if not s.case_ref:
            if s.owners & attendees:
                plan.kept_shared.append(row.id)
        elif row.case_ref in holds.cases or holds.owners & attendees:
            plan.refused.append(Refusal("group_session", row.id, "legal_hold"))
        else:
            plan.group_sessions.append(row.id)


async def _plan_reminders(tx: TurnTx, plan: ErasurePlan, holds: HoldScope) -> None:
    s = plan.subject
    for reminder in (await tx.db.scalars(select(ReminderRow))).all():
        if holds.owners and reminder.owner in holds.owners:
            continue
        if s.case_ref:
            payload = json.loads(reminder.payload)
            if str(payload.get("case_ref") or "").upper() == s.case_ref and s.case_ref not in holds.cases:
                plan.reminders.append(reminder.id)
        elif reminder.owner in s.owners:
            plan.reminders.append(reminder.id)


async def _delete(tx: TurnTx, plan: ErasurePlan) -> None:
    await delete_sessions(tx, plan.sessions)
    if plan.group_sessions:
        await tx.db.execute(delete(GroupSessionRow).where(GroupSessionRow.id.in_(plan.group_sessions)))
    if plan.reminders:
        await tx.db.execute(delete(ReminderRow).where(ReminderRow.id.in_(plan.reminders)))
    owners = plan.subject.owners
    if owners and not any(r.why == "legal_hold" for r in plan.refused):
        await tx.db.execute(delete(AiUsageRow).where(AiUsageRow.owner.in_(owners)))
        keys = [
            k for k in (await tx.db.scalars(select(ConversationRow.key))).all() if conversation_of(k, owners)
        ]
        if keys:
            await tx.db.execute(delete(ConversationRow).where(ConversationRow.key.in_(keys)))
        users = [o.split(":", 2)[2] for o in owners if o.startswith("teams:")]
        if users:
            await tx.db.execute(delete(TeamsReferenceRow).where(TeamsReferenceRow.user_id.in_(users)))
    if plan.erase_person and plan.subject.person_id:
        # identities, roles, team memberships and supervision links go by ON DELETE CASCADE
        await tx.db.execute(delete(PersonRow).where(PersonRow.id == plan.subject.person_id))


async def erase(
    store: Store,
    kind: ErasureKind,
    ref: str,
    actor: str,
    now: datetime,
    force_signed: bool = False,
    reason: str | None = None,
) -> ErasurePlan:
    """Erase what may be erased, refuse the rest, audit the run (one row), compact SQLite."""
    if force_signed and not (reason and reason.strip()):
        raise invalid("force_without_reason")
    async with store.turn("privacy:erasure") as tx:
        plan = await make_plan(tx, kind, ref, force_signed)
        await _delete(tx, plan)
        detail: dict[str, Any] = {
            **plan.summary(),
            "refusals": [f"{r.target_kind}:{r.target_id}:{r.why}" for r in plan.refused],
        }
        if plan.forced_signed:
            detail["force_signed_reason"] = (reason or "").strip()
        await audit_event(tx, actor, "erased", kind, plan.subject.person_id or plan.subject.ref, detail, now)
    await compact(store)
    return plan


async def preview(store: Store, kind: ErasureKind, ref: str, force_signed: bool = False) -> ErasurePlan:
    """The plan, without deleting or auditing anything (for the confirmation prompt)."""
    async with store.read() as tx:
        return await make_plan(tx, kind, ref, force_signed)


async def compact(store: Store) -> None:
    """SQLite keeps deleted values in free pages and the WAL until they are reused: checkpoint
    the WAL into the file, rebuild the file without free pages, and truncate the WAL. PostgreSQL
    reclaims dead rows through (auto)vacuum; see docs/data-protection.md."""
    if store.engine.dialect.name != "sqlite":
        return
    async with store.engine.connect() as conn:
        raw = await conn.get_raw_connection()
        driver: Any = raw.driver_connection
        for statement in ("PRAGMA wal_checkpoint(TRUNCATE)", "VACUUM", "PRAGMA wal_checkpoint(TRUNCATE)"):
            await (await driver.execute(statement)).close()
