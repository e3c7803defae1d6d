"""Case keys, evidence per piece, kinds of hypothesis."""

from __future__ import annotations

from bot.engine.understand.case_refs import case_key, case_ref_problem, find_case_ref, normalise_case_ref
from bot.engine.understand.evidence import parse_evidence, parse_evidence_items
from bot.engine.understand.hypothesis_kinds import classify_hypothesis


def test_one_case_however_it_is_typed() -> None:
    spellings = ["hx3107", "HX 3107", "HX-3107", "hx 3107", "Hx_3107"]
    assert {case_key(s) for s in spellings} == {"HX3107"}
    assert {normalise_case_ref(s) for s in spellings} == {"HX-3107"}
    assert case_ref_problem("hx 3107") is None
    assert case_ref_problem("HX 3107") is None
    assert case_ref_problem("Kayla Jones") == "looks_like_name"
    assert find_case_ref("its case hx 3107 again") == "HX-3107"


def test_evidence_labels_per_piece_and_from_words() -> None:
    pieces = parse_evidence_items(
        "SR i see kids alone now MR my manager said my recording is better SUR mum said visits help"
    )
    assert [(e.source, e.text) for e in pieces] == [
        ("SR", "i see kids alone now"),
        ("MR", "my manager said my recording is better"),
        ("SUR", "mum said visits help"),
    ]
    assert parse_evidence("TM said im more confident").source == "MR"
    assert parse_evidence("the HV said i share info quicker").source == "CR"
    assert parse_evidence("dad told me he likes the plan").source == "SUR"
    assert parse_evidence("I've started doing genograms").source == "SR"
    assert parse_evidence("no clue here").source == "unlabelled"
    assert parse_evidence("Mr Example said hello").source == "unlabelled"


def test_kinds_of_hypothesis() -> None:
    assert classify_hypothesis("unexplained bruising, dad rough with him") == "physical_harm"
    assert classify_hypothesis("kids hungry, house filthy") == "neglect"
    assert classify_hypothesis("mum is depresed, EPDS 14") == "parent_mental_health"
    assert classify_hypothesis("new boyfriend moved in") == "new_partner"
    assert classify_hypothesis("mum is telling me what i want to hear") == "disguised_compliance"
    assert classify_hypothesis("things are much better now shes really trying") == "over_optimism"
    assert classify_hypothesis("canabis use by dad") == "substance"
    assert classify_hypothesis("dad hits mum when hes drunk") == "domestic_abuse"
    assert classify_hypothesis("money worries") == "other"
