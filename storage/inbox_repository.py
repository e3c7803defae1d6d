"""The durable inbox and outbox (issues 14 and 17): `InboxRepository` and `OutboxRepository`,
over an open transaction like every repository (`tx.inbox`, `tx.outbox` in a turn; the short
transactions of their own that accepting and sending make are `Store.write()`'s).

Inbox: `accept` stores an event in one small insert and commits it, before the platform
gets its acknowledgement. The turn later runs from the row and marks it done in the turn's
own transaction; a row still pending after a crash is run again on the next start. The
event key is unique, so a retried delivery finds its row instead of making another.

Outbox: replies are added inside the turn's transaction, so a turn that commits always has
its replies stored, and one that rolls back has none. A sender claims a lane's pending rows
for a short lease (so a second process does not send them too), sends them in id order and
marks each one sent on its own; a row whose lease ran out (its sender died) is claimed again.

A row's payload holds what the worker wrote or will read, so it is encrypted like every
other free text, and emptied once the row is done with. Handled rows are purged by the
retention job (`purge_handled`); erasure finds a person's or a case's rows that still hold
words (`carried_words`) and deletes them (`erase_rows`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import bindparam, delete, exists, func, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from bot.core.outbox import OutboxItem
from storage.database import CoreConnection
from storage.tables import InboxRow, OutboxRow

# A payload once its words are no longer needed: empty, so it is stored as it is (there is
# nothing to encrypt; see storage.crypto) and read back as no payload.
EMPTY = ""


def _payload(stored: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(stored) if stored else {}
    return loaded


# What every turn runs, built once with bound parameters (see storage.repository), as Core
# over the transaction's connection.
_ENTRY_COLUMNS = (
    InboxRow.id,
    InboxRow.event_key,
    InboxRow.lane,
    InboxRow.platform,
    InboxRow.payload,
    InboxRow.status,
    InboxRow.stage,
    InboxRow.attempts,
    InboxRow.lease_until,
)
_ITEM_COLUMNS = (
    OutboxRow.id,
    OutboxRow.lane,
    OutboxRow.platform,
    OutboxRow.inbox_id,
    OutboxRow.address,
    OutboxRow.kind,
    OutboxRow.payload,
    OutboxRow.attempts,
    OutboxRow.progress,
    OutboxRow.sending,
)
_ACCEPT = {
    pg: (pg_insert if pg else sqlite_insert)(InboxRow)
    .on_conflict_do_nothing(index_elements=["event_key"])
    .returning(InboxRow.id)
    for pg in (False, True)
}
_BY_ID = select(*_ENTRY_COLUMNS).where(InboxRow.id == bindparam("b_id"))
# What a turn checks first, in one statement: its event's state (not its payload: the process
# that accepted it has it in memory), the oldest event of its lane accepted before it whose
# turn has not run (the index on status, lane, id answers it), and whether the lane has
# replies the platform never took.
_EARLIER_ID = (
    select(func.min(InboxRow.id))
    .where(
        InboxRow.status == "pending",
        InboxRow.lane == bindparam("b_lane"),
        InboxRow.id < bindparam("b_id"),
        InboxRow.stage.is_(None),
    )
    .scalar_subquery()
)
_UNDELIVERED_ANY = exists().where(OutboxRow.lane == bindparam("b_lane"), OutboxRow.status == "failed")
_CHECK = select(
    InboxRow.status,
    InboxRow.stage,
    InboxRow.lease_until,
    _EARLIER_ID.label("earlier_id"),
    _UNDELIVERED_ANY.label("undelivered"),
).where(InboxRow.id == bindparam("b_id"))
_NEXT = (
    select(*_ENTRY_COLUMNS)
    .where(InboxRow.lane == bindparam("b_lane"), InboxRow.status == "pending")
    .order_by(InboxRow.id)
    .limit(1)
)
_FINISH = (
    update(InboxRow)
    .where(InboxRow.id == bindparam("b_id"))
    .values(
        status=bindparam("b_status"), stage=None, lease_until=None, done_at=bindparam("b_now"), payload=EMPTY
    )
)
_ADD = insert(OutboxRow).returning(OutboxRow.id)
_MARK_SENDING = (
    update(OutboxRow)
    .where(OutboxRow.id == bindparam("b_id"))
    .values(sending=bindparam("b_part"), lease_until=bindparam("b_until"))
)
_MARK_PROGRESS = (
    update(OutboxRow)
    .where(OutboxRow.id == bindparam("b_id"))
    .values(progress=bindparam("b_progress"), sending=None, lease_until=bindparam("b_until"))
)
_UNDELIVERED = (
    select(*_ITEM_COLUMNS)
    .where(OutboxRow.lane == bindparam("b_lane"), OutboxRow.status == "failed")
    .order_by(OutboxRow.id)
)
_SENT = (
    update(OutboxRow)
    .where(OutboxRow.id == bindparam("b_id"))
    .values(status="sent", sent_at=bindparam("b_now"), lease_until=None, sending=None, payload=EMPTY)
)


@dataclass(frozen=True)
class InboxEntry:
    id: int
    event_key: str
    lane: str
    platform: str
    payload: dict[str, Any]
    status: str
    stage: str | None
    attempts: int
    lease_until: datetime | None


@dataclass(frozen=True)
class TurnCheck:
    """An accepted event as its turn finds it, under the lane's lock."""

    status: str
    stage: str | None
    lease_until: datetime | None
    earlier: int | None  # an event of the lane accepted before it whose turn has not run
    undelivered: bool  # the lane has replies the platform never took (re-posted this turn)


