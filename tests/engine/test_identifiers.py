"""Identifiers in chat: what is found, what is not, and the roles offered instead."""

from __future__ import annotations

import pytest

from bot.engine.signals.identifiers import IdentifierHit, find_identifiers, replace_with_roles, suggest_role


def found(text: str) -> list[tuple[str, str]]:
    return [(h.kind, text[h.start : h.end]) for h in find_identifiers(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Siobhán was upset", [("name", "Siobhán")]),
        ("tiago showed me his room", [("name", "tiago")]),
        ("jayden-lee o'connor opened the door", [("name", "jayden-lee o'connor")]),
        ("Kerry Hollins answered", [("name", "Kerry Hollins")]),
        ("Mia and Jayden in the garden", [("name", "Mia"), ("name", "Jayden")]),
        ("Mr O'Sullivan next door", [("name", "O'Sullivan")]),
        ("mrs kowalska at school", [("name", "kowalska")]),
        ("her partner is called Darren", [("name", "Darren")]),
        ("NI QQ123456C", [("ni_number", "QQ123456C")]),
        ("nhs 943 476 5919", [("nhs_number", "943 476 5919")]),
        ("car AB12 CDE outside", [("car_registration", "AB12 CDE")]),
        ("flat 3b was cold", [("address", "flat 3b")]),
        ("visit at 14 Acacia Avenue", [("address", "14 Acacia Avenue")]),
        ("lives at no 22", [("address", "no 22")]),
        ("DSL at St Mary's Primary rang", [("school", "St Mary's Primary")]),
        (
            "Oakfield Academy and Greenbank Nursery",
            [("school", "Oakfield Academy"), ("school", "Greenbank Nursery")],
        ),
        ("email kh@example.com", [("email", "kh@example.com")]),
        ("ring (0113) 496 0000", [("phone", "(0113) 496 0000")]),
        ("ring +44 7700 900123", [("phone", "+44 7700 900123")]),
        ("ring 07700900123", [("phone", "07700900123")]),
        ("postcode LS6 2QT", [("postcode", "LS6 2QT")]),
        ("born on the third of may 2019", [("date_of_birth", "the third of may 2019")]),
        ("dob 3/5/19", [("date_of_birth", "3/5/19")]),
        ("her birthday is 12th march 2018", [("date_of_birth", "12th march 2018")]),
        ("Grace was upset", [("name", "Grace")]),
        ("grace's nan came", [("name", "grace")]),
        ("the baby is called Hope", [("name", "Hope")]),
        ("MIA said mummy was sad", [("name", "MIA")]),
        ("Mrs K said she's fine", [("name", "K")]),
        ('he\'s called "Bear" at home', [("name", "Bear")]),
        ("Kayleigh-Marie & Tia-Rose", [("name", "Kayleigh-Marie"), ("name", "Tia-Rose")]),
        ("Kaydence kept asking", [("name", "Kaydence")]),
        ("tyreek's mum wasn't in", [("name", "tyreek")]),
        ("07700 900123/07700 900124", [("phone", "07700 900123"), ("phone", "07700 900124")]),
        ("+44 (0) 7700 900123", [("phone", "+44 (0) 7700 900123")]),
        ("nhs no. 943-476-5919", [("nhs_number", "943-476-5919")]),
        ("mum lives at 5 The Crescent", [("address", "5 The Crescent")]),
    ],
)
def test_identifiers_as_workers_type_them(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "will ring the GP tomorrow",
        "in may they moved in with nan",
        "mark this as a worry",
        "the bill is overdue",
        "grace period ends friday",
        "the amber light was on",
        "i hope she keeps it",
        "no joy with the HV",
        "at dawn the police came",
        "Will she cope? May be. Hope so.",
        "mum's partner and nan at the ICPC",
        "TM to book strat, S47 done, CIN review, PLO letter, EHCP, GP, A&E, EPDS 14",
        "HX-2291",
        "ICPC on 14/12 at 10:30",
        "she's in reception at the local primary",
        "mum is the primary carer",
        "3 kids in the park, 10 min walk from home",
        "we met at the Family Court",
        "mum was born in Poland",
        "I'll miss the core group",
        "Hosue was a mess, kitchn was worse",
        "Bby was unsettled the whole visit",
        "Lad was quiet, kept his hood up",
        "Mum was Frank about her drinking",
        "Preston social care had them before",
        "Early Help closed it, MASH took the referral",
    ],
)
def test_ordinary_answers_bring_no_warning(text: str) -> None:
    assert found(text) == []


