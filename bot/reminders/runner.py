"""Delivering due reminders through whichever platform the worker uses.

The runner wakes every `interval` seconds, claims what is due (exactly one process gets
each reminder), renders it with the templates and hands it to the platform's deliverer.
A reminder that was due while the bot was down goes out late, saying so.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Protocol

import structlog

from bot.core.errors import DeliveryFailed
from bot.core.reminders import Reminder
from bot.reminders.patterns import CHECKIN, schedule_next_checkins
from bot.turns import Button, Outgoing
from bot.wording import Wording, default_wording
from storage.repository import Store

__all__ = ["Deliverer", "DeliveryFailed", "ReminderRunner", "render_reminder"]

log = structlog.get_logger(__name__)
LATE_AFTER = timedelta(minutes=15)


class Deliverer(Protocol):
    async def deliver(self, reminder: Reminder, messages: tuple[Outgoing, ...]) -> None: ...


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
        deliverers: Mapping[str, Deliverer],
        clock: Callable[[], datetime],
        wording: Wording | None = None,
        interval: float = 30.0,
        worker: str | None = None,
        region: str = "england-and-wales",
    ) -> None:
        self.store = store
        self.deliverers = deliverers
        self.clock = clock
        self.wording = wording or default_wording()
        self.interval = interval
        self.worker = worker or uuid.uuid4().hex[:12]
        self.region = region  # bank holidays for recurring check-ins, unless a person's own

    async def run_once(self) -> int:
        """Deliver everything due now; returns how many went out."""
        now = self.clock()
        sent = 0
        async with self.store.read() as tx:
            claimed = await tx.reminders.claim_due(now, self.worker)
            # A worker's own check-in recurs: the next one is scheduled with this one's claim.
            await schedule_next_checkins(tx, claimed, now, lambda: uuid.uuid4().hex, self.region)
        for reminder in claimed:
            deliverer = self.deliverers.get(reminder.platform)
            if deliverer is None:
                await self._release(reminder, "no deliverer for platform", now, permanent=False)
                continue
            try:
                await deliverer.deliver(reminder, render_reminder(reminder, now, self.wording))
                sent += 1
            except DeliveryFailed as failure:
                log.warning("reminder.failed", kind=reminder.kind, permanent=failure.permanent)
                await self._release(reminder, str(failure), now, failure.permanent)
            except Exception as error:  # any other failure: retry later, never crash the loop
                log.warning("reminder.error", kind=reminder.kind, error=type(error).__name__)
                await self._release(reminder, type(error).__name__, now, permanent=False)
        if sent:
            log.info("reminders.sent", count=sent)
        return sent

    async def _release(self, reminder: Reminder, error: str, now: datetime, permanent: bool) -> None:
        async with self.store.read() as tx:
            await tx.reminders.release(reminder.id, error, now, permanent)

    async def run_forever(self) -> None:
        while True:
            try:
                await self.run_once()
            except Exception as error:  # the database may be briefly unavailable
                log.warning("reminders.loop_error", error=type(error).__name__)
            await asyncio.sleep(self.interval)
