"""Reading working-pattern words (the corpus in tests/corpus/working.yaml measures many
more): clock words, and sentences that mention days or times without being a pattern."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from bot.engine.understand.working import (
    CheckInWords,
    StopCheckIn,
    read_checkin,
    read_clock,
    read_leave,
    read_pattern,
    read_region,
    weekday_named,
)
from bot.reminders.patterns import DEFAULT_SHIFT, apply_pattern

NOW = datetime(2026, 12, 1, 11, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("words", "expected"),
    [("8", time(8)), ("4", time(16)), ("4.30", time(16, 30)), ("16:00", time(16)), ("9am", time(9)),
     ("3pm", time(15)), ("noon", time(12)), ("12", time(12)), ("25", None), ("13pm", None)],
)  # fmt: skip
def test_clock_words_in_a_working_day(words: str, expected: time | None) -> None:
    assert read_clock(words) == expected


def test_an_end_before_its_start_is_in_the_afternoon() -> None:
    words = read_pattern("my hours are 9 till 1")
    assert words is not None and words.hours == (time(9), time(13))
    assert read_pattern("my hours are 10 till 9") is not None  # 10:00 to 21:00, as said


def test_corrections_build_on_what_was_there() -> None:
    three_days = apply_pattern(None, read_pattern("i work mon tue wed"))  # type: ignore[arg-type]
    assert three_days == {d: DEFAULT_SHIFT for d in (0, 1, 2)}
    shorter = apply_pattern(three_days, read_pattern("my hours are 8 till 4"))  # type: ignore[arg-type]
    assert shorter == {d: (time(8), time(16)) for d in (0, 1, 2)}
    fewer = apply_pattern(shorter, read_pattern("im off weds"))  # type: ignore[arg-type]
    assert fewer == {0: (time(8), time(16)), 1: (time(8), time(16))}
    # a new day keeps the hours the worker already has
    more = apply_pattern(fewer, read_pattern("i work mon tue thu"))  # type: ignore[arg-type]
    assert more == {d: (time(8), time(16)) for d in (0, 1, 3)}
    assert apply_pattern(fewer, read_pattern("i dont work mon or tue")) == {}  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    ["i work with mum on tuesdays", "dad works mon to fri", "i work late most days", "mum is away until 12 dec",
     "she's off school till monday", "i'm off sick", "remind me to ring the GP every monday"],
)  # fmt: skip
def test_sentences_about_other_things_are_left_alone(text: str) -> None:
    assert read_pattern(text) is None
    assert read_leave(text, NOW) is None
    assert read_checkin(text) is None


def test_leave_in_the_past_is_not_leave() -> None:
    assert read_leave("back on 1/12", NOW) is None  # today: nothing to hold
    found = read_leave("away until 30/11", NOW)  # without a year: the next 30 November
    assert found is not None and found.back_on == date(2027, 11, 30)


def test_checkins_and_regions() -> None:
    assert read_checkin("stop checking in") == StopCheckIn()
    assert read_checkin("check in every thurs first thing") == CheckInWords(3, time(9), 1, "checkin")
    assert read_region("we're in northern ireland") == "northern-ireland"
    assert read_region("im in the car") is None
    assert weekday_named("visit hx1 weds 2pm") == 2
    assert weekday_named("visit hx1 2pm") is None
