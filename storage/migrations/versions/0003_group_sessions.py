"""group supervision sessions

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.tables

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "group_sessions",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("channel_key", sa.String(length=300), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("case_ref", sa.String(length=64), nullable=True),
        sa.Column("facilitator", sa.String(length=300), nullable=False),
        sa.Column("started_at", storage.tables.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", storage.tables.UtcDateTime(timezone=True), nullable=False),
        sa.Column("ended_at", storage.tables.UtcDateTime(timezone=True), nullable=True),
        sa.Column("state", storage.tables.EncryptedText(), nullable=False),
        sa.Column("minutes", storage.tables.EncryptedText(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("group_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_group_sessions_case_ref"), ["case_ref"], unique=False)
        batch_op.create_index(batch_op.f("ix_group_sessions_channel_key"), ["channel_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_group_sessions_facilitator"), ["facilitator"], unique=False)
        batch_op.create_index(batch_op.f("ix_group_sessions_status"), ["status"], unique=False)


def downgrade() -> None:
    op.drop_table("group_sessions")
