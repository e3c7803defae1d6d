"""Erasure: delete a worker's or a case's records where that is lawful.

Erasure is not absolute (UK GDPR Article 17(3)): records needed for legal claims, or
supervision records a supervisor has signed, may have to be kept. So erasure first makes a
plan: what will be deleted, and what is refused and why (a legal hold; a signed-off
record). Signed-off records are erased only with `force_signed` and a reason, which goes in
the audit row. Held records are never erased: release the hold first. Group sessions are
shared with other members, so a worker's erasure keeps them and says so. Events still in
the inbox and replies still in the outbox hold words too: a person's (their lane, or what
they sent in a group) and a case's (any that name it) are deleted with the rest.

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

from bot.core.identity import owner_id
from bot.privacy.holds import HoldScope, audit_event, hold_scope
from bot.privacy.retention import attendees_of, conversation_of, delete_sessions
from bot.privacy.subject_access import Subject, resolve_subject
from bot.records.refusals import invalid, text
from storage.inbox_repository import Carried
from storage.repository import Store, TurnTx

ErasureKind = Literal["person", "case"]


@dataclass(frozen=True)
class Refusal:
    target_kind: str  # "session" | "group_session" | "person"
    target_id: str
    why: str  # "legal_hold" | "signed_off"

    def sentence(self) -> str:
        """Why, in the words of prompts/records/privacy.yaml."""
        return text("privacy", self.why, kind=self.target_kind, target=self.target_id)


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
    # Events not yet handled and replies not yet delivered that carry the subject's words.
    inbox: list[int] = field(default_factory=list)
    outbox: list[int] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {
            "sessions": len(self.sessions),
            "group_sessions": len(self.group_sessions),
            "reminders": len(self.reminders),
            "refused": len(self.refused),
            "kept_shared_group_sessions": len(self.kept_shared),
            "forced_signed": len(self.forced_signed),
            "person_record": self.erase_person,
            "undelivered": len(self.inbox) + len(self.outbox),
        }


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
    if not any(r.why == "legal_hold" for r in plan.refused):
        await _plan_in_transit(tx, plan)
    return plan


def _compact(value: str) -> str:
    return "".join(ch for ch in value.upper() if ch.isalnum())


def _carries(row: Carried, subject: Subject) -> bool:
    """A row in the inbox or outbox is the subject's: a person's own lane, or an event they
    sent in a group channel; for a case, any row whose words name the case however typed."""
    if subject.case_ref:
        return _compact(subject.case_ref) in _compact(json.dumps(row.payload))
    if row.lane in subject.owners:
        return True
    key = row.payload.get("in", {}).get("key") if row.table == "inbox" else None
    if isinstance(key, list) and len(key) == 4:
        return owner_id(str(key[0]), str(key[1]), str(key[3])) in subject.owners
    return False


async def _plan_in_transit(tx: TurnTx, plan: ErasurePlan) -> None:
    for row in await tx.inbox.carried_words():
        if _carries(row, plan.subject):
            (plan.inbox if row.table == "inbox" else plan.outbox).append(row.id)


async def _plan_sessions(tx: TurnTx, plan: ErasurePlan, holds: HoldScope, force_signed: bool) -> None:
    s = plan.subject
    rows = await tx.privacy.sessions_of(s.owners, s.case_ref)
    signed = await tx.privacy.signed_sessions([r.id for r in rows]) | {
        r.id for r in rows if r.status == "signed"
    }
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
    for row in await tx.privacy.groups(s.case_ref):
        attendees = attendees_of(row)
        if not s.case_ref:
            if s.owners & attendees:
                plan.kept_shared.append(row.id)
        elif row.case_ref in holds.cases or holds.owners & attendees:
            plan.refused.append(Refusal("group_session", row.id, "legal_hold"))
        else:
            plan.group_sessions.append(row.id)


async def _plan_reminders(tx: TurnTx, plan: ErasurePlan, holds: HoldScope) -> None:
    s = plan.subject
    for reminder in await tx.privacy.reminders():
        if holds.owners and reminder.owner in holds.owners:
            continue
        if s.case_ref:
            case = str(reminder.payload.get("case_ref") or "").upper()
            if case == s.case_ref and s.case_ref not in holds.cases:
                plan.reminders.append(reminder.id)
        elif reminder.owner in s.owners:
            plan.reminders.append(reminder.id)


async def _delete(tx: TurnTx, plan: ErasurePlan) -> None:
    repo = tx.privacy
    await delete_sessions(tx, plan.sessions)
    await repo.delete_groups(plan.group_sessions)
    await repo.delete_reminders(plan.reminders)
    owners = plan.subject.owners
    if owners and not any(r.why == "legal_hold" for r in plan.refused):
        await repo.delete_ai_usage(owners)
        await repo.delete_work_patterns(owners)  # working days, leave, own check-in (issue 16)
        await repo.delete_conversations(
            [k for k in await repo.conversation_keys() if conversation_of(k, owners)]
        )
        await repo.delete_teams_references([o.split(":", 2)[2] for o in owners if o.startswith("teams:")])
    await tx.inbox.erase_rows(plan.inbox, plan.outbox)
    if plan.erase_person and plan.subject.person_id:
        await repo.delete_person(plan.subject.person_id)


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
    """Deleted values must not linger in the database file (see `Store.compact`)."""
    await store.compact()
