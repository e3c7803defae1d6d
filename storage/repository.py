"""The only place that reads and writes the database.

The contract, in one style:

- `Store(engine, cipher)` owns the engine; the field cipher is injected (bound to the
  engine), never a process global.
- `Store.turn(key)` opens one transaction for one conversation turn, serialised per
  conversation key (an asyncio lock in this process, an advisory lock on PostgreSQL across
  processes); `Store.read()` opens one that is not, and `Store.write()` a short one on a plain
  connection for the inbox and outbox (accepting an event before its ack, marking a reply
  sent). Nothing else opens a transaction.
- The transaction (`TurnTx`) carries one repository per area, each a plain class over its
  session: `tx.sessions` (conversations, sessions, notes, case history: the methods of
  `TurnTx` itself), `tx.inbox` and `tx.outbox` (events deduplicated by their inbox row,
  replies waiting to be sent: storage.inbox_repository), `tx.people`, `tx.records` (note
  versions, sign-off, amendments, record pages), `tx.audit`, `tx.reminders`, `tx.groups`,
  `tx.privacy`, `tx.teams`, `tx.ai_usage`. Everything a turn changes, in any area, commits together or
  not at all, so a process killed mid-turn leaves the conversation exactly where it was.
- Repositories return plain values (bot.core or frozen dataclasses), never ORM rows.
- Any SQLAlchemy or driver error leaves as `bot.core.errors.StorageError`.
- A session's answers live in their rows only (storage.answers); its state JSON holds the rest.
  A process keeps the sessions it last committed (`SessionCache`), checked against the row's
  revision in every transaction that uses one.

tests/storage/ runs the whole contract against a SQLite file and a real PostgreSQL.
"""

from __future__ import annotations

