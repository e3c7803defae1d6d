"""The one place that talks to an OpenAI-compatible service (OpenAI, Azure OpenAI, a local server).

Why it is shaped like this:

* The openai client's own retries are off (`max_retries=0`): tenacity owns retries, so there
  is exactly one retry policy to reason about and test.
* Retries use jittered exponential backoff, except that a 429 or 503 with `Retry-After`
  waits as long as the service asked, provided that still fits the call's budget.
* Every call has a total time budget (`call_budget`, retries and waits included). Past it
  the caller gets `AssistUnavailable` and uses our own wording: a worker is never held up.
* A circuit breaker stops us hammering a service that keeps failing.
* The transport is injectable (`http_client`), so tests point it at a local server.
* No tools are ever offered to the model, and nothing sent or received is logged: log lines
  carry the outcome, the attempt count and timings only.

Errors: everything that goes wrong here becomes `AssistUnavailable` with a short reason code
("breaker_open", "timeout", "server_error", "rate_limited", "refused", "malformed", "connection").
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal
from urllib.parse import urlparse

import httpx2
import openai
import structlog
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt, stop_before_delay
from tenacity.wait import wait_base, wait_random_exponential

from bot.assist.breaker import Breaker
from bot.errors import AssistUnavailable

log = structlog.get_logger(__name__)

# The openai SDK logs request bodies at DEBUG when OPENAI_LOG=debug is set: never for us.
for _name in ("openai", "httpx2", "httpcore2"):
    logging.getLogger(_name).setLevel(logging.WARNING)

ApiShape = Literal["chat", "responses"]
Sleep = Callable[[float], Awaitable[None]]
_RETRY_STATUSES = {408, 409, 429}
_AZURE_HOSTS = (".openai.azure.com", ".cognitiveservices.azure.com", ".services.ai.azure.com")


@dataclass(frozen=True)
class Completion:
    text: str
    prompt_tokens: int
    completion_tokens: int


@dataclass(frozen=True)
class CallPolicy:
    connect_timeout: float = 3.0
    read_timeout: float = 10.0
    call_budget: float = 12.0  # seconds for the whole call, retries included
    attempts: int = 3
    backoff_max: float = 4.0


def _transient(error: BaseException) -> bool:
    """Worth another try: timeouts, dropped connections, 408/409/429 and 5xx."""
    if isinstance(error, openai.APIConnectionError):  # includes APITimeoutError
        return True
    if isinstance(error, openai.APIStatusError):
        return error.status_code in _RETRY_STATUSES or error.status_code >= 500
    return False


def retry_after_seconds(error: BaseException | None, now: datetime | None = None) -> float | None:
    """What a 429 or 503 asked us to wait (`retry-after-ms`, `Retry-After` seconds or HTTP date)."""
    if not isinstance(error, openai.APIStatusError) or error.status_code not in (429, 503):
        return None
    headers = error.response.headers
    millis = headers.get("retry-after-ms")
    if millis:
        try:
            return max(0.0, float(millis) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class wait_retry_after_or_backoff(wait_base):  # named in tenacity's style
    """Honour Retry-After when the service sent one; otherwise jittered exponential backoff."""

    def __init__(self, backoff: wait_base) -> None:
        self.backoff = backoff

    def __call__(self, retry_state: RetryCallState) -> float:
        outcome = retry_state.outcome
        hinted = retry_after_seconds(outcome.exception() if outcome is not None else None)
        return hinted if hinted is not None else float(self.backoff(retry_state))


def _reason(error: BaseException) -> str:
    if isinstance(error, openai.APITimeoutError | TimeoutError):
        return "timeout"
    if isinstance(error, openai.APIConnectionError):
        return "connection"
    if isinstance(error, openai.RateLimitError):
        return "rate_limited"
    if isinstance(error, openai.APIStatusError):
        return "server_error" if error.status_code >= 500 else "refused"
    return "malformed"


def is_azure(base_url: str | None) -> bool:
    host = urlparse(base_url or "").hostname or ""
    return host.endswith(_AZURE_HOSTS)


class ModelClient:
    """Sends one system prompt and one user message; returns the text and token counts."""

    def __init__(
        self,
        *,
        model: str,
        api_key: str | None,
        base_url: str | None,
        api: ApiShape = "chat",
        policy: CallPolicy | None = None,
        breaker: Breaker | None = None,
        http_client: httpx2.AsyncClient | None = None,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.model = model
        self.api = api
        self.policy = policy or CallPolicy()
        self.breaker = breaker or Breaker()
        self.sleep = sleep
        headers: dict[str, str] = {}
        if api_key and is_azure(base_url):
            # Azure OpenAI's v1 endpoint (…/openai/v1/) takes the key in its own header.
            headers["api-key"] = api_key
        self._client = openai.AsyncOpenAI(
            api_key=api_key or "not-needed",  # local servers often need none
            base_url=base_url,
            max_retries=0,
            timeout=httpx2.Timeout(self.policy.read_timeout, connect=self.policy.connect_timeout),
            http_client=http_client,
            default_headers=headers or None,
        )

    async def aclose(self) -> None:
        await self._client.close()

    @property
    def available(self) -> bool:
        """False while the breaker is open: callers can skip AI steps without trying."""
        return self.breaker.state != "open"

    async def complete(self, system: str, user: str, *, max_tokens: int) -> Completion:
        if not self.breaker.allow():
            raise AssistUnavailable("breaker_open")
        started = time.monotonic()
        attempts = 0
        try:
            async with asyncio.timeout(self.policy.call_budget):
                retrying = AsyncRetrying(
                    stop=stop_after_attempt(self.policy.attempts)
                    | stop_before_delay(self.policy.call_budget),
                    wait=wait_retry_after_or_backoff(
                        wait_random_exponential(multiplier=0.5, max=self.policy.backoff_max)
                    ),
                    retry=retry_if_exception(_transient),
                    sleep=self.sleep,
                    reraise=True,
                )
                async for attempt in retrying:
                    with attempt:
                        attempts += 1
                        result = await self._send(system, user, max_tokens)
        except Exception as error:  # every failure becomes a fallback, never a stalled turn
            self.breaker.failed()
            reason = _reason(error)
            log.info(  # routine: the caller falls back (and the terminal chat stays quiet)
                "assist.call_failed",
                reason=reason,
                attempts=attempts,
                ms=round((time.monotonic() - started) * 1000),
                breaker=self.breaker.state,
            )
            raise AssistUnavailable(reason) from None
        self.breaker.succeeded()
        log.info("assist.call_ok", attempts=attempts, ms=round((time.monotonic() - started) * 1000))
        return result

    async def _send(self, system: str, user: str, max_tokens: int) -> Completion:
        if self.api == "responses":
            response: Any = await self._client.responses.create(
                model=self.model,
                instructions=system,
                input=user,
                max_output_tokens=max_tokens,
                store=False,  # nothing kept on the service's side
            )
            text = response.output_text
            usage = getattr(response, "usage", None)
            prompt = getattr(usage, "input_tokens", None)
            completion = getattr(usage, "output_tokens", None)
        else:
            response = await self._client.chat.completions.create(
                model=self.model,
                messages=[{"role": "system", "content": system}, {"role": "user", "content": user}],
                max_completion_tokens=max_tokens,
            )
            text = response.choices[0].message.content
            usage = getattr(response, "usage", None)
            prompt = getattr(usage, "prompt_tokens", None)
            completion = getattr(usage, "completion_tokens", None)
        if not isinstance(text, str) or not text.strip():
            raise ValueError("no text in the answer")
        return Completion(
            text=text,
            prompt_tokens=prompt if isinstance(prompt, int) else _estimate_tokens(system + user),
            completion_tokens=completion if isinstance(completion, int) else _estimate_tokens(text),
        )


def _estimate_tokens(text: str) -> int:
    """About four characters a token: good enough for a budget when the service sends no usage."""
    return max(1, len(text) // 4)
