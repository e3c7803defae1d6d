"""A reply waiting in the outbox, as the senders see it (stored by storage.inbox_repository)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class OutboxItem:
    id: int
    lane: str
    platform: str
    inbox_id: int | None
    address: dict[str, Any]
    kind: str
    payload: dict[str, Any]
    attempts: int
    progress: int = 0
    sending: int | None = None  # a part whose post may have gone out before a crash
    # Set only on a row a turn of this process just stored with its first part already
    # marked "sending" (in the turn's own transaction) and leased to us until then: nothing
    # of it has been posted, so its sender neither asks the platform nor marks it again.
    fresh_until: datetime | None = None
