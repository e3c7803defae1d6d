"""The durable inbox and outbox (issues 14 and 17).

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
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from bot.core.outbox import OutboxItem
from storage.repository import Store, TurnTx
from storage.tables import InboxRow, OutboxRow

EMPTY = "{}"

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
_LOAD = select(*_ENTRY_COLUMNS).where(InboxRow.id == bindparam("b_id"))
# The oldest event of a lane accepted before this one whose turn has not run (the index on
# status, lane, id answers it).
_EARLIER = (
    select(*_ENTRY_COLUMNS)
    .where(
        InboxRow.status == "pending",
        InboxRow.lane == bindparam("b_lane"),
        InboxRow.id < bindparam("b_id"),
        InboxRow.stage.is_(None),
    )
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
        payload=json.loads(row.payload),
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
        payload=json.loads(row.payload),
        attempts=row.attempts,
        progress=row.progress,
        sending=row.sending,
    )


# ---------------------------------------------------------------------- inbox


async def accept(
    store: Store, *, event_key: str, lane: str, platform: str, payload: dict[str, Any], now: datetime
) -> Accepted:
    """Store one event durably (one insert, one commit); a known event key is not stored again."""
    values = {
        "event_key": event_key,
        "lane": lane,
        "platform": platform,
        "payload": json.dumps(payload, separators=(",", ":")),
        "status": "pending",
        "attempts": 0,
        "received_at": now,
    }
    async with store.write() as conn:
        new_id = (await conn.execute(_ACCEPT[store.is_postgres], values)).scalar()
        if new_id is not None:
            return Accepted(int(new_id), fresh=True, done=False)
        found = (
            await conn.execute(select(InboxRow.id, InboxRow.status).where(InboxRow.event_key == event_key))
        ).one()
        if found.status == "failed":  # its turn raised; the platform's retry gets another go
            await conn.execute(
                update(InboxRow)
                .where(InboxRow.id == found.id)
                .values(status="pending", payload=json.dumps(payload, separators=(",", ":")))
            )
            return Accepted(int(found.id), fresh=False, done=False)
    return Accepted(int(found.id), fresh=False, done=found.status != "pending")


async def load(tx: TurnTx, entry_id: int) -> InboxEntry | None:
    row = (await (await tx.core()).execute(_LOAD, {"b_id": entry_id})).first()
    return _entry(row) if row is not None else None


async def earlier_pending(tx: TurnTx, lane: str, entry_id: int) -> InboxEntry | None:
    """The oldest event of this lane accepted before `entry_id` whose turn has not run yet:
    one a process accepted and died before running, or one another process is about to run.
    (A row with a stage has had its turn; only its outside work is left.)"""
    row = (await (await tx.core()).execute(_EARLIER, {"b_lane": lane, "b_id": entry_id})).first()
    return _entry(row) if row is not None else None


async def next_pending(store: Store, lane: str) -> InboxEntry | None:
    """The oldest event of this lane whose turn has not run yet."""
    async with store.read() as tx:
        row = await tx.db.scalar(
            select(InboxRow)
            .where(InboxRow.lane == lane, InboxRow.status == "pending")
            .order_by(InboxRow.id)
            .limit(1)
        )
        return _entry(row) if row is not None else None


async def finish(tx: TurnTx, entry_id: int, now: datetime, status: str = "done") -> None:
    """The turn ran: mark it done (or failed) and drop the words it carried."""
    await (await tx.core()).execute(_FINISH, {"b_id": entry_id, "b_status": status, "b_now": now})


async def defer(tx: TurnTx, entry_id: int, stage: str, lease_until: datetime) -> None:
    """The turn decided, and left work to do outside the lock (an export, an AI draft)."""
    await tx.db.execute(
        update(InboxRow).where(InboxRow.id == entry_id).values(stage=stage, lease_until=lease_until)
    )


async def failed_attempt(store: Store, entry_id: int, now: datetime) -> None:
    """A turn raised (and rolled back): the worker is told to try again, so it is not run
    again by itself; the platform's retry of the same event does run it (see `accept`)."""
    async with store.read() as tx:
        await tx.db.execute(
            update(InboxRow)
            .where(InboxRow.id == entry_id, InboxRow.status == "pending")
            .values(
                status="failed", attempts=InboxRow.attempts + 1, stage=None, lease_until=None, done_at=now
            )
        )


