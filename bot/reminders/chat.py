"""Reminder commands typed in chat between reflections, and the buttons on a reminder.

`visit HX-2291 14:00` asks after the visit; `reminders` lists them; `cancel reminder 2`;
`move reminder 2 16:30`; the Snooze and Not-this-one buttons. Completing a reflection
schedules reviews of its actions, and a practice pledge its six-month review.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from bot.engine.state import Session
from bot.engine.timefmt import six_months_after
from bot.engine.understand.owners import is_worker
from bot.reminders import schedule as when
from bot.reminders.kinds import kind_words
from bot.turns import ConversationKey, Incoming, Outgoing, TurnResult
from bot.wording import Wording
from storage import reminders_repository as repo
from storage.repository import Store, TurnTx

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


class RemindersChat:
    def __init__(
        self,
        store: Store,
        wording: Wording,
        clock: Callable[[], datetime],
        new_id: Callable[[], str],
        delay: timedelta = timedelta(hours=1),
        hours: when.WorkingHours | None = None,
    ) -> None:
        self.store = store
        self.wording = wording
        self.clock = clock
        self.new_id = new_id
        self.delay = delay
        self.hours = hours or when.WorkingHours()

    @staticmethod
    def wants(incoming: Incoming) -> bool:
        if incoming.action is not None:
            return incoming.action.startswith("reminder:")
        text = (incoming.text or "").strip().lower()
        return (
            text.split()[:1] == ["visit"]
            or text in {"reminders", "my reminders"}
            or bool(_CANCEL.match(text) or _MOVE.match(text))
            or text.startswith("supervision every")
        )

    def _say(self, template: str, **values: Any) -> TurnResult:
        return TurnResult(messages=(Outgoing(text=self.wording.text(f"reminders/{template}.j2", **values)),))

    def _local(self, moment: datetime, tz: str | None) -> str:
        local = moment.astimezone(when.zone(tz))
        today = self.clock().astimezone(when.zone(tz)).date()
        day = "today" if local.date() == today else local.strftime("%A %d %B")
        return f"{local.strftime('%H:%M')} {day}"

    async def handle(self, incoming: Incoming) -> TurnResult:
        owner = owner_key(incoming.key)
        now = self.clock()
        if incoming.action is not None:
            _, verb, reminder_id = [*incoming.action.split(":", 2), "", ""][:3]
            async with self.store.turn(f"reminders:{owner}") as tx:
                if verb == "snooze":
                    due = when.snoozed(now, incoming.tz, self.hours)
                    ok = await repo.move(tx, reminder_id, owner, due)
                    return self._say("snoozed", ok=ok, when=self._local(due, incoming.tz))
                ok = await repo.set_status(tx, reminder_id, owner, "cancelled")
                if not ok:  # a delivered reminder being waved away: nothing to change
                    ok = await repo.get(tx, reminder_id) is not None
                return self._say("dismissed", ok=ok)
        text = (incoming.text or "").strip()
        lowered = text.lower()
        if lowered.startswith("supervision every"):
            return await self.cadence(incoming, text, owner, now)
        if lowered.split()[:1] == ["visit"]:
            plan = when.parse_visit(text, now, incoming.tz)
            if plan is None:
                return self._say("not_understood")
            due = when.after_visit(plan, self.delay, incoming.tz, self.hours)
            async with self.store.turn(f"reminders:{owner}") as tx:
                await repo.schedule(
                    tx,
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
            moved = due != plan.visit_at + self.delay
            return self._say(
                "scheduled", case_ref=plan.case_ref, when=self._local(due, incoming.tz), moved=moved
            )
        async with self.store.turn(f"reminders:{owner}") as tx:
            items = await repo.pending_for(tx, owner)
            if lowered in {"reminders", "my reminders"}:
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
            cancel = _CANCEL.match(lowered)
            if cancel:
                number = int(cancel.group(1))
                ok = 1 <= number <= len(items) and await repo.set_status(
                    tx, items[number - 1].id, owner, "cancelled"
                )
                return self._say("cancelled", ok=ok)
            moving = _MOVE.match(text)
            assert moving is not None
            number = int(moving.group(1))
            plan = when.parse_visit(f"visit {moving.group(2)}", now, incoming.tz)
            if not 1 <= number <= len(items) or plan is None:
                return self._say("cancelled", ok=False)
            due = when.in_working_hours(plan.visit_at, incoming.tz, self.hours)
            await repo.move(tx, items[number - 1].id, owner, due)
            return self._say("snoozed", ok=True, when=self._local(due, incoming.tz))

    async def cadence(self, incoming: Incoming, text: str, owner: str, now: datetime) -> TurnResult:
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
        async with self.store.turn(f"reminders:{owner}") as tx:
            for day in dates:
                for person, channel, other in people:
                    await repo.schedule(
                        tx,
                        reminder_id=self.new_id(),
                        owner=person,
                        platform=incoming.key.platform,
                        channel=channel,
                        kind="supervision",
                        due_at=when.on_day(day - CADENCE_AHEAD, incoming.tz, self.hours),
                        tz=incoming.tz,
                        payload={"on": day.strftime("%A %d %B"), "with_whom": other and f"your {other}"},
                        now=now,
                        dedupe_key=f"cadence:{person}:{worker_user or '-'}:{day.isoformat()}",
                    )
        return self._say(
            "cadence_set",
            weeks=weeks,
            dates=[d.strftime("%a %d %b %Y") for d in dates[:3]],
            worker=worker_name or (f"<@{worker_user}>" if worker_user else None),
        )

    async def on_completed(self, tx: TurnTx, session: Session, key: ConversationKey, tz: str | None) -> None:
        """A reflection finished: schedule its actions' due-date nudges and pledge reviews."""
        now = self.clock()
        owner = owner_key(key)
        for action in session.actions:
            # Nudges go to the worker only for the actions they own ("me"), never for the TM's.
            if action.due is None or action.due < now.date() or not is_worker(action.who):
                continue
            await repo.schedule(
                tx,
                reminder_id=self.new_id(),
                owner=owner,
                platform=key.platform,
                channel=key.channel,
                kind="action_due",
                due_at=when.on_day(action.due, tz, self.hours),
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
            await repo.schedule(
                tx,
                reminder_id=self.new_id(),
                owner=owner,
                platform=key.platform,
                channel=key.channel,
                kind="pledge_review",
                due_at=when.on_day(review, tz, self.hours),
                tz=tz,
                payload={"point": next((a.text for a in session.live_answers("point")), None)},
                now=now,
                dedupe_key=f"pledge:{session.id}",
            )
