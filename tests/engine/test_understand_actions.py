"""Actions: every one found, owner and date read from anywhere, UK dates."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.engine.understand.actions import (
    ParsedAction,
    is_worker,
    parse_action,
    parse_owner,
    parse_who_when,
    split_actions,
)
from bot.engine.understand.dates import parse_due

MONDAY = datetime(2026, 11, 2, 14, 30, tzinfo=UTC)
FRIDAY = datetime(2026, 11, 6, 9, 0, tzinfo=UTC)


def test_the_issue_s_three_slotted_actions_are_three() -> None:
    text = (
        "strategy discussion / TM / today 4pm; child protection medical / paediatrician / tomorrow; "
        "check household members / me / 03/12/2026"
    )
    parsed = [parse_action(a, MONDAY) for a in split_actions(text)]
    assert parsed == [
        ParsedAction("strategy discussion", "team manager", date(2026, 11, 2), "today 4pm"),
        ParsedAction("child protection medical", "paediatrician", date(2026, 11, 3), "tomorrow"),
        ParsedAction("check household members", "me", date(2026, 12, 3), "03/12/2026"),
    ]


def test_parsed_action_unpacks_as_the_old_tuple() -> None:
    what, who, due, due_text = parse_action("TM to book strat by fri", MONDAY)
    assert (what, who, due, due_text) == ("book strat", "team manager", date(2026, 11, 6), "by fri")


@pytest.mark.parametrize(
    ("line", "what", "who", "due"),
    [
        ("me unannounced visit next wk", "unannounced visit", "me", date(2026, 11, 13)),
        ("ring HV tmrw", "ring HV", None, date(2026, 11, 3)),
        ("chase the GP", "chase the GP", None, None),
        ("ask HV to weigh baby", "ask HV to weigh baby", None, None),
        ("HV: weigh baby this wk", "weigh baby", "health visitor", date(2026, 11, 6)),
        ("ill ring the gp monday", "ring the gp", "me", date(2026, 11, 9)),
        ("visit fri (me)", "visit", "me", date(2026, 11, 6)),
        ("me + HV joint visit thurs", "joint visit", "we", date(2026, 11, 5)),
        ("send report before conference on the 14th", "send report", None, date(2026, 11, 14)),
    ],
)
def test_owner_and_date_from_anywhere(line: str, what: str, who: str | None, due: date | None) -> None:
    assert parse_action(line, MONDAY)[:3] == (what, who, due)


def test_split_actions_in_sentences_and_owner_lists() -> None:
    assert split_actions("me: home visit thurs, HV: weigh baby this wk, TM: legal gateway meeting asap") == [
        "me: home visit thurs",
        "HV: weigh baby this wk",
        "TM: legal gateway meeting asap",
    ]
    assert split_actions(
        "i'll do the referral to EH by friday and ask nan if she can have them weekends"
    ) == [
        "i'll do the referral to EH by friday",
        "i'll ask nan if she can have them weekends",
    ]
    assert split_actions("ring mum and dad tmrw") == ["ring mum and dad tmrw"]


@pytest.mark.parametrize(
    ("words", "due"),
    [
        ("today 4pm", date(2026, 11, 2)),
        ("tomoz", date(2026, 11, 3)),
        ("by fri", date(2026, 11, 6)),
        ("end of wk", date(2026, 11, 6)),
        ("end of next week", date(2026, 11, 13)),
        ("next wk", date(2026, 11, 13)),
        ("in 3 weeks", date(2026, 11, 23)),
        ("in 2 wks", date(2026, 11, 16)),
        ("14/12", date(2026, 12, 14)),
        ("03/12/2026", date(2026, 12, 3)),
        ("wed am", date(2026, 11, 4)),
        ("asap", date(2026, 11, 2)),
        ("next fri", date(2026, 11, 13)),
        ("monday week", date(2026, 11, 16)),
        ("within 10 working days", date(2026, 11, 16)),
        ("after half term", None),
        ("by the review", None),
    ],
)
def test_uk_dates(words: str, due: date | None) -> None:
    assert parse_due(words, MONDAY) == due


def test_a_weekday_is_never_today_and_never_past() -> None:
    assert parse_due("fri", FRIDAY) == date(2026, 11, 13)
    assert parse_due("monday", FRIDAY) == date(2026, 11, 9)


def test_undated_words_are_kept() -> None:
    assert parse_action("core group after half term", MONDAY) == ParsedAction(
        "core group", None, None, "after half term"
    )


def test_owners_are_canonical_and_the_worker_is_me() -> None:
    assert parse_owner("my manager") == "team manager"
    assert parse_owner("the paed") == "paediatrician"
    assert parse_owner("helth visitor") == "health visitor"
    assert [is_worker(o) for o in ("me", "I", "myself", "we", "team manager", None)] == [
        True,
        True,
        True,
        True,
        False,
        False,
    ]
    assert parse_who_when("me, by Friday", MONDAY) == ("me", date(2026, 11, 6), "by Friday")
    assert parse_who_when("health visitor / 3 March", MONDAY) == (
        "health visitor",
        date(2027, 3, 3),
        "3 March",
    )
    assert parse_who_when("my manager tmrw", MONDAY) == ("team manager", date(2026, 11, 3), "tmrw")
