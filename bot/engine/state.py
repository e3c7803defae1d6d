"""What the engine is given for one turn (`Context`), and, re-exported from `bot.core.session`,
the values it changes: a conversation's control state and its sessions.

The values live in `bot.core` because storage keeps them too; `Context` stays here because it
carries the reflection models.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from bot.core.session import (
    ActionItem,
    ActionStatus,
    AiDraft,
    Answer,
    Awaiting,
    CaseHistory,
    Conversation,
    Cursor,
    Evidence,
    Hypothesis,
    HypothesisStatus,
    Offer,
    PausedBrief,
    PledgeBrief,
    Session,
    SessionStatus,
)
from supervision_models.registry import ModelRegistry

__all__ = [
    "ActionItem",
    "ActionStatus",
    "AiDraft",
    "Answer",
    "Awaiting",
    "CaseHistory",
    "Context",
    "Conversation",
    "Cursor",
    "Evidence",
    "Hypothesis",
    "HypothesisStatus",
    "Offer",
    "PausedBrief",
    "PledgeBrief",
    "Session",
    "SessionStatus",
]


class Context(BaseModel):
    """What the engine is given for one turn: time, fresh ids and the models."""

    model_config = ConfigDict(arbitrary_types_allowed=True, frozen=True)

    now: datetime
    new_id: str
    models: ModelRegistry
    owner: str
    platform: str
    paused: tuple[PausedBrief, ...] = ()
    preset_case: str | None = None  # e.g. `reflect chat --case`
    max_answer_chars: int = 20_000
    idle_after_hours: float = 12.0
    ai_available: bool = False  # AI help is configured and answering: AI steps may be offered
