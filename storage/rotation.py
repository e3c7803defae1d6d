"""Re-encrypting every encrypted field with the newest key, in batches that each commit.

The column type decrypts with any configured key and encrypts with the newest, so reading a
value and writing it back is the whole rotation (plaintext left from before encryption was
switched on gets encrypted the same way). It is idempotent: an interrupted run can simply be
started again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Table, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.errors import ConfigError
from storage.crypto import FieldCipher, bind_cipher
from storage.database import storage_errors
from storage.tables import Base, EncryptedText


@dataclass(frozen=True)
class RotationReport:
    table: str
    rows: int


def encrypted_columns() -> dict[Table, list[str]]:
    found: dict[Table, list[str]] = {}
    for table in Base.metadata.sorted_tables:
        columns = [c.name for c in table.columns if isinstance(c.type, EncryptedText)]
        if columns:
            found[table] = columns
    return found


async def rotate_keys(
    engine: AsyncEngine,
    cipher: FieldCipher,
    batch_size: int = 500,
    progress: Callable[[str, int], None] | None = None,
) -> list[RotationReport]:
    if not cipher.enabled:
        raise ConfigError(["set REFLECT_ENCRYPTION_KEY (newest key first) before rotating"])
    bind_cipher(engine, cipher)
    reports = []
    for table, columns in encrypted_columns().items():
        keys = list(table.primary_key.columns)
        done = 0
        last: tuple[Any, ...] | None = None
        while True:
            query = select(*keys, *(table.c[name] for name in columns)).order_by(*keys).limit(batch_size)
            if last is not None:
                query = query.where(_after(keys, last))
            with storage_errors():
                async with engine.begin() as conn:
                    rows = (await conn.execute(query)).all()
                    for row in rows:
                        key_values = tuple(row[: len(keys)])
                        values = dict(zip(columns, row[len(keys) :], strict=True))
                        condition = [c == v for c, v in zip(keys, key_values, strict=True)]
                        await conn.execute(update(table).where(*condition).values(**values))
            if not rows:
                break
            last = tuple(rows[-1][: len(keys)])
            done += len(rows)
            if progress:
                progress(table.name, done)
        reports.append(RotationReport(table.name, done))
    return reports


def _after(keys: list[Any], last: tuple[Any, ...]) -> ColumnElement[bool]:
    if len(keys) == 1:
        return keys[0] > last[0]  # type: ignore[no-any-return]
    return tuple_(*keys) > tuple_(*last)
