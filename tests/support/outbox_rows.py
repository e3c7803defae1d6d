"""A reply stored in the outbox as a turn stores it, for tests of sending, erasure and purge."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update

from storage.repository import Store
from storage.tables import OutboxRow


async def stored_reply(
    store: Store, lane: str, texts: list[str], now: datetime, status: str = "pending", platform: str = "slack"
) -> int:
    """One `messages` row (a part per text) for `lane`; `status` other than pending is set
    as a sender would leave it (sent, failed)."""
    async with store.read() as tx:
        row_id = await tx.outbox.add(
            lane=lane,
            platform=platform,
            inbox_id=None,
            address={"channel": "D1"},
            kind="messages",
            payload={"messages": [{"text": text, "kind": "prompt"} for text in texts]},
            now=now,
        )
        if status != "pending":
            await tx.db.execute(update(OutboxRow).where(OutboxRow.id == row_id).values(status=status))
    return row_id
