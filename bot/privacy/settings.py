"""Retention periods from the environment, one per record type (REFLECT_RETENTION_<TYPE>_DAYS).

Kept apart from `bot.config.Settings` because only the purge needs them, and a council's
information governance team sets them, not the operator who deploys the bot. The defaults
are a starting point, documented in docs/data-protection.md, for the council to confirm.
"""

from __future__ import annotations

from datetime import timedelta

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

SIX_YEARS_DAYS = 6 * 365 + 2  # six years, counting the leap days in any six-year span


def _env(name: str) -> AliasChoices:
    return AliasChoices(name, name.lower())


class RetentionSettings(BaseSettings):
    """Days each record type is kept after the moment its retention clock starts."""

    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    # Sessions with their answers, hypotheses, actions, notes, sign-offs and amendments;
    # the clock starts when the session ended (or was last touched, if it never ended).
    sessions_days: int = Field(SIX_YEARS_DAYS, ge=1, validation_alias=_env("REFLECT_RETENTION_SESSIONS_DAYS"))
    group_sessions_days: int = Field(
        SIX_YEARS_DAYS, ge=1, validation_alias=_env("REFLECT_RETENTION_GROUP_SESSIONS_DAYS")
    )
    # Reminders delivered, cancelled or failed; pending ones are never purged.
    reminders_days: int = Field(90, ge=1, validation_alias=_env("REFLECT_RETENTION_REMINDERS_DAYS"))
    processed_events_days: int = Field(
        30, ge=1, validation_alias=_env("REFLECT_RETENTION_PROCESSED_EVENTS_DAYS")
    )
    # The inbox and outbox: events handled and replies sent (or given up on), kept longer
    # than any platform retries a delivery, so a late retry is still recognised.
    delivery_days: int = Field(7, ge=1, validation_alias=_env("REFLECT_RETENTION_DELIVERY_DAYS"))
    ai_usage_days: int = Field(365, ge=1, validation_alias=_env("REFLECT_RETENTION_AI_USAGE_DAYS"))
    # Teams conversation references once Teams said the bot was removed; active ones are kept.
    teams_references_days: int = Field(
        90, ge=1, validation_alias=_env("REFLECT_RETENTION_TEAMS_REFERENCES_DAYS")
    )
    # Conversation control state (which step a chat is on), after it was last touched.
    conversations_days: int = Field(
        SIX_YEARS_DAYS, ge=1, validation_alias=_env("REFLECT_RETENTION_CONVERSATIONS_DAYS")
    )

    def period(self, record_type: str) -> timedelta:
        return timedelta(days=int(getattr(self, f"{record_type}_days")))


def load_retention() -> RetentionSettings:
    return RetentionSettings()
