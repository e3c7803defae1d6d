"""Pseudonymisation: what is replaced, consistently, and put back only on our side."""

from __future__ import annotations

import pytest

from bot.assist.names import NameIndex
from bot.assist.pseudonymise import Pseudonymiser
from tests.assist.identifiers import NHS, NHS_2, leaks

TEXTS = [
    f"Kayleigh Smith (NHS {NHS}, NI AB 12 34 56 C) lives at 14 Acacia Avenue, LS6 2QT.",
    "Mum's mobile is 07700 900123 and the landline 0113 496 0000; email k.smith@example.com.",
    "Kayleigh was born 12/03/2015. Her brother Jayden said Darren moved in on 4 May 2021.",
    f"Flat 3 smelled of smoke. tyler's NHS number is {NHS_2.replace(' ', '')}. Jayden goes to Brudenell primary.",
    "Curtains closed at noon, mum flat and tired. Will she cope? Smith said nothing.",
]


def pseudonymiser(names: NameIndex) -> Pseudonymiser:
    p = Pseudonymiser(names, known_names=["Tyler"])
    p.learn(TEXTS)
    return p


def test_every_planted_identifier_is_replaced(names: NameIndex) -> None:
    p = pseudonymiser(names)
    redacted = [p.redact(t) for t in TEXTS]
    assert leaks("\n".join(redacted)) == []
    assert redacted[0].startswith("[PERSON_2] (NHS [NHS_NUMBER_1], NI [NI_NUMBER_1]) lives at [ADDRESS_1]")


def test_the_worker_s_everyday_words_are_kept(names: NameIndex) -> None:
    redacted = pseudonymiser(names).redact(TEXTS[4])
    assert redacted.startswith("Curtains closed at noon, mum flat and tired. Will she cope?")


def test_placeholders_are_consistent_across_texts_and_calls(names: NameIndex) -> None:
    first, second = pseudonymiser(names), pseudonymiser(names)
    assert [first.redact(t) for t in TEXTS] == [second.redact(t) for t in TEXTS]
    kayleigh = first.redact("Kayleigh")
    assert kayleigh == first.redact("Kayleigh Smith") == first.redact("Smith") == first.redact("kayleigh")
    assert first.redact("Tyler") == "[PERSON_1]"  # registered names come first


def test_reidentification_puts_back_the_worker_s_words_and_leaves_strangers(names: NameIndex) -> None:
    p = pseudonymiser(names)
    assert p.reidentify("Is [PERSON_2] safe at [ADDRESS_1]? And [PERSON_99]?") == (
        "Is Kayleigh Smith safe at 14 Acacia Avenue? And [PERSON_99]?"
    )


def test_typed_placeholder_lookalikes_cannot_be_reidentified(names: NameIndex) -> None:
    p = pseudonymiser(names)
    assert p.redact("say [PERSON_1] is fine") == "say (PERSON_1) is fine"


# The forms a security test saw go out verbatim (issue 14), each in a worker's words.
ESCAPED = [
    ("mum's NI is QQ123456C", "QQ123456C"),
    ("Siobhán said she doesnt like it when dad shouts", "Siobh"),
    ("tiago showed me his drawings", "tiago"),
    ("jayden-lee o'connor was at the door", "jayden"),
    ("jayden-lee o'connor was at the door", "connor"),
    ("Mr Dermot O'Sullivan from next door says he hears shouting", "Sullivan"),
    ("mrs kowalska says she's often hungry", "kowalska"),
    ("mum's new partner is called Tyreece", "Tyreece"),
    ("a man called bartek was in the kitchen", "bartek"),
    ("partner's car AB12 CDE was outside again", "AB12"),
    ("flat 3b smelled of cannabis", "3b"),
    ("DSL at St Mary's Primary rang", "Mary"),
    ("he's at oakfield academy", "oakfield"),
    ("born on the third of may 2019", "third of may"),
    ("dob 3/5/19", "3/5/19"),
    ("ring nan on +44 (0)113 496 0999", "496"),
    ("mum's ex gary marsh turned up", "marsh"),
]


@pytest.mark.parametrize(("text", "fragment"), ESCAPED)
def test_forms_that_once_went_out_verbatim_are_replaced(names: NameIndex, text: str, fragment: str) -> None:
    p = Pseudonymiser(names)
    p.learn([text])
    redacted = p.redact(text)
    assert fragment.lower() not in redacted.lower(), redacted
    assert p.reidentify(redacted) == text


def test_a_name_with_accents_is_one_person_however_it_is_typed(names: NameIndex) -> None:
    p = Pseudonymiser(names)
    p.learn(["Siobhán was upset", "later siobhan said sorry", "SIOBHAN's nan came"])
    assert p.redact("Siobhán") == p.redact("siobhan") == p.redact("Siobhan")
    assert "siobh" not in p.redact("later siobhan said sorry, SIOBHAN's nan came").lower()


def test_everyday_words_that_are_names_stay_in_ordinary_use(names: NameIndex) -> None:
    text = "will ring the GP in may; the amber light was on; no joy with the HV"
    p = Pseudonymiser(names)
    p.learn([text])
    assert p.redact(text) == text


def test_every_corpus_answer_comes_back_word_for_word_on_our_side(names: NameIndex) -> None:
    from tests.corpus.identifier_corpus import corpus

    for case in corpus().positives:
        p = Pseudonymiser(names)
        p.learn([case.text])
        assert p.reidentify(p.redact(case.text)) == case.text


def test_a_lower_case_name_no_list_knows_is_replaced_and_jargon_kept(names: NameIndex) -> None:
    text = "took zykeem to the pre-proceedings meeting, knackered after lockdown, calpol given"
    p = Pseudonymiser(names)
    p.learn([text])
    redacted = p.redact(text)
    assert "zykeem" not in redacted
    assert "pre-proceedings" in redacted and "knackered" in redacted and "lockdown" in redacted
