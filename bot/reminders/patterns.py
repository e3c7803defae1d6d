"""A worker's working pattern, leave and own check-in, typed in chat (issue 16).

"i work mon tue wed", "my hours are 8 till 4", "i dont work fridays" set the pattern and read
it back; "away until 12 dec" holds reminders until the worker is back (several held ones come
back as one summary), "i'm back" ends leave early; "check in with me every friday at 3" sets
a recurring check-in, "stop my check-in" ends it. Every reminder time respects the pattern,
the person's bank holidays and their leave (see schedule.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from bot.core.reminders import CheckInRule, Reminder, WorkPattern
from bot.engine.understand.working import (
    CheckInWords,
    LeaveWords,
    PatternWords,
    StopCheckIn,
    read_checkin,
    read_leave,
    read_pattern,
    read_region,
)
from bot.reminders import schedule as when
from bot.reminders.kinds import kind_words
from bot.turns import Incoming, Outgoing, TurnResult
from bot.wording import Wording
from storage.repository import TurnTx

CHECKIN = "checkin"
WHILE_AWAY = "while_away"
DEFAULT_SHIFT = (time(9, 0), time(17, 30))
# Leave words are recognised against a fixed day (the router has no clock); the handler
# reads them again against the turn's own time.
_RECOGNISE_AT = datetime(2001, 1, 1, 12, 0, tzinfo=UTC)
_SHOW = re.compile(
    r"^(?:what\s+(?:are|r)\s+)?(?:my\s+)?(?:working\s+(?:pattern|hours|days|week)|work\s+pattern|my\s+(?:hours|hrs|pattern|days))\??$"
    r"|^when\s+do\s+i\s+work\??$",
    re.IGNORECASE,
)


# ---------------------------------------------------------------- commands (parsed by the router)


@dataclass(frozen=True)
class SetPattern:
    words: PatternWords


@dataclass(frozen=True)
class ShowPattern:
    pass


@dataclass(frozen=True)
class SetRegion:
    region: str


@dataclass(frozen=True)
class Leave:
    text: str  # read again with the turn's time


@dataclass(frozen=True)
class SetCheckIn:
    words: CheckInWords


@dataclass(frozen=True)
class EndCheckIn:
    pass


PatternCommand = SetPattern | ShowPattern | SetRegion | Leave | SetCheckIn | EndCheckIn


def parse_pattern_command(text: str) -> PatternCommand | None:
    stripped = " ".join(text.strip().split())
    if not stripped:
        return None
    if _SHOW.match(stripped):
        return ShowPattern()
    checkin = read_checkin(stripped)
    if isinstance(checkin, StopCheckIn):
        return EndCheckIn()
    if checkin is not None:
        return SetCheckIn(checkin)
    if read_leave(stripped, _RECOGNISE_AT) is not None:
        return Leave(stripped)
    region = read_region(stripped)
    if region is not None:
        return SetRegion(region)
    pattern = read_pattern(stripped)
    return SetPattern(pattern) if pattern is not None else None


# ---------------------------------------------------------------- wording helpers


def day_words(day: date) -> str:
    """ "Monday 14 December" """
    return f"{day:%A} {day.day} {day:%B}"


def clock_words(moment: time) -> str:
    return moment.strftime("%H:%M")


def _day_name(weekday: int, short: bool = True) -> str:
    return (date(2026, 1, 5) + timedelta(days=weekday)).strftime("%a" if short else "%A")


def shift_groups(shifts: dict[int, tuple[time, time]]) -> list[dict[str, str]]:
    """Runs of days with the same hours: [{"days": "Mon to Thu", "hours": "09:00 to 17:00"}]."""
    groups: list[tuple[list[int], tuple[time, time]]] = []
    for day in sorted(shifts):
        hours = shifts[day]
        if groups and groups[-1][1] == hours and groups[-1][0][-1] == day - 1:
            groups[-1][0].append(day)
        else:
            groups.append(([day], hours))
    listed = []
    for days, (start, end) in groups:
        if len(days) >= 3:
            names = {"first": _day_name(days[0]), "last": _day_name(days[-1])}
        else:
            names = {"each": ", ".join(_day_name(d) for d in days)}
        listed.append({**names, "start": clock_words(start), "end": clock_words(end)})
    return listed


class PatternsChat:
    """Carries out working-pattern commands inside the turn's transaction."""

    def __init__(
        self,
        wording: Wording,
        new_id: Callable[[], str],
        region: str = when.DEFAULT_REGION,
    ) -> None:
        self.wording = wording
        self.new_id = new_id
        self.region = region

    def _say(self, template: str, **values: Any) -> TurnResult:
        return TurnResult(messages=(Outgoing(text=self.wording.text(f"reminders/{template}.j2", **values)),))

    async def pattern_of(self, tx: TurnTx, owner: str) -> WorkPattern:
        return await tx.patterns.get(owner) or WorkPattern(owner=owner)

    async def hours_of(self, tx: TurnTx, owner: str) -> when.WorkingHours:
        return when.hours_for(await tx.patterns.get(owner), self.region)

    def _readback(self, pattern: WorkPattern, today: date, **extra: Any) -> dict[str, Any]:
        shifts = pattern.shifts or {d: DEFAULT_SHIFT for d in range(5)}
        return {
            "groups": shift_groups(shifts),
            "default": pattern.shifts is None,
            "region": pattern.region or self.region,
            "own_region": pattern.region is not None,
            "back_on": day_words(pattern.back_on) if pattern.back_on and pattern.back_on > today else None,
            "checkin": self._checkin_words(pattern.checkin) if pattern.checkin else None,
            **extra,
        }

    def _checkin_words(self, rule: CheckInRule) -> dict[str, Any]:
        return {
            "day": _day_name(rule.weekday, short=False),
            "at": clock_words(rule.at),
            "fortnightly": rule.every_weeks == 2,
            "reflect": rule.what == "reflect",
        }

    async def handle(
        self, tx: TurnTx, incoming: Incoming, command: PatternCommand, owner: str, now: datetime
    ) -> TurnResult:
        tz = incoming.tz
        today = now.astimezone(when.zone(tz)).date()
        pattern = await self.pattern_of(tx, owner)
        if isinstance(command, ShowPattern):
            return self._say("pattern", **self._readback(pattern, today, changed=False, moved=0))
        if isinstance(command, SetRegion):
            pattern = replace(pattern, region=command.region)
            await tx.patterns.save(pattern, now)
            moved = await self._replace_pending(tx, owner, pattern)
            return self._say("pattern", **self._readback(pattern, today, changed=True, moved=moved))
        if isinstance(command, SetPattern):
            shifts = apply_pattern(pattern.shifts, command.words)
            if not shifts:
                return self._say("pattern_no_days")
            pattern = replace(pattern, shifts=shifts)
            await tx.patterns.save(pattern, now)
            moved = await self._replace_pending(tx, owner, pattern)
            return self._say("pattern", **self._readback(pattern, today, changed=True, moved=moved))
        if isinstance(command, Leave):
            words = read_leave(command.text, now.astimezone(when.zone(tz)))
            if words is None:
                return self._say("leave_not_understood")
            return await self._leave(tx, incoming, owner, pattern, words, now)
        if isinstance(command, EndCheckIn):
            stopped = await tx.reminders.cancel_kind(owner, CHECKIN)
            had = pattern.checkin is not None
            await tx.patterns.save(replace(pattern, checkin=None), now)
            return self._say("checkin_stopped", had=had or stopped > 0)
        return await self._checkin(tx, incoming, owner, pattern, command.words, now)

    async def admin_set(
        self, tx: TurnTx, owners: list[str], words: PatternWords | None, region: str | None, now: datetime
    ) -> str | None:
        """An admin (`reflect people set-pattern`) sets days and hours and/or the bank-holiday
        region for each of a person's chat accounts; the read-back, or None for no days left."""
        shown: WorkPattern | None = None
        moved = 0
        for owner in owners:
            pattern = await self.pattern_of(tx, owner)
            if words is not None:
                shifts = apply_pattern(pattern.shifts, words)
                if not shifts:
                    return None
                pattern = replace(pattern, shifts=shifts)
            if region is not None:
                pattern = replace(pattern, region=region)
            await tx.patterns.save(pattern, now)
            moved += await self._replace_pending(tx, owner, pattern)
            shown = shown or pattern
        assert shown is not None  # owners is never empty (PeopleAdmin.pattern_owners)
        values = self._readback(shown, now.date(), changed=True, moved=moved)
        return self.wording.text("reminders/pattern.j2", **values)

    async def _replace_pending(self, tx: TurnTx, owner: str, pattern: WorkPattern) -> int:
        """A changed pattern moves reminders already waiting that now fall outside it."""
        hours = when.hours_for(pattern, self.region)
        moved = 0
        rule = pattern.checkin
        for reminder in await tx.reminders.pending_for(owner):
            due = when.in_working_hours(reminder.due_at, reminder.tz, hours)
            if (
                reminder.kind == CHECKIN
                and rule is not None
                and reminder.payload.get("serial") == rule.serial
            ):
                # placed again from its own day: a changed pattern may bring it earlier too
                occurrence = date.fromisoformat(str(reminder.payload["occurrence"]))
                due = when.checkin_due(rule, occurrence, reminder.tz, hours)
            if due != reminder.due_at:
                await tx.reminders.move(reminder.id, owner, due)
                moved += 1
        return moved

    # ---------------------------------------------------------------- leave

    async def _leave(
        self,
        tx: TurnTx,
        incoming: Incoming,
        owner: str,
        pattern: WorkPattern,
        words: LeaveWords,
        now: datetime,
    ) -> TurnResult:
        tz = incoming.tz
        today = now.astimezone(when.zone(tz)).date()
        if words.back_on is None:  # "i'm back"
            if pattern.back_on is None or pattern.back_on <= today:
                return self._say("not_away")
            held_until = when.on_day(pattern.back_on, tz, when.hours_for(pattern, self.region))
            pattern = replace(pattern, back_on=None)
            await tx.patterns.save(pattern, now)
            hours = when.hours_for(pattern, self.region)
            resume = when.in_working_hours(now, tz, hours)
            waiting = [
                r for r in await tx.reminders.pending_before(owner, held_until + timedelta(minutes=1))
                if r.kind != CHECKIN and r.due_at > now
            ]  # fmt: skip
            for reminder in waiting:
                await tx.reminders.move(reminder.id, owner, resume)
            await self._reschedule_checkin(tx, incoming, owner, pattern, now)
            count = sum(len(r.payload.get("items", ())) or 1 for r in waiting)
            return self._say("back", count=count, when=self._local(resume, tz, now))
        pattern = replace(pattern, back_on=words.back_on)
        await tx.patterns.save(pattern, now)
        hours = when.hours_for(pattern, self.region)
        resume = when.on_day(words.back_on, tz, hours)
        held = [r for r in await tx.reminders.pending_before(owner, resume) if r.kind != CHECKIN]
        key = incoming.key
        await self.hold(tx, owner, held, resume, now, (key.platform, key.channel, tz))
        await self._reschedule_checkin(tx, incoming, owner, pattern, now)
        resume_day = resume.astimezone(when.zone(tz)).date()
        return self._say(
            "leave_set",
            back_on=day_words(words.back_on),
            resume=day_words(resume_day),
            later=resume_day != words.back_on,
            why=hours.closed(words.back_on),
            count=sum(len(r.payload.get("items", ())) or 1 for r in held),
        )

    async def hold(
        self,
        tx: TurnTx,
        owner: str,
        held: list[Reminder],
        resume: datetime,
        now: datetime,
        where: tuple[str, str | None, str | None],  # platform, channel, time zone
    ) -> None:
        """Reminders due while away come back on return: one as it was, several as one summary."""
        if len(held) == 1:
            await tx.reminders.move(held[0].id, owner, resume)
            return
        if not held:
            return
        names = kind_words()
        items: list[dict[str, Any]] = []
        for reminder in held:
            if reminder.kind == WHILE_AWAY:  # an earlier summary (leave set again): keep its items
                items.extend(reminder.payload.get("items", ()))
                continue
            local = reminder.due_at.astimezone(when.zone(reminder.tz or where[2])).date()
            items.append(
                {
                    "what": names.get(reminder.kind, reminder.kind),
                    "case_ref": reminder.payload.get("case_ref"),
                    "action": reminder.payload.get("what"),
                    "on": day_words(local),
                }
            )
        await tx.reminders.fold([r.id for r in held], owner)
        await tx.reminders.schedule(
            reminder_id=self.new_id(),
            owner=owner,
            platform=where[0],
            channel=where[1],
            kind=WHILE_AWAY,
            due_at=resume,
            tz=where[2],
            payload={"items": items},
            now=now,
        )

    async def settle(self, tx: TurnTx, owner: str, now: datetime) -> None:
        """Something was scheduled for someone on leave (a supervision cadence set by their
        supervisor, say): what waits for their return still comes as one message."""
        pattern = await tx.patterns.get(owner)
        if pattern is None or pattern.back_on is None or pattern.back_on <= now.date():
            return
        pending = await tx.reminders.pending_for(owner)
        if not pending:
            return
        first = pending[0]
        resume = when.on_day(pattern.back_on, first.tz, when.hours_for(pattern, self.region))
        waiting = [r for r in pending if r.kind != CHECKIN and r.due_at <= resume]
        if len(waiting) > 1:
            await self.hold(tx, owner, waiting, resume, now, (first.platform, first.channel, first.tz))

    # ---------------------------------------------------------------- own check-in

    async def _checkin(
        self,
        tx: TurnTx,
        incoming: Incoming,
        owner: str,
        pattern: WorkPattern,
        words: CheckInWords,
        now: datetime,
    ) -> TurnResult:
        tz = incoming.tz
        hours = when.hours_for(pattern, self.region)
        at = words.at or (hours.hours_on(words.weekday) or DEFAULT_SHIFT)[0]
        first = when.first_checkin(words.weekday, at, now, tz)
        rule = CheckInRule(words.weekday, at, first, words.every_weeks, words.what, self.new_id()[:12])
        pattern = replace(pattern, checkin=rule)
        await tx.patterns.save(pattern, now)
        await tx.reminders.cancel_kind(owner, CHECKIN)
        due, day = await schedule_checkin(tx, owner, incoming.key.platform, incoming.key.channel, tz, rule,
                                          first, hours, self.new_id, now)  # fmt: skip
        asked = datetime.combine(day, rule.at, when.zone(tz))
        return self._say(
            "checkin_set",
            rule=self._checkin_words(rule),
            next=self._local(due, tz, now),
            moved=due != asked,
            why=hours.why_moved(asked),
            day_off=hours.hours_on(rule.weekday) is None,
        )

    async def _reschedule_checkin(
        self, tx: TurnTx, incoming: Incoming, owner: str, pattern: WorkPattern, now: datetime
    ) -> None:
        """Leave began or ended: the check-in skips the days away and starts again on return."""
        rule = pattern.checkin
        if rule is None:
            return
        await tx.reminders.cancel_kind(owner, CHECKIN)
        hours = when.hours_for(pattern, self.region)
        local = now.astimezone(when.zone(incoming.tz))
        day = when.checkin_on_or_after(rule, local.date())
        if datetime.combine(day, rule.at, local.tzinfo) <= local:
            day = when.checkin_on_or_after(rule, day + timedelta(days=1))
        await schedule_checkin(tx, owner, incoming.key.platform, incoming.key.channel, incoming.tz, rule, day,
                               hours, self.new_id, now)  # fmt: skip

    def _local(self, moment: datetime, tz: str | None, now: datetime) -> str:
        local = moment.astimezone(when.zone(tz))
        today = now.astimezone(when.zone(tz)).date()
        return f"{local:%H:%M} " + ("today" if local.date() == today else day_words(local.date()))