async def _waiting_lanes(
    store: Store,
    table: type[InboxRow] | type[OutboxRow],
    now: datetime,
    limit: int,
    received_before: datetime | None = None,
) -> list[str]:
    async with store.read() as tx:
        query = select(table.lane, table.id).where(
            table.status == "pending", or_(table.lease_until.is_(None), table.lease_until < now)
        )
        if received_before is not None and table is InboxRow:
            query = query.where(InboxRow.received_at < received_before)
        rows = await tx.db.execute(query.order_by(table.id).limit(limit))
        return list(dict.fromkeys(lane for lane, _ in rows))


async def pending_lanes(
    store: Store, now: datetime, limit: int = 1000, received_before: datetime | None = None
) -> list[str]:
    """Lanes with an event waiting (not held by a live lease), oldest first; with
    `received_before`, only events older than that (a live process runs its own at once)."""
    return await _waiting_lanes(store, InboxRow, now, limit, received_before)


# ---------------------------------------------------------------------- retention, erasure

HANDLED_EVENT = InboxRow.status != "pending"
FINISHED_REPLY = OutboxRow.status.in_(("sent", "reposted", "failed"))


async def purge_handled(tx: TurnTx, before: datetime, dry_run: bool = False) -> tuple[int, int]:
    """Handled events (done or failed) and finished replies (sent, re-posted, given up on)
    older than `before`, deleted (or only counted): (inbox rows, outbox rows)."""
    where_in = (HANDLED_EVENT, InboxRow.done_at < before)
    where_out = (FINISHED_REPLY, OutboxRow.created_at < before)
    counts = []
    for table, where in ((InboxRow, where_in), (OutboxRow, where_out)):
        count = int(await tx.db.scalar(select(func.count()).select_from(table).where(*where)) or 0)
        if count and not dry_run:
            await tx.db.execute(delete(table).where(*where))
        counts.append(count)
    return counts[0], counts[1]


@dataclass(frozen=True)
class Carried:
    """A row of the inbox or outbox still holding words (pending, or kept to re-post)."""

    table: str  # "inbox" | "outbox"
    id: int
    lane: str
    payload: dict[str, Any]


async def carried_words(tx: TurnTx) -> list[Carried]:
    """Every inbox and outbox row whose payload was not emptied yet (decrypted), for erasure
    to decide which belong to the person or case being erased."""
    found: list[Carried] = []
    inbox_rows = await tx.db.execute(
        select(InboxRow.id, InboxRow.lane, InboxRow.payload).where(InboxRow.status != "done")
    )
    found += [Carried("inbox", row.id, row.lane, json.loads(row.payload)) for row in inbox_rows]
    outbox_rows = await tx.db.execute(
        select(OutboxRow.id, OutboxRow.lane, OutboxRow.payload).where(
            OutboxRow.status.in_(("pending", "failed"))
        )
    )
    found += [Carried("outbox", row.id, row.lane, json.loads(row.payload)) for row in outbox_rows]
    return [row for row in found if row.payload]


async def erase_rows(tx: TurnTx, inbox_ids: Sequence[int], outbox_ids: Sequence[int]) -> None:
    """Delete these events and replies, words and all (erasure)."""
    if inbox_ids:
        await tx.db.execute(delete(InboxRow).where(InboxRow.id.in_(list(inbox_ids))))
    if outbox_ids:
        await tx.db.execute(delete(OutboxRow).where(OutboxRow.id.in_(list(outbox_ids))))


# ---------------------------------------------------------------------- outbox


async def add(
    tx: TurnTx,
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
        "address": json.dumps(address, separators=(",", ":")),
        "kind": kind,
        "payload": json.dumps(payload, separators=(",", ":")),
        "status": "pending",
        "progress": 0,
        "attempts": 0,
        "sending": sending,
        "lease_until": hold_until,
        "created_at": now,
    }
    return int((await (await tx.core()).execute(_ADD, values)).scalar_one())


