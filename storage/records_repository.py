"""Queries for supervision files: people and roles, sign-off, note versions, the audit trail,
and paged session reads for exports and the manager's overview.

Three repositories over the open transaction of a `Store.read()` or `Store.turn()`:
`PeopleRepository` (`tx.people`), `RecordsRepository` (`tx.records`) and `AuditRepository`
(`tx.audit`), so records work commits with (or as) one transaction like everything else.
They return plain values, never rows, so nothing outside storage holds a live ORM object.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, delete, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from bot.core.errors import InvalidRequest
from bot.core.group import GroupSession
from bot.core.session import ActionItem, Session
from storage.answers import attach_answers
from storage.tables import (
    ActionRow,
    AuditEventRow,
    GroupSessionRow,
    IdentityRow,
    NoteAmendmentRow,
    NoteRow,
    PersonRoleRow,
    PersonRow,
    ReminderRow,
    SessionRow,
    SignoffRow,
    SupervisionLinkRow,
    TeamMemberRow,
    TeamRow,
)

if TYPE_CHECKING:
    from storage.repository import TurnTx

# ---------------------------------------------------------------- values


@dataclass(frozen=True)
class PersonRecord:
    id: str
    display_name: str


@dataclass(frozen=True)
class TeamRecord:
    id: str
    name: str


@dataclass(frozen=True)
class LinkRecord:
    supervisor_id: str
    supervisee_id: str | None
    team_id: str | None


@dataclass(frozen=True)
class PeopleSnapshot:
    """Everything about people, teams and roles, read in one go (it is small)."""

    people: tuple[PersonRecord, ...] = ()
    identities: tuple[tuple[str, str], ...] = ()  # (owner, person_id)
    teams: tuple[TeamRecord, ...] = ()
    members: tuple[tuple[str, str], ...] = ()  # (team_id, person_id)
    roles: tuple[tuple[str, str], ...] = ()  # (person_id, role)
    links: tuple[LinkRecord, ...] = ()


@dataclass(frozen=True)
class SignoffRecord:
    session_id: str
    note_version: int
    kind: str  # "agreed" | "signed"
    actor: str
    at: datetime


@dataclass(frozen=True)
class AmendmentRecord:
    session_id: str
    note_version: int
    author: str
    at: datetime
    text: str


@dataclass(frozen=True)
class NoteVersionRecord:
    session_id: str
    version: int
    created_at: datetime
    created_by: str


@dataclass(frozen=True)
class SessionSummary:
    """What a list of notes shows, read without decrypting anything."""

    id: str
    owner: str
    model_id: str
    model_version: int
    case_ref: str | None
    started_at: datetime
    status: str  # the session's own status: active, paused, complete, cancelled


@dataclass(frozen=True)
class AuditRecord:
    id: int
    at: datetime
    actor: str
    action: str
    target_kind: str
    target_id: str | None
    detail: dict[str, Any]


@dataclass(frozen=True)
class SessionFilter:
    """Which completed sessions a read covers.

    `owners` are read in full; `group_owners` only for sessions of the `group_models`
    (a team export includes the group supervision its supervisor ran, but not the
    supervisor's own reflections).
    """

    owners: frozenset[str] = frozenset()
    group_owners: frozenset[str] = frozenset()
    group_models: frozenset[str] = frozenset()
    case_ref: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    statuses: tuple[str, ...] = ("complete",)
    model_ids: frozenset[str] | None = None  # None: every model

    def where(self) -> list[ColumnElement[bool]]:
        who: list[ColumnElement[bool]] = []
        if self.owners:
            who.append(SessionRow.owner.in_(sorted(self.owners)))
        if self.group_owners and self.group_models:
            who.append(
                and_(
                    SessionRow.owner.in_(sorted(self.group_owners)),
                    SessionRow.model_id.in_(sorted(self.group_models)),
                )
            )
        clauses: list[ColumnElement[bool]] = [or_(*who) if who else SessionRow.id.is_(None)]
        clauses.append(SessionRow.status.in_(self.statuses))
        if self.case_ref is not None:
            clauses.append(SessionRow.case_ref == self.case_ref)
        if self.since is not None:
            clauses.append(SessionRow.started_at >= self.since)
        if self.until is not None:
            clauses.append(SessionRow.started_at < self.until)
        if self.model_ids is not None:
            clauses.append(SessionRow.model_id.in_(sorted(self.model_ids)))
        return clauses


@dataclass(frozen=True)
class SessionPage:
    sessions: list[Session] = field(default_factory=list)
    after: tuple[datetime, str] | None = None  # pass back to read the next page


@dataclass(frozen=True)
class SessionFacts:
    """A completed session's plain columns: what a CSV export needs, read without decrypting.
    `facts` is the JSON stored when it completed (None for sessions completed before that)."""

    id: str
    owner: str
    platform: str
    model_id: str
    model_version: int
    case_ref: str | None
    started_at: datetime
    ended_at: datetime | None
    share_feelings: bool
    risk_flagged: bool
    facts: str | None
    # Who supervised the worker when it completed (person ids); None before that was stored.
    supervised_by: tuple[str, ...] | None = None


@dataclass(frozen=True)
class FactsPage:
    rows: list[SessionFacts] = field(default_factory=list)
    after: tuple[datetime, str] | None = None


@dataclass(frozen=True)
class GroupPage:
    sessions: list[GroupSession] = field(default_factory=list)
    after: tuple[datetime, str] | None = None


def _person_ids(stored: str | None) -> tuple[str, ...] | None:
    """The stored JSON array of person ids (sessions.supervised_by), or None when not stored."""
    if stored is None:
        return None
    return tuple(str(p) for p in json.loads(stored))


def _oldest_first_after(query: Any, after: tuple[datetime, str] | None, size: int) -> Any:
    """A page of sessions, oldest first, after the keyset `after` (stable under inserts)."""
    if after is not None:
        started, session_id = after
        query = query.where(
            or_(
                SessionRow.started_at > started,
                and_(SessionRow.started_at == started, SessionRow.id > session_id),
            )
        )
    return query.order_by(SessionRow.started_at, SessionRow.id).limit(size)


def _facilitated_by(owners: frozenset[str]) -> ColumnElement[bool]:
    """Filed group sessions whose facilitator is one of these identities.

    A group session stores its channel ("platform:workspace:channel") and the facilitator's
    platform user id; together they make the facilitator's identity.
    """
    clauses: list[ColumnElement[bool]] = []
    for owner in sorted(owners):
        platform, workspace, user = owner.split(":", 2)
        clauses.append(
            and_(
                GroupSessionRow.facilitator == user,
                GroupSessionRow.channel_key.startswith(f"{platform}:{workspace}:", autoescape=True),
            )
        )
    return or_(*clauses) if clauses else GroupSessionRow.id.is_(None)


def group_where(selection: SessionFilter) -> list[ColumnElement[bool]]:
    """The same selection as `SessionFilter.where`, over facilitated group sessions."""
    owners = frozenset(o for o in selection.owners | selection.group_owners if o.count(":") >= 2)
    clauses = [_facilitated_by(owners), GroupSessionRow.status == "filed"]
    if selection.case_ref is not None:
        clauses.append(GroupSessionRow.case_ref == selection.case_ref)
    if selection.since is not None:
        clauses.append(GroupSessionRow.started_at >= selection.since)
    if selection.until is not None:
        clauses.append(GroupSessionRow.started_at < selection.until)
    return clauses


class PeopleRepository:
    """People, identities, teams, roles and supervision links (`tx.people`)."""

    def __init__(self, db: AsyncSession) -> None:
        self.db = db

    # ------------------------------------------------------------ people

    async def people_snapshot(self) -> PeopleSnapshot:
        people = (await self.db.scalars(select(PersonRow).order_by(PersonRow.id))).all()
        identities = (await self.db.execute(select(IdentityRow.owner, IdentityRow.person_id))).all()
        teams = (await self.db.scalars(select(TeamRow).order_by(TeamRow.id))).all()
        members = (await self.db.execute(select(TeamMemberRow.team_id, TeamMemberRow.person_id))).all()
        roles = (await self.db.execute(select(PersonRoleRow.person_id, PersonRoleRow.role))).all()
        links = (await self.db.scalars(select(SupervisionLinkRow).order_by(SupervisionLinkRow.id))).all()
        return PeopleSnapshot(
            people=tuple(PersonRecord(p.id, p.display_name) for p in people),
            identities=tuple((r.owner, r.person_id) for r in identities),
            teams=tuple(TeamRecord(t.id, t.name) for t in teams),
            members=tuple((r.team_id, r.person_id) for r in members),
            roles=tuple((r.person_id, r.role) for r in roles),
            links=tuple(LinkRecord(r.supervisor_id, r.supervisee_id, r.team_id) for r in links),
        )

    async def person(self, person_id: str) -> PersonRecord | None:
        row = await self.db.get(PersonRow, person_id)
        return PersonRecord(row.id, row.display_name) if row else None

    async def person_for_owner(self, owner: str) -> str | None:
        row = await self.db.get(IdentityRow, owner)
        return row.person_id if row else None

    async def add_person(self, person_id: str, display_name: str, by: str, now: datetime) -> None:
        self.db.add(PersonRow(id=person_id, display_name=display_name, created_at=now, created_by=by))
        await self.db.flush()

    async def rename_person(self, person_id: str, display_name: str) -> None:
        row = await self.db.get(PersonRow, person_id)
        if row is not None:
            row.display_name = display_name

    async def add_identity(self, owner: str, person_id: str, platform: str, now: datetime) -> None:
        self.db.add(IdentityRow(owner=owner, person_id=person_id, platform=platform, created_at=now))
        await self.db.flush()

    async def team(self, team_id: str) -> TeamRecord | None:
        row = await self.db.get(TeamRow, team_id)
        return TeamRecord(row.id, row.name) if row else None

    async def add_team(self, team_id: str, name: str, by: str, now: datetime) -> None:
        self.db.add(TeamRow(id=team_id, name=name, created_at=now, created_by=by))
        await self.db.flush()

    async def add_member(self, team_id: str, person_id: str, by: str, now: datetime) -> bool:
        if await self.db.get(TeamMemberRow, (team_id, person_id)) is not None:
            return False
        self.db.add(TeamMemberRow(team_id=team_id, person_id=person_id, added_at=now, added_by=by))
        await self.db.flush()
        return True

    async def remove_member(self, team_id: str, person_id: str) -> bool:
        result = await self.db.execute(
            delete(TeamMemberRow).where(
                TeamMemberRow.team_id == team_id, TeamMemberRow.person_id == person_id
            )
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def grant_role(self, person_id: str, role: str, by: str, now: datetime) -> bool:
        if await self.db.get(PersonRoleRow, (person_id, role)) is not None:
            return False
        self.db.add(PersonRoleRow(person_id=person_id, role=role, granted_at=now, granted_by=by))
        await self.db.flush()
        return True

    async def revoke_role(self, person_id: str, role: str) -> bool:
        result = await self.db.execute(
            delete(PersonRoleRow).where(PersonRoleRow.person_id == person_id, PersonRoleRow.role == role)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def any_admin(self) -> bool:
        return bool(await self.db.scalar(select(exists().where(PersonRoleRow.role == "admin"))))

    def _link_match(self, supervisor_id: str, supervisee_id: str | None, team_id: str | None) -> Any:
        return and_(
            SupervisionLinkRow.supervisor_id == supervisor_id,
            SupervisionLinkRow.supervisee_id.is_(None)
            if supervisee_id is None
            else SupervisionLinkRow.supervisee_id == supervisee_id,
            SupervisionLinkRow.team_id.is_(None)
            if team_id is None
            else SupervisionLinkRow.team_id == team_id,
        )

    async def add_link(
        self, supervisor_id: str, supervisee_id: str | None, team_id: str | None, by: str, now: datetime
    ) -> bool:
        if (supervisee_id is None) == (team_id is None):
            raise InvalidRequest("a supervision link names one person or one team")
        match = self._link_match(supervisor_id, supervisee_id, team_id)
        if await self.db.scalar(select(exists().where(match))):
            return False
        self.db.add(
            SupervisionLinkRow(
                supervisor_id=supervisor_id,
                supervisee_id=supervisee_id,
                team_id=team_id,
                created_at=now,
                created_by=by,
            )
        )
        await self.db.flush()
        return True

    async def remove_link(self, supervisor_id: str, supervisee_id: str | None, team_id: str | None) -> bool:
        result = await self.db.execute(
            delete(SupervisionLinkRow).where(self._link_match(supervisor_id, supervisee_id, team_id))
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def supervisor_ids_of(self, owner: str) -> list[str]:
        """The person ids supervising this chat identity's person now, in one query: linked by
        name or through one of their teams, holding the supervisor role, never themselves.
        The rule of `bot.records.export.view.supervisors_of`, read without a whole snapshot."""
        person = select(IdentityRow.person_id).where(IdentityRow.owner == owner).scalar_subquery()
        teams = select(TeamMemberRow.team_id).where(TeamMemberRow.person_id == person)
        query = (
            select(SupervisionLinkRow.supervisor_id)
            .join(
                PersonRoleRow,
                and_(
                    PersonRoleRow.person_id == SupervisionLinkRow.supervisor_id,
                    PersonRoleRow.role == "supervisor",
                ),
            )
            .where(
                or_(SupervisionLinkRow.supervisee_id == person, SupervisionLinkRow.team_id.in_(teams)),
                SupervisionLinkRow.supervisor_id != person,
            )
            .distinct()
            .order_by(SupervisionLinkRow.supervisor_id)
        )
        return list((await self.db.scalars(query)).all())


class RecordsRepository:
    """Completed sessions for records, note versions, sign-off and amendments (`tx.records`)."""

    def __init__(self, db: AsyncSession) -> None:
        self.db = db

    # ------------------------------------------------------------ sessions

    async def count_sessions(self, selection: SessionFilter) -> int:
        query = select(func.count()).select_from(SessionRow).where(*selection.where())
        return int(await self.db.scalar(query) or 0)

    async def session_page(
        self, selection: SessionFilter, after: tuple[datetime, str] | None, size: int
    ) -> SessionPage:
        """Up to `size` sessions, oldest first, after the keyset `after` (stable under inserts)."""
        query = select(SessionRow.state, SessionRow.started_at, SessionRow.id).where(*selection.where())
        rows = (await self.db.execute(_oldest_first_after(query, after, size))).all()
        sessions = [Session.model_validate_json(r.state) for r in rows]
        await attach_answers(await self.db.connection(), sessions)
        return SessionPage(sessions, (rows[-1].started_at, rows[-1].id) if rows else None)

    async def facts_page(
        self, selection: SessionFilter, after: tuple[datetime, str] | None, size: int
    ) -> FactsPage:
        """Like `session_page`, but only the plain columns: no session state, no answers."""
        columns = (
            SessionRow.id,
            SessionRow.owner,
            SessionRow.platform,
            SessionRow.model_id,
            SessionRow.model_version,
            SessionRow.case_ref,
            SessionRow.started_at,
            SessionRow.ended_at,
            SessionRow.share_feelings,
            SessionRow.risk_flagged,
            SessionRow.facts,
            SessionRow.supervised_by,
        )
        query = _oldest_first_after(select(*columns).where(*selection.where()), after, size)
        found: list[Any] = list((await self.db.execute(query)).all())
        rows = [SessionFacts(*[*r[:-1], _person_ids(r[-1])]) for r in found]  # supervised_by last
        return FactsPage(rows, (rows[-1].started_at, rows[-1].id) if rows else None)

    async def sessions_by_id(self, session_ids: Sequence[str]) -> list[Session]:
        """Whole sessions (state and answers), in the order asked."""
        if not session_ids:
            return []
        rows = (
            await self.db.execute(
                select(SessionRow.id, SessionRow.state).where(SessionRow.id.in_(list(session_ids)))
            )
        ).all()
        by_id = {r.id: Session.model_validate_json(r.state) for r in rows}
        sessions = [by_id[i] for i in session_ids if i in by_id]
        await attach_answers(await self.db.connection(), sessions)
        return sessions

    async def action_statuses(self, action_ids: Sequence[str]) -> dict[str, str]:
        """Each action's status as it stands now (plain columns only, nothing decrypted)."""
        if not action_ids:
            return {}
        rows = await self.db.execute(
            select(ActionRow.id, ActionRow.status).where(ActionRow.id.in_(list(action_ids)))
        )
        return {r.id: r.status for r in rows}

    async def next_supervision(self, owners: Sequence[str], after: datetime) -> date | None:
        """The next supervision day set by a supervision rhythm (`supervise ... every N weeks`)
        for any of these identities: read from the reminders' keys, which end in the day."""
        if not owners:
            return None
        keys = await self.db.scalars(
            select(ReminderRow.dedupe_key)
            .where(
                ReminderRow.owner.in_(list(owners)),
                ReminderRow.kind == "supervision",
                ReminderRow.status == "pending",
                ReminderRow.dedupe_key.is_not(None),
            )
            .order_by(ReminderRow.due_at)
        )
        days = []
        for key in keys:
            try:
                days.append(date.fromisoformat(str(key).rsplit(":", 1)[-1]))
            except ValueError:
                continue
        later = [d for d in days if d >= after.date()]
        return min(later) if later else None

    async def set_facts(
        self, session_id: str, facts: str, supervised_by: Sequence[str] | None = None
    ) -> None:
        """Store a completed session's facts (codes and counts as JSON, never free text) and,
        when given, who supervised the worker then (person ids, never names)."""
        row = await self.db.get(SessionRow, session_id)
        if row is not None:
            row.facts = facts
            if supervised_by is not None:
                row.supervised_by = json.dumps(sorted(set(supervised_by)))

    async def supervised_by(self, session_ids: Sequence[str]) -> dict[str, tuple[str, ...] | None]:
        """Who supervised each session's worker when it completed (person ids); None for a
        session completed before that was stored. Sessions not found are left out."""
        if not session_ids:
            return {}
        rows = await self.db.execute(
            select(SessionRow.id, SessionRow.supervised_by).where(SessionRow.id.in_(list(session_ids)))
        )
        return {r.id: _person_ids(r.supervised_by) for r in rows}

    async def count_group_sessions(self, selection: SessionFilter) -> int:
        query = select(func.count()).select_from(GroupSessionRow).where(*group_where(selection))
        return int(await self.db.scalar(query) or 0)

    async def group_session_page(
        self, selection: SessionFilter, after: tuple[datetime, str] | None, size: int
    ) -> GroupPage:
        """Filed group sessions (facilitated in a channel), oldest first, after `after`."""
        query = select(GroupSessionRow.state, GroupSessionRow.started_at, GroupSessionRow.id).where(
            *group_where(selection)
        )
        if after is not None:
            started, group_id = after
            query = query.where(
                or_(
                    GroupSessionRow.started_at > started,
                    and_(GroupSessionRow.started_at == started, GroupSessionRow.id > group_id),
                )
            )
        query = query.order_by(GroupSessionRow.started_at, GroupSessionRow.id).limit(size)
        rows = (await self.db.execute(query)).all()
        sessions = [GroupSession.model_validate_json(r.state) for r in rows]
        return GroupPage(sessions, (rows[-1].started_at, rows[-1].id) if rows else None)

    async def session_owner(self, session_id: str) -> str | None:
        return await self.db.scalar(select(SessionRow.owner).where(SessionRow.id == session_id))

    async def session_ids_with_prefix(self, prefix: str, owners: Sequence[str], limit: int = 2) -> list[str]:
        query = (
            select(SessionRow.id)
            .where(SessionRow.id.startswith(prefix, autoescape=True), SessionRow.owner.in_(list(owners)))
            .where(SessionRow.status == "complete")
            .limit(limit)
        )
        return list((await self.db.scalars(query)).all())

    async def recent_session_ids(self, owners: Sequence[str], limit: int) -> list[str]:
        query = (
            select(SessionRow.id)
            .where(SessionRow.owner.in_(list(owners)), SessionRow.status == "complete")
            .order_by(SessionRow.started_at.desc(), SessionRow.id.desc())
            .limit(limit)
        )
        return list((await self.db.scalars(query)).all())

    async def session_summaries(
        self, owners: Sequence[str], statuses: Sequence[str], limit: int
    ) -> list[SessionSummary]:
        """These owners' sessions in these statuses, newest first."""
        if not owners:
            return []
        query = (
            select(
                SessionRow.id,
                SessionRow.owner,
                SessionRow.model_id,
                SessionRow.model_version,
                SessionRow.case_ref,
                SessionRow.started_at,
                SessionRow.status,
            )
            .where(SessionRow.owner.in_(list(owners)), SessionRow.status.in_(list(statuses)))
            .order_by(SessionRow.started_at.desc(), SessionRow.id.desc())
            .limit(limit)
        )
        return [SessionSummary(*row) for row in (await self.db.execute(query)).all()]

    async def overdue_actions(
        self, owners: Sequence[str], today: date, limit: int = 200
    ) -> list[tuple[str, ActionItem]]:
        """Open actions of these owners' finished sessions whose due date has passed, oldest
        due first, with the session owner."""
        if not owners:
            return []
        rows = (
            await self.db.scalars(
                select(ActionRow)
                .join(SessionRow, SessionRow.id == ActionRow.session_id)
                .where(
                    ActionRow.owner.in_(list(owners)),
                    ActionRow.status == "open",
                    ActionRow.due < today,
                    SessionRow.status == "complete",
                )
                .order_by(ActionRow.due, ActionRow.id)
                .limit(limit)
            )
        ).all()
        return [
            (
                r.owner,
                ActionItem(
                    id=r.id,
                    case_ref=r.case_ref,
                    what=r.what,
                    who=r.who,
                    due=r.due,
                    due_text=r.due_text,
                    status=r.status,
                    session_id=r.session_id,
                ),
            )
            for r in rows
        ]

    async def last_started(self, owners: Sequence[str], model_ids: Sequence[str]) -> dict[str, datetime]:
        """Each owner's most recent finished session of these models."""
        if not owners or not model_ids:
            return {}
        rows = (
            await self.db.execute(
                select(SessionRow.owner, func.max(SessionRow.started_at))
                .where(
                    SessionRow.owner.in_(list(owners)),
                    SessionRow.model_id.in_(list(model_ids)),
                    SessionRow.status == "complete",
                )
                .group_by(SessionRow.owner)
            )
        ).all()
        return {r[0]: r[1] for r in rows}

    async def supervision_days(self, owners: Sequence[str]) -> list[tuple[str, date]]:
        """Supervision dates set with a cadence (`supervision every N weeks from ...`), read
        from the reminders' plain dedupe keys ("cadence:OWNER:WITH:YYYY-MM-DD")."""
        if not owners:
            return []
        rows = (
            await self.db.execute(
                select(ReminderRow.owner, ReminderRow.dedupe_key).where(
                    ReminderRow.owner.in_(list(owners)),
                    ReminderRow.kind == "supervision",
                    ReminderRow.status != "cancelled",
                    ReminderRow.dedupe_key.startswith("cadence:"),
                )
            )
        ).all()
        found: list[tuple[str, date]] = []
        for owner, key in rows:
            try:
                found.append((owner, date.fromisoformat(str(key).rsplit(":", 1)[-1])))
            except ValueError:
                continue
        return found

    async def sessions_with_signoff(self, owners: Sequence[str], kind: str) -> list[str]:
        """Completed sessions of these owners with at least one sign-off of `kind`, oldest first.

        Candidates only: whether a note still waits for something is decided from its
        sign-offs and versions by `bot.records.signoff.record_status`, the one place that does.
        """
        if not owners:
            return []
        has_it = (
            select(SignoffRow.id)
            .where(SignoffRow.session_id == SessionRow.id, SignoffRow.kind == kind)
            .exists()
        )
        query = (
            select(SessionRow.id)
            .where(SessionRow.owner.in_(list(owners)), SessionRow.status == "complete", has_it)
            .order_by(SessionRow.started_at, SessionRow.id)
        )
        return list((await self.db.scalars(query)).all())

    async def latest_note_versions(self, session_ids: Sequence[str]) -> dict[str, int]:
        """Each session's latest note version (sessions without a note are left out)."""
        if not session_ids:
            return {}
        rows = (
            await self.db.execute(
                select(NoteRow.session_id, func.max(NoteRow.version))
                .where(NoteRow.session_id.in_(list(session_ids)))
                .group_by(NoteRow.session_id)
            )
        ).all()
        return {r[0]: int(r[1]) for r in rows}

    # ------------------------------------------------------------ sign-off and versions

    async def signoffs(self, session_ids: Sequence[str]) -> list[SignoffRecord]:
        if not session_ids:
            return []
        rows = (
            await self.db.scalars(
                select(SignoffRow)
                .where(SignoffRow.session_id.in_(list(session_ids)))
                .order_by(SignoffRow.at, SignoffRow.id)
            )
        ).all()
        return [SignoffRecord(r.session_id, r.note_version, r.kind, r.actor, r.at) for r in rows]

    async def add_signoff(
        self, session_id: str, note_version: int, kind: str, actor: str, at: datetime
    ) -> bool:
        existing = await self.db.scalar(
            select(SignoffRow.id).where(
                SignoffRow.session_id == session_id,
                SignoffRow.note_version == note_version,
                SignoffRow.kind == kind,
            )
        )
        if existing is not None:
            return False
        self.db.add(
            SignoffRow(session_id=session_id, note_version=note_version, kind=kind, actor=actor, at=at)
        )
        await self.db.flush()
        return True

    async def amendments(self, session_ids: Sequence[str]) -> list[AmendmentRecord]:
        if not session_ids:
            return []
        rows = (
            await self.db.scalars(
                select(NoteAmendmentRow)
                .where(NoteAmendmentRow.session_id.in_(list(session_ids)))
                .order_by(NoteAmendmentRow.note_version, NoteAmendmentRow.id)
            )
        ).all()
        return [AmendmentRecord(r.session_id, r.note_version, r.author, r.at, r.text) for r in rows]

    async def add_amendment(
        self, session_id: str, note_version: int, author: str, at: datetime, text: str
    ) -> None:
        self.db.add(
            NoteAmendmentRow(
                session_id=session_id, note_version=note_version, author=author, at=at, text=text
            )
        )
        await self.db.flush()

    async def note_versions(self, session_ids: Sequence[str]) -> list[NoteVersionRecord]:
        """Version metadata only: the markdown stays encrypted and unread."""
        if not session_ids:
            return []
        rows = (
            await self.db.execute(
                select(NoteRow.session_id, NoteRow.version, NoteRow.created_at, NoteRow.created_by)
                .where(NoteRow.session_id.in_(list(session_ids)))
                .order_by(NoteRow.session_id, NoteRow.version)
            )
        ).all()
        return [NoteVersionRecord(r.session_id, r.version, r.created_at, r.created_by) for r in rows]

    async def latest_note_version(self, session_id: str) -> int | None:
        return await self.db.scalar(select(func.max(NoteRow.version)).where(NoteRow.session_id == session_id))


class AuditRepository:
    """The append-only audit trail (`tx.audit`)."""

    def __init__(self, db: AsyncSession) -> None:
        self.db = db

    # ------------------------------------------------------------ audit trail

    async def add_audit(
        self,
        at: datetime,
        actor: str,
        action: str,
        target_kind: str,
        target_id: str | None,
        detail: dict[str, Any],
    ) -> int:
        row = AuditEventRow(
            at=at,
            actor=actor,
            action=action,
            target_kind=target_kind,
            target_id=target_id,
            detail=json.dumps(detail, sort_keys=True, default=str),
        )
        self.db.add(row)
        await self.db.flush()
        return row.id

    async def audit_page(self, after_id: int, size: int) -> list[AuditRecord]:
        rows = (
            await self.db.scalars(
                select(AuditEventRow)
                .where(AuditEventRow.id > after_id)
                .order_by(AuditEventRow.id)
                .limit(size)
            )
        ).all()
        return [
            AuditRecord(r.id, r.at, r.actor, r.action, r.target_kind, r.target_id, json.loads(r.detail))
            for r in rows
        ]

    async def count_audit(self) -> int:
        return int(await self.db.scalar(select(func.count()).select_from(AuditEventRow)) or 0)


async def iterate_audit(
    tx_factory: Callable[[], AbstractAsyncContextManager[TurnTx]], size: int = 500
) -> AsyncIterator[AuditRecord]:
    """Every audit event, oldest first, one short transaction per page (memory stays flat)."""
    after = 0
    while True:
        async with tx_factory() as tx:
            page = await tx.audit.audit_page(after, size)
        if not page:
            return
        for record in page:
            yield record
        after = page[-1].id