def apply_pattern(
    current: dict[int, tuple[time, time]] | None, words: PatternWords
) -> dict[int, tuple[time, time]]:
    """The pattern after what the worker said, starting from what they had."""
    shifts = dict(current or {d: DEFAULT_SHIFT for d in range(5)})
    usual = next(iter(shifts.values()), DEFAULT_SHIFT)
    if words.hours is not None:
        shifts = dict.fromkeys(shifts, words.hours)
    for day in words.dropped:
        shifts.pop(day, None)
    if words.replaces:
        shifts = {
            day: (start, end) if start is not None and end is not None else shifts.get(day, usual)
            for day, start, end in words.shifts
        }
    return shifts


async def schedule_checkin(
    tx: TurnTx,
    owner: str,
    platform: str,
    channel: str | None,
    tz: str | None,
    rule: CheckInRule,
    day: date,
    hours: when.WorkingHours,
    new_id: Callable[[], str],
    now: datetime,
) -> tuple[datetime, date]:
    """Schedule the occurrence on `day` (or the first after leave); returns when and which day."""
    if hours.back_on is not None and day < hours.back_on:
        day = when.checkin_on_or_after(rule, hours.back_on)
    due = when.checkin_due(rule, day, tz, hours)
    await tx.reminders.schedule(
        reminder_id=new_id(),
        owner=owner,
        platform=platform,
        channel=channel,
        kind=CHECKIN,
        due_at=due,
        tz=tz,
        payload={"occurrence": day.isoformat(), "serial": rule.serial, "reflect": rule.what == "reflect"},
        now=now,
        dedupe_key=f"checkin:{owner}:{rule.serial}:{day.isoformat()}",
    )
    return due, day


