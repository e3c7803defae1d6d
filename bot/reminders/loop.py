"""Running the reminder runner beside a server, and stopping it cleanly."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Mapping

from bot.reminders.runner import Deliverer, ReminderRunner
from bot.runtime import Runtime


@contextlib.asynccontextmanager
async def reminders_running(
    runtime: Runtime, deliverers: Mapping[str, Deliverer] | None = None, interval: float = 30.0
) -> AsyncIterator[ReminderRunner | None]:
    """Deliver due reminders every `interval` seconds while the block runs (none: no platform).

    Without `deliverers`, nudges go through the service's outbox, to every platform an
    adapter registered a surface for."""
    outbox = runtime.service.outbox
    if not deliverers and not outbox.surfaces:
        yield None
        return
    runner = ReminderRunner(
        runtime.store,
        deliverers or {},
        runtime.service.clock,
        interval=interval,
        outbox=None if deliverers else outbox,
    )
    task = asyncio.create_task(runner.run_forever(), name="reminders")
    try:
        yield runner
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