@dataclass(frozen=True)
class Accepted:
    id: int
    fresh: bool  # False: this delivery was seen before
    done: bool  # the earlier delivery's turn already ran


def _entry(row: Any) -> InboxEntry:
    return InboxEntry(
        id=row.id,
        event_key=row.event_key,
        lane=row.lane,
        platform=row.platform,
        payload=_payload(row.payload),
        status=row.status,
        stage=row.stage,
        attempts=row.attempts,
        lease_until=row.lease_until,
    )


def _item(row: Any) -> OutboxItem:
    return OutboxItem(
        id=row.id,
        lane=row.lane,
        platform=row.platform,
        inbox_id=row.inbox_id,
        address=json.loads(row.address),
        kind=row.kind,
        payload=_payload(row.payload),
        attempts=row.attempts,
        progress=row.progress,
        sending=row.sending,
    )


class Transaction(Protocol):
    """What these repositories run on: a turn's transaction, or `Store.write()`'s."""

    is_postgres: bool

    async def core(self) -> CoreConnection: ...


async def _waiting_lanes(
    connection: CoreConnection,
    table: type[InboxRow] | type[OutboxRow],
    now: datetime,
    limit: int,
    received_before: datetime | None = None,
) -> list[str]:
    query = select(table.lane, table.id).where(
        table.status == "pending", or_(table.lease_until.is_(None), table.lease_until < now)
    )
    if received_before is not None and table is InboxRow:
        query = query.where(InboxRow.received_at < received_before)
    rows = await connection.execute(query.order_by(table.id).limit(limit))
    return list(dict.fromkeys(row.lane for row in rows))


def _json(value: dict[str, Any]) -> str:
    return json.dumps(value, separators=(",", ":"))


# ---------------------------------------------------------------------- inbox

HANDLED_EVENT = InboxRow.status != "pending"
FINISHED_REPLY = OutboxRow.status.in_(("sent", "reposted", "failed"))


@dataclass(frozen=True)
class Carried:
    """A row of the inbox or outbox still holding words (pending, or kept to re-post)."""

    table: str  # "inbox" | "outbox"
    id: int
    lane: str
    payload: dict[str, Any]


