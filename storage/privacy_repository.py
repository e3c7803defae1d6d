"""Every query privacy needs (legal holds, retention purge, erasure, subject access), over an
open transaction. The policy (what is expired, what a hold covers, what may be erased) is in
`bot.privacy`; this module only finds, counts, reads and deletes rows, and returns plain
values or JSON-ready dicts, never ORM rows.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

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
    LegalHoldReleaseRow,
    LegalHoldRow,
    NoteAmendmentRow,
    NoteRow,
    PersonRoleRow,
    PersonRow,
    ProcessedEventRow,
    ReminderRow,
    SessionRow,
    SignoffRow,
    TeamMemberRow,
    TeamsHeldFileRow,
    TeamsReferenceRow,
    WorkPatternRow,
)

# A session's children, in the order a report lists them. The first four are deleted one by
# one; sign-offs and amendments are append-only and go by the database's ON DELETE CASCADE.
SESSION_CHILDREN: tuple[tuple[str, Any], ...] = (
    ("answers", AnswerRow),
    ("hypotheses", HypothesisRow),
    ("actions", ActionRow),
    ("notes", NoteRow),
    ("signoffs", SignoffRow),
    ("note_amendments", NoteAmendmentRow),
)
_CHUNK = 500


@dataclass(frozen=True)
class HoldRecord:
    id: int
    kind: str  # "person" | "case"
    subject: str
    reason: str
    created_at: datetime
    created_by: str
    released_at: datetime | None = None
    released_by: str | None = None

    @property
    def active(self) -> bool:
        return self.released_at is None


@dataclass(frozen=True)
class SessionBrief:
    id: str
    owner: str
    case_ref: str | None
    status: str


@dataclass(frozen=True)
class GroupBrief:
    id: str
    case_ref: str | None
    channel_key: str
    state: str  # the engine's GroupSession, JSON (bot.privacy reads who attended)


@dataclass(frozen=True)
class ReminderBrief:
    id: str
    owner: str
    payload: dict[str, Any]


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _json_field(text: str | None) -> Any:
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def row_dict(row: Base, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """Every column of a row, decrypted (the column type does it), JSON-ready."""
    return {c.name: _plain(getattr(row, c.key)) for c in row.__table__.columns if c.name not in skip}


def _chunks(values: Sequence[Any]) -> list[Sequence[Any]]:
    return [values[i : i + _CHUNK] for i in range(0, len(values), _CHUNK)]


class PrivacyRepository:
    def __init__(self, db: AsyncSession, forget: Callable[[Sequence[str]], None] | None = None) -> None:
        self.db = db
        self._forget = forget  # the store's cache of sessions lets go of deleted ones

    async def _count(self, row: Any, *where: Any) -> int:
        return int(await self.db.scalar(select(func.count()).select_from(row).where(*where)) or 0)

    # ------------------------------------------------------------ legal holds

    async def holds(self) -> list[HoldRecord]:
        rows = (
            await self.db.execute(
                select(LegalHoldRow, LegalHoldReleaseRow)
                .outerjoin(LegalHoldReleaseRow, LegalHoldReleaseRow.hold_id == LegalHoldRow.id)
                .order_by(LegalHoldRow.id)
            )
        ).all()
        return [
            HoldRecord(
                h.id,
                h.kind,
                h.subject,
                h.reason,
                h.created_at,
                h.created_by,
                r.released_at if r else None,
                r.released_by if r else None,
            )
            for h, r in rows
        ]

    async def add_hold(self, kind: str, subject: str, reason: str, by: str, now: datetime) -> int:
        row = LegalHoldRow(kind=kind, subject=subject, reason=reason, created_at=now, created_by=by)
        self.db.add(row)
        await self.db.flush()
        return row.id

    async def release_hold(self, hold_id: int, by: str, now: datetime) -> None:
        self.db.add(LegalHoldReleaseRow(hold_id=hold_id, released_at=now, released_by=by))
        await self.db.flush()

    # ------------------------------------------------------------ sessions

    async def sessions_ended_before(self, before: datetime) -> list[SessionBrief]:
        ended = func.coalesce(SessionRow.ended_at, SessionRow.updated_at)
        return await self._sessions(ended < before)

    async def sessions_of(self, owners: frozenset[str], case_ref: str | None) -> list[SessionBrief]:
        """A case's sessions (when `case_ref` is given), else the sessions these owners own."""
        return await self._sessions(
            SessionRow.case_ref == case_ref if case_ref else SessionRow.owner.in_(owners)
        )

    async def _sessions(self, where: ColumnElement[bool]) -> list[SessionBrief]:
        rows = await self.db.execute(
            select(SessionRow.id, SessionRow.owner, SessionRow.case_ref, SessionRow.status).where(where)
        )
        return [SessionBrief(r.id, r.owner, r.case_ref, r.status) for r in rows]

    async def signed_sessions(self, session_ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for chunk in _chunks(session_ids):
            rows = await self.db.scalars(
                select(SignoffRow.session_id).where(
                    SignoffRow.session_id.in_(chunk), SignoffRow.kind == "signed"
                )
            )
            found |= set(rows.all())
        return found

    async def count_session_children(self, session_ids: Sequence[str]) -> dict[str, int]:
        counts = {name: 0 for name, _row in SESSION_CHILDREN}
        for chunk in _chunks(session_ids):
            for name, row in SESSION_CHILDREN:
                counts[name] += await self._count(row, row.session_id.in_(chunk))
        return counts

    async def delete_sessions(self, session_ids: Sequence[str]) -> None:
        """Delete sessions and everything under them (see SESSION_CHILDREN)."""
        for chunk in _chunks(session_ids):
            for _name, row in SESSION_CHILDREN[:4]:
                await self.db.execute(delete(row).where(row.session_id.in_(chunk)))
            await self.db.execute(delete(SessionRow).where(SessionRow.id.in_(chunk)))
        if self._forget is not None:
            self._forget(session_ids)

    # ------------------------------------------------------------ group sessions

    async def groups_ended_before(self, before: datetime) -> list[GroupBrief]:
        ended = func.coalesce(GroupSessionRow.ended_at, GroupSessionRow.updated_at)
        return await self._groups(ended < before)

    async def groups(self, case_ref: str | None = None) -> list[GroupBrief]:
        return await self._groups(GroupSessionRow.case_ref == case_ref if case_ref else None)

    async def _groups(self, where: ColumnElement[bool] | None) -> list[GroupBrief]:
        query = select(
            GroupSessionRow.id, GroupSessionRow.case_ref, GroupSessionRow.channel_key, GroupSessionRow.state
        ).order_by(GroupSessionRow.started_at)
        if where is not None:
            query = query.where(where)
        return [GroupBrief(r.id, r.case_ref, r.channel_key, r.state) for r in await self.db.execute(query)]

    async def delete_groups(self, group_ids: Sequence[str]) -> None:
        for chunk in _chunks(group_ids):
            await self.db.execute(delete(GroupSessionRow).where(GroupSessionRow.id.in_(chunk)))

    # ------------------------------------------------------------ rows owned by a person

    async def purge_finished_reminders(
        self, finished: Sequence[str], before: datetime, keep_owners: frozenset[str], dry_run: bool
    ) -> tuple[int, int]:
        """(deleted, kept for a hold) of reminders finished before `before`."""
        return await self._purge_owned(
            ReminderRow,
            ReminderRow.owner,
            keep_owners,
            dry_run,
            ReminderRow.status.in_(finished),
            func.coalesce(ReminderRow.delivered_at, ReminderRow.due_at) < before,
        )

    async def purge_ai_usage(
        self, before: datetime, keep_owners: frozenset[str], dry_run: bool
    ) -> tuple[int, int]:
        return await self._purge_owned(
            AiUsageRow, AiUsageRow.owner, keep_owners, dry_run, AiUsageRow.at < before
        )

    async def _purge_owned(
        self, row: Any, owner: Any, keep: frozenset[str], dry_run: bool, *where: Any
    ) -> tuple[int, int]:
        kept = await self._count(row, *where, owner.in_(keep)) if keep else 0
        condition = and_(*where, owner.not_in(keep)) if keep else and_(*where)
        count = await self._count(row, condition)
        if count and not dry_run:
            await self.db.execute(delete(row).where(condition))
        return count, kept

    async def purge_processed_events(self, before: datetime, dry_run: bool) -> int:
        return await self._purge_plain(ProcessedEventRow, dry_run, ProcessedEventRow.processed_at < before)

    async def purge_inactive_teams_references(self, before: datetime, dry_run: bool) -> int:
        return await self._purge_plain(
            TeamsReferenceRow,
            dry_run,
            TeamsReferenceRow.active.is_(False),
            TeamsReferenceRow.updated_at < before,
        )

    async def purge_lapsed_teams_files(self, before: datetime, dry_run: bool) -> int:
        return await self._purge_plain(TeamsHeldFileRow, dry_run, TeamsHeldFileRow.created_at < before)

    async def _purge_plain(self, row: Any, dry_run: bool, *where: Any) -> int:
        count = await self._count(row, *where)
        if count and not dry_run:
            await self.db.execute(delete(row).where(*where))
        return count

    async def reminders(self) -> list[ReminderBrief]:
        rows = (await self.db.scalars(select(ReminderRow).order_by(ReminderRow.created_at))).all()
        return [ReminderBrief(r.id, r.owner, json.loads(r.payload)) for r in rows]

    async def delete_reminders(self, reminder_ids: Sequence[str]) -> None:
        for chunk in _chunks(reminder_ids):
            await self.db.execute(delete(ReminderRow).where(ReminderRow.id.in_(chunk)))

    async def delete_ai_usage(self, owners: frozenset[str]) -> None:
        if owners:
            await self.db.execute(delete(AiUsageRow).where(AiUsageRow.owner.in_(owners)))

    async def delete_work_patterns(self, owners: frozenset[str]) -> None:
        if owners:
            await self.db.execute(delete(WorkPatternRow).where(WorkPatternRow.owner.in_(owners)))

    async def conversation_keys(self, updated_before: datetime | None = None) -> list[str]:
        query = select(ConversationRow.key)
        if updated_before is not None:
            query = query.where(ConversationRow.updated_at < updated_before)
        return list((await self.db.scalars(query)).all())

    async def delete_conversations(self, keys: Sequence[str]) -> None:
        for chunk in _chunks(keys):
            await self.db.execute(delete(ConversationRow).where(ConversationRow.key.in_(chunk)))

    async def delete_teams_references(self, user_ids: Sequence[str]) -> None:
        if user_ids:
            await self.db.execute(delete(TeamsReferenceRow).where(TeamsReferenceRow.user_id.in_(user_ids)))
            await self.db.execute(delete(TeamsHeldFileRow).where(TeamsHeldFileRow.user_id.in_(user_ids)))

    async def delete_person(self, person_id: str) -> None:
        """Identities, roles, team memberships and supervision links go by ON DELETE CASCADE."""
        await self.db.execute(delete(PersonRow).where(PersonRow.id == person_id))

    # ------------------------------------------------------------ subject access documents

    async def _all(self, query: Any) -> list[Any]:
        return list((await self.db.scalars(query)).all())

    async def session_documents(self, owners: frozenset[str], case_ref: str | None) -> list[dict[str, Any]]:
        """Each session with every row under it, decrypted and JSON-ready."""
        where = SessionRow.case_ref == case_ref if case_ref else SessionRow.owner.in_(owners)
        found = []
        for session in await self._all(select(SessionRow).where(where).order_by(SessionRow.started_at)):
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
                rows = await self._all(select(row).where(row.session_id == session.id).order_by(order))
                item[name] = [row_dict(r) for r in rows]
            found.append(item)
        return found

    async def group_documents(self, group_ids: Sequence[str]) -> list[dict[str, Any]]:
        found = []
        for chunk in _chunks(group_ids):
            query = (
                select(GroupSessionRow)
                .where(GroupSessionRow.id.in_(chunk))
                .order_by(GroupSessionRow.started_at)
            )
            for group in await self._all(query):
                item = row_dict(group, skip=("state",))
                item["engine_state"] = _json_field(group.state)
                found.append(item)
        return found

    async def reminder_documents(self, reminder_ids: Sequence[str]) -> list[dict[str, Any]]:
        found = []
        for chunk in _chunks(reminder_ids):
            query = select(ReminderRow).where(ReminderRow.id.in_(chunk)).order_by(ReminderRow.created_at)
            found += [row_dict(r) for r in await self._all(query)]
        return found

    async def audit_documents(self, keys: Sequence[str], case_ref: str | None) -> list[dict[str, Any]]:
        """Audit rows naming any of `keys` as actor or target, or mentioning the case."""
        clauses: list[ColumnElement[bool]] = [
            AuditEventRow.target_id.in_(keys),
            AuditEventRow.actor.in_(keys),
        ]
        if case_ref:
            clauses += [AuditEventRow.target_id == case_ref, AuditEventRow.detail.contains(f'"{case_ref}"')]
        rows = await self._all(select(AuditEventRow).where(or_(*clauses)).order_by(AuditEventRow.id))
        return [{**row_dict(r, skip=("detail",)), "detail": _json_field(r.detail)} for r in rows]

    async def person_documents(self, person_id: str) -> dict[str, Any]:
        """A person's directory entry, identities, roles, teams and the sign-offs they made."""
        person = await self.db.get(PersonRow, person_id)
        found: dict[str, Any] = {"person": row_dict(person) if person else None}
        for name, row in (("identities", IdentityRow), ("roles", PersonRoleRow), ("teams", TeamMemberRow)):
            found[name] = [
                row_dict(r) for r in await self._all(select(row).where(row.person_id == person_id))
            ]
        signed = await self._all(select(SignoffRow).where(SignoffRow.actor == person_id))
        found["signoffs_made"] = [row_dict(r) for r in signed]
        return found

    async def ai_usage_documents(self, owners: frozenset[str]) -> list[dict[str, Any]]:
        rows = await self._all(select(AiUsageRow).where(AiUsageRow.owner.in_(owners))) if owners else []
        return [row_dict(r) for r in rows]

    async def conversation_documents(self, keys: Sequence[str]) -> list[dict[str, Any]]:
        found = []
        for chunk in _chunks(keys):
            for c in await self._all(select(ConversationRow).where(ConversationRow.key.in_(chunk))):
                found.append({**row_dict(c, skip=("state",)), "state": _json_field(c.state)})
        return found

    async def teams_reference_documents(self, user_ids: Sequence[str]) -> list[dict[str, Any]]:
        if not user_ids:
            return []
        rows = await self._all(select(TeamsReferenceRow).where(TeamsReferenceRow.user_id.in_(user_ids)))
        return [{**row_dict(r, skip=("reference",)), "reference": _json_field(r.reference)} for r in rows]
