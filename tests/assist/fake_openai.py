"""A local OpenAI-compatible server for tests: both /v1/chat/completions and /v1/responses.

It records exactly what it received (the raw body of every request) and answers from a
script: each scripted step is used once, in order, then it falls back to a default answer
written from the request (a challenge, follow-up, summary or synthesis that reuses the first
[PERSON_n] placeholder it was sent, so tests can check re-identification on our side).
Bound to 127.0.0.1 only.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


@dataclass
class Scripted:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    text: str | None = None  # the model's answer (200 only)
    raw: str | None = None  # a raw body instead of JSON (malformed answers)
    hang: bool = False  # never answer (until the server stops)


@dataclass
class Received:
    path: str
    body: str  # exactly the bytes we were sent, decoded

    @property
    def json(self) -> dict[str, Any]:
        return json.loads(self.body)  # type: ignore[no-any-return]

    @property
    def system(self) -> str:
        data = self.json
        if "messages" in data:
            return str(next(m["content"] for m in data["messages"] if m["role"] == "system"))
        return str(data.get("instructions", ""))

    @property
    def user(self) -> str:
        data = self.json
        if "messages" in data:
            return str(next(m["content"] for m in data["messages"] if m["role"] == "user"))
        return str(data.get("input", ""))


def default_answer(received: Received) -> str:
    system = received.system
    person = re.search(r"\[PERSON_\d+\]", received.user)
    who = person.group(0) if person else "the parent"
    if "devil's advocate" in system:
        return (
            f"If {who} were only going along on the surface, what would you expect to see?\n"
            "Which of your observations would look different if the leading view were wrong?"
        )
    if "follow-up" in system:
        return f"What did you see or hear close up, around {who}?"
    if "synthesis" in system:
        return "The group shares a worry about who is caring for the child; they differ on why."
    return f"The worker reflected on a visit involving {who}. Hypotheses are provisional."


class FakeOpenAI:
    def __init__(self, answer: Callable[[Received], str] = default_answer) -> None:
        self.received: list[Received] = []
        self.script: list[Scripted] = []
        self.answer = answer
        self._release = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    async def start(self) -> FakeOpenAI:
        app = web.Application()
        app.router.add_post("/v1/chat/completions", self._handle)
        app.router.add_post("/v1/responses", self._handle)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def stop(self) -> None:
        self._release.set()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def bodies(self) -> str:
        """Everything the server was ever sent, as one string."""
        return "\n".join(r.body for r in self.received)

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        received = Received(request.path, (await request.read()).decode())
        self.received.append(received)
        step = self.script.pop(0) if self.script else Scripted()
        if step.hang:
            await self._release.wait()
            return web.Response(status=504)
        if step.raw is not None:
            return web.Response(status=step.status, text=step.raw, content_type="application/json")
        if step.status != 200:
            body = {"error": {"message": "scripted failure", "type": "server_error"}}
            return web.json_response(body, status=step.status, headers=step.headers)
        text = step.text if step.text is not None else self.answer(received)
        return web.json_response(_shape(request.path, received, text), headers=step.headers)


def _shape(path: str, received: Received, text: str) -> dict[str, Any]:
    if path.endswith("/responses"):
        return {
            "id": "resp_test",
            "object": "response",
            "created_at": 1,
            "model": received.json.get("model", "test"),
            "status": "completed",
            "output": [
                {
                    "type": "message",
                    "id": "msg_test",
                    "role": "assistant",
                    "status": "completed",
                    "content": [{"type": "output_text", "text": text, "annotations": []}],
                }
            ],
            "usage": {"input_tokens": 120, "output_tokens": 30, "total_tokens": 150},
        }
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 1,
        "model": received.json.get("model", "test"),
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 120, "completion_tokens": 30, "total_tokens": 150},
    }
