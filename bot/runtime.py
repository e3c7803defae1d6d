"""Wiring: settings -> cipher, database, migrations, service. Shared by every command."""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import structlog

from bot.assist import build_assistant
from bot.config import Settings
from bot.service import ReflectionService
from storage.crypto import FieldCipher
from storage.database import create_engine
from storage.migrate import upgrade
from storage.repository import Store

log = structlog.get_logger(__name__)
SWEEP_S = float(os.environ.get("REFLECT_SWEEP_SECONDS", "15"))


@dataclass
class Runtime:
    settings: Settings
    store: Store
    service: ReflectionService


@asynccontextmanager
async def open_runtime(settings: Settings, migrate: bool = True) -> AsyncIterator[Runtime]:
    engine = create_engine(settings.database_url, cipher=FieldCipher.from_setting(settings.encryption_keys()))
    assistant = build_assistant(settings)  # None unless AI help is configured
    try:
        if migrate:
            await upgrade(engine)
        store = Store(engine)
        if assistant is not None:
            assistant.warm_up()
        service = ReflectionService(
            store,
            max_answer_chars=settings.max_answer_chars,
            assist=assistant,
            marking=settings.protective_marking,
        )
        yield Runtime(settings, store, service)
    finally:
        if assistant is not None:
            await assistant.aclose()
        await engine.dispose()


@asynccontextmanager
async def pipeline_running(runtime: Runtime, interval: float = SWEEP_S) -> AsyncIterator[None]:
    """Resume what a previous process left (events whose turn never ran, replies never sent),
    then sweep every `interval` seconds for what another process left (several servers on one
    PostgreSQL). Handled events and sent replies are purged by the retention job
    (bot/privacy/retention.py, REFLECT_RETENTION_DELIVERY_DAYS)."""
    service = runtime.service
    stop = asyncio.Event()

    async def sweep() -> None:
        first = True
        while not stop.is_set():
            try:
                resumed = await service.resume()
                if first and resumed:
                    log.info("pipeline.resumed", lanes=resumed)
                first = False
            except Exception as error:  # the next sweep tries again
                log.error("pipeline.sweep_failed", error=type(error).__name__)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), interval)

    task = asyncio.create_task(sweep(), name="pipeline-sweep")
    try:
        yield
    finally:
        # Let a sweep under way finish its statement rather than cut it off mid-query.
        service.stop()
        stop.set()
        try:
            await asyncio.wait_for(asyncio.shield(task), 5.0)
        except TimeoutError:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
