"""A session's answers, read from their rows (their one home)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.core.session import Answer, Session
from storage.database import CoreConnection
from storage.tables import AnswerRow

# A session's answers have one home: the `answers` table (one encrypted row per answer, never
# rewritten but for its `superseded` flag). The session's `state` JSON holds everything else.
STATE_EXCLUDES: set[str] = {"answers"}


_COLUMNS = (
    AnswerRow.session_id,
    AnswerRow.seq,
    AnswerRow.step_id,
    AnswerRow.lens,
    AnswerRow.category,
    AnswerRow.text,
    AnswerRow.at,
    AnswerRow.followup,
    AnswerRow.item_id,
    AnswerRow.field,
    AnswerRow.private,
    AnswerRow.superseded,
)
_ANSWERS_OF = (
    select(*_COLUMNS)
    .where(AnswerRow.session_id.in_(bindparam("b_ids", expanding=True)))
    .order_by(AnswerRow.session_id, AnswerRow.seq)
)


async def attach_answers(connection: CoreConnection | AsyncConnection, sessions: Sequence[Session]) -> None:
    """Fill each session's answers from its rows, in order: one query for the lot, plain
    columns (no ORM objects: this runs on every turn)."""
    if not sessions:
        return
    found: dict[str, list[Answer]] = {s.id: [] for s in sessions}
    ids = list(found)
    for start in range(0, len(ids), 500):
        rows = await connection.execute(_ANSWERS_OF, {"b_ids": ids[start : start + 500]})
        for r in rows:
            found[r.session_id].append(
                Answer(
                    seq=r.seq,
                    step_id=r.step_id,
                    lens=r.lens,
                    category=r.category,
                    text=r.text,
                    at=r.at,
                    followup=r.followup,
                    item_id=r.item_id,
                    field=r.field,
                    private=r.private,
                    superseded=r.superseded,
                )
            )
    for session in sessions:
        session.answers = found[session.id]
