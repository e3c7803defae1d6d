"""What a turn produces: replies to render and effects for the service to carry out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from bot.engine.state import Conversation, Session

ReplyKind = Literal["prompt", "confirm", "info", "followup", "alert", "warning", "error"]


@dataclass(frozen=True)
class ReplyButton:
    label: str  # plain text, or a template name when it starts with "labels/"
    value: str
    style: Literal["default", "primary", "danger"] = "default"


@dataclass(frozen=True)
class Reply:
    """A message to say, by template name; the wording lives in prompts/."""

    template: str
    vars: dict[str, Any] = field(default_factory=dict)
    kind: ReplyKind = "info"
    buttons: tuple[ReplyButton, ...] = ()
    free_text: bool = False
    step_id: str | None = None
    # Who gets their own view of this message, where the surface can show one (Teams'
    # user-specific Adaptive Card views): participant ids. Empty: everyone sees the same.
    view_for: tuple[str, ...] = ()


@dataclass(frozen=True)
class LoadCaseHistory:
    case_ref: str


@dataclass(frozen=True)
class LoadSession:
    session_id: str


@dataclass(frozen=True)
class CompileNote:
    session_id: str


@dataclass(frozen=True)
class DraftSummary:
    """Ask AI help for a drafted summary of the session; answered by SummaryDrafted."""

    session_id: str


@dataclass(frozen=True)
class LoadPledge:
    """Find the worker's latest practice pledge for a review; answered by PledgeLoaded."""

    session_id: str


Effect = LoadCaseHistory | LoadSession | CompileNote | DraftSummary | LoadPledge


@dataclass
class Outcome:
    conversation: Conversation
    sessions: list[Session] = field(default_factory=list)  # every session changed this turn
    replies: list[Reply] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)
