"""Tunables for AI help, read from the environment next to the main settings.

The endpoint itself (OPENAI_API_KEY, OPENAI_BASE_URL, REFLECT_LLM_MODEL) lives in
`bot.config.Settings`; these only shape how carefully we use it. Defaults are chosen so a
slow or failing service can never hold a worker up for long: a call has a total budget of a
few seconds, after which our own wording is used.
"""

from __future__ import annotations

from typing import Literal

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def _env(name: str) -> AliasChoices:
    return AliasChoices(name, name.lower())


class AssistSettings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    # "chat": POST /chat/completions (OpenAI, Azure OpenAI, most local servers);
    # "responses": POST /responses (OpenAI's newer shape).
    api: Literal["chat", "responses"] = Field("chat", validation_alias=_env("REFLECT_LLM_API"))
    connect_timeout: float = Field(3.0, gt=0, validation_alias=_env("REFLECT_LLM_CONNECT_TIMEOUT"))
    read_timeout: float = Field(10.0, gt=0, validation_alias=_env("REFLECT_LLM_READ_TIMEOUT"))
    # The whole call, retries and waits included. Past it, the worker gets our own wording.
    call_budget: float = Field(12.0, gt=0, validation_alias=_env("REFLECT_LLM_CALL_BUDGET"))
    attempts: int = Field(3, ge=1, le=10, validation_alias=_env("REFLECT_LLM_ATTEMPTS"))
    breaker_failures: int = Field(3, ge=1, validation_alias=_env("REFLECT_LLM_BREAKER_FAILURES"))
    breaker_reset: float = Field(60.0, gt=0, validation_alias=_env("REFLECT_LLM_BREAKER_RESET"))
    session_tokens: int = Field(8000, ge=500, validation_alias=_env("REFLECT_LLM_SESSION_TOKENS"))
    user_calls_per_hour: int = Field(30, ge=1, validation_alias=_env("REFLECT_LLM_USER_CALLS_PER_HOUR"))
