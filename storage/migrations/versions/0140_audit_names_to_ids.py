"""audit trail without names (issue 15): export rows written before it named the person or
team exported ("Worker A", "Harbour Team") in target_id; they now hold the id the export was
asked for (from the row's own scope), and the rewrite is itself audited

The audit trail is append-only (triggers from migration 0002). This one-off correction lifts
the update trigger for its own statements only, inside the migration's transaction, and puts
it back before the transaction ends; a row "audit_rewritten" records how many rows changed.
Nothing else in any row is touched. There is no way back: downgrading leaves the ids.

Revision ID: 0140
Revises: 0100
Create Date: 2026-12-01
"""

import json
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import storage.tables

revision: str = "0140"
down_revision: str | None = "0120"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_AUDIT = sa.table(
    "audit_events",
    sa.column("id", sa.Integer()),
    sa.column("at", storage.tables.UtcDateTime()),
    sa.column("actor", sa.String()),
    sa.column("action", sa.String()),
    sa.column("target_kind", sa.String()),
    sa.column("target_id", sa.String()),
    sa.column("detail", sa.Text()),
)


def _id_for(actor: str, kind: str, target: str | None, detail: str) -> str | None:
    """The id an export row should name: what its scope asked for (never the shown name)."""
    try:
        scope = json.loads(detail).get("scope") or {}
    except (ValueError, AttributeError):
        scope = {}
    if kind == "own":
        return actor
    if kind in ("worker", "team", "case"):
        value = scope.get(kind)
        return str(value) if value else None
    return target


def upgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(
            _AUDIT.c.id, _AUDIT.c.actor, _AUDIT.c.target_kind, _AUDIT.c.target_id, _AUDIT.c.detail
        ).where(_AUDIT.c.action == "exported")
    ).all()
    changes = [
        (r.id, new)
        for r in rows
        if (new := _id_for(r.actor, r.target_kind, r.target_id, r.detail)) != r.target_id
    ]
    if not changes:
        return
    dialect = bind.dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_update")
    elif dialect == "postgresql":
        op.execute("ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_change")
    for row_id, new in changes:
        bind.execute(sa.update(_AUDIT).where(_AUDIT.c.id == row_id).values(target_id=new))
    if dialect == "sqlite":
        op.execute(storage.tables.AUDIT_TRIGGERS_SQLITE[0])
    elif dialect == "postgresql":
        op.execute("ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_change")
    op.bulk_insert(
        _AUDIT,
        [
            {
                "at": datetime.now(UTC),
                "actor": "migration:0140",
                "action": "audit_rewritten",
                "target_kind": "audit",
                "target_id": None,
                "detail": json.dumps({"rows": len(changes), "change": "export_target_name_to_id"}),
            }
        ],
    )


def downgrade() -> None:
    """The names are not put back."""
