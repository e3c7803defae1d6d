"""SQLAlchemy 2.0 tables. Free text is encrypted at rest through `EncryptedText`."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    event,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import DeclarativeBase, Mapped, ORMExecuteState, mapped_column
from sqlalchemy.orm import Session as OrmSession

from bot.core.errors import AppendOnlyViolation, StorageError
from storage.crypto import cipher_of


class EncryptedText(TypeDecorator[str]):
    """Text encrypted with the cipher bound to the engine (storage.crypto.bind_cipher)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Any) -> str | None:
        return None if value is None else cipher_of(dialect).encrypt(value)

    def process_result_value(self, value: str | None, dialect: Any) -> str | None:
        return None if value is None else cipher_of(dialect).decrypt(value)


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite drops the offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise StorageError("naive datetimes are not stored; use UTC")
        return value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    pass


class ConversationRow(Base):
    __tablename__ = "conversations"

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    state: Mapped[str] = mapped_column(Text)  # control state only: no free text
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class SessionRow(Base):
    __tablename__ = "sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    owner: Mapped[str] = mapped_column(String(300), index=True)
    platform: Mapped[str] = mapped_column(String(20))
    model_id: Mapped[str] = mapped_column(String(64))
    model_version: Mapped[int] = mapped_column(Integer)
    case_ref: Mapped[str | None] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    current_step: Mapped[str | None] = mapped_column(String(64))
    started_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    paused_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    share_feelings: Mapped[bool] = mapped_column(Boolean, default=False)
    risk_flagged: Mapped[bool] = mapped_column(Boolean, default=False)
    state: Mapped[str] = mapped_column(EncryptedText())  # the engine's whole session, JSON
    # Set when the session completes: its quality indicators, visit type and item counts as
    # JSON of codes and numbers (no free text, so not encrypted); a CSV export reads only these.
    facts: Mapped[str | None] = mapped_column(Text(), nullable=True)
    # One more at every save, so a process's cached copy of the session (storage.repository's
    # SessionCache) is used only while it is still the stored one.
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Set when the session completes: who supervised the worker then, as a JSON array of
    # person ids (never names, which stay in the encrypted people rows); NULL before 0190.
    supervised_by: Mapped[str | None] = mapped_column(Text(), nullable=True)

    __table_args__ = (
        Index("ix_sessions_owner_status", "owner", "status"),
        Index("ix_sessions_owner_started", "owner", "started_at", "id"),  # exports, oldest first
    )


class AnswerRow(Base):
    __tablename__ = "answers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    step_id: Mapped[str] = mapped_column(String(64))
    lens: Mapped[str] = mapped_column(String(32))
    category: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(EncryptedText())
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    followup: Mapped[str | None] = mapped_column(String(64))
    item_id: Mapped[str | None] = mapped_column(String(96))
    field: Mapped[str | None] = mapped_column(String(32))
    private: Mapped[bool] = mapped_column(Boolean, default=False)
    superseded: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (UniqueConstraint("session_id", "seq", name="uq_answers_session_seq"),)


