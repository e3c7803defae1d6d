"""The daily retention purge, run beside the server like the reminder runner.

Deleting on time is part of the retention promise, so the server runs the purge itself
rather than relying on an operator's cron. Each run is one transaction and one audit row;
a failed run is logged (counts and error type only) and tried again at the next interval.
Several server processes may each run it: a purge is idempotent, so a second run finds
nothing left to delete.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime

import structlog

from bot.privacy.retention import purge
from bot.privacy.settings import RetentionSettings
from storage.repository import Store

DAY = 24 * 60 * 60.0
log = structlog.get_logger("reflect.privacy")


def _utc_now() -> datetime:
    return datetime.now(UTC)


async def purge_forever(
    store: Store, settings: RetentionSettings, clock: Callable[[], datetime], interval: float
) -> None:
    while True:
        try:
            report = await purge(store, clock(), settings=settings)
            log.info(
                "retention_purge", deleted=report.total, **{f"n_{k}": v for k, v in report.counts.items()}
            )
        except Exception as error:  # keep the server up; the next run tries again
            log.error("retention_purge_failed", error_type=type(error).__name__)
        await asyncio.sleep(interval)


@contextlib.asynccontextmanager
async def purge_running(
    store: Store,
    settings: RetentionSettings | None = None,
    clock: Callable[[], datetime] = _utc_now,
    interval: float = DAY,
) -> AsyncIterator[asyncio.Task[None]]:
    """Purge expired records now and then every `interval` seconds while the block runs."""
    task = asyncio.create_task(
        purge_forever(store, settings or RetentionSettings(), clock, interval), name="retention-purge"
    )
    try:
        yield task
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
