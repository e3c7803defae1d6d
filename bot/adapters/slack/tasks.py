"""Background work after the acknowledgement, kept where it can be seen and awaited.

Slack wants an answer within 3 seconds; a turn (database, a note, an upload, perhaps AI help)
may take longer. Every listener therefore acknowledges first and hands the work to
`Tasks.spawn`. The event loop holds only weak references to tasks, so without this set a
running turn could be garbage-collected mid-way; and on shutdown `close()` lets in-flight
turns finish (their transactions commit or roll back whole) before the database closes.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Coroutine
from typing import Any, TypeVar

import structlog

log = structlog.get_logger(__name__)

T = TypeVar("T")


class Tasks:
    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()

    def __len__(self) -> int:
        return len(self._tasks)

    def spawn(self, work: Coroutine[Any, Any, T], name: str) -> asyncio.Task[T]:
        task = asyncio.get_running_loop().create_task(work, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._finished)
        return task

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            # The type only: an exception's message can quote the text being handled.
            log.error("slack.task_failed", task=task.get_name(), error=type(task.exception()).__name__)

    async def settle(self) -> None:
        """Wait until no work is left, including work spawned by work that was running."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def close(self, timeout: float = 10.0) -> None:
        """Let running work finish for up to `timeout` seconds, then cancel what is left."""
        try:
            await asyncio.wait_for(self.settle(), timeout)
        except TimeoutError:
            log.warning("slack.tasks_cancelled", count=len(self._tasks))
            for task in list(self._tasks):
                task.cancel()
            with contextlib.suppress(Exception):
                await asyncio.gather(*list(self._tasks), return_exceptions=True)
