"""The inbox and outbox hold what workers wrote and what the bot will say: encrypted at rest,
erased with the person or case they belong to, and purged once handled (issue 14).

On a SQLite file and a real PostgreSQL. The raw database is read back with plain SQL (every
text column of both tables, as stored) and, for SQLite, the files themselves are grepped.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text, update

from bot.privacy.erasure import erase, preview
from bot.privacy.retention import purge
from bot.service import ReflectionService, lane_of
from bot.turns import ConversationKey, Incoming
from storage.crypto import FieldCipher
from storage.database import create_engine
from storage.migrate import upgrade
from storage.repository import Store
from storage.tables import InboxRow, OutboxRow
from tests.privacy.conftest import NOW, add_person
from tests.service.conftest import Clock
from tests.support.outbox_rows import stored_reply

A = "slack:T1:UA"
B = "slack:T1:UB"
CANARY = "CANARY-9c2f-nan-keeps-the-budgie-in-the-bathroom"
CASE_CANARY = "CANARY-77ab-the-little-one-hides-under-the-stairs"
KEEP = "CANARY-0b0b-b-says-dad-was-calm-today"


@pytest.fixture
async def encrypted(database_url: str) -> AsyncIterator[Store]:
    engine = create_engine(database_url, cipher=FieldCipher([FieldCipher.generate_key()]))
    await upgrade(engine)
    store = Store(engine)
    yield store
    await store.close()


def said(user: str, words: str, channel: str | None = None, group: bool = False) -> Incoming:
    key = ConversationKey("slack", "T1", channel or f"D{user}", user)
    return Incoming(key=key, text=words, conversation="group" if group else "personal")


async def reply(store: Store, lane: str, words: str, status: str = "pending") -> int:
    """A reply in the outbox, as a turn stores it (and, `failed`, as a sender gives up on it)."""
    return await stored_reply(store, lane, [words], NOW, status)


async def raw_text(store: Store) -> str:
    """Everything the two tables hold, as the database stores it (no decryption)."""
    async with store.read() as tx:
        rows = list(await tx.db.execute(text("SELECT event_key, lane, payload FROM inbox")))
        rows += list(await tx.db.execute(text("SELECT lane, address, payload FROM outbox")))
    return "\n".join(str(value) for row in rows for value in row)


async def seed(store: Store) -> ReflectionService:
    async with store.turn("seed") as tx:
        await add_person(tx, "worker-a", A)
        await add_person(tx, "worker-b", B)
    service = ReflectionService(store, clock=Clock())
    # Accepted (stored before the acknowledgement), their turns not run yet: a crash.
    await service.accept(said("UA", f"mum was on edge, {CANARY} and the dog barking"))
    await service.accept(said("UA", f"in the group: {CANARY} again", channel="C1", group=True))
    await service.accept(said("UB", f"visit went ok {KEEP}"))
    # Replies that never got out: one waiting, one given up on (kept to re-post).
    await reply(store, A, f"You said: {CANARY}. What did the child say?")
    await reply(store, A, f"You said: {CANARY}, twice", status="failed")
    await reply(store, B, f"You said: {KEEP}. What did the child say?")
    await reply(store, B, f"For hx 4417: {CASE_CANARY}")
    return service


async def test_what_is_in_transit_is_encrypted_and_erased_with_the_person(encrypted: Store) -> None:
    await seed(encrypted)
    before = await raw_text(encrypted)
    assert CANARY not in before and KEEP not in before  # encrypted at rest
    async with encrypted.read() as tx:
        carried = await tx.inbox.carried_words()
    assert sum(CANARY in str(row.payload) for row in carried) == 4  # readable with the key

    plan = await preview(encrypted, "person", "worker-a")
    assert (len(plan.inbox), len(plan.outbox)) == (2, 2) and plan.summary()["undelivered"] == 4
    await erase(encrypted, "person", "worker-a", "dpo-a", NOW)

    async with encrypted.read() as tx:
        left = await tx.inbox.carried_words()
        lanes = set((await tx.db.scalars(select(InboxRow.lane))).all())
    assert not any(CANARY in str(row.payload) for row in left)
    assert any(KEEP in str(row.payload) for row in left)  # the other worker's are untouched
    assert lanes == {lane_of(said("UB", "x"))}
    after = await raw_text(encrypted)
    assert CANARY not in after and len(after) < len(before)


async def test_a_case_erasure_takes_the_replies_that_name_the_case(encrypted: Store) -> None:
    await seed(encrypted)
    done = await erase(encrypted, "case", "HX-4417", "dpo-a", NOW)
    assert done.outbox and not done.inbox
    async with encrypted.read() as tx:
        left = " ".join(str(row.payload) for row in await tx.inbox.carried_words())
    assert CASE_CANARY not in left and KEEP in left and CANARY in left


async def test_the_sqlite_files_hold_no_trace_after_erasure(tmp_path: Path) -> None:
    engine = create_engine(
        f"sqlite:///{tmp_path}/transit.db", cipher=FieldCipher([FieldCipher.generate_key()])
    )
    await upgrade(engine)
    store = Store(engine)
    await seed(store)
    async with store.read() as tx:
        stored = [
            str(v)
            for table in ("inbox", "outbox")
            for v in (await tx.db.execute(text(f"SELECT payload FROM {table}"))).scalars()
        ]
    ciphertexts = [v.removeprefix("enc:v1:").encode() for v in stored if v.startswith("enc:")]
    assert ciphertexts
    files = list(tmp_path.glob("transit.db*"))
    assert all(CANARY.encode() not in f.read_bytes() for f in files)
    assert any(c in f.read_bytes() for f in files for c in ciphertexts)
    async with store.read() as tx:
        mine = [str(row.payload) for row in await tx.inbox.carried_words() if CANARY in str(row.payload)]
    assert len(mine) == 4
    await erase(store, "person", "worker-a", "dpo-a", NOW)
    await erase(store, "person", "worker-b", "dpo-a", NOW)
    await erase(store, "case", "HX-4417", "dpo-a", NOW)
    for path in tmp_path.glob("transit.db*"):
        data = path.read_bytes()
        assert not any(c in data for c in ciphertexts), path.name
    await store.close()


async def test_handled_events_and_sent_replies_are_purged_after_a_week(encrypted: Store) -> None:
    service = await seed(encrypted)
    await service.accept(said("UB", "old and done"))
    async with encrypted.read() as tx:
        await tx.db.execute(
            update(InboxRow)
            .where(InboxRow.id == (await tx.db.scalar(select(InboxRow.id).order_by(InboxRow.id.desc()))))
            .values(status="done", done_at=NOW - timedelta(days=8), payload="{}")
        )
    recent_done = await reply(encrypted, B, "sent yesterday", status="sent")
    old_sent = await reply(encrypted, B, "sent last month", status="sent")
    async with encrypted.read() as tx:
        await tx.db.execute(
            update(OutboxRow).where(OutboxRow.id == old_sent).values(created_at=NOW - timedelta(days=30))
        )

    dry = await purge(encrypted, NOW, dry_run=True)
    assert (dry.counts["inbox"], dry.counts["outbox"]) == (1, 1)
    report = await purge(encrypted, NOW)
    assert (report.counts["inbox"], report.counts["outbox"]) == (1, 1)
    async with encrypted.read() as tx:
        inbox_left = len((await tx.db.scalars(select(InboxRow.id))).all())
        outbox_ids = set((await tx.db.scalars(select(OutboxRow.id))).all())
    assert inbox_left == 3  # the three waiting events are never purged
    assert recent_done in outbox_ids and old_sent not in outbox_ids
    assert (await purge(encrypted, NOW)).counts["outbox"] == 0
