"""The face of AI help to the rest of the bot: ask for one use, get text or None.

Every use goes the same way: pseudonymise the session's texts, build the prompt (answers as
data), check the budget, call the service, check the output, put the worker's own words back
in place of the placeholders. Anything that goes wrong gives `AiReply(text=None)`, and the
caller uses our own wording; the first time in a session that the service is unavailable,
`tell_unavailable` is set so the worker is told once, kindly.

Nothing sent or received is logged: log lines carry the use, the outcome and token counts.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import structlog

from bot.assist import guard
from bot.assist.budget import UNAVAILABLE, Budget, Ledger, UsageRecord
from bot.assist.client import ModelClient
from bot.assist.names import NameIndex
from bot.assist.prompts import MAX_TOKENS, MAX_WORDS, Prompt, PromptBuilder, Use
from bot.assist.pseudonymise import Pseudonymiser
from bot.assist.uses import UseRequest
from bot.errors import AssistUnavailable

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class AiReply:
    text: str | None = None  # for the worker's eyes: re-identified and checked
    tell_unavailable: bool = False  # the first time in this session the service let us down


def _redact_all(value: Any, pseudonymiser: Pseudonymiser) -> Any:
    if isinstance(value, str):
        return pseudonymiser.redact(value)
    if isinstance(value, list):
        return [_redact_all(v, pseudonymiser) for v in value]
    if isinstance(value, dict):
        return {k: _redact_all(v, pseudonymiser) for k, v in value.items()}
    return value


def _estimate(prompt: Prompt) -> int:
    return (len(prompt.system) + len(prompt.user)) // 4 + 1


class Assistant:
    def __init__(
        self,
        client: ModelClient,
        names: NameIndex,
        budget: Budget | None = None,
        prompts: PromptBuilder | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        cache_size: int = 256,
    ) -> None:
        self.client = client
        self.names = names
        self.budget = budget or Budget()
        self.prompts = prompts or PromptBuilder()
        self.clock = clock
        self._cache: OrderedDict[str, str] = OrderedDict()  # prompt hash -> checked output (pseudonymised)
        self._cache_size = cache_size
        self._warming: asyncio.Future[None] | None = None

    @property
    def available(self) -> bool:
        return self.client.available

    def warm_up(self) -> None:
        """Start reading the name list in the background, so the first use need not wait."""
        if self._warming is None:
            self._warming = asyncio.ensure_future(self.names.ready())

    async def aclose(self) -> None:
        await self.client.aclose()

    async def run(self, request: UseRequest | None, ledger: Ledger) -> AiReply:
        if request is None:
            return AiReply()
        use: Use = request.use  # type: ignore[assignment]
        try:
            await asyncio.wait_for(self.names.ready(), timeout=self.client.policy.call_budget)
        except TimeoutError:
            return await self._fallback(request, ledger, "names_not_ready")
        pseudonymiser = Pseudonymiser(self.names, request.known_names)
        pseudonymiser.learn(request.session_texts)
        payload = _redact_all(request.payload, pseudonymiser)
        prompt = self.prompts.build(use, payload)
        key = hashlib.sha256(f"{use}\0{prompt.system}\0{prompt.user}".encode()).hexdigest()
        if key in self._cache:  # the same question again (a re-ask): no second call
            self._cache.move_to_end(key)
            return AiReply(text=pseudonymiser.reidentify(self._cache[key]))
        refusal = await self.budget.refusal(
            ledger, request.session_id, request.owner, self.clock(), _estimate(prompt) + MAX_TOKENS[use]
        )
        if refusal is not None:
            return await self._fallback(request, ledger, refusal)
        try:
            completion = await self.client.complete(prompt.system, prompt.user, max_tokens=MAX_TOKENS[use])
        except AssistUnavailable as unavailable:
            return await self._fallback(request, ledger, str(unavailable))
        checked = guard.check(
            completion.text,
            sent=prompt.system + "\n" + prompt.user,
            known_placeholder=pseudonymiser.known,
            is_name=self.names.is_name,
            max_chars=MAX_WORDS[use] * 9,
        )
        outcome = "ok" if checked.usable else "flagged"
        await ledger.record(
            UsageRecord(
                session_id=request.session_id,
                owner=request.owner,
                use=use,
                outcome=outcome,
                at=self.clock(),
                prompt_tokens=completion.prompt_tokens,
                completion_tokens=completion.completion_tokens,
            )
        )
        log.info(
            "assist.use",
            use=use,
            outcome=outcome,
            flags=list(checked.flags),
            tokens=completion.prompt_tokens + completion.completion_tokens,
        )
        if not checked.usable:
            return AiReply()
        self._cache[key] = checked.text
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return AiReply(text=pseudonymiser.reidentify(checked.text))

    async def _fallback(self, request: UseRequest, ledger: Ledger, reason: str) -> AiReply:
        earlier = await ledger.unavailable_count(request.session_id)
        await ledger.record(
            UsageRecord(
                session_id=request.session_id,
                owner=request.owner,
                use=request.use,
                outcome=reason,
                at=self.clock(),
            )
        )
        log.info("assist.use", use=request.use, outcome=reason)
        return AiReply(tell_unavailable=reason in UNAVAILABLE and earlier == 0)
