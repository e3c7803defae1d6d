"""Sending what the turns stored in the outbox: in order per lane, with retries, once.

A lane (one worker on one platform and workspace, or one group channel) has at most one
sender in this process. It claims the lane's pending rows for a lease (so another process
does not send them too), sends them in id order through the platform's `Surface`, and marks
each part sent as soon as the platform took it: a process killed mid-send resumes from the
first part not yet marked. Before each post the part is marked "sending"; a sender that
finds a part so marked (its process died or was stopped mid-post) first asks the surface
whether it arrived (Slack: the message metadata every post carries, in the DM's history)
and posts it only if not. That is exactly once where the platform can be asked; where it
can't (Teams, uploads), at most the one part in flight at a crash goes twice. A turn
stores its replies already marked "sending" on their first part (in its own transaction,
leased to this process) and hands them over in memory: their first post needs no commit of
its own, and after a crash they are found so marked and asked about like any other.

Retries are tenacity's: a `Retry` from the surface (429, 5xx, a broken connection) waits
for the platform's Retry-After when it sent one, else a jittered exponential backoff; a
`GiveUp` (403, 404, a refused payload) or running out of attempts marks the row, and the
rest of its turn's replies, failed. The worker's next message then re-posts them (the
service does that, see `ReflectionService._repost`), and the surface may say so at once.

On start `resume()` sends every lane with rows left unsent (a crash, a restart).
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import functools
import os
import random
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from typing import Any, Protocol, TypeVar

import structlog
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception_type, stop_after_attempt
from tenacity.wait import wait_random_exponential

from bot.core.errors import GiveUp, Retry
from bot.core.outbox import OutboxItem
from bot.turns import Incoming, TurnResult
from storage.inbox_repository import OutboxRepository
from storage.repository import Store

log = structlog.get_logger(__name__)

ATTEMPTS = 6
MAX_WAIT_S = 30.0
# How long a sender holds rows before another process may take them over (its sender died).
LEASE = timedelta(seconds=float(os.environ.get("REFLECT_OUTBOX_LEASE_SECONDS", "60")))


class Surface(Protocol):
    """One platform's side of delivery. Adapters register one with the service."""

    platform: str

    async def prepare(self, incoming: Incoming, address: dict[str, Any]) -> tuple[Incoming, dict[str, Any]]:
        """Complete an accepted event before its turn (e.g. open the Slack DM it answers in)."""
        ...

    def parts(self, item: OutboxItem) -> Sequence[Any]:
        """The pieces one row is sent as (a long message may be several posts)."""
        ...

    async def send_part(self, item: OutboxItem, index: int, part: Any) -> None:
        """Send piece `index` of the row, marked so `delivered` can find it; raise `Retry`
        or `GiveUp`."""
        ...

    async def delivered(self, item: OutboxItem, index: int, part: Any) -> bool:
        """Did piece `index` arrive? Asked only for a piece whose post started before a
        crash or a stop and was never confirmed; raise `Retry` when the platform can't say."""
        ...

    async def gave_up(self, item: OutboxItem) -> None:
        """A row could not be delivered: tell the worker if the platform lets us."""
        ...

    async def after_turn(self, incoming: Incoming, result: TurnResult) -> None:
        """Non-durable extras once a turn's replies are stored (e.g. refresh App Home)."""
        ...


class wait_retry_after_or_jitter:
    """Retry-After plus a little jitter when the platform sent one; else jittered backoff."""

    def __init__(self, max_wait: float) -> None:
        self.max_wait = max_wait
        self.backoff = wait_random_exponential(multiplier=0.5, max=max_wait)

    def __call__(self, retry_state: RetryCallState) -> float:
        outcome = retry_state.outcome
        error = outcome.exception() if outcome is not None else None
        if isinstance(error, Retry) and error.retry_after is not None:
            return min(self.max_wait, max(0.0, error.retry_after)) + random.uniform(0, 0.25)
        return float(self.backoff(retry_state))


Sleep = Callable[[float], Awaitable[None]]
T = TypeVar("T")


