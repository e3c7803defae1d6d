"""Retention: delete what has outlived its retention period, everywhere it lives.

One purge run works out, per record type, which rows are past their period (see
`RetentionSettings`), leaves alone anything a legal hold covers, deletes the rest in one
transaction, and appends one audit row with the counts (never content). A session takes
its answers, hypotheses, actions, notes, sign-offs and amendments with it, so no orphan
free text is left behind. `dry_run` counts the same rows and deletes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, func, select
from sqlalchemy.orm import InstrumentedAttribute

from bot.core.group import GroupSession
from bot.privacy.holds import HoldScope, audit_event, hold_scope
from bot.privacy.settings import RetentionSettings
from storage.repository import Store, TurnTx
from storage.tables import (
    ActionRow,
    AiUsageRow,
    AnswerRow,
    ConversationRow,
    GroupSessionRow,
    HypothesisRow,
    NoteAmendmentRow,
    NoteRow,
    ProcessedEventRow,
    ReminderRow,
    SessionRow,
    SignoffRow,
    TeamsReferenceRow,
)

PURGE_ACTOR = "system:retention"
FINISHED_REMINDERS = ("delivered", "cancelled", "failed")
SESSION_CHILDREN: tuple[tuple[str, Any], ...] = (
    ("answers", AnswerRow),
    ("hypotheses", HypothesisRow),
    ("actions", ActionRow),
    ("notes", NoteRow),
    ("signoffs", SignoffRow),
    ("note_amendments", NoteAmendmentRow),
)


@dataclass
class PurgeReport:
    dry_run: bool
    counts: dict[str, int] = field(default_factory=dict)
    held: dict[str, int] = field(default_factory=dict)  # expired but kept for a legal hold

    @property
    def total(self) -> int:
        return sum(self.counts.values())


async def count_session_children(tx: TurnTx, session_ids: list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for name, row in SESSION_CHILDREN:
        counts[name] = (
            int(
                await tx.db.scalar(
                    select(func.count()).select_from(row).where(row.session_id.in_(session_ids))
                )
                or 0
            )
            if session_ids
            else 0
        )
    return counts


async def delete_sessions(tx: TurnTx, session_ids: list[str]) -> None:
    """Delete sessions and everything under them. Children without an append-only guard are
    deleted explicitly; sign-offs and amendments go by the database's ON DELETE CASCADE
    (the application itself is never allowed to delete them one by one)."""
    for start in range(0, len(session_ids), 500):
        chunk = session_ids[start : start + 500]
        for _name, row in SESSION_CHILDREN[:4]:
            await tx.db.execute(delete(row).where(row.session_id.in_(chunk)))
        await tx.db.execute(delete(SessionRow).where(SessionRow.id.in_(chunk)))


def group_attendees(state_json: str, channel_key: str) -> frozenset[str]:
    """Session owners ("platform:workspace:user") of everyone in a group session."""
    session = GroupSession.model_validate_json(state_json)
    platform, workspace, _channel = channel_key.split(":", 2)
    people = [session.facilitator, *([session.presenter] if session.presenter else []), *session.members]
    return frozenset(f"{platform}:{workspace}:{p.id}" for p in people)


async def _expired_ids(tx: TurnTx, key: InstrumentedAttribute[Any], *where: Any) -> list[Any]:
    return list((await tx.db.scalars(select(key).where(*where))).all())


async def purge(
    store: Store,
    now: datetime,
    dry_run: bool = False,
    settings: RetentionSettings | None = None,
    actor: str = PURGE_ACTOR,
) -> PurgeReport:
    """Delete (or with `dry_run`, count) every expired row not under a legal hold; audit the run."""
    settings = settings or RetentionSettings()
    report = PurgeReport(dry_run)
    async with store.turn("privacy:retention") as tx:
        holds = await hold_scope(tx)
        await _purge_sessions(tx, now, settings, holds, report)
        await _purge_groups(tx, now, settings, holds, report)
        await _purge_owned(
            tx,
            report,
            holds,
            "reminders",
            ReminderRow,
            ReminderRow.id,
            ReminderRow.owner,
            ReminderRow.status.in_(FINISHED_REMINDERS),
            func.coalesce(ReminderRow.delivered_at, ReminderRow.due_at) < now - settings.period("reminders"),
        )
        await _purge_owned(
            tx,
            report,
            holds,
            "ai_usage",
            AiUsageRow,
            AiUsageRow.id,
            AiUsageRow.owner,
            AiUsageRow.at < now - settings.period("ai_usage"),
        )
        await _purge_plain(
            tx,
            report,
            "processed_events",
            ProcessedEventRow,
            ProcessedEventRow.event_key,
            ProcessedEventRow.processed_at < now - settings.period("processed_events"),
        )
        await _purge_plain(
            tx,
            report,
            "teams_references",
            TeamsReferenceRow,
            TeamsReferenceRow.key,
            TeamsReferenceRow.active.is_(False),
            TeamsReferenceRow.updated_at < now - settings.period("teams_references"),
        )
        await _purge_conversations(tx, now, settings, holds, report)
        detail: dict[str, Any] = {
            "dry_run": dry_run,
            "deleted": report.counts,
            "kept_for_legal_hold": report.held,
        }
        await audit_event(tx, actor, "purged", "retention", None, detail, now)
    return report


async def _purge_sessions(
    tx: TurnTx, now: datetime, settings: RetentionSettings, holds: HoldScope, report: PurgeReport
) -> None:
    ended = func.coalesce(SessionRow.ended_at, SessionRow.updated_at)
    rows = (
        await tx.db.execute(
            select(SessionRow.id, SessionRow.owner, SessionRow.case_ref).where(
                ended < now - settings.period("sessions")
            )
        )
    ).all()
    expired = [r.id for r in rows if not holds.covers(r.owner, r.case_ref)]
    report.held["sessions"] = len(rows) - len(expired)
    report.counts["sessions"] = len(expired)
    report.counts.update(await count_session_children(tx, expired))
    if not report.dry_run:
        await delete_sessions(tx, expired)


async def _purge_groups(
    tx: TurnTx, now: datetime, settings: RetentionSettings, holds: HoldScope, report: PurgeReport
) -> None:
    ended = func.coalesce(GroupSessionRow.ended_at, GroupSessionRow.updated_at)
    rows = (
        await tx.db.execute(
            select(
                GroupSessionRow.id,
                GroupSessionRow.case_ref,
                GroupSessionRow.channel_key,
                GroupSessionRow.state,
            ).where(ended < now - settings.period("group_sessions"))
        )
    ).all()
    expired = [
        r.id
        for r in rows
        if not (r.case_ref in holds.cases or (holds.owners & group_attendees(r.state, r.channel_key)))
    ]
    report.held["group_sessions"] = len(rows) - len(expired)
    report.counts["group_sessions"] = len(expired)
    if expired and not report.dry_run:
        await tx.db.execute(delete(GroupSessionRow).where(GroupSessionRow.id.in_(expired)))


async def _purge_owned(
    tx: TurnTx,
    report: PurgeReport,
    holds: HoldScope,
    name: str,
    row: Any,
    key: InstrumentedAttribute[Any],
    owner: InstrumentedAttribute[Any],
    *where: Any,
) -> None:
    kept = int(
        await tx.db.scalar(select(func.count()).select_from(row).where(*where, owner.in_(holds.owners))) or 0
    )
    condition = and_(*where, owner.not_in(holds.owners)) if holds.owners else and_(*where)
    report.held[name] = kept
    report.counts[name] = int(await tx.db.scalar(select(func.count()).select_from(row).where(condition)) or 0)
    if report.counts[name] and not report.dry_run:
        await tx.db.execute(delete(row).where(condition))


async def _purge_plain(
    tx: TurnTx, report: PurgeReport, name: str, row: Any, key: InstrumentedAttribute[Any], *where: Any
) -> None:
    report.counts[name] = int(await tx.db.scalar(select(func.count()).select_from(row).where(*where)) or 0)
    if report.counts[name] and not report.dry_run:
        await tx.db.execute(delete(row).where(*where))


def conversation_of(key: str, owners: frozenset[str]) -> bool:
    """Whether a conversation key ("platform:workspace:channel:user") belongs to one of these
    owners ("platform:workspace:user"). Matched, not parsed: Teams ids contain colons."""
    for owner in owners:
        platform, workspace, user = owner.split(":", 2)
        if key.startswith(f"{platform}:{workspace}:") and key.endswith(f":{user}"):
            return True
    return False


async def _purge_conversations(
    tx: TurnTx, now: datetime, settings: RetentionSettings, holds: HoldScope, report: PurgeReport
) -> None:
    old = ConversationRow.updated_at < now - settings.period("conversations")
    keys = await _expired_ids(tx, ConversationRow.key, old)
    expired = [k for k in keys if not conversation_of(k, holds.owners)]
    report.held["conversations"] = len(keys) - len(expired)
    report.counts["conversations"] = len(expired)
    if not report.dry_run:
        for start in range(0, len(expired), 500):
            await tx.db.execute(
                delete(ConversationRow).where(ConversationRow.key.in_(expired[start : start + 500]))
            )
