"""The pure text checks and parsers the conversation relies on."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.engine.commands import Command, UnknownCommand, parse_command
from bot.engine.signals import followups, identifiers, risk
from bot.engine.understand import actions, case_refs, choices, evidence, items
from supervision_models.registry import default_registry

NOW = datetime(2026, 11, 2, 14, 30, tzinfo=UTC)  # a Monday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pretty bad", ["pretty bad"]),
        ("Fine.", ["fine"]),
        ("ok I guess", ["ok"]),
        ("It was a bit chaotic really", ["chaotic"]),
        ("The sofa had no cushions, takeaway boxes on every surface, and a strong smell of cannabis", []),
        ("Poor lighting, one bulb for the whole flat, mould on every window", []),
        ('mum said "it\'s fine"', []),
        ("", []),
    ],
)
def test_vague_words(text: str, expected: list[str]) -> None:
    assert followups.vague_words(text) == expected


@pytest.mark.parametrize(
    ("text", "none"),
    [
        ("nothing", True),
        ("She didn't say anything", True),
        ("He was asleep the whole time", True),
        ("pre-verbal, 8 months", True),
        ('"I like it when daddy is not here"', False),
        ("She showed me her bedroom and said the bed is too small for two", False),
        ("didnt really say anything, kept looking at mum", True),
        ("tracked my face, smiled at mum's voice", False),
    ],
)
def test_no_child_words(text: str, none: bool) -> None:
    assert followups.no_child_words(text) is none


@pytest.mark.parametrize(
    ("text", "risky"),
    [
        ("dad threatened to kill mum tonight", True),
        ("she says she wants to self-harm", True),
        ("not safe to go home tonight", True),
        ("baby left alone in the flat", True),
        ("unexplained bruises on his arm", True),
        ("no unexplained bruises seen", False),
        ("the children were calm and well fed; mum tired", False),
        ("he denied having any weapon", False),
        ("she told me daddy touches her private parts", True),
        ("she wants to die and has been cutting", True),
        ("the 3 year old was home on his own when I arrived", True),
        ("dad said if we take the kids he'll kill her", True),
        ("a burn on his hand the shape of an iron", True),
        ("he showed me his knife collection for cooking club", False),
        ("killing it at football", False),
    ],
)
def test_immediate_risk(text: str, risky: bool) -> None:
    assert risk.suggests_immediate_risk(text) is risky


def test_identifiers_found_by_kind() -> None:
    text = (
        "NHS 943 476 5919, NI AB123456C, postcode M1 1AE, call 07700 900123, "
        "email a.person@example.org, lives at 12 Acacia Avenue, DOB 03/04/2019, Mrs Example"
    )
    kinds = {h.kind for h in identifiers.find_identifiers(text)}
    assert kinds == {
        "nhs_number",
        "ni_number",
        "postcode",
        "phone",
        "email",
        "address",
        "date_of_birth",
        "name",
    }


def test_an_invalid_nhs_checksum_is_not_an_nhs_number() -> None:
    assert [h.kind for h in identifiers.find_identifiers("reference 943 476 5910")] != ["nhs_number"]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("HX-2291", None),
        ("123456", None),
        ("Kayla Jones", "looks_like_name"),
        ("943 476 5919", "identifier"),
        ("HX 22 91 !!", "format"),
    ],
)
def test_case_reference_checks(text: str, problem: str | None) -> None:
    assert case_refs.case_ref_problem(text) == problem


def test_split_items_handles_lines_bullets_and_inline_numbering() -> None:
    assert items.split_items("- one\n* two\n3) three\n\n") == ["one", "two", "three"]
    assert items.split_items("1) low mood 2) someone else living there") == [
        "low mood",
        "someone else living there",
    ]
    assert items.split_items("just one idea") == ["just one idea"]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Ring school / me / Friday", ("Ring school", "me", date(2026, 11, 6))),
        ("Ring school - me - 30/11/2026", ("Ring school", "me", date(2026, 11, 30))),
        ("Book a joint visit by tomorrow", ("Book a joint visit", None, date(2026, 11, 3))),
        ("Chase the GP letter", ("Chase the GP letter", None, None)),
        ("Strategy discussion / team manager", ("Strategy discussion", "team manager", None)),
    ],
)
def test_parse_action(line: str, expected: tuple[str, str | None, date | None]) -> None:
    what, who, due, _ = actions.parse_action(line, NOW)
    assert (what, who, due) == expected


def test_parse_evidence_labels_sources() -> None:
    items = [
        evidence.parse_evidence(x)
        for x in ["SR: I see children alone now", "sur - mum said visits help", "no label"]
    ]
    assert [(e.source, e.text) for e in items] == [
        ("SR", "I see children alone now"),
        ("SUR", "mum said visits help"),
        ("unlabelled", "no label"),
    ]


def test_match_choice_by_number_value_label_and_prefix() -> None:
    options = default_registry().get("post_visit").step("seen_alone").choices
    assert choices.match_choice("1", options) == "yes"
    assert choices.match_choice("Yes", options) == "yes"
    assert choices.match_choice("no, not alone", options) == "no"
    assert choices.match_choice("i didn't", options) == "no"  # didn't see them alone
    assert choices.match_choice("didnt see him, he was at nursery", options) == "not_seen"
    assert choices.match_choice("maybe", options) is None


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("skip", Command("skip")),
        ("  Pause! ", Command("pause")),
        ("/reflect checkin", Command("start", "checkin")),
        ("start", Command("start")),
        ("carry on", Command("carry_on")),
        ("/frob", UnknownCommand("frob")),
        ("I skipped lunch to get there", None),
        ("done", None),  # "done" is an answer (e.g. an action's status), never "finish"
    ],
)
def test_parse_command(text: str, parsed: Command | UnknownCommand | None) -> None:
    assert parse_command(text) == parsed