import asyncio
import weakref
from collections import OrderedDict
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from bot.core.session import ActionItem, Answer, CaseHistory, Conversation, Hypothesis, Session
from storage.ai_usage import AiUsageRepository
from storage.answers import STATE_EXCLUDES, attach_answers
from storage.crypto import FieldCipher, bind_cipher
from storage.database import CoreConnection, storage_errors
from storage.group_repository import GroupRepository
from storage.inbox_repository import InboxRepository, OutboxRepository
from storage.patterns_repository import PatternsRepository
from storage.privacy_repository import PrivacyRepository
from storage.records_repository import AuditRepository, PeopleRepository, RecordsRepository
from storage.reminders_repository import RemindersRepository
from storage.statements import upsert
from storage.tables import (
    ActionRow,
    AnswerRow,
    Base,
    ConversationRow,
    HypothesisRow,
    NoteRow,
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


# ----------------------------------------------------------------- prepared statements
# Statements every turn runs are built once, with bound parameters: SQLAlchemy then finds
# their compiled form by a cache key computed once per statement, not once per execution.
# An INSERT or UPDATE without values() takes its columns from the parameters it is given.


_SESSION_COLUMNS = (
    "owner",
    "platform",
    "model_id",
    "model_version",
    "case_ref",
    "status",
    "current_step",
    "started_at",
    "updated_at",
    "paused_at",
    "ended_at",
    "share_feelings",
    "risk_flagged",
    "state",
)
_ITEM_BASE = ("id", "owner", "session_id", "case_ref", "updated_at")
_HYPOTHESIS_COLUMNS = ("statement", "evidence_for", "evidence_against", "status")
_ACTION_COLUMNS = ("what", "who", "due", "due_text", "status")

# One lane's turns run one at a time across processes (held until the transaction ends).
_LANE_LOCK = text("SELECT pg_advisory_xact_lock(hashtext(:k))")
_LOAD_CONVERSATION = select(ConversationRow.state, ConversationRow.updated_at).where(
    ConversationRow.key == bindparam("b_key")
)
# A conversation whose state a turn left as it was is written again only this long after its
# last write: its updated_at is what retention reads, and days matter there, not minutes.
CONVERSATION_TOUCH = timedelta(hours=1)
_LOAD_SESSION = select(SessionRow.state, SessionRow.revision).where(SessionRow.id == bindparam("b_id"))
_REVISION = select(SessionRow.revision).where(SessionRow.id == bindparam("b_id"))
_PAUSED = (
    select(
        SessionRow.id,
        SessionRow.model_id,
        SessionRow.model_version,
        SessionRow.case_ref,
        SessionRow.current_step,
        SessionRow.paused_at,
        SessionRow.updated_at,
    )
    .where(SessionRow.owner == bindparam("b_owner"), SessionRow.status == "paused")
    .order_by(SessionRow.updated_at.desc())
)
_UPDATE_SESSION = (
    update(SessionRow)
    .where(SessionRow.id == bindparam("b_id"))
    .values(revision=SessionRow.revision + 1)
    .returning(SessionRow.revision)
)
_INSERT_ANSWERS = insert(AnswerRow)
_STORED_ANSWERS = select(AnswerRow.seq, AnswerRow.superseded).where(AnswerRow.session_id == bindparam("b_id"))
_SUPERSEDE = (
    update(AnswerRow)
    .where(AnswerRow.session_id == bindparam("b_id"), AnswerRow.seq == bindparam("b_seq"))
    .values(superseded=bindparam("b_superseded"))
)
# Per backend (False: SQLite, True: PostgreSQL).
_SAVE_CONVERSATION = {
    pg: upsert(ConversationRow, "key", ("key", "state", "updated_at"), pg) for pg in (False, True)
}
_SAVE_SESSION = {
    pg: upsert(SessionRow, "id", _SESSION_COLUMNS, pg, bump="revision").returning(SessionRow.revision)
    for pg in (False, True)
}
# A session's items no longer among its own (built once: expanding, so any number of ids).
_DROP_ITEMS = {
    table: delete(table).where(
        table.session_id == bindparam("b_session"), table.id.not_in(bindparam("b_keep", expanding=True))
    )
    for table in (HypothesisRow, ActionRow)
}
_SAVE_ITEM = {
    (table, pg): upsert(table, "id", _ITEM_BASE + columns, pg, keep=("owner", "session_id"))
    for table, columns in ((HypothesisRow, _HYPOTHESIS_COLUMNS), (ActionRow, _ACTION_COLUMNS))
    for pg in (False, True)
}


@dataclass(frozen=True)
class _Cached:
    revision: int
    state: str  # the session's state JSON as saved (answers excluded)
    answers: tuple[Answer, ...]  # frozen values, shared with the turns that load the session


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


class SessionCache:
    """Sessions as this process last committed them, so the next turn of a conversation
    neither reads nor decrypts every answer again (that was a sixth of a turn, growing with
    each answer). A hit is checked against the row's revision inside the turn's transaction,
    under the lane's lock, so another process's save, an erasure or a purge is never hidden;
    a turn's saves reach the cache only once it has committed. Bounded, oldest out first."""

    def __init__(self, size: int = 1024) -> None:
        self.size = size
        self._entries: OrderedDict[str, _Cached] = OrderedDict()

    def get(self, session_id: str) -> _Cached | None:
        return self._entries.get(session_id)

    def committed(self, saved: Mapping[str, _Cached], forgotten: Sequence[str]) -> None:
        for session_id in forgotten:
            self._entries.pop(session_id, None)
        for session_id, cached in saved.items():
            self._entries[session_id] = cached
            self._entries.move_to_end(session_id)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)


