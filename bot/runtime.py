"""Wiring: settings -> cipher, database, migrations, service. Shared by every command.

`Runtime` and `pipeline_running` live beside the service (bot/service.py), which adapters
may import; they are re-exported here for the entry points."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from bot.assist import build_assistant
from bot.config import Settings
from bot.service import ReflectionService, Runtime, pipeline_running
from storage.crypto import FieldCipher
from storage.database import create_engine
from storage.migrate import upgrade
from storage.repository import Store

__all__ = ["Runtime", "open_runtime", "pipeline_running"]


@asynccontextmanager
async def open_runtime(settings: Settings, migrate: bool = True) -> AsyncIterator[Runtime]:
    engine = create_engine(settings.database_url, cipher=FieldCipher.from_setting(settings.encryption_keys()))
    assistant = build_assistant(settings)  # None unless AI help is configured
    store: Store | None = None
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
            bank_holidays_region=settings.bank_holidays_region,
            word_template=Path(settings.export_word_template) if settings.export_word_template else None,
            logo=Path(settings.export_logo) if settings.export_logo else None,
        )
        yield Runtime(settings, store, service)
    finally:
        if assistant is not None:
            await assistant.aclose()
        await (store.close() if store is not None else engine.dispose())
