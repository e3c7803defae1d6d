"""work patterns (issue 16): working days and hours, bank-holiday region, leave, own check-in

Revision ID: 0120
Revises: 0100
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.tables

revision: str = "0120"
down_revision: str | None = "0110"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "work_patterns",
        sa.Column("owner", sa.String(length=300), nullable=False),
        sa.Column("shifts", sa.String(length=200), nullable=True),
        sa.Column("region", sa.String(length=32), nullable=True),
        sa.Column("back_on", sa.Date(), nullable=True),
        sa.Column("checkin", sa.String(length=300), nullable=True),
        sa.Column("updated_at", storage.tables.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("owner"),
    )


def downgrade() -> None:
    op.drop_table("work_patterns")
