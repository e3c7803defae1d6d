"""Statement builders for the statements a turn runs, built once with bound parameters:
SQLAlchemy then finds their compiled form by a cache key computed once per statement, not
once per execution. An INSERT or UPDATE without values() takes its columns from the
parameters it is given."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert


def upsert(
    table: Any,
    key: str,
    columns: Sequence[str],
    is_postgres: bool,
    keep: Sequence[str] = (),
    bump: str | None = None,
) -> Any:
    """INSERT, or UPDATE the row with this key (the columns in `keep` as they were; the
    counter `bump`, if any, one more than it was)."""
    statement = (pg_insert if is_postgres else sqlite_insert)(table)
    kept = {key, *keep}
    values: dict[str, Any] = {c: statement.excluded[c] for c in columns if c not in kept}
    if bump is not None:
        values[bump] = getattr(table, bump) + 1
    return statement.on_conflict_do_update(index_elements=[key], set_=values)