class InboxRepository:
    def __init__(self, tx: Transaction) -> None:
        self.tx = tx

    async def accept(
        self, *, event_key: str, lane: str, platform: str, payload: dict[str, Any], now: datetime
    ) -> Accepted:
        """Store one event durably (one insert); a known event key is not stored again."""
        values = {
            "event_key": event_key,
            "lane": lane,
            "platform": platform,
            "payload": _json(payload),
            "status": "pending",
            "attempts": 0,
            "received_at": now,
        }
        conn = await self.tx.core()
        new_id = (await conn.execute(_ACCEPT[self.tx.is_postgres], values)).scalar()
        if new_id is not None:
            return Accepted(int(new_id), fresh=True, done=False)
        found = (
            await conn.execute(select(InboxRow.id, InboxRow.status).where(InboxRow.event_key == event_key))
        ).one()
        if found.status == "failed":  # its turn raised; the platform's retry gets another go
            await conn.execute(
                update(InboxRow)
                .where(InboxRow.id == found.id)
                .values(status="pending", payload=_json(payload))
            )
            return Accepted(int(found.id), fresh=False, done=False)
        return Accepted(int(found.id), fresh=False, done=found.status != "pending")

    async def check(self, lane: str, entry_id: int) -> TurnCheck | None:
        """The event's state, any earlier event of its lane still to run (one a process
        accepted and died before running, or one another process is about to run; a row
        with a stage has had its turn, only its outside work is left), and whether the lane
        has undelivered replies: one statement."""
        conn = await self.tx.core()
        row = (await conn.execute(_CHECK, {"b_id": entry_id, "b_lane": lane})).first()
        if row is None:
            return None
        return TurnCheck(row.status, row.stage, row.lease_until, row.earlier_id, bool(row.undelivered))

    async def get(self, entry_id: int) -> InboxEntry | None:
        row = (await (await self.tx.core()).execute(_BY_ID, {"b_id": entry_id})).first()
        return _entry(row) if row is not None else None

    async def next_pending(self, lane: str) -> InboxEntry | None:
        """The oldest event of this lane whose turn has not run yet."""
        row = (await (await self.tx.core()).execute(_NEXT, {"b_lane": lane})).first()
        return _entry(row) if row is not None else None

    async def finish(self, entry_id: int, now: datetime, status: str = "done") -> None:
        """The turn ran: mark it done (or failed) and drop the words it carried."""
        conn = await self.tx.core()
        await conn.execute(_FINISH, {"b_id": entry_id, "b_status": status, "b_now": now})

    async def defer(self, entry_id: int, stage: str, lease_until: datetime) -> None:
        """The turn decided, and left work to do outside the lock (an export, an AI draft)."""
        await (await self.tx.core()).execute(
            update(InboxRow).where(InboxRow.id == entry_id).values(stage=stage, lease_until=lease_until)
        )

    async def failed_attempt(self, entry_id: int, now: datetime) -> None:
        """A turn raised (and rolled back): the worker is told to try again, so it is not run
        again by itself; the platform's retry of the same event does run it (see `accept`)."""
        await (await self.tx.core()).execute(
            update(InboxRow)
            .where(InboxRow.id == entry_id, InboxRow.status == "pending")
            .values(
                status="failed", attempts=InboxRow.attempts + 1, stage=None, lease_until=None, done_at=now
            )
        )

    async def pending_lanes(
        self, now: datetime, limit: int = 1000, received_before: datetime | None = None
    ) -> list[str]:
        """Lanes with an event waiting (not held by a live lease), oldest first; with
        `received_before`, only events older than that (a live process runs its own at once)."""
        return await _waiting_lanes(await self.tx.core(), InboxRow, now, limit, received_before)

    # ------------------------------------------------------------------ retention, erasure

    async def purge_handled(self, before: datetime, dry_run: bool = False) -> tuple[int, int]:
        """Handled events (done or failed) and finished replies (sent, re-posted, given up on)
        older than `before`, deleted (or only counted): (inbox rows, outbox rows)."""
        conn = await self.tx.core()
        where_in = (HANDLED_EVENT, InboxRow.done_at < before)
        where_out = (FINISHED_REPLY, OutboxRow.created_at < before)
        counts = []
        for table, where in ((InboxRow, where_in), (OutboxRow, where_out)):
            count = int(
                (await conn.execute(select(func.count()).select_from(table).where(*where))).scalar() or 0
            )
            if count and not dry_run:
                await conn.execute(delete(table).where(*where))
            counts.append(count)
        return counts[0], counts[1]

    async def carried_words(self) -> list[Carried]:
        """Every inbox and outbox row whose payload was not emptied yet (decrypted), for erasure
        to decide which belong to the person or case being erased."""
        conn = await self.tx.core()
        found: list[Carried] = []
        inbox_rows = await conn.execute(
            select(InboxRow.id, InboxRow.lane, InboxRow.payload).where(InboxRow.status != "done")
        )
        found += [Carried("inbox", row.id, row.lane, _payload(row.payload)) for row in inbox_rows]
        outbox_rows = await conn.execute(
            select(OutboxRow.id, OutboxRow.lane, OutboxRow.payload).where(
                OutboxRow.status.in_(("pending", "failed"))
            )
        )
        found += [Carried("outbox", row.id, row.lane, _payload(row.payload)) for row in outbox_rows]
        return [row for row in found if row.payload]

    async def erase_rows(self, inbox_ids: Sequence[int], outbox_ids: Sequence[int]) -> None:
        """Delete these events and replies, words and all (erasure)."""
        conn = await self.tx.core()
        if inbox_ids:
            await conn.execute(delete(InboxRow).where(InboxRow.id.in_(list(inbox_ids))))
        if outbox_ids:
            await conn.execute(delete(OutboxRow).where(OutboxRow.id.in_(list(outbox_ids))))


# ---------------------------------------------------------------------- outbox


