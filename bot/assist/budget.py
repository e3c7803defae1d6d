"""What AI help may cost: a token budget per session and a call limit per person.

Why: the context we send is the session's structured answers (rebuilt for each call, never a
growing transcript), so a call costs a few hundred tokens; the budget stops a long session or
a stuck loop from running up a bill, and the per-person limit stops one account from using
the service for everyone. Usage is recorded per call (counts and outcome only, never text)
in a `Ledger`; storage provides the real one (storage/ai_usage.py), tests use `MemoryLedger`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from bot.core.usage import UNAVAILABLE, UsageRecord

__all__ = ["UNAVAILABLE", "Budget", "Ledger", "MemoryLedger", "UsageRecord"]


class Ledger(Protocol):
    async def tokens_used(self, session_id: str) -> int: ...
    async def calls_since(self, owner: str, since: datetime) -> int: ...
    async def unavailable_count(self, session_id: str) -> int: ...
    async def record(self, record: UsageRecord) -> None: ...


@dataclass
class MemoryLedger:
    """A ledger in memory: for tests and for running without a database."""

    records: list[UsageRecord] = field(default_factory=list)

    async def tokens_used(self, session_id: str) -> int:
        return sum(r.prompt_tokens + r.completion_tokens for r in self.records if r.session_id == session_id)

    async def calls_since(self, owner: str, since: datetime) -> int:
        return sum(1 for r in self.records if r.owner == owner and r.at >= since and r.prompt_tokens)

    async def unavailable_count(self, session_id: str) -> int:
        return sum(1 for r in self.records if r.session_id == session_id and r.outcome in UNAVAILABLE)

    async def record(self, record: UsageRecord) -> None:
        self.records.append(record)


@dataclass(frozen=True)
class Budget:
    session_tokens: int = 8000
    user_calls_per_hour: int = 30

    async def refusal(
        self, ledger: Ledger, session_id: str, owner: str, now: datetime, needed_tokens: int
    ) -> str | None:
        """Why this call may not be made, or None when it may."""
        if await ledger.tokens_used(session_id) + needed_tokens > self.session_tokens:
            return "over_budget"
        if await ledger.calls_since(owner, now - timedelta(hours=1)) >= self.user_calls_per_hour:
            return "user_limit"
        return None
