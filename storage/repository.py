"""The only place that reads and writes the database.

The contract, in one style:

- `Store(engine, cipher)` owns the engine; the field cipher is injected (bound to the
  engine), never a process global.
- `Store.turn(key)` opens one transaction for one conversation turn, serialised per
  conversation key (an asyncio lock in this process, an advisory lock on PostgreSQL across
  processes); `Store.read()` opens one that is not. Nothing else opens a transaction.
- The transaction (`TurnTx`) carries one repository per area, each a plain class over its
  session: `tx.sessions` (conversations, sessions, notes, case history, event dedupe: the
  methods of `TurnTx` itself), `tx.people`, `tx.records` (note versions, sign-off,
  amendments, record pages), `tx.audit`, `tx.reminders`, `tx.groups`, `tx.privacy`,
  `tx.teams`, `tx.ai_usage`. Everything a turn changes, in any area, commits together or
  not at all, so a process killed mid-turn leaves the conversation exactly where it was.
- Repositories return plain values (bot.core or frozen dataclasses), never ORM rows.
- Any SQLAlchemy or driver error leaves as `bot.core.errors.StorageError`.
- A session's answers live in their rows only (storage.answers); its state JSON holds the rest.

tests/storage/ runs the whole contract against a SQLite file and a real PostgreSQL.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

from bot.core.session import ActionItem, CaseHistory, Conversation, Hypothesis, Session
from storage.ai_usage import AiUsageRepository
from storage.answers import STATE_EXCLUDES, attach_answers
from storage.crypto import FieldCipher, bind_cipher
from storage.database import storage_errors
from storage.group_repository import GroupRepository
from storage.patterns_repository import PatternsRepository
from storage.privacy_repository import PrivacyRepository
from storage.records_repository import AuditRepository, PeopleRepository, RecordsRepository
from storage.reminders_repository import RemindersRepository
from storage.tables import (
    ActionRow,
    AnswerRow,
    Base,
    ConversationRow,
    HypothesisRow,
    NoteRow,
    ProcessedEventRow,
    SessionRow,
)
from storage.teams_repository import TeamsRepository


@dataclass(frozen=True)
class PausedRow:
    session_id: str
    model_id: str
    model_version: int
    case_ref: str | None
    current_step: str | None
    paused_at: datetime


@dataclass(frozen=True)
class _Snapshot:
    answers: dict[int, bool]  # seq -> superseded
    hypotheses: list[Hypothesis]
    actions: list[ActionItem]

    @classmethod
    def of(cls, session: Session) -> _Snapshot:
        # Items are flat values, so a shallow copy of each is a true copy.
        return cls(
            {a.seq: a.superseded for a in session.answers},
            [h.model_copy() for h in session.hypotheses],
            [a.model_copy() for a in session.actions],
        )


@dataclass(frozen=True)
class StoredNote:
    session_id: str
    version: int
    markdown: str
    created_at: datetime


class Store:
    def __init__(self, engine: AsyncEngine, cipher: FieldCipher | None = None) -> None:
        self.engine = engine
        if cipher is not None:
            bind_cipher(engine, cipher)
        self._sessions = async_sessionmaker(engine, expire_on_commit=False)
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()
        self.is_postgres = engine.dialect.name == "postgresql"
        # SQLite has one writer at a time. Queueing writers here, rather than in SQLite's busy
        # handler (which sleeps and retries), keeps each transaction short under load.
        self._sqlite_writer = asyncio.Lock() if engine.dialect.name == "sqlite" else None

    async def create_all(self) -> None:
        """Create tables directly (tests); deployments use `reflect db upgrade`."""
        async with self.engine.begin() as conn:
            await conn.run_sync(Base.metadata.create_all)

    async def close(self) -> None:
        await self.engine.dispose()

    def _lock(self, key: str) -> asyncio.Lock:
        lock = self._locks.get(key)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[key] = lock
        return lock

    @asynccontextmanager
    async def _writer(self) -> AsyncIterator[None]:
        if self._sqlite_writer is None:
            yield
        else:
            async with self._sqlite_writer:
                yield

    @asynccontextmanager
    async def turn(self, key: str) -> AsyncIterator[TurnTx]:
        with storage_errors():
            async with self._lock(key), self._writer(), self._sessions() as db, db.begin():
                if self.is_postgres:
                    await db.execute(text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": key})
                yield TurnTx(db, self.is_postgres)

    @asynccontextmanager
    async def read(self) -> AsyncIterator[TurnTx]:
        with storage_errors():
            async with self._writer(), self._sessions() as db, db.begin():
                yield TurnTx(db, self.is_postgres)

    async def compact(self) -> None:
        """SQLite keeps deleted values in free pages and the WAL until they are reused: checkpoint
        the WAL into the file, rebuild the file without free pages, and truncate the WAL.
        PostgreSQL reclaims dead rows through (auto)vacuum; see docs/data-protection.md."""
        if self.is_postgres:
            return
        with storage_errors():
            async with self.engine.connect() as conn:
                raw = await conn.get_raw_connection()
                driver: Any = raw.driver_connection
                for statement in (
                    "PRAGMA wal_checkpoint(TRUNCATE)",
                    "VACUUM",
                    "PRAGMA wal_checkpoint(TRUNCATE)",
                ):
                    await (await driver.execute(statement)).close()

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[AsyncConnection]:
        with storage_errors():
            async with self.engine.begin() as conn:
                yield conn


class TurnTx:
    """Reads and writes inside one transaction."""

    def __init__(self, db: AsyncSession, is_postgres: bool) -> None:
        self.db = db
        self.is_postgres = is_postgres
        # What each session held when loaded or last saved in this transaction, so saving
        # writes only what changed since. A snapshot of the parts saving compares, not a deep
        # copy of the whole session (its answers' text never changes once stored).
        self._loaded: dict[str, _Snapshot] = {}

    # ------------------------------------------------------------- one repository per area
    # Each is a plain class over this transaction's session: nothing opens a transaction of
    # its own, so whatever a turn changes, in any area, commits together or not at all.

    @property
    def sessions(self) -> TurnTx:
        """Conversations, sessions (answers in their rows), notes, case history, dedupe: the
        methods of this class itself, kept here because every turn uses them."""
        return self

    @property
    def people(self) -> PeopleRepository:
        return PeopleRepository(self.db)

    @property
    def records(self) -> RecordsRepository:
        return RecordsRepository(self.db)

    @property
    def audit(self) -> AuditRepository:
        return AuditRepository(self.db)

    @property
    def reminders(self) -> RemindersRepository:
        return RemindersRepository(self.db, self.is_postgres)

    @property
    def patterns(self) -> PatternsRepository:
        return PatternsRepository(self.db)

    @property
    def groups(self) -> GroupRepository:
        return GroupRepository(self.db)

    @property
    def privacy(self) -> PrivacyRepository:
        return PrivacyRepository(self.db)

    @property
    def teams(self) -> TeamsRepository:
        return TeamsRepository(self.db, self.is_postgres)

    @property
    def ai_usage(self) -> AiUsageRepository:
        return AiUsageRepository(self.db)

    # ------------------------------------------------------------- de-duplication

    async def claim_event(self, event_key: str, now: datetime) -> bool:
        """Record a platform delivery; False when it was already processed."""
        insert = pg_insert if self.is_postgres else sqlite_insert
        statement = (
            insert(ProcessedEventRow)
            .values(event_key=event_key, processed_at=now)
            .on_conflict_do_nothing(index_elements=["event_key"])
            .returning(ProcessedEventRow.event_key)
        )
        # RETURNING yields the row only when it was inserted (rowcount is unreliable here).
        return (await self.db.execute(statement)).first() is not None

    # ------------------------------------------------------------- loading

    async def load_conversation(self, key: str) -> Conversation | None:
        row = await self.db.get(ConversationRow, key)
        return Conversation.model_validate_json(row.state) if row else None

    async def load_session(self, session_id: str) -> Session | None:
        row = await self.db.get(SessionRow, session_id)
        if row is None:
            return None
        session = Session.model_validate_json(row.state)
        await attach_answers(self.db, [session])
        self._loaded[session_id] = _Snapshot.of(session)
        return session

    async def paused_sessions(self, owner: str) -> list[PausedRow]:
        rows = await self.db.execute(
            select(
                SessionRow.id,
                SessionRow.model_id,
                SessionRow.model_version,
                SessionRow.case_ref,
                SessionRow.current_step,
                SessionRow.paused_at,
                SessionRow.updated_at,
            )
            .where(SessionRow.owner == owner, SessionRow.status == "paused")
            .order_by(SessionRow.updated_at.desc())
        )
        return [
            PausedRow(
                r.id, r.model_id, r.model_version, r.case_ref, r.current_step, r.paused_at or r.updated_at
            )
            for r in rows
        ]

    async def case_history(self, owner: str, case_ref: str, exclude_session: str | None) -> CaseHistory:
        """What this worker's completed sessions on the case carried forward."""
        done = select(SessionRow.id).where(
            SessionRow.owner == owner, SessionRow.case_ref == case_ref, SessionRow.status == "complete"
        )
        if exclude_session:
            done = done.where(SessionRow.id != exclude_session)
        hypotheses = (
            await self.db.scalars(
                select(HypothesisRow)
                .where(HypothesisRow.session_id.in_(done), HypothesisRow.status != "set_aside")
                .order_by(HypothesisRow.updated_at, HypothesisRow.id)
            )
        ).all()
        actions = (
            await self.db.scalars(
                select(ActionRow)
                .where(ActionRow.session_id.in_(done), ActionRow.status == "open")
                .order_by(ActionRow.updated_at, ActionRow.id)
            )
        ).all()
        last = await self.db.scalar(select(func.max(SessionRow.ended_at)).where(SessionRow.id.in_(done)))
        return CaseHistory(
            case_ref=case_ref,
            last_session_at=last,
            hypotheses=[_hypothesis(h) for h in hypotheses],
            actions=[_action(a) for a in actions],
        )

    # ------------------------------------------------------------- saving

    async def save_conversation(self, conversation: Conversation, now: datetime) -> None:
        row = await self.db.get(ConversationRow, conversation.key)
        state = conversation.model_dump_json()
        if row is None:
            self.db.add(ConversationRow(key=conversation.key, state=state, updated_at=now))
        else:
            row.state, row.updated_at = state, now

    async def save_session(self, session: Session) -> None:
        row = await self.db.get(SessionRow, session.id)
        if row is None:
            row = SessionRow(id=session.id)
            self.db.add(row)
        row.owner = session.owner
        row.platform = session.platform
        row.model_id = session.model_id
        row.model_version = session.model_version
        row.case_ref = session.case_ref
        row.status = session.status
        row.current_step = session.cursor.step_id if session.cursor else None
        row.started_at = session.started_at
        row.updated_at = session.updated_at
        row.paused_at = session.paused_at
        row.ended_at = session.ended_at
        row.share_feelings = session.share_feelings
        row.risk_flagged = session.risk_flagged
        row.state = session.model_dump_json(exclude=STATE_EXCLUDES)  # answers live in their rows
        await self.db.flush()
        before = self._loaded.get(session.id)
        await self._save_answers(session, before)
        if before is None or before.hypotheses != session.hypotheses or session.status == "complete":
            await self._save_hypotheses(session)
        if before is None or before.actions != session.actions or session.status == "complete":
            await self._save_actions(session)
        self._loaded[session.id] = _Snapshot.of(session)

    async def _save_answers(self, session: Session, before: _Snapshot | None) -> None:
        """Insert new answers and flag replaced ones; answers are never rewritten."""
        if before is None:
            rows = await self.db.execute(
                select(AnswerRow.seq, AnswerRow.superseded).where(AnswerRow.session_id == session.id)
            )
            stored = {seq: superseded for seq, superseded in rows}
        else:
            stored = before.answers
        for answer in session.answers:
            if answer.seq not in stored:
                self.db.add(
                    AnswerRow(
                        session_id=session.id,
                        seq=answer.seq,
                        step_id=answer.step_id,
                        lens=answer.lens,
                        category=answer.category,
                        text=answer.text,
                        at=answer.at,
                        followup=answer.followup,
                        item_id=answer.item_id,
                        field=answer.field,
                        private=answer.private,
                        superseded=answer.superseded,
                    )
                )
            elif stored[answer.seq] != answer.superseded:
                await self.db.execute(
                    update(AnswerRow)
                    .where(AnswerRow.session_id == session.id, AnswerRow.seq == answer.seq)
                    .values(superseded=answer.superseded)
                )

    async def _sync_items(
        self,
        session: Session,
        table: type[HypothesisRow] | type[ActionRow],
        items: Sequence[Hypothesis] | Sequence[ActionItem],
        columns: tuple[str, ...],
        review: Mapping[str, str],
    ) -> None:
        """Mirror a session's structured items into their table; once the session completes,
        apply its review of items carried forward from earlier sessions."""
        keep = {item.id for item in items}
        await self.db.execute(delete(table).where(table.session_id == session.id, table.id.not_in(keep)))
        for item in items:
            row: HypothesisRow | ActionRow | None = await self.db.get(table, item.id)
            if row is None:
                row = table(id=item.id, owner=session.owner, session_id=session.id)
                self.db.add(row)
            row.case_ref = session.case_ref
            row.updated_at = session.updated_at
            for column in columns:
                setattr(row, column, getattr(item, column))
        if session.status == "complete":
            for item_id, status in review.items():
                await self.db.execute(
                    update(table)
                    .where(table.id == item_id, table.owner == session.owner)
                    .values(status=status, updated_at=session.updated_at)
                )

    async def _save_hypotheses(self, session: Session) -> None:
        columns = ("statement", "evidence_for", "evidence_against", "status")
        await self._sync_items(
            session, HypothesisRow, session.hypotheses, columns, session.hypothesis_updates
        )

    async def _save_actions(self, session: Session) -> None:
        columns = ("what", "who", "due", "due_text", "status")
        await self._sync_items(session, ActionRow, session.actions, columns, session.action_updates)

    async def save_note(self, session_id: str, markdown: str, created_by: str, now: datetime) -> int:
        latest = await self.db.scalar(
            select(func.max(NoteRow.version)).where(NoteRow.session_id == session_id)
        )
        version = (latest or 0) + 1
        self.db.add(
            NoteRow(
                session_id=session_id,
                version=version,
                markdown=markdown,
                created_at=now,
                created_by=created_by,
            )
        )
        return version

    # ------------------------------------------------------------- queries for records and home

    async def latest_note(self, session_id: str) -> StoredNote | None:
        row = await self.db.scalar(
            select(NoteRow).where(NoteRow.session_id == session_id).order_by(NoteRow.version.desc()).limit(1)
        )
        return StoredNote(row.session_id, row.version, row.markdown, row.created_at) if row else None

    async def sessions_for(
        self,
        owners: Sequence[str] | None = None,
        case_ref: str | None = None,
        statuses: Sequence[str] = ("complete",),
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int | None = None,
    ) -> list[Session]:
        query = select(SessionRow.state).where(SessionRow.status.in_(statuses))
        if owners is not None:
            query = query.where(SessionRow.owner.in_(owners))
        if case_ref is not None:
            query = query.where(SessionRow.case_ref == case_ref)
        if since is not None:
            query = query.where(SessionRow.started_at >= since)
        if until is not None:
            query = query.where(SessionRow.started_at < until)
        query = query.order_by(SessionRow.started_at.desc())
        if limit is not None:
            query = query.limit(limit)
        sessions = [Session.model_validate_json(state) for state in (await self.db.scalars(query)).all()]
        await attach_answers(self.db, sessions)
        return sessions

    async def open_actions(self, owner: str, limit: int = 20) -> list[ActionItem]:
        rows = (
            await self.db.scalars(
                select(ActionRow)
                .join(SessionRow, SessionRow.id == ActionRow.session_id)
                .where(ActionRow.owner == owner, ActionRow.status == "open", SessionRow.status == "complete")
                .order_by(ActionRow.due.is_(None), ActionRow.due, ActionRow.updated_at)
                .limit(limit)
            )
        ).all()
        return [_action(r) for r in rows]

    async def current_hypotheses(self, owner: str, limit: int = 30) -> list[Hypothesis]:
        rows = (
            await self.db.scalars(
                select(HypothesisRow)
                .join(SessionRow, SessionRow.id == HypothesisRow.session_id)
                .where(
                    HypothesisRow.owner == owner,
                    HypothesisRow.status != "set_aside",
                    SessionRow.status == "complete",
                )
                .order_by(HypothesisRow.case_ref, HypothesisRow.updated_at.desc())
                .limit(limit)
            )
        ).all()
        return [_hypothesis(r) for r in rows]


def _hypothesis(row: HypothesisRow) -> Hypothesis:
    return Hypothesis(
        id=row.id,
        case_ref=row.case_ref,
        statement=row.statement,
        evidence_for=row.evidence_for,
        evidence_against=row.evidence_against,
        status=row.status,
        session_id=row.session_id,
    )


def _action(row: ActionRow) -> ActionItem:
    return ActionItem(
        id=row.id,
        case_ref=row.case_ref,
        what=row.what,
        who=row.who,
        due=row.due,
        due_text=row.due_text,
        status=row.status,
        session_id=row.session_id,
    )
