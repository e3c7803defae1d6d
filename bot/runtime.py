"""Wiring: settings -> cipher, database, migrations, service. Shared by every command."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from bot.assist import build_assistant
from bot.config import Settings
from bot.service import ReflectionService
from storage.crypto import FieldCipher
from storage.database import create_engine
from storage.migrate import upgrade
from storage.repository import Store


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
        service = ReflectionService(store, max_answer_chars=settings.max_answer_chars, assist=assistant)
        yield Runtime(settings, store, service)
    finally:
        if assistant is not None:
            await assistant.aclose()
        await engine.dispose()
