"""Events the engine accepts: a typed message, a button, or data the service fetched."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.engine.state import CaseHistory, PledgeBrief, Session


@dataclass(frozen=True)
class LooksLike:
    """Words typed at a free-text question that read, whole, as a command (the router's rule
    5): they are the answer, and the reply offers them back as that command."""

    route: str  # the router's name for it, e.g. "reminders command"
    what: str  # what the offer names: "reminder", "notes", "export", "working_time" ...
    vars: dict[str, Any] = field(default_factory=dict)  # what was understood, for the wording


@dataclass(frozen=True)
class Text:
    """Something the user typed."""

    text: str
    looks_like: LooksLike | None = None


@dataclass(frozen=True)
class Action:
    """A button or card value, e.g. "cmd:skip", "choice:yes", "start:quick_checkin"."""

    value: str


@dataclass(frozen=True)
class CaseHistoryLoaded:
    """The service's answer to LoadCaseHistory."""

    history: CaseHistory


@dataclass(frozen=True)
class SessionLoaded:
    """The service's answer to LoadSession: a paused session to resume, or a finished one to
    change. `agreed`: the note was already agreed or signed, so changes go through `amend`."""

    session: Session
    agreed: bool = False


@dataclass(frozen=True)
class SummaryDrafted:
    """The service's answer to DraftSummary: the drafted text, or None when AI help failed."""

    text: str | None


@dataclass(frozen=True)
class PledgeLoaded:
    """The service's answer to LoadPledge: the worker's latest pledge, or None."""

    pledge: PledgeBrief | None


Event = Text | Action | CaseHistoryLoaded | SessionLoaded | SummaryDrafted | PledgeLoaded