def roles(text: str) -> str:
    return replace_with_roles(text, find_identifiers(text))


def test_roles_for_numbers_places_and_schools() -> None:
    text = "NHS 943 476 5919, flat 3b, at Oakfield Academy, ring 07700 900123"
    hits = find_identifiers(text)
    assert [suggest_role(text, h) for h in hits] == [
        "[NHS number]",
        "the flat",
        "the academy",
        "[phone number]",
    ]
    assert roles(text) == "NHS [NHS number], the flat, at the academy, ring [phone number]"


def test_a_name_after_its_role_is_dropped_and_the_same_person_keeps_one_role() -> None:
    assert roles("mum (Kerry) said Kerry was tired") == "mum said mum was tired"
    assert roles("mum, Kerry, was flat") == "mum was flat"
    assert roles("Mia's nan does the school run") == "The child's nan does the school run"


def test_several_children_are_child_a_and_child_b() -> None:
    assert roles("Mia and Jayden share a bed") == "Child A and child B share a bed"


def test_a_titled_adult_is_the_adult_unless_a_role_says_more() -> None:
    assert roles("Mr O'Sullivan next door heard it") == "The adult next door heard it"
    assert roles("the teacher Mrs Kowalska rang") == "the teacher rang"


def test_a_hit_the_text_does_not_hold_still_gets_a_role() -> None:
    assert suggest_role("Mia", IdentifierHit("name", 0, 3)) == "the child"
    assert suggest_role("x", IdentifierHit("ni_number", 0, 1)) == "[NI number]"


def test_the_detector_and_its_name_lists_do_no_io() -> None:
    """The engine's purity rule, for the signals package too (test_purity reads the top level)."""
    from pathlib import Path

    from tests.engine.test_purity import FORBIDDEN, imported

    signals = Path(__file__).resolve().parents[2] / "bot" / "engine" / "signals"
    for path in sorted(signals.glob("*.py")):
        bad = {n for n in imported(path) if any(n == f or n.startswith(f + ".") for f in FORBIDDEN)}
        assert not bad, f"{path.name} imports {sorted(bad)}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mum's new partner is called Darren, met him today", "mum's new partner, met him today"),
        ("mum's partner, named Kyle, refused to speak to me", "mum's partner refused to speak to me"),
        ("a man called Tyreece visits most days", "a man visits most days"),
        ("the DSL, Mrs Ahmed, rang", "the DSL rang"),
        ("dad (Wayne Pickering) was asleep upstairs", "dad was asleep upstairs"),
        ("mum (Kerry) on 07700 900123, dad at flat 3b", "mum on [phone number], dad at the flat"),
        ("Jayden (7) and Mia (4) at Greenbank Nursery", "Child A (7) and child B (4) at the nursery"),
        ("born on the third of may 2019", "born on [date of birth]"),
    ],
)
def test_replacing_with_roles_reads_as_the_worker_would_write_it(text: str, expected: str) -> None:
    assert roles(text) == expected


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("April said she's scared", True),
        ("his sister April (6)", True),
        ("in april they moved", False),
        ("by June the plan ends", False),
        ("visit on 3 june", False),
    ],
)
def test_months_that_are_names(text: str, named: bool) -> None:
    assert bool(found(text)) is named


def test_colleagues_named_in_a_group_are_not_the_family() -> None:
    text = "Sarah, what do you think? Jayden said dad hit him"
    assert [h.kind for h in find_identifiers(text)] == ["name", "name"]
    hits = find_identifiers(text, colleagues=["Sarah Booth", "Alex"])
    assert [text[h.start : h.end] for h in hits] == ["Jayden"]


@pytest.mark.parametrize(
    "text", ["mum was referred to Early Help last week", "a Red Cross parcel", "they moved to Hebden Bridge"]
)
def test_services_and_places_named_like_people_are_not_people(text: str) -> None:
    assert found(text) == []
