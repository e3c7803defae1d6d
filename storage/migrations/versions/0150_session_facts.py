"""session facts (issue 15): the quality indicators and counts of a completed session, stored
with it in plain columns so a CSV export needs no decryption; and an index for reading a
worker's sessions oldest first a page at a time (exports), without sorting them all per page

Revision ID: 0150
Revises: 0100
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0150"
down_revision: str | None = "0140"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # JSON of codes, counts and yes/no only (never a worker's words); NULL for sessions that
    # completed before this migration, which exports read the long way.
    with op.batch_alter_table("sessions") as batch:
        batch.add_column(sa.Column("facts", sa.Text(), nullable=True))
    op.create_index("ix_sessions_owner_started", "sessions", ["owner", "started_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_sessions_owner_started", table_name="sessions")
    with op.batch_alter_table("sessions") as batch:
        batch.drop_column("facts")
