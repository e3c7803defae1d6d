"""A reminder as the scheduler, storage and the delivering adapters all see it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Reminder:
    id: str
    owner: str
    platform: str
    channel: str | None
    kind: str
    due_at: datetime
    status: str
    tz: str | None
    payload: dict[str, Any]
    attempts: int = 0