class HypothesisRow(Base):
    __tablename__ = "hypotheses"

    id: Mapped[str] = mapped_column(String(96), primary_key=True)
    owner: Mapped[str] = mapped_column(String(300), index=True)
    case_ref: Mapped[str | None] = mapped_column(String(64), index=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    statement: Mapped[str] = mapped_column(EncryptedText())
    evidence_for: Mapped[str | None] = mapped_column(EncryptedText())
    evidence_against: Mapped[str | None] = mapped_column(EncryptedText())
    status: Mapped[str] = mapped_column(String(20))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ActionRow(Base):
    __tablename__ = "actions"

    id: Mapped[str] = mapped_column(String(96), primary_key=True)
    owner: Mapped[str] = mapped_column(String(300), index=True)
    case_ref: Mapped[str | None] = mapped_column(String(64), index=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    what: Mapped[str] = mapped_column(EncryptedText())
    who: Mapped[str | None] = mapped_column(EncryptedText())
    due: Mapped[date | None] = mapped_column(Date)
    due_text: Mapped[str | None] = mapped_column(EncryptedText())
    status: Mapped[str] = mapped_column(String(20))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class NoteRow(Base):
    """A compiled note. Never edited: a change is a new version."""

    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    markdown: Mapped[str] = mapped_column(EncryptedText())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    created_by: Mapped[str] = mapped_column(String(300))

    __table_args__ = (UniqueConstraint("session_id", "version", name="uq_notes_session_version"),)


class ProcessedEventRow(Base):
    """Platform deliveries already handled, so a retried or duplicated one is done once."""

    __tablename__ = "processed_events"

    event_key: Mapped[str] = mapped_column(String(300), primary_key=True)
    processed_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)


# ----------------------------------------------------------------- people, sign-off and audit
# Supervision files (issue 5). Names and free text are encrypted; ids stay plain so access
# checks and joins can use them. The people tables map platform identities (the same
# "platform:workspace:user" strings as sessions.owner) to a person, teams and roles.


class PersonRow(Base):
    __tablename__ = "people"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # chosen by an admin, e.g. "worker-a"
    display_name: Mapped[str] = mapped_column(EncryptedText())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    created_by: Mapped[str] = mapped_column(String(300))


class IdentityRow(Base):
    """One chat identity of a person: Slack, Teams or console user ids map here."""

    __tablename__ = "identities"

    owner: Mapped[str] = mapped_column(String(300), primary_key=True)  # as sessions.owner
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    platform: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class TeamRow(Base):
    __tablename__ = "teams"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # a short handle, e.g. "harbour"
    name: Mapped[str] = mapped_column(EncryptedText())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    created_by: Mapped[str] = mapped_column(String(300))


class TeamMemberRow(Base):
    __tablename__ = "team_members"

    team_id: Mapped[str] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True)
    person_id: Mapped[str] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    added_at: Mapped[datetime] = mapped_column(UtcDateTime())
    added_by: Mapped[str] = mapped_column(String(300))


class PersonRoleRow(Base):
    """practitioner, supervisor or admin; a person may hold several."""

    __tablename__ = "person_roles"

    person_id: Mapped[str] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(20), primary_key=True)
    granted_at: Mapped[datetime] = mapped_column(UtcDateTime())
    granted_by: Mapped[str] = mapped_column(String(300))


class SupervisionLinkRow(Base):
    """A supervisor supervises one named person, or a whole team (exactly one is set)."""

    __tablename__ = "supervision_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    supervisor_id: Mapped[str] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    supervisee_id: Mapped[str | None] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    team_id: Mapped[str | None] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    created_by: Mapped[str] = mapped_column(String(300))


class SignoffRow(Base):
    """The worker agreed, or the supervisor signed, one version of a note. Never edited."""

    __tablename__ = "signoffs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    note_version: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(10))  # "agreed" | "signed"
    actor: Mapped[str] = mapped_column(String(300))  # person id, or the identity if unregistered
    at: Mapped[datetime] = mapped_column(UtcDateTime())

    __table_args__ = (
        UniqueConstraint("session_id", "note_version", "kind", name="uq_signoffs_version_kind"),
    )


class NoteAmendmentRow(Base):
    """Text added to a note after it was compiled; each one made a new note version."""

    __tablename__ = "note_amendments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    note_version: Mapped[int] = mapped_column(Integer)  # the version this amendment created
    author: Mapped[str] = mapped_column(String(300))
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    text: Mapped[str] = mapped_column(EncryptedText())


