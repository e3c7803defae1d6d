"""Reminder commands typed in chat, and the buttons on a reminder.

`visit HX-2291 14:00` asks after the visit; `reminders` lists them; `cancel reminder 2`;
`move reminder 2 16:30`; the Snooze and Not-this-one buttons. Completing a reflection
schedules reviews of its actions, and a practice pledge its six-month review. Working
patterns, leave and a worker's own check-in are in patterns.py; every time here is placed
within the person's own working time (their pattern, bank holidays and leave).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from bot.engine.state import Session
from bot.engine.timefmt import six_months_after
from bot.engine.understand.owners import is_worker
from bot.reminders import schedule as when
from bot.reminders.kinds import kind_words
from bot.reminders.patterns import PatternCommand, PatternsChat, day_words
from bot.turns import ConversationKey, Incoming, Outgoing, TurnResult
from bot.wording import Wording
from storage.repository import TurnTx

_CANCEL = re.compile(r"^cancel reminder (\d+)$", re.IGNORECASE)
# "supervision every 4 weeks from 2026-12-01 with @worker" (Slack sends the mention as <@U123>)
_CADENCE = re.compile(
    r"^supervision every (?P<weeks>\d{1,2}) weeks? from (?P<first>\d{4}-\d{2}-\d{2})"
    r"(?: with (?P<who><@[A-Z0-9]+>|@\S+))?$",
    re.IGNORECASE,
)
CADENCE_AHEAD = timedelta(days=2)  # remind both people two days before
CADENCE_COUNT = 6
_MOVE = re.compile(r"^move reminder (\d+) (.+)$", re.IGNORECASE)
KIND_WORDS = kind_words()  # prompts/reminders/kinds.yaml


def owner_key(key: ConversationKey) -> str:
    return f"{key.platform}:{key.workspace}:{key.user}"


# ---------------------------------------------------------------- commands (parsed by the router)


@dataclass(frozen=True)
class ReminderButton:
    verb: str  # snooze | dismiss
    reminder_id: str


@dataclass(frozen=True)
class Visit:
    text: str


@dataclass(frozen=True)
class ListReminders:
    pass


@dataclass(frozen=True)
class CancelReminder:
    number: int


@dataclass(frozen=True)
class MoveReminder:
    number: int
    when: str


@dataclass(frozen=True)
class Cadence:
    text: str


RemindersCommand = (
    ReminderButton | Visit | ListReminders | CancelReminder | MoveReminder | Cadence | PatternCommand
)
# Forms no answer to a question looks like: commands even in the middle of a reflection.
EXPLICIT = (CancelReminder, MoveReminder)


def parse_reminders_action(action: str) -> ReminderButton | None:
    if not action.startswith("reminder:"):
        return None
    _, verb, reminder_id = [*action.split(":", 2), "", ""][:3]
    return ReminderButton(verb, reminder_id)


def parse_reminders_command(text: str) -> RemindersCommand | None:
    stripped = text.strip()
    lowered = stripped.lower()
    if lowered.startswith("supervision every"):
        return Cadence(stripped)
    if lowered.split()[:1] == ["visit"]:
        return Visit(stripped)
    if lowered in {"reminders", "my reminders"}:
        return ListReminders()
    cancel = _CANCEL.match(lowered)
    if cancel:
        return CancelReminder(int(cancel.group(1)))
    moving = _MOVE.match(stripped)
    if moving:
        return MoveReminder(int(moving.group(1)), moving.group(2))
    return None


class RemindersChat:
    """Carries out reminders commands inside the turn's transaction (the service's pipeline)."""

    def __init__(
        self,
        wording: Wording,
        clock: Callable[[], datetime],
        new_id: Callable[[], str],
        delay: timedelta = timedelta(hours=1),
        region: str = when.DEFAULT_REGION,
    ) -> None:
        self.wording = wording
        self.clock = clock
        self.new_id = new_id
        self.delay = delay
        self.patterns = PatternsChat(wording, new_id, region)

    def _say(self, template: str, **values: Any) -> TurnResult:
        return TurnResult(messages=(Outgoing(text=self.wording.text(f"reminders/{template}.j2", **values)),))

    def _local(self, moment: datetime, tz: str | None) -> str:
        local = moment.astimezone(when.zone(tz))
        today = self.clock().astimezone(when.zone(tz)).date()
        day = "today" if local.date() == today else local.strftime("%A %d %B")
        return f"{local.strftime('%H:%M')} {day}"

    async def handle(
        self, tx: TurnTx, incoming: Incoming, command: RemindersCommand, now: datetime
    ) -> TurnResult:
        owner = owner_key(incoming.key)
        if isinstance(command, PatternCommand):
            return await self.patterns.handle(tx, incoming, command, owner, now)
        hours = await self.patterns.hours_of(tx, owner)
        if isinstance(command, ReminderButton):
            if command.verb == "snooze":
                due = when.snoozed(now, incoming.tz, hours)
                ok = await tx.reminders.move(command.reminder_id, owner, due)
                return self._say("snoozed", ok=ok, when=self._local(due, incoming.tz))
            ok = await tx.reminders.set_status(command.reminder_id, owner, "cancelled")
            if not ok:  # a delivered reminder being waved away: nothing to change
                ok = await tx.reminders.get(command.reminder_id) is not None
            return self._say("dismissed", ok=ok)
        if isinstance(command, Cadence):
            return await self.cadence(tx, incoming, command.text, owner, now)
        if isinstance(command, Visit):
            plan = when.parse_visit(command.text, now, incoming.tz)
            if plan is None:
                return self._say("not_understood")
            due = when.after_visit(plan, self.delay, incoming.tz, hours)
            await tx.reminders.schedule(
                reminder_id=self.new_id(),
                owner=owner,
                platform=incoming.key.platform,
                channel=incoming.key.channel,
                kind="after_visit",
                due_at=due,
                tz=incoming.tz,
                payload={"case_ref": plan.case_ref},
                now=now,
            )
            asked = (plan.visit_at + self.delay).astimezone(when.zone(incoming.tz))
            return self._say(
                "scheduled",
                case_ref=plan.case_ref,
                when=self._local(due, incoming.tz),
                moved=due != asked,
                why=hours.why_moved(asked),
            )
        items = await tx.reminders.pending_for(owner)
        if isinstance(command, ListReminders):
            listed = [
                {
                    "n": n,
                    "what": KIND_WORDS.get(r.kind, r.kind)
                    + (f" ({r.payload['case_ref']})" if r.payload.get("case_ref") else ""),
                    "when": self._local(r.due_at, r.tz or incoming.tz),
                }
                for n, r in enumerate(items, start=1)
            ]
            return self._say("list", items=listed)
        if isinstance(command, CancelReminder):
            number = command.number
            ok = 1 <= number <= len(items) and await tx.reminders.set_status(
                items[number - 1].id, owner, "cancelled"
            )
            return self._say("cancelled", ok=ok)
        number = command.number
        plan = when.parse_visit(f"visit {command.when}", now, incoming.tz)
        if not 1 <= number <= len(items) or plan is None:
            return self._say("cancelled", ok=False)
        due = when.in_working_hours(plan.visit_at, incoming.tz, hours)
        await tx.reminders.move(items[number - 1].id, owner, due)
        return self._say("snoozed", ok=True, when=self._local(due, incoming.tz))

    async def cadence(
        self, tx: TurnTx, incoming: Incoming, text: str, owner: str, now: datetime
    ) -> TurnResult:
        """A supervisor sets a supervision rhythm with a supervisee: both are reminded ahead."""
        match = _CADENCE.match(text)
        if match is None:
            return self._say("cadence_help")
        first = date.fromisoformat(match.group("first"))
        weeks = int(match.group("weeks"))
        if not 1 <= weeks <= 26:
            return self._say("cadence_help")
        who = match.group("who")
        mentioned = next(iter(incoming.mentions), None)
        worker_user = mentioned.user if mentioned else (who.strip("<@>") if who else None)
        worker_name = mentioned.name if mentioned else None
        people: list[tuple[str, str | None, str | None]] = [
            (owner, incoming.key.channel, "supervisee" if worker_user else None)
        ]
        if worker_user:
            key = incoming.key
            people.append((f"{key.platform}:{key.workspace}:{worker_user}", None, "supervisor"))
        dates = when.cadence_dates(first, weeks, CADENCE_COUNT)
        hours_of = {person: await self.patterns.hours_of(tx, person) for person, _, _ in people}
        for day in dates:
            for person, channel, other in people:
                await tx.reminders.schedule(
                    reminder_id=self.new_id(),
                    owner=person,
                    platform=incoming.key.platform,
                    channel=channel,
                    kind="supervision",
                    due_at=when.on_day(day - CADENCE_AHEAD, incoming.tz, hours_of[person]),
                    tz=incoming.tz,
                    payload={"on": day.strftime("%A %d %B"), "with_whom": other and f"your {other}"},
                    now=now,
                    dedupe_key=f"cadence:{person}:{worker_user or '-'}:{day.isoformat()}",
                )
        for person, _, _ in people:  # someone away: what waits for them is one message
            await self.patterns.settle(tx, person, now)
        mine = hours_of[owner]
        return self._say(
            "cadence_set",
            weeks=weeks,
            dates=[d.strftime("%a %d %b %Y") for d in dates[:3]],
            clashes=[
                {"on": day_words(d), "why": mine.closed(d)}
                for d in dates[:3]
                if mine.closed(d) is not None and mine.closed(d) != when.Closed("away")
            ],
            worker=worker_name or (f"<@{worker_user}>" if worker_user else None),
        )

    async def on_completed(self, tx: TurnTx, session: Session, key: ConversationKey, tz: str | None) -> None:
        """A reflection finished: schedule its actions' due-date nudges and pledge reviews."""
        now = self.clock()
        owner = owner_key(key)
        hours = await self.patterns.hours_of(tx, owner)
        for action in session.actions:
            # Nudges go to the worker only for the actions they own ("me"), never for the TM's.
            if action.due is None or action.due < now.date() or not is_worker(action.who):
                continue
            await tx.reminders.schedule(
                reminder_id=self.new_id(),
                owner=owner,
                platform=key.platform,
                channel=key.channel,
                kind="action_due",
                due_at=when.on_day(action.due, tz, hours),
                tz=tz,
                payload={"case_ref": action.case_ref, "what": action.what, "who": action.who},
                now=now,
                dedupe_key=f"action:{action.id}",
            )
        # Actions closed in this review (done or dropped) need no nudge any more.
        closed = [f"action:{a}" for a, status in session.action_updates.items() if status != "open"]
        await tx.reminders.cancel_by_key(owner, closed)
        if session.model_id == "practice_pledge":
            review = six_months_after(now.date())
            await tx.reminders.schedule(
                reminder_id=self.new_id(),
                owner=owner,
                platform=key.platform,
                channel=key.channel,
                kind="pledge_review",
                due_at=when.on_day(review, tz, hours),
                tz=tz,
                payload={"point": next((a.text for a in session.live_answers("point")), None)},
                now=now,
                dedupe_key=f"pledge:{session.id}",
            )
