"""Drive the pure engine directly, fulfilling its effects from memory, for engine tests.

This is not a second service: it keeps sessions in a dict and renders replies with the real
templates so tests can assert on what a worker would read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bot.engine import (
    Action,
    CaseHistoryLoaded,
    CompileNote,
    Context,
    Conversation,
    LoadCaseHistory,
    LoadPledge,
    LoadSession,
    PledgeLoaded,
    Session,
    SessionLoaded,
    Text,
    handle,
)
from bot.engine.events import LooksLike
from bot.engine.flow import latest_pledge
from bot.engine.outcome import Reply
from bot.engine.state import CaseHistory, PausedBrief, PledgeBrief
from bot.turns import Outgoing
from bot.wording import default_wording
from supervision_models.registry import default_registry

START = datetime(2026, 11, 2, 14, 30, tzinfo=UTC)


@dataclass
class EngineHarness:
    owner: str = "console:local:worker-a"
    now: datetime = START
    conversation: Conversation = field(default_factory=lambda: Conversation(key="console:local:t:worker-a"))
    sessions: dict[str, Session] = field(default_factory=dict)
    histories: dict[str, CaseHistory] = field(default_factory=dict)
    preset_case: str | None = None
    pledge: PledgeBrief | None = None
    agreed: set[str] = field(default_factory=set)  # sessions whose note was agreed
    compiled: list[str] = field(default_factory=list)
    last: list[Reply] = field(default_factory=list)
    _ids: int = 0

    def advance(self, **delta: float) -> None:
        self.now = self.now + timedelta(**delta)

    def context(self) -> Context:
        self._ids += 1
        paused = tuple(
            PausedBrief(
                session_id=s.id,
                model_id=s.model_id,
                model_title=default_registry().get(s.model_id, s.model_version).title,
                case_ref=s.case_ref,
                step_title=default_registry().get(s.model_id).step(s.cursor.step_id).title
                if s.cursor
                else "",
                paused_at=s.paused_at or s.updated_at,
            )
            for s in self.sessions.values()
            if s.status == "paused" and s.owner == self.owner
        )
        return Context(
            now=self.now,
            new_id=f"s{self._ids}",
            models=default_registry(),
            owner=self.owner,
            platform="console",
            paused=paused,
            preset_case=self.preset_case,
        )

    @property
    def active(self) -> Session | None:
        sid = self.conversation.active_session_id
        return self.sessions.get(sid) if sid else None

    def send(
        self, text: str | None = None, action: str | None = None, looks_like: LooksLike | None = None
    ) -> list[Reply]:
        event = Action(action) if action is not None else Text(text or "", looks_like)
        ctx = self.context()
        replies: list[Reply] = []
        outcome = handle(self.conversation, self.active, event, ctx)
        while True:
            self.conversation = outcome.conversation
            for session in outcome.sessions:
                self.sessions[session.id] = session
            replies.extend(outcome.replies)
            follow = None
            for effect in outcome.effects:
                if isinstance(effect, LoadCaseHistory):
                    follow = CaseHistoryLoaded(
                        self.histories.get(effect.case_ref, CaseHistory(case_ref=effect.case_ref))
                    )
                elif isinstance(effect, LoadSession):
                    follow = SessionLoaded(
                        self.sessions[effect.session_id], agreed=effect.session_id in self.agreed
                    )
                elif isinstance(effect, LoadPledge):
                    follow = PledgeLoaded(self.latest_pledge())
                elif isinstance(effect, CompileNote):
                    self.compiled.append(effect.session_id)
            if follow is None:
                break
            outcome = handle(self.conversation, self.active, follow, ctx)
        self.last = replies
        return replies

    def latest_pledge(self) -> PledgeBrief | None:
        """The worker's latest completed pledge, as the service finds it (or the one given)."""
        return latest_pledge(list(self.sessions.values())) or self.pledge

    def texts(self, replies: list[Reply] | None = None) -> list[str]:
        return [default_wording().render(r).text for r in (replies if replies is not None else self.last)]

    def rendered(self) -> list[Outgoing]:
        return [default_wording().render(r) for r in self.last]

    def said(self, fragment: str) -> bool:
        return any(fragment.lower() in t.lower() for t in self.texts())

    @property
    def step(self) -> str | None:
        session = self.active
        return session.cursor.step_id if session and session.cursor else None
