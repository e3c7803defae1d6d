"""Sending to Teams in order, with a bounded, jittered retry (tenacity) for what is worth it.

What Teams' connector (or a file upload URL) answers, and what we do:

* 2xx: sent.
* 403 (the bot was uninstalled, blocked, or removed from the conversation) and 404 (the
  conversation is gone): nothing later will succeed either. Stop, report `gone`, and the
  caller marks the conversation reference inactive so no one sends there again. Never
  retried: retrying a refusal is how retry storms start.
* 412 (Precondition Failed: Teams' connector answers it while a conversation is being
  updated concurrently, and documents it as worth retrying), 429 (throttled), 408, 5xx or a
  broken connection: retried, waiting for Retry-After when Teams sent one (capped, plus a
  little jitter so many senders do not come back in step), else a jittered exponential
  backoff; at most `attempts` tries in all, then reported `failed`.
* Any other 4xx: our message is wrong; retrying won't fix it. Report `failed`.

When a message fails for good, the rest of the batch is dropped: a later part of a note
without the earlier one would mislead. Logs carry status codes and counts only.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import aiohttp
import structlog
from microsoft_agents.activity import Activity
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt
from tenacity.wait import wait_random_exponential

log = structlog.get_logger(__name__)

GONE = frozenset({403, 404})
TRANSIENT = frozenset({408, 412, 429, 500, 502, 503, 504})
ATTEMPTS = 3
MAX_WAIT_S = 10.0
JITTER_S = 0.25

Send = Callable[[Activity], Awaitable[object]]
Sleep = Callable[[float], Awaitable[None]]
T = TypeVar("T")


@dataclass(frozen=True)
class Delivery:
    sent: int = 0
    gone: bool = False  # Teams refused for good: mark the reference inactive
    failed: bool = False  # gave up (transient errors persisted, or a bad request)
    status: int | None = None  # the last error status, for logs and tests

    @property
    def ok(self) -> bool:
        return not (self.gone or self.failed)


FAILURES = (aiohttp.ClientError, OSError, TimeoutError)


def status_of(error: BaseException) -> int | None:
    return error.status if isinstance(error, aiohttp.ClientResponseError) else None


def retry_after(error: BaseException | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds form), when the error carries one."""
    headers = getattr(error, "headers", None)
    value = headers.get("Retry-After") if headers is not None else None
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None


def transient(error: BaseException) -> bool:
    status = status_of(error)
    return isinstance(error, FAILURES) and (status is None or status in TRANSIENT)


class wait_retry_after_or_backoff:
    """Retry-After (capped) plus jitter when Teams sent one; else jittered exponential backoff."""

    def __init__(self, max_wait: float = MAX_WAIT_S) -> None:
        self.max_wait = max_wait
        self.backoff = wait_random_exponential(multiplier=0.5, max=max_wait)

    def __call__(self, state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome is not None else None
        after = retry_after(error)
        if after is not None:
            return min(after, self.max_wait) + random.uniform(0, JITTER_S)
        return float(self.backoff(state))


async def with_retries(
    call: Callable[[], Awaitable[T]], *, attempts: int = ATTEMPTS, sleep: Sleep = asyncio.sleep
) -> T:
    """`call()` with the retry rule above; the last error is raised when it gives up."""

    def before_sleep(state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome is not None else None
        log.info("teams.send_retry", status=status_of(error) if error else None, attempt=state.attempt_number)

    retrying: Any = AsyncRetrying(
        retry=retry_if_exception(transient),
        stop=stop_after_attempt(attempts),
        wait=wait_retry_after_or_backoff(),
        sleep=sleep,
        before_sleep=before_sleep,
        reraise=True,
    )
    result: T = await retrying(call)  # reraise: the last error itself when it gives up
    return result


async def deliver(
    send: Send,
    activities: Sequence[Activity],
    *,
    attempts: int = ATTEMPTS,
    sleep: Sleep = asyncio.sleep,
) -> Delivery:
    """Send each activity in order; see the module docstring for what is retried."""
    sent = 0
    for activity in activities:
        tries = 0

        async def once(activity: Activity = activity) -> object:
            nonlocal tries
            tries += 1
            return await send(activity)

        try:
            await with_retries(once, attempts=attempts, sleep=sleep)
        except FAILURES as error:
            status = status_of(error)
            if status in GONE:
                log.warning("teams.send_refused", status=status, sent=sent)
                return Delivery(sent=sent, gone=True, status=status)
            log.error(
                "teams.send_failed", status=status, error=type(error).__name__, attempts=tries, sent=sent
            )
            return Delivery(sent=sent, failed=True, status=status)
        sent += 1
    return Delivery(sent=sent)


__all__ = ["Delivery", "deliver", "retry_after", "status_of", "transient", "with_retries"]