class Store:
    def __init__(self, engine: AsyncEngine, cipher: FieldCipher | None = None) -> None:
        self.engine = engine
        self.sessions_cache = SessionCache()
        if cipher is not None:
            bind_cipher(engine, cipher)
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()
        self.is_postgres = engine.dialect.name == "postgresql"
        # SQLite has one writer at a time. Queueing writers here, rather than in SQLite's busy
        # handler (which sleeps and retries), keeps each transaction short under load.
        self._sqlite_writer = asyncio.Lock() if engine.dialect.name == "sqlite" else None
        # SQLite: the connection this process writes on, kept between transactions. Writers
        # take turns on the lock above, so one is enough, and taking a connection from the
        # pool and giving it back cost more than a turn's own begin and commit.
        self._held: AsyncConnection | None = None

    async def create_all(self) -> None:
        """Create tables directly (tests); deployments use `reflect db upgrade`."""
        async with self.engine.begin() as conn:
            await conn.run_sync(Base.metadata.create_all)

    async def close(self) -> None:
        if self._held is not None:
            held, self._held = self._held, None
            await held.close()
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
    async def _transaction(self) -> AsyncIterator[AsyncConnection]:
        """One transaction's connection, taken inside `_writer()`: on PostgreSQL one from the
        pool; on SQLite the held one (opened again if it was closed or lost), begun and
        committed on SQLAlchemy's synchronous connection, since nothing there waits
        (storage.database.InlineConnection) and the async API's greenlets cost more than
        SQLite's own begin and commit."""
        if self._sqlite_writer is None:
            async with self.engine.connect() as conn, conn.begin():
                yield conn
            return
        held = self._held
        if held is None or held.closed or held.invalidated:
            held = self._held = await self.engine.connect()
        with held.sync_connection.begin():  # type: ignore[union-attr]
            yield held

    @asynccontextmanager
    async def turn(self, key: str) -> AsyncIterator[TurnTx]:
        with storage_errors():
            async with self._lock(key), self._writer(), self._transaction() as conn:
                if self.is_postgres:
                    await conn.execute(_LANE_LOCK, {"k": key})
                async with TurnTx(conn, self.is_postgres, self.sessions_cache) as tx:
                    yield tx
            self.sessions_cache.committed(tx.saved, tx.forgotten)

    @asynccontextmanager
    async def read(self) -> AsyncIterator[TurnTx]:
        with storage_errors():
            async with (
                self._writer(),
                self._transaction() as conn,
                TurnTx(conn, self.is_postgres, self.sessions_cache) as tx,
            ):
                yield tx
            self.sessions_cache.committed(tx.saved, tx.forgotten)

    @asynccontextmanager
    async def write(self) -> AsyncIterator[WriteTx]:
        """One short transaction of Core statements on a connection, without an ORM session
        (the inbox insert before an ack, a reply marked sent): what `read` does, for less."""
        with storage_errors():
            async with self._writer(), self._transaction() as conn:
                yield WriteTx(conn, self.is_postgres)

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


class WriteTx:
    """A transaction on one connection, with the inbox and outbox: `Store.write()`'s short
    ones for them alone, and every turn's (`TurnTx`, which adds the other areas)."""

    def __init__(self, connection: AsyncConnection, is_postgres: bool) -> None:
        self.connection = connection
        self.is_postgres = is_postgres
        self._core = CoreConnection(connection)

    async def core(self) -> CoreConnection:
        return self._core

    @property
    def inbox(self) -> InboxRepository:
        return InboxRepository(self)

    @property
    def outbox(self) -> OutboxRepository:
        return OutboxRepository(self)


