"""Sending activities to Teams in order, with a bounded retry for what is worth retrying.

What Teams' connector answers, and what we do:

* 2xx: sent.
* 403 (the bot was uninstalled, blocked, or removed from the conversation) and 404 (the
  conversation is gone): nothing later will succeed either. Stop, report `gone`, and the
  caller marks the conversation reference inactive so no one sends there again. Never
  retried: retrying a refusal is how retry storms start.
* 429 (throttled) and 5xx or a broken connection: retried after Retry-After (capped) or a
  short backoff, at most `attempts` times in all, then reported `failed`.
* Any other 4xx: our message is wrong; retrying won't fix it. Report `failed`.

When a message fails for good, the rest of the batch is dropped: a later part of a note
without the earlier one would mislead. Logs carry status codes and counts only.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

import aiohttp
import structlog
from microsoft_agents.activity import Activity

log = structlog.get_logger(__name__)

GONE = frozenset({403, 404})
TRANSIENT = frozenset({408, 429, 500, 502, 503, 504})
ATTEMPTS = 3
MAX_WAIT_S = 10.0

Send = Callable[[Activity], Awaitable[object]]
Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True)
class Delivery:
    sent: int = 0
    gone: bool = False  # Teams refused for good: mark the reference inactive
    failed: bool = False  # gave up (transient errors persisted, or a bad request)
    status: int | None = None  # the last error status, for logs and tests

    @property
    def ok(self) -> bool:
        return not (self.gone or self.failed)


def status_of(error: BaseException) -> int | None:
    return error.status if isinstance(error, aiohttp.ClientResponseError) else None


def _wait(error: BaseException, attempt: int) -> float:
    headers = getattr(error, "headers", None)
    retry_after = headers.get("Retry-After") if headers is not None else None
    try:
        wait = float(retry_after) if retry_after is not None else 0.5 * 2**attempt
    except ValueError:
        wait = 0.5 * 2**attempt
    return max(0.0, min(wait, MAX_WAIT_S))


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
        attempt = 0
        while True:
            try:
                await send(activity)
                sent += 1
                break
            except (aiohttp.ClientError, OSError, TimeoutError) as error:
                status = status_of(error)
                if status in GONE:
                    log.warning("teams.send_refused", status=status, sent=sent)
                    return Delivery(sent=sent, gone=True, status=status)
                attempt += 1
                transient = status is None or status in TRANSIENT
                if not transient or attempt >= attempts:
                    log.error(
                        "teams.send_failed",
                        status=status,
                        error=type(error).__name__,
                        attempts=attempt,
                        sent=sent,
                    )
                    return Delivery(sent=sent, failed=True, status=status)
                log.info("teams.send_retry", status=status, attempt=attempt)
                await sleep(_wait(error, attempt - 1))
    return Delivery(sent=sent)


__all__ = ["Delivery", "deliver", "status_of"]