class AuditEventRow(Base):
    """Who viewed, exported, signed or changed what, and when. Append-only (see below)."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    actor: Mapped[str] = mapped_column(String(300), index=True)
    action: Mapped[str] = mapped_column(String(32), index=True)
    target_kind: Mapped[str] = mapped_column(String(32))
    target_id: Mapped[str | None] = mapped_column(String(300))
    # JSON of ids, codes and counts, never free text: stored plain, so key rotation never has
    # to rewrite an audit row (the triggers below refuse every UPDATE).
    detail: Mapped[str] = mapped_column(Text())


# Rows the application may add but never change or remove. The ORM refuses here; the
# database refuses too for audit_events (triggers below and in migration 0002), so raw SQL
# through the app cannot rewrite history either.
APPEND_ONLY_TABLES = frozenset(
    {"audit_events", "signoffs", "note_amendments", "legal_holds", "legal_hold_releases"}
)


def _refuse_change(_mapper: Any, _connection: Any, target: Any) -> None:
    raise AppendOnlyViolation(f"{target.__tablename__} rows are append-only")


def _refuse_bulk_change(state: ORMExecuteState) -> None:
    if not (state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", None) in APPEND_ONLY_TABLES:
        raise AppendOnlyViolation(f"{table.name} rows are append-only")  # type: ignore[union-attr]


class LegalHoldRow(Base):
    """A legal hold on a person or a case reference (issue 7): while it is not released,
    retention purge and erasure leave everything it covers alone. Append-only: releasing a
    hold adds a `LegalHoldReleaseRow`, so the history of holds is never rewritten.
    """

    __tablename__ = "legal_holds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(10))  # "person" | "case"
    subject: Mapped[str] = mapped_column(String(300), index=True)  # person id / identity, or case ref
    reason: Mapped[str] = mapped_column(EncryptedText())  # may name proceedings: encrypted
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    created_by: Mapped[str] = mapped_column(String(300))


class LegalHoldReleaseRow(Base):
    """The release of one legal hold. Append-only, at most one per hold."""

    __tablename__ = "legal_hold_releases"

    hold_id: Mapped[int] = mapped_column(ForeignKey("legal_holds.id"), primary_key=True)
    released_at: Mapped[datetime] = mapped_column(UtcDateTime())
    released_by: Mapped[str] = mapped_column(String(300))


for _row in (AuditEventRow, SignoffRow, NoteAmendmentRow, LegalHoldRow, LegalHoldReleaseRow):
    event.listen(_row, "before_update", _refuse_change)
    event.listen(_row, "before_delete", _refuse_change)
event.listen(OrmSession, "do_orm_execute", _refuse_bulk_change)

AUDIT_TRIGGERS_SQLITE = (
    "CREATE TRIGGER IF NOT EXISTS audit_events_no_update BEFORE UPDATE ON audit_events "
    "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS audit_events_no_delete BEFORE DELETE ON audit_events "
    "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END",
)
AUDIT_TRIGGERS_POSTGRESQL = (
    "CREATE OR REPLACE FUNCTION reflect_append_only() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION USING MESSAGE = TG_TABLE_NAME || ' is append-only'; END $$",
    "CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events "
    "FOR EACH ROW EXECUTE FUNCTION reflect_append_only()",
    "CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events "
    "FOR EACH STATEMENT EXECUTE FUNCTION reflect_append_only()",
)


def _create_audit_triggers(_table: Any, connection: Connection, **_kw: Any) -> None:
    """With `create_all` (tests); deployments get the same triggers from migration 0002."""
    statements = {"sqlite": AUDIT_TRIGGERS_SQLITE, "postgresql": AUDIT_TRIGGERS_POSTGRESQL}
    for statement in statements.get(connection.dialect.name, ()):
        connection.exec_driver_sql(statement)


event.listen(AuditEventRow.__table__, "after_create", _create_audit_triggers)


class GroupSessionRow(Base):
    """A facilitated group supervision session in one channel or group chat."""

    __tablename__ = "group_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    channel_key: Mapped[str] = mapped_column(String(300), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    case_ref: Mapped[str | None] = mapped_column(String(64), index=True)
    facilitator: Mapped[str] = mapped_column(String(300), index=True)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    state: Mapped[str] = mapped_column(EncryptedText())  # the engine's GroupSession, JSON
    minutes: Mapped[str | None] = mapped_column(EncryptedText())  # filed minutes, markdown


class AiUsageRow(Base):
    """One use of the AI service (issue 6): counts and outcome only, never what was sent.

    Feeds the per-session token budget, the per-person call limit and the "told once that
    AI help is unavailable" rule. No foreign key: a row may be written after its turn.
    """

    __tablename__ = "ai_usage"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    session_id: Mapped[str] = mapped_column(String(64), index=True)
    owner: Mapped[str] = mapped_column(String(300))
    use: Mapped[str] = mapped_column(String(20))  # challenge | followup | summary | synthesis
    outcome: Mapped[str] = mapped_column(String(20))  # ok | flagged | timeout | breaker_open | ...
    prompt_tokens: Mapped[int] = mapped_column(Integer, default=0)
    completion_tokens: Mapped[int] = mapped_column(Integer, default=0)
    at: Mapped[datetime] = mapped_column(UtcDateTime())

    __table_args__ = (Index("ix_ai_usage_owner_at", "owner", "at"),)


class TeamsReferenceRow(Base):
    """Where the bot can reach a Teams conversation later (issue 4): the conversation
    reference from the latest inbound activity, for notes and reminders sent proactively.

    `key` is "tenant:conversation" (the channel id for a Teams channel). The reference holds
    display names, so it is encrypted. `active` turns false when Teams says the bot was
    removed or blocked (403/404), so nothing is retried against a conversation that is gone.
    """

    __tablename__ = "teams_references"

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(String(100))
    conversation_type: Mapped[str] = mapped_column(String(20))  # personal | groupChat | channel
    user_id: Mapped[str | None] = mapped_column(String(200), index=True)  # personal chats: whose it is
    reference: Mapped[str] = mapped_column(EncryptedText())  # ConversationReference, JSON
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    inactive_reason: Mapped[str | None] = mapped_column(String(40))
    greeted_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class TeamsHeldFileRow(Base):
    """An export waiting for the worker to accept Teams' file consent card (issue 16).

    Teams uploads a file to someone's OneDrive only after they press Allow, so the bytes
    wait here meanwhile: encrypted like every free text (`data` is the file, base64), bound
    to the personal chat and person it was made for, and deleted when they accept or
    decline, or after a day (`purge_held_files`). `token` is random and is all the card
    carries back.
    """

    __tablename__ = "teams_held_files"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    reference_key: Mapped[str] = mapped_column(String(300))  # "tenant:conversation"
    user_id: Mapped[str] = mapped_column(String(200))
    filename: Mapped[str] = mapped_column(String(200))
    mime: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(EncryptedText())  # names the subject of the export
    data: Mapped[str] = mapped_column(EncryptedText())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)


class ReminderRow(Base):
    """A nudge to deliver once: after a visit, before supervision, when an action is due."""

    __tablename__ = "reminders"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    owner: Mapped[str] = mapped_column(String(300), index=True)  # "platform:workspace:user"
    platform: Mapped[str] = mapped_column(String(20))
    channel: Mapped[str | None] = mapped_column(String(300))  # where to send it, if known
    kind: Mapped[str] = mapped_column(String(32))
    due_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)  # pending, delivered, cancelled, failed
    tz: Mapped[str | None] = mapped_column(String(64))
    payload: Mapped[str] = mapped_column(EncryptedText())  # JSON: case ref, action words, ...
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(200))


class InboxRow(Base):
    """An acknowledged platform event, stored before the acknowledgement (issue 14).

    `lane` is the ordering and locking unit (a person on one platform and workspace, or a
    group channel); `event_key` is the delivery id scoped to platform, workspace and
    conversation. A turn runs from here and marks its row done in the turn's transaction.
    """

    __tablename__ = "inbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_key: Mapped[str] = mapped_column(String(500), unique=True)
    lane: Mapped[str] = mapped_column(String(300))
    platform: Mapped[str] = mapped_column(String(20))
    payload: Mapped[str] = mapped_column(EncryptedText())
    status: Mapped[str] = mapped_column(String(10), default="pending")  # pending | done | failed
    stage: Mapped[str | None] = mapped_column(String(20), nullable=True)  # work left outside the lock
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime())
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)

    __table_args__ = (Index("ix_inbox_status_lane", "status", "lane", "id"),)


class OutboxRow(Base):
    """A reply written in the turn's transaction, sent from here in order per lane."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    lane: Mapped[str] = mapped_column(String(300))
    platform: Mapped[str] = mapped_column(String(20))
    inbox_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    address: Mapped[str] = mapped_column(Text)  # where to send: platform ids only, no words
    kind: Mapped[str] = mapped_column(String(20))  # message | file
    payload: Mapped[str] = mapped_column(EncryptedText())
    status: Mapped[str] = mapped_column(String(10), default="pending")  # pending | sent | failed | reposted
    progress: Mapped[int] = mapped_column(Integer, default=0)  # parts already sent (a reply in pieces)
    # The part whose post was started and not confirmed: after a crash the sender asks the
    # platform whether it arrived (Slack: our message metadata in the history) before re-posting.
    sending: Mapped[int | None] = mapped_column(Integer, nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)

    __table_args__ = (Index("ix_outbox_status_lane", "status", "lane", "id"),)


