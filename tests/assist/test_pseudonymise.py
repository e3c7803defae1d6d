"""Pseudonymisation: what is replaced, consistently, and put back only on our side."""

from __future__ import annotations

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
