"""What a facilitated group supervision session remembers: re-exported from `bot.core.group`,
where storage can reach it without importing the engine."""

from __future__ import annotations

from bot.core.group import Contribution, ContributionKind, GroupSession, GroupStatus, Participant

__all__ = ["Contribution", "ContributionKind", "GroupSession", "GroupStatus", "Participant"]