class WorkPatternRow(Base):
    """When one chat identity works (issue 16): days and hours, bank-holiday region, leave,
    and their own recurring check-in. No free text: days, times, a region and a date."""

    __tablename__ = "work_patterns"

    owner: Mapped[str] = mapped_column(String(300), primary_key=True)  # "platform:workspace:user"
    shifts: Mapped[str | None] = mapped_column(String(200))  # JSON {"0": ["09:00", "17:30"], ...}
    region: Mapped[str | None] = mapped_column(String(32))  # england-and-wales, scotland, northern-ireland
    back_on: Mapped[date | None] = mapped_column(Date)  # on leave until this day
    checkin: Mapped[str | None] = mapped_column(String(300))  # JSON: weekday, time, every, first, what
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


# ---------------------------------------------------------------------- Slack installations
# The shape of slack_sdk's SQLAlchemy installation and state stores (its tables
# `slack_installations`, `slack_bots`, `slack_oauth_states`), so its async stores run over
# them unchanged (storage/slack_installations.py). Two differences, both on purpose: every
# token is EncryptedText (Text, since a Fernet token is longer than the String(200) Slack's
# store declares), and the tables come from a migration rather than the store's create_tables.
# The datetimes are naive UTC, as slack_sdk writes and compares them.


class SlackInstallationRow(Base):
    """One OAuth install of the app: a workspace, or an Enterprise Grid org (team_id null)."""

    __tablename__ = "slack_installations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    client_id: Mapped[str] = mapped_column(String(32))
    app_id: Mapped[str] = mapped_column(String(32))
    enterprise_id: Mapped[str | None] = mapped_column(String(32))
    enterprise_name: Mapped[str | None] = mapped_column(String(200))
    enterprise_url: Mapped[str | None] = mapped_column(String(200))
    team_id: Mapped[str | None] = mapped_column(String(32))
    team_name: Mapped[str | None] = mapped_column(String(200))
    bot_token: Mapped[str | None] = mapped_column(EncryptedText())
    bot_id: Mapped[str | None] = mapped_column(String(32))
    bot_user_id: Mapped[str | None] = mapped_column(String(32))
    bot_scopes: Mapped[str | None] = mapped_column(String(1000))
    bot_refresh_token: Mapped[str | None] = mapped_column(EncryptedText())
    bot_token_expires_at: Mapped[datetime | None] = mapped_column(DateTime)
    user_id: Mapped[str] = mapped_column(String(32))
    user_token: Mapped[str | None] = mapped_column(EncryptedText())
    user_scopes: Mapped[str | None] = mapped_column(String(1000))
    user_refresh_token: Mapped[str | None] = mapped_column(EncryptedText())
    user_token_expires_at: Mapped[datetime | None] = mapped_column(DateTime)
    incoming_webhook_url: Mapped[str | None] = mapped_column(EncryptedText())
    incoming_webhook_channel: Mapped[str | None] = mapped_column(String(200))
    incoming_webhook_channel_id: Mapped[str | None] = mapped_column(String(200))
    incoming_webhook_configuration_url: Mapped[str | None] = mapped_column(String(200))
    is_enterprise_install: Mapped[bool] = mapped_column(Boolean, default=False)
    token_type: Mapped[str | None] = mapped_column(String(32))
    installed_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (
        Index("slack_installations_idx", "client_id", "enterprise_id", "team_id", "user_id", "installed_at"),
    )