class TurnTx(WriteTx):
    """Reads and writes inside one transaction, on one connection. The ORM session the other
    repositories use is made the first time one asks for it, joined to this transaction (most
    turns need none: their statements are Core), and flushed before the commit."""

    def __init__(
        self, connection: AsyncConnection, is_postgres: bool, cache: SessionCache | None = None
    ) -> None:
        super().__init__(connection, is_postgres)
        self._db: AsyncSession | None = None
        self.cache = cache or SessionCache(0)
        self.saved: dict[str, _Cached] = {}  # for the cache, once this transaction commits
        self._conversations: dict[str, tuple[str, datetime]] = {}  # as loaded: state, updated_at
        self.forgotten: list[str] = []  # erased or purged here: out of the cache on commit
        # What each session held when loaded or last saved in this transaction, so saving
        # writes only what changed since. A snapshot of the parts saving compares, not a deep
        # copy of the whole session (its answers' text never changes once stored).
        self._loaded: dict[str, _Snapshot] = {}

    @property
    def db(self) -> AsyncSession:
        if self._db is None:
            # Joined to the transaction `Store` began on the connection: the session never
            # commits or ends it; `__aexit__` flushes what it holds before `Store` commits.
            self._db = AsyncSession(bind=self.connection, expire_on_commit=False, autoflush=True)
        return self._db

    async def __aenter__(self) -> TurnTx:
        return self

    async def __aexit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if self._db is None:
            return
        try:
            if kind is None:
                await self._db.flush()
        finally:
            await self._db.close()

    # ------------------------------------------------------------- one repository per area
    # Each is a plain class over this transaction's session: nothing opens a transaction of
    # its own, so whatever a turn changes, in any area, commits together or not at all.

    @property
    def sessions(self) -> TurnTx:
        """Conversations, sessions (answers in their rows), notes, case history: the methods of
        this class itself, kept here because every turn uses them. (Deliveries are deduplicated
        by their inbox row: `inbox`.)"""
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
        return PrivacyRepository(self.db, forget=self.forgotten.extend)

    @property
    def teams(self) -> TeamsRepository:
        return TeamsRepository(self)

    @property
    def ai_usage(self) -> AiUsageRepository:
        return AiUsageRepository(self.db)

    # ------------------------------------------------------------- Core on the hot path
    # Every turn loads and saves a conversation and a session: those statements go to the
    # transaction's connection as Core, past the ORM's identity map and unit of work (which
    # would re-read each row before updating it). Rows other repositories added through the
    # ORM are flushed first, so the order of writes is kept.

    async def core(self) -> CoreConnection:
        """This transaction's connection, for Core statements (ORM rows added first are flushed)."""
        db = self._db
        if db is not None and (db.new or db.dirty or db.deleted):
            await db.flush()
        return self._core

    # ------------------------------------------------------------- loading

    async def load_conversation(self, key: str) -> Conversation | None:
        connection = await self.core()
        row = (await connection.execute(_LOAD_CONVERSATION, {"b_key": key})).first()
        if row is None:
            return None
        self._conversations[key] = (row.state, row.updated_at)
        return Conversation.model_validate_json(row.state)

    async def load_session(self, session_id: str) -> Session | None:
        connection = await self.core()
        cached = self.cache.get(session_id)
        if cached is not None:
            revision = (await connection.execute(_REVISION, {"b_id": session_id})).scalar()
            if revision == cached.revision:
                session = Session.model_validate_json(cached.state)
                session.answers = list(cached.answers)  # frozen: shared, not copied
                self._loaded[session_id] = _Snapshot.of(session)
                return session
        row = (await connection.execute(_LOAD_SESSION, {"b_id": session_id})).first()
        if row is None:
            return None
        session = Session.model_validate_json(row.state)
        await attach_answers(connection, [session])
        self._loaded[session_id] = _Snapshot.of(session)
        return session

    async def paused_sessions(self, owner: str) -> list[PausedRow]:
        connection = await self.core()
        rows = await connection.execute(_PAUSED, {"b_owner": owner})
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
        """One statement: insert, or update the row already there; none when the turn left it
        as it was loaded and it was written within the last CONVERSATION_TOUCH."""
        state = conversation.model_dump_json()
        loaded = self._conversations.get(conversation.key)
        if loaded is not None and loaded[0] == state and now - _utc(loaded[1]) < CONVERSATION_TOUCH:
            return
        connection = await self.core()
        values = {"key": conversation.key, "state": state, "updated_at": now}
        await connection.execute(_SAVE_CONVERSATION[self.is_postgres], values)
        self._conversations[conversation.key] = (state, now)

    async def save_session(self, session: Session) -> None:
        """The session's row in one statement (an update when it was loaded or saved in this
        transaction, else an upsert), then only the answers and items that changed."""
        connection = await self.core()
        before = self._loaded.get(session.id)
        values: dict[str, Any] = {
            "owner": session.owner,
            "platform": session.platform,
            "model_id": session.model_id,
            "model_version": session.model_version,
            "case_ref": session.case_ref,
            "status": session.status,
            "current_step": session.cursor.step_id if session.cursor else None,
            "started_at": session.started_at,
            "updated_at": session.updated_at,
            "paused_at": session.paused_at,
            "ended_at": session.ended_at,
            "share_feelings": session.share_feelings,
            "risk_flagged": session.risk_flagged,
            "state": session.model_dump_json(exclude=STATE_EXCLUDES),  # answers live in their rows
        }
        if before is not None:
            revision = (await connection.execute(_UPDATE_SESSION, {"b_id": session.id, **values})).scalar()
        else:
            saving = {"id": session.id, "revision": 1, **values}
            revision = (await connection.execute(_SAVE_SESSION[self.is_postgres], saving)).scalar()
        await self._save_answers(connection, session, before)
        if before is None or before.hypotheses != session.hypotheses or session.status == "complete":
            await self._save_hypotheses(connection, session)
        if before is None or before.actions != session.actions or session.status == "complete":
            await self._save_actions(connection, session)
        self._loaded[session.id] = _Snapshot.of(session)
        if revision is not None:
            self.saved[session.id] = _Cached(int(revision), values["state"], tuple(session.answers))

    async def _save_answers(
        self, connection: CoreConnection, session: Session, before: _Snapshot | None
    ) -> None:
        """Insert new answers and flag replaced ones; answers are never rewritten."""
        if before is None:
            rows = await connection.execute(_STORED_ANSWERS, {"b_id": session.id})
            stored = {row.seq: row.superseded for row in rows}
        else:
            stored = before.answers
        new = [
            {
                "session_id": session.id,
                "seq": answer.seq,
                "step_id": answer.step_id,
                "lens": answer.lens,
                "category": answer.category,
                "text": answer.text,
                "at": answer.at,
                "followup": answer.followup,
                "item_id": answer.item_id,
                "field": answer.field,
                "private": answer.private,
                "superseded": answer.superseded,
            }
            for answer in session.answers
            if answer.seq not in stored
        ]
        if new:
            await connection.execute(_INSERT_ANSWERS, new)
        changed = [
            {"b_id": session.id, "b_seq": answer.seq, "b_superseded": answer.superseded}
            for answer in session.answers
            if answer.seq in stored and stored[answer.seq] != answer.superseded
        ]
        if changed:
            await connection.execute(_SUPERSEDE, changed)

    async def _sync_items(
        self,
        connection: CoreConnection,
        session: Session,
        table: type[HypothesisRow] | type[ActionRow],
        items: Sequence[Hypothesis] | Sequence[ActionItem],
        columns: tuple[str, ...],
        review: Mapping[str, str],
    ) -> None:
        """Mirror a session's structured items into their table; once the session completes,
        apply its review of items carried forward from earlier sessions."""
        keep = sorted({item.id for item in items})
        await connection.execute(_DROP_ITEMS[table], {"b_session": session.id, "b_keep": keep})
        for item in items:
            values = {
                "id": item.id,
                "owner": session.owner,
                "session_id": session.id,
                "case_ref": session.case_ref,
                "updated_at": session.updated_at,
                **{column: getattr(item, column) for column in columns},
            }
            # An item carried forward keeps the session and owner it was first written in.
            await connection.execute(_SAVE_ITEM[table, self.is_postgres], values)
        if session.status == "complete":
            for item_id, status in review.items():
                await connection.execute(
                    update(table)
                    .where(table.id == item_id, table.owner == session.owner)
                    .values(status=status, updated_at=session.updated_at)
                )

    async def _save_hypotheses(self, connection: CoreConnection, session: Session) -> None:
        await self._sync_items(
            connection,
            session,
            HypothesisRow,
            session.hypotheses,
            _HYPOTHESIS_COLUMNS,
            session.hypothesis_updates,
        )

    async def _save_actions(self, connection: CoreConnection, session: Session) -> None:
        await self._sync_items(
            connection, session, ActionRow, session.actions, _ACTION_COLUMNS, session.action_updates
        )

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
        await attach_answers(await self.core(), sessions)
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
