"""Delivering due reminders through whichever platform the worker uses.

The runner wakes every `interval` seconds, claims what is due (exactly one process gets
each reminder) and renders it with the templates. The nudge is written into the outbox in
the same transaction that claims the reminder, and the outbox sends it like any reply
(bot/outbox.py): retried, in order with the worker's other replies, once, and resumed by the
next start if the process dies between the claim and the post. A nudge the platform refuses
for good is marked failed there, and the worker's next message re-posts it.
A reminder that was due while the bot was down goes out late, saying so.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Protocol

import structlog

from bot.core.outbox import OutboxItem
from bot.core.reminders import Reminder
from bot.reminders.patterns import CHECKIN, schedule_next_checkins
from bot.turns import Button, Outgoing, outgoing_to_json
from bot.wording import Wording, default_wording
from storage.repository import Store, TurnTx

__all__ = ["ReminderRunner", "Sender", "reminder_address", "render_reminder"]

log = structlog.get_logger(__name__)
LATE_AFTER = timedelta(minutes=15)


class Sender(Protocol):
    """The outbox (bot/outbox.py) as the runner uses it."""

    lease: timedelta

    def serves(self, platform: str) -> bool: ...

    async def enqueue(self, lane: str, items: Sequence[OutboxItem]) -> None: ...


def reminder_address(reminder: Reminder) -> tuple[str, dict[str, str | None]]:
    """The lane (the worker, as their turns' replies are ordered) and where the nudge goes:
    the DM or chat it was scheduled from, else the user (Slack opens a DM at send time)."""
    _, workspace, user = reminder.owner.split(":", 2)
    where = {"workspace": workspace, "tenant": workspace, "channel": reminder.channel or None, "user": user}
    return reminder.owner, where


def render_reminder(reminder: Reminder, now: datetime, wording: Wording) -> tuple[Outgoing, ...]:
    late = now - reminder.due_at > LATE_AFTER
    values = {**reminder.payload, "late": late, "due_at": reminder.due_at}
    text = wording.text(f"reminders/{reminder.kind}.j2", **values)
    case = reminder.payload.get("case_ref")
    buttons: list[Button] = []
    if reminder.kind == "after_visit":
        suffix = f":{case}" if case else ""
        buttons = [
            Button(wording.label("labels:reflect_now"), f"start:post_visit{suffix}", "primary"),
            Button(wording.label("labels:quick_checkin"), f"start:quick_checkin{suffix}"),
        ]
    elif reminder.kind == CHECKIN:
        buttons = [Button(wording.label("labels:quick_checkin"), "start:quick_checkin", "primary")]
    elif reminder.kind in {"supervision", "pledge_review"}:
        model = "case_supervision" if reminder.kind == "supervision" else "pledge_review"
        buttons = [Button(wording.label("labels:start_now"), f"start:{model}", "primary")]
    buttons += [
        Button(wording.label("labels:snooze"), f"reminder:snooze:{reminder.id}"),
        Button(wording.label("labels:not_this_one"), f"reminder:dismiss:{reminder.id}"),
    ]
    return (Outgoing(text=text, kind="prompt", buttons=tuple(buttons)),)


class ReminderRunner:
    def __init__(
        self,
        store: Store,
        outbox: Sender,
        clock: Callable[[], datetime],
        wording: Wording | None = None,
        interval: float = 30.0,
        worker: str | None = None,
        region: str = "england-and-wales",
    ) -> None:
        self.store = store
        self.outbox = outbox
        self.clock = clock
        self.wording = wording or default_wording()
        self.interval = interval
        self.worker = worker or uuid.uuid4().hex[:12]
        self.region = region  # bank holidays for recurring check-ins, unless a person's own

    async def run_once(self) -> int:
        """Claim what is due and store each nudge in the outbox, in one transaction (a nudge
        is either claimed and waiting to be sent, or still due: never claimed and lost);
        then hand the rows to the outbox. Returns how many were queued."""
        now = self.clock()
        queued: dict[str, list[OutboxItem]] = {}
        async with self.store.read() as tx:
            claimed = await tx.reminders.claim_due(now, self.worker)
            mine = [r for r in claimed if self.outbox.serves(r.platform)]
            for reminder in claimed:
                if reminder not in mine:  # another process's platform
                    await tx.reminders.release(reminder.id, "no sender for platform", now, False)
            # A worker's own check-in recurs: the next one is scheduled with this one's claim.
            await schedule_next_checkins(tx, mine, now, lambda: uuid.uuid4().hex, self.region)
            for reminder in mine:
                lane, address = reminder_address(reminder)
                item = await self._store_nudge(tx, reminder, lane, address, now)
                queued.setdefault(lane, []).append(item)
        for lane, items in queued.items():
            await self.outbox.enqueue(lane, items)
        count = sum(len(items) for items in queued.values())
        if count:
            log.info("reminders.queued", count=count)
        return count

    async def _store_nudge(
        self, tx: TurnTx, reminder: Reminder, lane: str, address: dict[str, str | None], now: datetime
    ) -> OutboxItem:
        payload = {"messages": [outgoing_to_json(m) for m in render_reminder(reminder, now, self.wording)]}
        row_id = await tx.outbox.add(
            lane=lane,
            platform=reminder.platform,
            inbox_id=None,
            address=address,
            kind="messages",
            payload=payload,
            now=now,
            hold_until=now + self.outbox.lease,  # this process sends it; if it dies, the lease runs out
        )
        return OutboxItem(row_id, lane, reminder.platform, None, address, "messages", payload, 0)

    async def run_forever(self) -> None:
        while True:
            try:
                await self.run_once()
            except Exception as error:  # the database may be briefly unavailable
                log.warning("reminders.loop_error", error=type(error).__name__)
            await asyncio.sleep(self.interval)
