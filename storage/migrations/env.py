"""Alembic environment. Runs on a connection handed in by `storage.migrate`, or opens
one from REFLECT_DATABASE_URL when run by the alembic command line."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from storage.tables import Base

target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_from_url() -> None:
    import os

    from storage.crypto import FieldCipher
    from storage.database import DEFAULT_DATABASE_URL, create_engine

    # Data migrations (0050) read and write encrypted columns: the same key as the bot.
    cipher = FieldCipher.from_setting(os.environ.get("REFLECT_ENCRYPTION_KEY"))
    engine = create_engine(os.environ.get("REFLECT_DATABASE_URL") or DEFAULT_DATABASE_URL, cipher=cipher)
    async with engine.connect() as connection:
        await connection.run_sync(_run)
        await connection.commit()
    await engine.dispose()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    asyncio.run(_run_from_url())
