"""Exports held for Teams' file consent card (issue 16)

Revision ID: 0180
Revises: 0140
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.tables

revision: str = "0180"
down_revision: str | None = "0160"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "teams_held_files",
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("reference_key", sa.String(length=300), nullable=False),
        sa.Column("user_id", sa.String(length=200), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("mime", sa.String(length=100), nullable=False),
        sa.Column("title", storage.tables.EncryptedText(), nullable=False),
        sa.Column("data", storage.tables.EncryptedText(), nullable=False),
        sa.Column("created_at", storage.tables.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("token"),
    )
    with op.batch_alter_table("teams_held_files", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_teams_held_files_created_at"), ["created_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("teams_held_files", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_teams_held_files_created_at"))
    op.drop_table("teams_held_files")
