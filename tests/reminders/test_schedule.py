"""When reminders fall: time zones, working hours, and reading "visit HX-2291 14:00"."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.engine.timefmt import six_months_after
from bot.reminders.schedule import (
    WorkingHours,
    after_visit,
    in_working_hours,
    on_day,
    parse_visit,
    snoozed,
)

FRIDAY_NOON = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
HOURS = WorkingHours()


def test_a_visit_at_two_is_followed_up_at_three_local_time() -> None:
    plan = parse_visit("visit HX-2291 14:00", FRIDAY_NOON, "Europe/London")
    assert plan is not None and plan.case_ref == "HX-2291"
    assert after_visit(plan, timedelta(hours=1), "Europe/London", HOURS) == datetime(
        2026, 11, 20, 15, 0, tzinfo=UTC
    )


def test_a_late_friday_visit_waits_for_monday_morning() -> None:
    plan = parse_visit("visit HX-2291 17:00", FRIDAY_NOON, "Europe/London")
    assert plan is not None
    assert after_visit(plan, timedelta(hours=1), "Europe/London", HOURS) == datetime(
        2026, 11, 23, 9, 0, tzinfo=UTC
    )


def test_working_hours_are_the_workers_own_time_zone() -> None:
    # 15:00 UTC is 10:00 in New York: inside their hours, but 07:00 UTC is 02:00 there.
    early = datetime(2026, 11, 18, 7, 0, tzinfo=UTC)
    moved = in_working_hours(early, "America/New_York", HOURS)
    assert moved.astimezone(UTC) == datetime(2026, 11, 18, 14, 0, tzinfo=UTC)  # 09:00 EST
    summer = datetime(2026, 7, 1, 7, 30, tzinfo=UTC)  # 08:30 BST: half an hour early
    assert in_working_hours(summer, "Europe/London", HOURS).astimezone(UTC) == datetime(
        2026, 7, 1, 8, 0, tzinfo=UTC
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("visit 2pm tomorrow", datetime(2026, 11, 21, 14, 0, tzinfo=UTC)),
        ("visit HX-1 monday 10:30", datetime(2026, 11, 23, 10, 30, tzinfo=UTC)),
        ("visit HX-1 2", datetime(2026, 11, 20, 14, 0, tzinfo=UTC)),
    ],
)
def test_reading_visit_times(text: str, expected: datetime) -> None:
    plan = parse_visit(text, FRIDAY_NOON, "Europe/London")
    assert plan is not None and plan.visit_at == expected


def test_a_visit_without_a_time_is_now_and_other_words_are_not_visits() -> None:
    plan = parse_visit("visit HX-2291", FRIDAY_NOON, None)
    assert plan is not None and plan.visit_at == FRIDAY_NOON
    assert parse_visit("visiting hours were odd", FRIDAY_NOON, None) is None


def test_snooze_an_hour_later_but_never_at_night() -> None:
    assert snoozed(FRIDAY_NOON, "Europe/London", HOURS) == datetime(2026, 11, 20, 13, 0, tzinfo=UTC)
    evening = datetime(2026, 11, 20, 17, 0, tzinfo=UTC)
    assert snoozed(evening, "Europe/London", HOURS) == datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def test_due_dates_and_six_months() -> None:
    assert on_day(date(2026, 11, 21), "Europe/London", HOURS) == datetime(
        2026, 11, 23, 9, 0, tzinfo=on_day(date(2026, 11, 21), "Europe/London", HOURS).tzinfo
    )
    assert six_months_after(date(2026, 8, 31)) == date(2027, 2, 28)
    assert six_months_after(date(2026, 11, 22)) == date(2027, 5, 22)
