"""Teams conversation references (table `teams_references`): where the bot can reach a
conversation later, whether it still can, and whether it has said hello there.

The Teams adapter refreshes a conversation's reference from every inbound activity, so a
proactive message (a note, a reminder) goes to the service URL Teams used most recently.
The reference is kept as the SDK's JSON: storage knows nothing about the Agents SDK.

A 403 or 404 from Teams means the bot was removed or blocked there: `deactivate` records
that, and senders skip inactive references instead of retrying them. The next activity
from that conversation (the bot was added back) makes it active again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.statements import upsert
from storage.tables import TeamsHeldFileRow, TeamsReferenceRow

HELD_FOR = timedelta(days=1)  # an unanswered file consent card lapses after this

if TYPE_CHECKING:
    from storage.repository import Store, TurnTx


@dataclass(frozen=True)
class StoredReference:
    key: str
    tenant_id: str
    conversation_type: str
    user_id: str | None
    reference_json: str
    active: bool
    inactive_reason: str | None
    greeted_at: datetime | None
    updated_at: datetime


def reference_key(tenant_id: str, conversation_id: str) -> str:
    """One row per conversation: a personal chat, a group chat, or a channel (not a thread)."""
    return f"{tenant_id}:{conversation_id}"


def _stored(row: Any) -> StoredReference:
    """From a TeamsReferenceRow or a row of `_LOAD`."""
    return StoredReference(
        key=row.key,
        tenant_id=row.tenant_id,
        conversation_type=row.conversation_type,
        user_id=row.user_id,
        reference_json=row.reference,
        active=row.active,
        inactive_reason=row.inactive_reason,
        greeted_at=row.greeted_at,
        updated_at=row.updated_at,
    )


@dataclass(frozen=True)
class HeldFile:
    """An export waiting for its file consent card to be answered (`data` is base64)."""

    token: str
    reference_key: str
    user_id: str
    filename: str
    mime: str
    title: str
    data: str
    created_at: datetime


_REFERENCE_COLUMNS = (
    "key",
    "tenant_id",
    "conversation_type",
    "user_id",
    "reference",
    "active",
    "inactive_reason",
    "updated_at",
)
# Every Teams activity refreshes its conversation's reference, and a personal one is checked
# for its owner first: Core statements built once (see storage.statements).
_REMEMBER = {pg: upsert(TeamsReferenceRow, "key", _REFERENCE_COLUMNS, pg) for pg in (False, True)}
_LOAD = select(
    TeamsReferenceRow.key,
    TeamsReferenceRow.tenant_id,
    TeamsReferenceRow.conversation_type,
    TeamsReferenceRow.user_id,
    TeamsReferenceRow.reference,
    TeamsReferenceRow.active,
    TeamsReferenceRow.inactive_reason,
    TeamsReferenceRow.greeted_at,
    TeamsReferenceRow.updated_at,
).where(TeamsReferenceRow.key == bindparam("b_key"))


class TeamsRepository:
    """Teams conversation references over an open transaction (`tx.teams`)."""

    def __init__(self, tx: TurnTx) -> None:
        self.tx = tx
        self.is_postgres = tx.is_postgres

    @property
    def db(self) -> AsyncSession:
        return self.tx.db

    async def remember(
        self,
        *,
        key: str,
        tenant_id: str,
        conversation_type: str,
        user_id: str | None,
        reference_json: str,
        now: datetime,
    ) -> None:
        """Insert or refresh a conversation's reference; an activity from it means it is reachable."""
        values = {
            "key": key,
            "tenant_id": tenant_id,
            "conversation_type": conversation_type,
            "user_id": user_id,
            "reference": reference_json,
            "active": True,
            "inactive_reason": None,
            "updated_at": now,
        }
        await (await self.tx.core()).execute(_REMEMBER[self.is_postgres], values)

    async def load(self, key: str) -> StoredReference | None:
        row = (await (await self.tx.core()).execute(_LOAD, {"b_key": key})).first()
        return _stored(row) if row is not None else None

    async def for_user(self, tenant_id: str, user_id: str) -> StoredReference | None:
        """A person's personal chat with the bot (for reminders addressed to one worker)."""
        row = await self.db.scalar(
            select(TeamsReferenceRow)
            .where(
                TeamsReferenceRow.tenant_id == tenant_id,
                TeamsReferenceRow.user_id == user_id,
                TeamsReferenceRow.conversation_type == "personal",
            )
            .order_by(TeamsReferenceRow.updated_at.desc())
            .limit(1)
        )
        return _stored(row) if row is not None else None

    async def deactivate(self, key: str, reason: str, now: datetime) -> None:
        """Stop sending to a conversation Teams has refused (uninstalled, blocked, deleted)."""
        await self.db.execute(
            update(TeamsReferenceRow)
            .where(TeamsReferenceRow.key == key)
            .values(active=False, inactive_reason=reason[:40], updated_at=now)
        )

    async def claim_greeting(self, key: str, now: datetime) -> bool:
        """True exactly once per conversation: the caller may say hello.

        Teams (and the Playground, on every page load) sends installationUpdate and
        conversationUpdate together and repeatedly; one conditional update decides who greets.
        """
        claimed = await self.db.execute(
            update(TeamsReferenceRow)
            .where(TeamsReferenceRow.key == key, TeamsReferenceRow.greeted_at.is_(None))
            .values(greeted_at=now)
            .returning(TeamsReferenceRow.key)
        )
        return claimed.first() is not None

    # ---------------------------------------------------------------- held files

    async def hold_file(self, held: HeldFile) -> None:
        """Keep an export (encrypted) until its consent card is answered; lapsed ones go."""
        await self.db.execute(
            delete(TeamsHeldFileRow).where(TeamsHeldFileRow.created_at < held.created_at - HELD_FOR)
        )
        self.db.add(
            TeamsHeldFileRow(
                token=held.token,
                reference_key=held.reference_key,
                user_id=held.user_id,
                filename=held.filename,
                mime=held.mime,
                title=held.title,
                data=held.data,
                created_at=held.created_at,
            )
        )
        await self.db.flush()

    async def take_file(self, token: str, reference_key: str, user_id: str, now: datetime) -> HeldFile | None:
        """The held file for this token, chat and person, removed as it is handed over;
        None when there is none (answered already, lapsed, or someone else's)."""
        row = await self.db.get(TeamsHeldFileRow, token)
        if row is None or row.reference_key != reference_key or row.user_id != user_id:
            return None
        held = HeldFile(
            token=row.token,
            reference_key=row.reference_key,
            user_id=row.user_id,
            filename=row.filename,
            mime=row.mime,
            title=row.title,
            data=row.data,
            created_at=row.created_at,
        )
        await self.db.execute(delete(TeamsHeldFileRow).where(TeamsHeldFileRow.token == token))
        return held if held.created_at >= now - HELD_FOR else None


# ---------------------------------------------------------------- the older spelling
# One short transaction each, for the Teams adapter until it reaches these through the
# service (issue 17, pipeline): then these go.


async def remember(store: Store, *, key: str, **values: Any) -> None:
    async with store.turn(f"teams-reference:{key}") as tx:
        await tx.teams.remember(key=key, **values)


async def load(store: Store, key: str) -> StoredReference | None:
    async with store.read() as tx:
        return await tx.teams.load(key)


async def for_user(store: Store, tenant_id: str, user_id: str) -> StoredReference | None:
    async with store.read() as tx:
        return await tx.teams.for_user(tenant_id, user_id)


async def deactivate(store: Store, key: str, reason: str, now: datetime) -> None:
    async with store.turn(f"teams-reference:{key}") as tx:
        await tx.teams.deactivate(key, reason, now)


async def claim_greeting(store: Store, key: str, now: datetime) -> bool:
    async with store.turn(f"teams-reference:{key}") as tx:
        return await tx.teams.claim_greeting(key, now)


__all__ = [
    "HELD_FOR",
    "HeldFile",
    "StoredReference",
    "TeamsRepository",
    "claim_greeting",
    "deactivate",
    "for_user",
    "load",
    "reference_key",
    "remember",
]
