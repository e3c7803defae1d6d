"""who supervised the worker when a session completed (issue 15, item 3): the supervisor
person ids from people and access at that moment, so a record exported after the worker
moved team, or after the supervisor was unlinked, still names the supervisor of the time

Revision ID: 0190
Revises: 0200
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0190"
down_revision: str | None = "0200"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A JSON array of person ids (handles, as the audit trail and sign-offs keep them), never
    # names: a name lives only in its (encrypted) people row, so erasure reaches it. NULL for
    # sessions completed before this migration; exports then name today's supervisor and say so.
    with op.batch_alter_table("sessions") as batch:
        batch.add_column(sa.Column("supervised_by", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sessions") as batch:
        batch.drop_column("supervised_by")
