"""A reply waiting in the outbox, as the senders see it (stored by storage.inbox_repository)."""

from __future__ import annotations

from dataclasses import dataclass
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
