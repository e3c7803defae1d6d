"""Running the reminder runner beside a server, and stopping it cleanly."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from bot.reminders.runner import ReminderRunner
from bot.runtime import Runtime


@contextlib.asynccontextmanager
async def reminders_running(runtime: Runtime, interval: float = 30.0) -> AsyncIterator[ReminderRunner | None]:
    """Deliver due reminders every `interval` seconds while the block runs, through the
    service's outbox to every platform an adapter registered a surface for (none: no runner)."""
    outbox = runtime.service.outbox
    if not outbox.surfaces:
        yield None
        return
    runner = ReminderRunner(
        runtime.store,
        outbox,
        runtime.service.clock,
        interval=interval,
        region=runtime.settings.bank_holidays_region,
    )
    task = asyncio.create_task(runner.run_forever(), name="reminders")
    try:
        yield runner
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
