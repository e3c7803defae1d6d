"""A tag added to every audit row written while it is set: how a command-line process names
the login that ran it (bot/operator.py) without the audit code having to know."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import event

from storage.tables import AuditEventRow

_sources: list[Callable[[], tuple[str, dict[str, str]] | None]] = []


def _tag(_mapper: Any, _connection: Any, row: AuditEventRow) -> None:
    for source in _sources:
        found = source()
        if found is None:
            continue
        key, value = found
        try:
            detail = json.loads(row.detail) if row.detail else {}
        except ValueError:
            detail = {"detail": row.detail}
        if not isinstance(detail, dict):
            detail = {"detail": detail}
        detail[key] = value
        row.detail = json.dumps(detail, sort_keys=True, default=str)


def tag_audit_rows(source: Callable[[], tuple[str, dict[str, str]] | None]) -> None:
    """Add `source()`'s (key, value) to the detail of each audit row inserted from now on,
    whenever it returns one. Registering the same source twice adds it once."""
    if not _sources:
        event.listen(AuditEventRow, "before_insert", _tag)
    if source not in _sources:
        _sources.append(source)
