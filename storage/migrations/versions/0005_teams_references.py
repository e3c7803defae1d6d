"""Teams conversation references for proactive messages (issue 4)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.tables

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "teams_references",
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("tenant_id", sa.String(length=100), nullable=False),
        sa.Column("conversation_type", sa.String(length=20), nullable=False),
        sa.Column("user_id", sa.String(length=200), nullable=True),
        sa.Column("reference", storage.tables.EncryptedText(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("inactive_reason", sa.String(length=40), nullable=True),
        sa.Column("greeted_at", storage.tables.UtcDateTime(timezone=True), nullable=True),
        sa.Column("updated_at", storage.tables.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    with op.batch_alter_table("teams_references", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_teams_references_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("teams_references", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_teams_references_user_id"))
    op.drop_table("teams_references")
