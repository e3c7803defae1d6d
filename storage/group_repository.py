"""Group supervision sessions over an open transaction (`tx.groups`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.group import GroupSession
from storage.tables import GroupSessionRow

if TYPE_CHECKING:
    pass

OPEN_STATUSES = ("forming", "in_progress", "review")


class GroupRepository:
    def __init__(self, db: AsyncSession) -> None:
        self.db = db

    async def load_open(self, channel_key: str) -> GroupSession | None:
        state = await self.db.scalar(
            select(GroupSessionRow.state)
            .where(GroupSessionRow.channel_key == channel_key, GroupSessionRow.status.in_(OPEN_STATUSES))
            .order_by(GroupSessionRow.started_at.desc())
            .limit(1)
        )
        return GroupSession.model_validate_json(state) if state else None

    async def previous_roles(self, channel_key: str, limit: int = 6) -> tuple[dict[str, str], ...]:
        """Who held the rotating roles in this channel's last sessions, newest first."""
        states = (
            await self.db.scalars(
                select(GroupSessionRow.state)
                .where(GroupSessionRow.channel_key == channel_key, GroupSessionRow.status == "filed")
                .order_by(GroupSessionRow.started_at.desc())
                .limit(limit)
            )
        ).all()
        history = []
        for state in states:
            session = GroupSession.model_validate_json(state)
            roles = {}
            if session.devils_advocate_id:
                roles[session.devils_advocate_id] = "devils_advocate"
            if session.observer_id:
                roles[session.observer_id] = "observer"
            history.append(roles)
        return tuple(history)

    async def save(self, session: GroupSession, minutes: str | None = None) -> None:
        row = await self.db.get(GroupSessionRow, session.id)
        if row is None:
            row = GroupSessionRow(id=session.id, channel_key=session.channel_key)
            self.db.add(row)
        row.status = session.status
        row.case_ref = session.case_ref
        row.facilitator = session.facilitator.id
        row.started_at = session.started_at
        row.updated_at = session.updated_at
        row.ended_at = session.ended_at
        row.state = session.model_dump_json()
        if minutes is not None:
            row.minutes = minutes

    async def load(self, group_id: str) -> tuple[GroupSession, str | None] | None:
        row = await self.db.get(GroupSessionRow, group_id)
        if row is None:
            return None
        return GroupSession.model_validate_json(row.state), row.minutes