class SlackBotRow(Base):
    """The bot of an install: its (rotating) token, looked up for every request and send."""

    __tablename__ = "slack_bots"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    client_id: Mapped[str] = mapped_column(String(32))
    app_id: Mapped[str] = mapped_column(String(32))
    enterprise_id: Mapped[str | None] = mapped_column(String(32))
    enterprise_name: Mapped[str | None] = mapped_column(String(200))
    team_id: Mapped[str | None] = mapped_column(String(32))
    team_name: Mapped[str | None] = mapped_column(String(200))
    bot_token: Mapped[str | None] = mapped_column(EncryptedText())
    bot_id: Mapped[str | None] = mapped_column(String(32))
    bot_user_id: Mapped[str | None] = mapped_column(String(32))
    bot_scopes: Mapped[str | None] = mapped_column(String(1000))
    bot_refresh_token: Mapped[str | None] = mapped_column(EncryptedText())
    bot_token_expires_at: Mapped[datetime | None] = mapped_column(DateTime)
    is_enterprise_install: Mapped[bool] = mapped_column(Boolean, default=False)
    installed_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (Index("slack_bots_idx", "client_id", "enterprise_id", "team_id", "installed_at"),)


class SlackOAuthStateRow(Base):
    """An install under way: the state Slack sends back to /slack/oauth_redirect, used once."""

    __tablename__ = "slack_oauth_states"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    state: Mapped[str] = mapped_column(String(200))
    expire_at: Mapped[datetime] = mapped_column(DateTime)
