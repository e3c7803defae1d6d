"""a session's answers live only in their rows: strip them from the session's state JSON

Until now each answer was stored twice: in the encrypted `sessions.state` JSON (which was
read) and in `answers` rows (which only privacy read). From here the rows are the one
source of truth. This migration copies any answer a state holds but the rows lack (none are
expected: both were written in the same transaction), then removes `answers` from every
state. It reads and writes through the engine's cipher, so run it with the key set.

Revision ID: 0050
Revises: 0007
Create Date: 2026-12-01
"""

import json
from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

import storage.tables

revision: str = "0050"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

sessions = sa.table(
    "sessions",
    sa.column("id", sa.String()),
    sa.column("state", storage.tables.EncryptedText()),
)
answers = sa.table(
    "answers",
    sa.column("session_id", sa.String()),
    sa.column("seq", sa.Integer()),
    sa.column("step_id", sa.String()),
    sa.column("lens", sa.String()),
    sa.column("category", sa.String()),
    sa.column("text", storage.tables.EncryptedText()),
    sa.column("at", storage.tables.UtcDateTime()),
    sa.column("followup", sa.String()),
    sa.column("item_id", sa.String()),
    sa.column("field", sa.String()),
    sa.column("private", sa.Boolean()),
    sa.column("superseded", sa.Boolean()),
)
FIELDS = ("step_id", "lens", "category", "text", "followup", "item_id", "field")


def upgrade() -> None:
    bind = op.get_bind()
    last = ""
    while True:
        batch = bind.execute(
            sa.select(sessions.c.id, sessions.c.state)
            .where(sessions.c.id > last)
            .order_by(sessions.c.id)
            .limit(200)
        ).all()
        if not batch:
            break
        for session_id, state in batch:
            data = json.loads(str(state))
            held = data.pop("answers", None)
            if held is None:
                continue
            stored: set[int] = set(
                bind.execute(sa.select(answers.c.seq).where(answers.c.session_id == session_id)).scalars()
            )
            for answer in held:
                if answer["seq"] in stored:
                    continue
                bind.execute(
                    answers.insert().values(
                        session_id=session_id,
                        seq=answer["seq"],
                        at=datetime.fromisoformat(answer["at"]),
                        private=bool(answer.get("private")),
                        superseded=bool(answer.get("superseded")),
                        **{name: answer.get(name) for name in FIELDS},
                    )
                )
            bind.execute(sessions.update().where(sessions.c.id == session_id).values(state=json.dumps(data)))
        last = batch[-1][0]


def downgrade() -> None:
    """Put each session's answers back into its state JSON (the rows stay)."""
    bind = op.get_bind()
    for session_id, state in bind.execute(sa.select(sessions.c.id, sessions.c.state)).all():
        data = json.loads(str(state))
        rows = bind.execute(
            sa.select(answers).where(answers.c.session_id == session_id).order_by(answers.c.seq)
        )
        data["answers"] = [
            {
                "seq": r.seq,
                "at": r.at.isoformat(),
                "private": r.private,
                "superseded": r.superseded,
                **{name: getattr(r, name) for name in FIELDS},
            }
            for r in rows
        ]
        bind.execute(sessions.update().where(sessions.c.id == session_id).values(state=json.dumps(data)))
