"""Working time (issue 16): part-time patterns, UK bank holidays by region, leave, time zones
and clock changes, and a worker's own check-in; all over an injected "now"."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.core.reminders import CheckInRule, WorkPattern
from bot.reminders.schedule import (
    WorkingHours,
    after_visit,
    bank_holiday,
    checkin_due,
    checkin_on_or_after,
    first_checkin,
    hours_for,
    in_working_hours,
    on_day,
    parse_visit,
)

LONDON = "Europe/London"
MON_TO_WED = WorkingHours(shifts=tuple((d, time(9, 0), time(17, 30)) for d in (0, 1, 2)))
FRIDAY_HALF = WorkingHours(
    shifts=(*((d, time(9, 0), time(17, 0)) for d in range(4)), (4, time(9, 0), time(13, 0)))
)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


# ---------------------------------------------------------------- part-time patterns


def test_a_part_timer_is_not_nudged_on_the_days_they_do_not_work() -> None:
    wednesday_late = utc(2026, 12, 2, 17, 0)  # 17:00 in London (GMT)
    plan = parse_visit("visit HX-2291 17:00", wednesday_late, LONDON)
    assert plan is not None
    # 18:00 Wednesday is after hours; Thursday and Friday are not their days: Monday 9:00.
    assert after_visit(plan, timedelta(hours=1), LONDON, MON_TO_WED) == utc(2026, 12, 7, 9, 0)
    # the full-time default would have asked on Thursday morning
    assert after_visit(plan, timedelta(hours=1), LONDON, WorkingHours()) == utc(2026, 12, 3, 9, 0)


def test_a_short_friday_ends_at_one() -> None:
    assert in_working_hours(utc(2026, 12, 4, 12, 30), LONDON, FRIDAY_HALF) == utc(2026, 12, 4, 12, 30)
    assert in_working_hours(utc(2026, 12, 4, 13, 30), LONDON, FRIDAY_HALF) == utc(2026, 12, 7, 9, 0)
    assert FRIDAY_HALF.why_moved(datetime(2026, 12, 4, 13, 30, tzinfo=UTC)).why == "after_hours"  # type: ignore[union-attr]


def test_a_stored_pattern_becomes_working_hours() -> None:
    pattern = WorkPattern(owner="slack:T1:U1", shifts={0: (time(8), time(16)), 3: (time(10), time(14))})
    hours = hours_for(pattern, "scotland")
    assert hours.working_days == (0, 3)
    assert hours.region == "scotland"
    assert hours.hours_on(3) == (time(10), time(14))
    assert hours_for(None).working_days == (0, 1, 2, 3, 4)
    assert hours_for(None).region == "england-and-wales"


# ---------------------------------------------------------------- bank holidays, region by region


@pytest.mark.parametrize(
    ("region", "due", "expected"),
    [
        # Christmas 2026: Fri 25 (Christmas Day), Mon 28 (Boxing Day, substitute): Tuesday 29th.
        ("england-and-wales", date(2026, 12, 25), date(2026, 12, 29)),
        ("scotland", date(2026, 12, 25), date(2026, 12, 29)),
        ("northern-ireland", date(2026, 12, 25), date(2026, 12, 29)),
        # New Year 2027: Fri 1 Jan everywhere; Scotland also has 2 Jan (a Saturday, so Mon 4th).
        ("england-and-wales", date(2027, 1, 1), date(2027, 1, 4)),
        ("scotland", date(2027, 1, 1), date(2027, 1, 5)),
        ("northern-ireland", date(2027, 1, 1), date(2027, 1, 4)),
        # 2 January 2026 is a Friday: a bank holiday in Scotland only.
        ("scotland", date(2026, 1, 2), date(2026, 1, 5)),
        ("england-and-wales", date(2026, 1, 2), date(2026, 1, 2)),
        # St Patrick's Day (Wednesday 17 March 2027): Northern Ireland only.
        ("northern-ireland", date(2027, 3, 17), date(2027, 3, 18)),
        ("england-and-wales", date(2027, 3, 17), date(2027, 3, 17)),
        # The Twelfth (Monday 12 July 2027): Northern Ireland only.
        ("northern-ireland", date(2027, 7, 12), date(2027, 7, 13)),
        ("scotland", date(2027, 7, 12), date(2027, 7, 12)),
        # The summer bank holiday: first Monday of August in Scotland, last in England.
        ("scotland", date(2027, 8, 2), date(2027, 8, 3)),
        ("england-and-wales", date(2027, 8, 2), date(2027, 8, 2)),
        ("england-and-wales", date(2027, 8, 30), date(2027, 8, 31)),
    ],
)
def test_a_nudge_never_lands_on_a_bank_holiday(region: str, due: date, expected: date) -> None:
    landed = on_day(due, LONDON, WorkingHours(region=region))
    assert landed.date() == expected
    assert landed.time() == time(9, 0)
    assert bank_holiday(landed.date(), region) is None


def test_why_a_time_moved_names_the_holiday() -> None:
    hours = WorkingHours(region="northern-ireland")
    moved = hours.why_moved(datetime(2027, 3, 17, 10, 0, tzinfo=UTC))
    assert moved is not None and moved.why == "bank_holiday" and "Patrick" in (moved.holiday or "")
    assert hours.why_moved(datetime(2027, 3, 18, 10, 0, tzinfo=UTC)) is None
    assert bank_holiday(date(2027, 3, 17), "nowhere") is None
    assert bank_holiday(date(2027, 3, 17), None) is None


# ---------------------------------------------------------------- time zones and clock changes


def test_after_the_clocks_go_back_nine_is_nine_in_london() -> None:
    # Friday 23 October 2026 17:00 BST (16:00 UTC); clocks go back on Sunday 25th.
    plan = parse_visit("visit 17:00", utc(2026, 10, 23, 12, 0), LONDON)
    assert plan is not None and plan.visit_at == utc(2026, 10, 23, 16, 0)
    assert after_visit(plan, timedelta(hours=1), LONDON, WorkingHours()) == utc(2026, 10, 26, 9, 0)


def test_over_easter_and_the_clocks_going_forward() -> None:
    # Thursday 25 March 2027 after work (GMT); Good Friday 26th, clocks forward on 28th,
    # Easter Monday 29th (England and Wales): Tuesday 30 March 09:00 BST is 08:00 UTC.
    england = WorkingHours(region="england-and-wales")
    assert in_working_hours(utc(2027, 3, 25, 18, 0), LONDON, england) == utc(2027, 3, 30, 8, 0)
    # Scotland has Good Friday but not Easter Monday.
    scotland = WorkingHours(region="scotland")
    assert in_working_hours(utc(2027, 3, 25, 18, 0), LONDON, scotland) == utc(2027, 3, 29, 8, 0)


def test_a_part_timer_abroad_keeps_their_own_hours() -> None:
    early = WorkingHours(shifts=((1, time(8, 0), time(16, 0)),))  # Tuesdays only, 8 to 4
    # Tuesday 1 December 2026 12:00 UTC is 07:00 in New York: wait for 08:00 there (13:00 UTC).
    assert in_working_hours(utc(2026, 12, 1, 12, 0), "America/New_York", early) == utc(2026, 12, 1, 13, 0)
    # 21:30 UTC is 16:30 there: after their day, so next Tuesday 08:00 New York.
    assert in_working_hours(utc(2026, 12, 1, 21, 30), "America/New_York", early) == utc(2026, 12, 8, 13, 0)


# ---------------------------------------------------------------- leave


def test_nothing_is_sent_while_away_and_the_first_working_day_back_is_the_day() -> None:
    away = WorkingHours(back_on=date(2026, 12, 12), region="england-and-wales")  # a Saturday
    assert in_working_hours(utc(2026, 12, 2, 10, 0), LONDON, away) == utc(2026, 12, 14, 9, 0)
    closed = away.closed(date(2026, 12, 3))
    assert closed is not None and closed.why == "away"
    # back over Christmas: 29 December
    back_at_christmas = WorkingHours(back_on=date(2026, 12, 25), region="england-and-wales")
    assert on_day(date(2026, 12, 20), LONDON, back_at_christmas) == utc(2026, 12, 29, 9, 0)


# ---------------------------------------------------------------- a worker's own check-in


def test_a_check_in_starts_today_if_its_time_is_still_ahead() -> None:
    friday_two = utc(2026, 12, 4, 14, 0)
    assert first_checkin(4, time(15, 0), friday_two, LONDON) == date(2026, 12, 4)
    assert first_checkin(4, time(13, 0), friday_two, LONDON) == date(2026, 12, 11)
    assert first_checkin(0, time(9, 0), friday_two, LONDON) == date(2026, 12, 7)


def test_every_other_week_counts_from_the_first() -> None:
    rule = CheckInRule(weekday=0, at=time(9, 0), first=date(2026, 12, 7), every_weeks=2)
    assert checkin_on_or_after(rule, date(2026, 12, 1)) == date(2026, 12, 7)
    assert checkin_on_or_after(rule, date(2026, 12, 8)) == date(2026, 12, 21)
    assert checkin_on_or_after(rule, date(2026, 12, 21)) == date(2026, 12, 21)
    weekly = CheckInRule(weekday=4, at=time(15, 0), first=date(2026, 12, 4))
    assert checkin_on_or_after(weekly, date(2026, 12, 5)) == date(2026, 12, 11)


def test_a_check_in_on_a_bank_holiday_or_a_day_off_comes_on_the_next_working_time() -> None:
    rule = CheckInRule(weekday=4, at=time(15, 0), first=date(2026, 12, 4))
    england = WorkingHours(region="england-and-wales")
    assert checkin_due(rule, date(2026, 12, 18), LONDON, england) == utc(2026, 12, 18, 15, 0)
    assert checkin_due(rule, date(2026, 12, 25), LONDON, england) == utc(2026, 12, 29, 9, 0)
    assert checkin_due(rule, date(2026, 12, 18), LONDON, MON_TO_WED) == utc(2026, 12, 21, 9, 0)


def test_a_day_starts_when_that_persons_day_starts() -> None:
    early_monday = WorkingHours(shifts=((0, time(7, 30), time(15, 30)), (1, time(10, 0), time(18, 0))))
    assert on_day(date(2026, 12, 7), LONDON, early_monday) == utc(2026, 12, 7, 7, 30)
    assert on_day(date(2026, 12, 8), LONDON, early_monday) == utc(2026, 12, 8, 10, 0)
    assert on_day(date(2026, 12, 9), LONDON, early_monday) == utc(2026, 12, 14, 7, 30)  # next Monday