async def replace_payload(store: Store, row_id: int, payload: dict[str, Any]) -> None:
    """Swap a pending row's payload (replies AI help decorated after the turn)."""
    async with store.read() as tx:
        await tx.db.execute(
            update(OutboxRow)
            .where(OutboxRow.id == row_id, OutboxRow.status == "pending")
            .values(payload=json.dumps(payload, separators=(",", ":")))
        )


async def release(store: Store, row_ids: Sequence[int]) -> None:
    if not row_ids:
        return
    async with store.read() as tx:
        await tx.db.execute(update(OutboxRow).where(OutboxRow.id.in_(row_ids)).values(lease_until=None))


async def claim(store: Store, lane: str, now: datetime, lease: timedelta) -> list[OutboxItem]:
    """Take this lane's sendable rows for `lease`, oldest first."""
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
    async with store.read() as tx:
        # Never past a row someone holds (AI help still decorating it, another process
        # sending it): what comes after it must wait, so the lane stays in order.
        held = await tx.db.scalar(
            select(OutboxRow.id)
            .where(OutboxRow.lane == lane, OutboxRow.status == "pending", OutboxRow.lease_until >= now)
            .order_by(OutboxRow.id)
            .limit(1)
        )
        if held is not None:
            statement = statement.where(OutboxRow.id < held)
        rows = (await tx.db.execute(statement)).all()
    return sorted((_item(row) for row in rows), key=lambda item: item.id)


async def extend(store: Store, row_ids: Sequence[int], until: datetime) -> None:
    async with store.read() as tx:
        await tx.db.execute(
            update(OutboxRow)
            .where(OutboxRow.id.in_(row_ids), OutboxRow.status == "pending")
            .values(lease_until=until)
        )


async def mark_sending(store: Store, row_id: int, part: int, until: datetime) -> None:
    """A part's post is about to start: if the process dies before `mark_progress` or
    `mark_sent`, the next sender asks the platform whether it arrived before posting again."""
    async with store.write() as conn:
        await conn.execute(_MARK_SENDING, {"b_id": row_id, "b_part": part, "b_until": until})


async def mark_progress(store: Store, row_id: int, progress: int, until: datetime) -> None:
    """Parts of a reply already sent, so a resumed send goes on from the next one."""
    async with store.read() as tx:
        await (await tx.core()).execute(
            _MARK_PROGRESS, {"b_id": row_id, "b_progress": progress, "b_until": until}
        )


async def mark_sent(store: Store, row_id: int, now: datetime) -> None:
    async with store.write() as conn:
        await conn.execute(_SENT, {"b_id": row_id, "b_now": now})


async def mark_failed(store: Store, item: OutboxItem, attempts: int) -> None:
    """Given up on, with the rest of its turn's replies (a later part without the earlier one
    would mislead): kept, with their words, so the worker's next message re-posts them."""
    async with store.read() as tx:
        same_turn = OutboxRow.id == item.id
        if item.inbox_id is not None:
            same_turn = or_(same_turn, (OutboxRow.inbox_id == item.inbox_id) & (OutboxRow.id > item.id))
        await tx.db.execute(
            update(OutboxRow)
            .where(OutboxRow.lane == item.lane, OutboxRow.status == "pending", same_turn)
            .values(status="failed", lease_until=None, attempts=attempts)
        )


async def undelivered(tx: TurnTx, lane: str) -> list[OutboxItem]:
    """Replies this lane's worker never got, oldest first."""
    rows = await (await tx.core()).execute(_UNDELIVERED, {"b_lane": lane})
    return [_item(row) for row in rows]


async def mark_reposted(tx: TurnTx, row_ids: Sequence[int]) -> None:
    if row_ids:
        await tx.db.execute(
            update(OutboxRow).where(OutboxRow.id.in_(row_ids)).values(status="reposted", payload=EMPTY)
        )


async def lanes_to_send(store: Store, now: datetime, limit: int = 1000) -> list[str]:
    """Lanes with replies waiting and no live lease on them (their sender died, or none ran)."""
    return await _waiting_lanes(store, OutboxRow, now, limit)
