"""A session's answers, read from their rows (their one home)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.session import Answer, Session
from storage.tables import AnswerRow

# A session's answers have one home: the `answers` table (one encrypted row per answer, never
# rewritten but for its `superseded` flag). The session's `state` JSON holds everything else.
STATE_EXCLUDES: set[str] = {"answers"}


def answer_of(row: AnswerRow) -> Answer:
    return Answer(
        seq=row.seq,
        step_id=row.step_id,
        lens=row.lens,
        category=row.category,
        text=row.text,
        at=row.at,
        followup=row.followup,
        item_id=row.item_id,
        field=row.field,
        private=row.private,
        superseded=row.superseded,
    )


async def attach_answers(db: AsyncSession, sessions: Sequence[Session]) -> None:
    """Fill each session's answers from its rows, in order (one query for the lot)."""
    if not sessions:
        return
    by_id = {s.id: s for s in sessions}
    found: dict[str, list[Answer]] = {s.id: [] for s in sessions}
    ids = list(by_id)
    for start in range(0, len(ids), 500):
        rows = await db.scalars(
            select(AnswerRow)
            .where(AnswerRow.session_id.in_(ids[start : start + 500]))
            .order_by(AnswerRow.session_id, AnswerRow.seq)
        )
        for row in rows:
            found[row.session_id].append(answer_of(row))
    for session_id, answers in found.items():
        by_id[session_id].answers = answers
