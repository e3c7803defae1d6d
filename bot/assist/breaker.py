"""A small circuit breaker, so a failing AI service is left alone for a while.

Why our own: pybreaker's asyncio support goes through Tornado, aiobreaker has had no release
since 2021, and what we need is a dozen lines with a clock a test can move. The rules:

* closed: calls go through; `failures` failed calls in a row open the breaker;
* open: calls are refused at once (the caller falls back) until `reset_after` seconds pass;
* half-open: one trial call goes through; success closes the breaker, failure opens it again.

A "call" is one whole use of the service (after its retries), so one slow answer does not
count three times.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Literal

State = Literal["closed", "open", "half_open"]


class Breaker:
    def __init__(
        self, failures: int = 3, reset_after: float = 60.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.threshold = failures
        self.reset_after = reset_after
        self.clock = clock
        self._failures = 0
        self._opened_at: float | None = None
        self._trial_running = False

    @property
    def state(self) -> State:
        if self._opened_at is None:
            return "closed"
        if self.clock() - self._opened_at >= self.reset_after:
            return "half_open"
        return "open"

    def allow(self) -> bool:
        """May a call go through now? In half-open, only one trial at a time."""
        state = self.state
        if state == "closed":
            return True
        if state == "half_open" and not self._trial_running:
            self._trial_running = True
            return True
        return False

    def succeeded(self) -> None:
        self._failures = 0
        self._opened_at = None
        self._trial_running = False

    def failed(self) -> None:
        self._trial_running = False
        self._failures += 1
        if self._opened_at is not None or self._failures >= self.threshold:
            self._opened_at = self.clock()