async def schedule_next_checkins(
    tx: TurnTx,
    claimed: list[Reminder],
    now: datetime,
    new_id: Callable[[], str],
    region: str = when.DEFAULT_REGION,
) -> None:
    """A check-in was claimed for delivery: the next one is scheduled in the same transaction."""
    for reminder in claimed:
        if reminder.kind != CHECKIN:
            continue
        pattern = await tx.patterns.get(reminder.owner)
        rule = pattern.checkin if pattern else None
        if rule is None or rule.serial != reminder.payload.get("serial"):
            continue  # stopped, or replaced by a newer rule
        occurrence = date.fromisoformat(str(reminder.payload["occurrence"]))
        day = when.checkin_on_or_after(rule, occurrence + timedelta(days=1))
        await schedule_checkin(tx, reminder.owner, reminder.platform, reminder.channel, reminder.tz, rule, day,
                               when.hours_for(pattern, region), new_id, now)  # fmt: skip


__all__ = [
    "CHECKIN",
    "WHILE_AWAY",
    "EndCheckIn",
    "Leave",
    "PatternCommand",
    "PatternsChat",
    "SetCheckIn",
    "SetPattern",
    "SetRegion",
    "ShowPattern",
    "apply_pattern",
    "parse_pattern_command",
    "schedule_checkin",
    "schedule_next_checkins",
]
