"""Optional AI help over any OpenAI-compatible endpoint; the only package that talks to one.

Nothing here is needed: with no AI configured, `build_assistant` returns None and the bot
uses its own templates throughout. See `assistant.py` for the path every use takes.
"""

from __future__ import annotations

import asyncio

import httpx2

from bot.assist.assistant import AiReply, Assistant
from bot.assist.breaker import Breaker
from bot.assist.budget import Budget
from bot.assist.client import CallPolicy, ModelClient, Sleep
from bot.assist.names import NameIndex, shared_index
from bot.assist.settings import AssistSettings
from bot.config import Settings


def build_assistant(
    settings: Settings,
    tuning: AssistSettings | None = None,
    *,
    http_client: httpx2.AsyncClient | None = None,
    names: NameIndex | None = None,
    sleep: Sleep = asyncio.sleep,
) -> Assistant | None:
    """The assistant the settings describe, or None when AI help is not configured."""
    if not settings.ai_enabled or not settings.llm_model:
        return None
    tuning = tuning or AssistSettings()
    client = ModelClient(
        model=settings.llm_model,
        api_key=settings.openai_api_key.get_secret_value() if settings.openai_api_key else None,
        base_url=settings.openai_base_url,
        api=tuning.api,
        policy=CallPolicy(
            connect_timeout=tuning.connect_timeout,
            read_timeout=tuning.read_timeout,
            call_budget=tuning.call_budget,
            attempts=tuning.attempts,
        ),
        breaker=Breaker(failures=tuning.breaker_failures, reset_after=tuning.breaker_reset),
        http_client=http_client,
        sleep=sleep,
    )
    budget = Budget(session_tokens=tuning.session_tokens, user_calls_per_hour=tuning.user_calls_per_hour)
    return Assistant(client, names or shared_index(), budget)


__all__ = ["AiReply", "AssistSettings", "Assistant", "build_assistant"]
