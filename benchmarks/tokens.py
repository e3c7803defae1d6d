"""Tokens per session with AI on, for a short and a long reflection.

The same scripted reflection is typed twice through the real service with AI help pointed at
the test suite's local OpenAI-compatible server: once as written, once with every free-text
answer ten times as long. What we send is counted from the request bodies the server
received (characters / 4, the estimate the assistant's own budget uses; no tokenizer is
installed), plus the answers it returned. Each call's context must not grow with the
transcript: the long session may cost more per call only by the longer answers quoted.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from benchmarks.common import REFLECTION, Result
from bot.assist import build_assistant
from bot.config import Settings
from bot.service import ReflectionService
from bot.turns import ConversationKey, Incoming
from storage.database import create_engine
from storage.migrate import upgrade
from storage.repository import Store
from tests.assist.fake_openai import FakeOpenAI, Received, default_answer

LONG_FACTOR = 10


def _long(line: str) -> str:
    if len(line) < 20 or "\n" in line or " / " in line:  # choices, commands and lists stay as typed
        return line
    return " ".join([line] * LONG_FACTOR)


def _tokens(received: Received) -> tuple[int, int]:
    """(prompt tokens, completion tokens), estimated as characters / 4."""
    return (len(received.system) + len(received.user)) // 4 + 1, len(default_answer(received)) // 4 + 1


async def _session(script: list[str], tmp: Path, name: str) -> dict[str, float]:
    ai = await FakeOpenAI().start()
    settings = Settings(
        database_url=f"sqlite:///{tmp / f'{name}.db'}",
        openai_base_url=ai.base_url,
        openai_api_key="sk-bench",
        llm_model="bench-model",
    )
    assistant = build_assistant(settings)
    assert assistant is not None
    assistant.warm_up()
    engine = create_engine(settings.database_url)
    await upgrade(engine)
    store = Store(engine)
    try:
        service = ReflectionService(store, assist=assistant)
        key = ConversationKey("slack", "T1", "D1", f"U{name}")
        for i, line in enumerate(script):
            await service.handle(Incoming(key=key, text=line.format(n=1), event_id=f"{name}-{i}"))
    finally:
        await assistant.aclose()
        await store.close()
        await ai.stop()
    counted = [_tokens(r) for r in ai.received]
    typed = sum(len(line) for line in script) // 4
    return {
        "calls": len(counted),
        "tokens": sum(p + c for p, c in counted),
        "max_prompt": max((p for p, _ in counted), default=0),
        "typed": typed,
    }


async def bench() -> list[Result]:
    with tempfile.TemporaryDirectory() as tmp:
        short = await _session(REFLECTION, Path(tmp), "short")
        long = await _session([_long(line) for line in REFLECTION], Path(tmp), "long")
    growth = long["max_prompt"] / max(1, short["max_prompt"])
    transcript_growth = long["typed"] / max(1, short["typed"])
    return [
        Result(
            name="Tokens per session with AI on",
            metrics={
                "short_transcript_tokens": int(short["typed"]),
                "short_ai_calls": int(short["calls"]),
                "short_tokens_per_session": int(short["tokens"]),
                "short_max_prompt_tokens": int(short["max_prompt"]),
                "long_transcript_tokens": int(long["typed"]),
                "long_ai_calls": int(long["calls"]),
                "long_tokens_per_session": int(long["tokens"]),
                "long_max_prompt_tokens": int(long["max_prompt"]),
                "max_prompt_growth": growth,
                "transcript_growth": transcript_growth,
            },
            target="context not growing with the transcript",
            met=growth < transcript_growth / 2,
            note=f"long = free-text answers x{LONG_FACTOR}; tokens estimated as characters / 4",
        )
    ]