class OutboxRepository:
    def __init__(self, tx: Transaction) -> None:
        self.tx = tx

    async def add(
        self,
        *,
        lane: str,
        platform: str,
        inbox_id: int | None,
        address: dict[str, Any],
        kind: str,
        payload: dict[str, Any],
        now: datetime,
        hold_until: datetime | None = None,
        sending: int | None = None,
    ) -> int:
        """One reply row, in the turn's transaction. `sending=0` with `hold_until`: the caller
        sends it itself right after the commit (the mark a sender makes before its first post
        rides in this transaction instead of a commit of its own)."""
        values = {
            "lane": lane,
            "platform": platform,
            "inbox_id": inbox_id,
            "address": _json(address),
            "kind": kind,
            "payload": _json(payload),
            "status": "pending",
            "progress": 0,
            "attempts": 0,
            "sending": sending,
            "lease_until": hold_until,
            "created_at": now,
        }
        return int((await (await self.tx.core()).execute(_ADD, values)).scalar_one())

    async def replace_payload(self, row_id: int, payload: dict[str, Any]) -> None:
        """Swap a pending row's payload (replies AI help decorated after the turn)."""
        await (await self.tx.core()).execute(
            update(OutboxRow)
            .where(OutboxRow.id == row_id, OutboxRow.status == "pending")
            .values(payload=_json(payload))
        )

    async def release(self, row_ids: Sequence[int]) -> None:
        if row_ids:
            await (await self.tx.core()).execute(
                update(OutboxRow).where(OutboxRow.id.in_(row_ids)).values(lease_until=None)
            )

    async def claim(self, lane: str, now: datetime, lease: timedelta) -> list[OutboxItem]:
        """Take this lane's sendable rows for `lease`, oldest first."""
        conn = await self.tx.core()
        statement = (
            update(OutboxRow)
            .where(
                OutboxRow.lane == lane,
                OutboxRow.status == "pending",
                or_(OutboxRow.lease_until.is_(None), OutboxRow.lease_until < now),
            )
            .values(lease_until=now + lease)
            .returning(*_ITEM_COLUMNS)
        )
        # Never past a row someone holds (AI help still decorating it, another process
        # sending it): what comes after it must wait, so the lane stays in order.
        held = (
            await conn.execute(
                select(OutboxRow.id)
                .where(OutboxRow.lane == lane, OutboxRow.status == "pending", OutboxRow.lease_until >= now)
                .order_by(OutboxRow.id)
                .limit(1)
            )
        ).scalar()
        if held is not None:
            statement = statement.where(OutboxRow.id < held)
        rows = (await conn.execute(statement)).all()
        return sorted((_item(row) for row in rows), key=lambda item: item.id)

    async def extend(self, row_ids: Sequence[int], until: datetime) -> None:
        await (await self.tx.core()).execute(
            update(OutboxRow)
            .where(OutboxRow.id.in_(row_ids), OutboxRow.status == "pending")
            .values(lease_until=until)
        )

    async def mark_sending(self, row_id: int, part: int, until: datetime) -> None:
        """A part's post is about to start: if the process dies before `mark_progress` or
        `mark_sent`, the next sender asks the platform whether it arrived before posting again."""
        await (await self.tx.core()).execute(
            _MARK_SENDING, {"b_id": row_id, "b_part": part, "b_until": until}
        )

    async def mark_progress(self, row_id: int, progress: int, until: datetime) -> None:
        """Parts of a reply already sent, so a resumed send goes on from the next one."""
        await (await self.tx.core()).execute(
            _MARK_PROGRESS, {"b_id": row_id, "b_progress": progress, "b_until": until}
        )

    async def mark_sent(self, row_id: int, now: datetime) -> None:
        await (await self.tx.core()).execute(_SENT, {"b_id": row_id, "b_now": now})

    async def mark_failed(self, item: OutboxItem, attempts: int) -> None:
        """Given up on, with the rest of its turn's replies (a later part without the earlier one
        would mislead): kept, with their words, so the worker's next message re-posts them."""
        same_turn = OutboxRow.id == item.id
        if item.inbox_id is not None:
            same_turn = or_(same_turn, (OutboxRow.inbox_id == item.inbox_id) & (OutboxRow.id > item.id))
        await (await self.tx.core()).execute(
            update(OutboxRow)
            .where(OutboxRow.lane == item.lane, OutboxRow.status == "pending", same_turn)
            .values(status="failed", lease_until=None, attempts=attempts)
        )

    async def undelivered(self, lane: str) -> list[OutboxItem]:
        """Replies this lane's worker never got, oldest first."""
        rows = await (await self.tx.core()).execute(_UNDELIVERED, {"b_lane": lane})
        return [_item(row) for row in rows]

    async def mark_reposted(self, row_ids: Sequence[int]) -> None:
        if row_ids:
            await (await self.tx.core()).execute(
                update(OutboxRow).where(OutboxRow.id.in_(row_ids)).values(status="reposted", payload=EMPTY)
            )

    async def lanes_to_send(self, now: datetime, limit: int = 1000) -> list[str]:
        """Lanes with replies waiting and no live lease on them (their sender died, or none ran)."""
        return await _waiting_lanes(await self.tx.core(), OutboxRow, now, limit)