class Outbox:
    def __init__(
        self,
        store: Store,
        clock: Callable[[], datetime],
        *,
        lease: timedelta = LEASE,
        attempts: int = ATTEMPTS,
        max_wait: float = MAX_WAIT_S,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.store = store
        self.clock = clock
        self.lease = lease
        self.attempts = attempts
        self.max_wait = max_wait
        self.sleep = sleep
        self.surfaces: dict[str, Surface] = {}
        self._running: dict[str, asyncio.Task[None]] = {}
        self._again: set[str] = set()  # lanes to look at in the database again
        self._queued: dict[str, collections.deque[OutboxItem]] = {}  # stored by our turns, leased to us
        self.stopping = False  # shutting down: finish the part in flight, start no other

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def register(self, surface: Surface) -> None:
        self.surfaces[surface.platform] = surface

    def serves(self, platform: str) -> bool:
        """Whether this process has a surface that sends to `platform`."""
        return platform in self.surfaces

    # ------------------------------------------------------------------ lanes

    async def enqueue(self, lane: str, items: Sequence[OutboxItem]) -> None:
        """Send rows a turn just stored (leased to this process) after what is queued."""
        if not items:
            return
        if self.stopping:  # for the next start (or another process) to send
            await self._rows(OutboxRepository.release, [item.id for item in items])
            return
        self._queued.setdefault(lane, collections.deque()).extend(items)
        self._start(lane)

    def sending(self, lane: str) -> asyncio.Task[None] | None:
        """The lane's sender task while it runs."""
        task = self._running.get(lane)
        return task if task is not None and not task.done() else None

    def kick(self, lane: str) -> asyncio.Task[None] | None:
        """Look for this lane's unsent rows in the outbox and send them; returns the task."""
        if self.stopping:
            return None  # left in the outbox for the next start
        self._again.add(lane)
        return self._start(lane)

    def _start(self, lane: str) -> asyncio.Task[None]:
        running = self._running.get(lane)
        if running is not None and not running.done():
            return running
        task = asyncio.get_running_loop().create_task(self._lane(lane), name="outbox-lane")
        self._running[lane] = task
        task.add_done_callback(functools.partial(self._finished, lane))
        return task

    def _finished(self, lane: str, task: asyncio.Task[None]) -> None:
        if self._running.get(lane) is task:
            del self._running[lane]
        if not task.cancelled() and task.exception() is not None:
            log.error("outbox.lane_failed", error=type(task.exception()).__name__)

    async def settle(self) -> None:
        while self._running:
            await asyncio.gather(*list(self._running.values()), return_exceptions=True)

    async def _settle_for(self, timeout: float) -> bool:
        """Wait up to `timeout` for every lane to finish, without cancelling any (a gather
        under wait_for would cancel them when the time is up, mid-post)."""
        deadline = asyncio.get_running_loop().time() + timeout
        while self._running:
            left = deadline - asyncio.get_running_loop().time()
            if left <= 0:
                return False
            await asyncio.wait(list(self._running.values()), timeout=left)
        return True

    async def close(self, timeout: float, in_flight: float = 10.0) -> None:
        """Stop: keep sending for `timeout` seconds; then start no new part, let the parts in
        flight finish and be marked (so the next start sends none of them twice), and after
        `in_flight` more seconds cancel what is left. Unsent rows wait for the next start."""
        await self._settle_for(timeout)
        self.stopping = True
        if not await self._settle_for(in_flight):
            log.warning("outbox.unsent_at_shutdown", lanes=len(self._running))
            for task in list(self._running.values()):
                task.cancel()
            with contextlib.suppress(Exception):
                await asyncio.gather(*list(self._running.values()), return_exceptions=True)

    async def resume(self) -> int:
        """Send every lane with rows nobody is sending (left by a crash or a restart)."""
        lanes = await self._rows(OutboxRepository.lanes_to_send, self.clock())
        for lane in lanes:
            if lane.split(":", 1)[0] in self.surfaces or _group_platform(lane) in self.surfaces:
                self.kick(lane)
        return len(lanes)

    async def _lane(self, lane: str) -> None:
        try:
            while not self.stopping:
                queued = self._queued.get(lane)
                if queued:
                    item = queued.popleft()
                    if not await self.send_item(item):
                        self._drop_turn(lane, item)
                    continue
                if lane not in self._again:
                    return
                self._again.discard(lane)
                for item in await self._rows(OutboxRepository.claim, lane, self.clock(), self.lease):
                    self._queued.setdefault(lane, collections.deque()).append(item)
        finally:
            left = self._queued.pop(lane, None)
            if left:  # stopping: give the lease back so the next start sends these at once
                with contextlib.suppress(Exception):
                    await self._rows(OutboxRepository.release, [item.id for item in left])

    async def _rows(self, call: Callable[..., Awaitable[T]], *args: Any) -> T:
        """One outbox statement in a short transaction of its own (a reply marked sent
        commits on its own, not with the next turn)."""
        async with self.store.write() as tx:
            return await call(tx.outbox, *args)

    def _drop_turn(self, lane: str, failed: OutboxItem) -> None:
        """The rest of a failed row's turn was marked failed with it: do not send it."""
        queued = self._queued.get(lane)
        if queued and failed.inbox_id is not None:
            kept = [item for item in queued if item.inbox_id != failed.inbox_id]
            queued.clear()
            queued.extend(kept)

    # ------------------------------------------------------------------ one row

    async def send_item(self, item: OutboxItem) -> bool:
        surface = self.surfaces.get(item.platform)
        if surface is None:  # another process's platform: leave it to that one
            await self._rows(OutboxRepository.release, [item.id])
            return True
        parts = surface.parts(item)
        for index in range(item.progress, len(parts)):
            if self.stopping:
                await self._rows(OutboxRepository.release, [item.id])
                return True  # not failed: it waits for the next start
            fresh = index == item.sending and item.fresh_until is not None
            if (
                index == item.sending
                and not fresh
                and await self._arrived(surface, item, index, parts[index])
            ):
                log.info("outbox.already_delivered", platform=item.platform)
            else:
                try:
                    if not (fresh and self._lease_left(item)):
                        await self._rows(
                            OutboxRepository.mark_sending, item.id, index, self.clock() + self.lease
                        )
                    await self._send(surface, item, index, parts[index])
                except (Retry, GiveUp) as error:
                    log.error(
                        "outbox.undelivered",
                        platform=item.platform,
                        kind=item.kind,
                        reason=getattr(error, "reason", type(error).__name__),
                    )
                    await self._rows(OutboxRepository.mark_failed, item, self.attempts)
                    with contextlib.suppress(Exception):
                        await surface.gave_up(item)
                    return False
            if index + 1 < len(parts):
                await self._rows(
                    OutboxRepository.mark_progress, item.id, index + 1, self.clock() + self.lease
                )
        await self._rows(OutboxRepository.mark_sent, item.id, self.clock())
        return True

    def _lease_left(self, item: OutboxItem) -> bool:
        """Whether most of the lease the turn took on a fresh row is still ahead (else the
        mark is made again, renewing the lease, before the post)."""
        return item.fresh_until is not None and self.clock() + self.lease / 2 <= item.fresh_until

    async def _arrived(self, surface: Surface, item: OutboxItem, index: int, part: Any) -> bool:
        """Whether the piece a dead sender was posting arrived; when the platform can't say
        (after the retries), post it again: twice is better than never."""
        try:
            return await self._retrying(item, surface.delivered, index, part)
        except (Retry, GiveUp) as error:
            log.warning("outbox.delivery_unknown", platform=item.platform, reason=error.reason)
            return False

    async def _send(self, surface: Surface, item: OutboxItem, index: int, part: Any) -> None:
        """Post one part with retries. A failed post that was not a throttle (a 5xx, a broken
        connection, a timeout) may have reached the platform all the same: before trying
        again, ask whether it arrived."""
        unsure = False

        async def post(item: OutboxItem, index: int, part: Any) -> None:
            nonlocal unsure
            if unsure:
                with contextlib.suppress(Retry, GiveUp):
                    if await surface.delivered(item, index, part):
                        return
            try:
                await surface.send_part(item, index, part)
            except Retry as error:
                unsure = error.retry_after is None and error.reason != "ratelimited"
                raise

        await self._retrying(item, post, index, part)

    async def _retrying(
        self, item: OutboxItem, call: Callable[[OutboxItem, int, Any], Awaitable[T]], index: int, part: Any
    ) -> T:
        """`call(item, index, part)` with tenacity's retries (see the module docstring)."""

        async def keep_lease(state: RetryCallState) -> None:
            log.info("outbox.retry", platform=item.platform, attempt=state.attempt_number)
            wait = state.upcoming_sleep
            await self._rows(
                OutboxRepository.extend, [item.id], self.clock() + self.lease + timedelta(seconds=wait)
            )

        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.attempts),
            wait=wait_retry_after_or_jitter(self.max_wait),
            retry=retry_if_exception_type(Retry),
            before_sleep=keep_lease,
            sleep=self.sleep,
            reraise=True,
        )
        result: T = await retrying(call, item, index, part)
        return result


def _group_platform(lane: str) -> str:
    # "group:<platform>:<workspace>:<channel>"
    parts = lane.split(":")
    return parts[1] if len(parts) > 1 else ""


__all__ = ["GiveUp", "Outbox", "Retry", "Surface"]
