"""legal holds (issue 7): append-only holds on a person or case, and their releases

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.tables

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "legal_holds",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("reason", storage.tables.EncryptedText(), nullable=False),
        sa.Column("created_at", storage.tables.UtcDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=300), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("legal_holds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_legal_holds_subject"), ["subject"], unique=False)
    op.create_table(
        "legal_hold_releases",
        sa.Column("hold_id", sa.Integer(), nullable=False),
        sa.Column("released_at", storage.tables.UtcDateTime(timezone=True), nullable=False),
        sa.Column("released_by", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(["hold_id"], ["legal_holds.id"]),
        sa.PrimaryKeyConstraint("hold_id"),
    )


def downgrade() -> None:
    op.drop_table("legal_hold_releases")
    op.drop_table("legal_holds")
