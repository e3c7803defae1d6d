"""Retention: delete what has outlived its retention period, everywhere it lives.

One purge run works out, per record type, which rows are past their period (see
`RetentionSettings`), leaves alone anything a legal hold covers, deletes the rest in one
transaction, and appends one audit row with the counts (never content). A session takes
its answers, hypotheses, actions, notes, sign-offs and amendments with it, so no orphan
free text is left behind. `dry_run` counts the same rows and deletes nothing.

The policy is here; every query is in `storage.privacy_repository` (`tx.privacy`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.core.group import GroupSession
from bot.core.identity import owner_id
from bot.privacy.holds import HoldScope, audit_event, hold_scope
from bot.privacy.settings import RetentionSettings
from storage.privacy_repository import GroupBrief
from storage.repository import Store, TurnTx
from storage.teams_repository import HELD_FOR

PURGE_ACTOR = "system:retention"
FINISHED_REMINDERS = ("delivered", "cancelled", "failed")


@dataclass
class PurgeReport:
    dry_run: bool
    counts: dict[str, int] = field(default_factory=dict)
    held: dict[str, int] = field(default_factory=dict)  # expired but kept for a legal hold

    @property
    def total(self) -> int:
        return sum(self.counts.values())


async def count_session_children(tx: TurnTx, session_ids: list[str]) -> dict[str, int]:
    return await tx.privacy.count_session_children(session_ids)


async def delete_sessions(tx: TurnTx, session_ids: list[str]) -> None:
    """Delete sessions and everything under them (sign-offs and amendments by the database's
    ON DELETE CASCADE: the application itself never deletes them one by one)."""
    await tx.privacy.delete_sessions(session_ids)


def group_attendees(state_json: str, channel_key: str) -> frozenset[str]:
    """Session owners ("platform:workspace:user") of everyone in a group session."""
    session = GroupSession.model_validate_json(state_json)
    platform, workspace, _channel = channel_key.split(":", 2)
    people = [session.facilitator, *([session.presenter] if session.presenter else []), *session.members]
    return frozenset(owner_id(platform, workspace, p.id) for p in people)


def attendees_of(group: GroupBrief) -> frozenset[str]:
    return group_attendees(group.state, group.channel_key)


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
        repo = tx.privacy
        report.counts["reminders"], report.held["reminders"] = await repo.purge_finished_reminders(
            FINISHED_REMINDERS, now - settings.period("reminders"), holds.owners, dry_run
        )
        report.counts["ai_usage"], report.held["ai_usage"] = await repo.purge_ai_usage(
            now - settings.period("ai_usage"), holds.owners, dry_run
        )
        report.counts["processed_events"] = await repo.purge_processed_events(
            now - settings.period("processed_events"), dry_run
        )
        report.counts["inbox"], report.counts["outbox"] = await tx.inbox.purge_handled(
            now - settings.period("delivery"), dry_run
        )
        report.counts["teams_references"] = await repo.purge_inactive_teams_references(
            now - settings.period("teams_references"), dry_run
        )
        # exports left waiting for a Teams file consent card nobody answered (a day at most)
        report.counts["teams_held_files"] = await repo.purge_lapsed_teams_files(now - HELD_FOR, dry_run)
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
    rows = await tx.privacy.sessions_ended_before(now - settings.period("sessions"))
    expired = [r.id for r in rows if not holds.covers(r.owner, r.case_ref)]
    report.held["sessions"] = len(rows) - len(expired)
    report.counts["sessions"] = len(expired)
    report.counts.update(await count_session_children(tx, expired))
    if not report.dry_run:
        await delete_sessions(tx, expired)


async def _purge_groups(
    tx: TurnTx, now: datetime, settings: RetentionSettings, holds: HoldScope, report: PurgeReport
) -> None:
    rows = await tx.privacy.groups_ended_before(now - settings.period("group_sessions"))
    expired = [r.id for r in rows if not (r.case_ref in holds.cases or (holds.owners & attendees_of(r)))]
    report.held["group_sessions"] = len(rows) - len(expired)
    report.counts["group_sessions"] = len(expired)
    if expired and not report.dry_run:
        await tx.privacy.delete_groups(expired)


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
    keys = await tx.privacy.conversation_keys(updated_before=now - settings.period("conversations"))
    expired = [k for k in keys if not conversation_of(k, holds.owners)]
    report.held["conversations"] = len(keys) - len(expired)
    report.counts["conversations"] = len(expired)
    if not report.dry_run:
        await tx.privacy.delete_conversations(expired)
