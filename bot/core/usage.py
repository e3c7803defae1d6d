"""A record of one use of the AI service: counts and outcome only, never what was sent.

Shared by `bot.assist.budget` (which decides from these) and storage (which keeps them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

# Outcomes after which the worker is told, once, that AI help is unavailable.
UNAVAILABLE = frozenset(
    {"breaker_open", "timeout", "connection", "server_error", "rate_limited", "refused", "malformed",
     "over_budget", "user_limit", "names_not_ready"}
)  # fmt: skip


@dataclass(frozen=True)
class UsageRecord:
    session_id: str
    owner: str
    use: str  # challenge | followup | summary | synthesis
    outcome: str  # ok | flagged | one of UNAVAILABLE
    at: datetime
    prompt_tokens: int = 0
    completion_tokens: int = 0
