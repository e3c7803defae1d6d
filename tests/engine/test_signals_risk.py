"""The immediate-risk boundary: disclosures in the words workers use prompt, with their category;
negations, idioms, household facts and resolved history do not."""

from __future__ import annotations

import dataclasses

import pytest

from bot.engine.signals.risk import CATEGORIES, RiskSignal, normalise, risk_signal, suggests_immediate_risk


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("dad hit him w a belt", "physical harm"),
        ("yp said step dad chokes her when hes drunk", "physical harm"),
        ("little one had a black eye, mum says walked into door, 18 month old", "injury to a baby"),
        ("said shes been sleeping at a mates dad's flat, he buys her weed", "exploitation"),
        ("found him home alone again, hes 6, mum at work til 10", "child left alone"),
        ("she said she's going to end it tonight", "self-harm or suicide"),
        ("dad threatened to burn the house down with them in it", "threat to kill or harm"),
        ("she told me daddy touches her private parts", "sexual abuse"),
        ("she wants to die and has been cutting", "self-harm or suicide"),
        ("the 3 year old was home on his own when I arrived", "child left alone"),
        ("dad said if we take the kids he'll kill her", "threat to kill or harm"),
        ("a burn on his hand the shape of an iron", "physical harm"),
        ("mum drunk and passed out with the baby", "intoxicated carer"),
        ("she will be cut over the summer like her sister", "forced marriage or FGM"),
        ("she's being sent back home to marry her cousin", "forced marriage or FGM"),
        ("missing overnight again, police informed", "missing child"),
        ("missing overnight, came back with new clothes", "exploitation"),
        ("he's running for older boys", "exploitation"),
        ("county lines concerns", "exploitation"),
        ("non fatal strangulation reported by mum", "domestic abuse"),
        ("dad hit mum in front of the kids last night", "domestic abuse"),
        ("bruise on the baby's cheek, she's 4 months", "injury to a baby"),
        ("no food in the house and the kids hadn't eaten since yesterday", "neglect"),
        ("she said she's scared to go home tonight", "immediate danger"),
    ],
)
def test_disclosures_prompt_with_their_category(text: str, category: str) -> None:
    signal = risk_signal(text)
    assert signal is not None, text
    assert signal.category == category
    assert signal.category in CATEGORIES
    assert signal.phrase and signal.phrase in normalise(text)
    assert suggests_immediate_risk(text) is True


@pytest.mark.parametrize(
    "text",
    [
        "no marks or injuries",
        "not at risk",
        "no DV reported since the injunction",
        "denies any hitting",
        "killing it at football",
        "the exam stress is killing her",
        "dying her hair",
        "dad said he'd kill for a cup of tea",
        "she's dying to start at her new school",
        "a kitchen knife by the chopping board",
        "mum has a knife block in the kitchen, all fine",
        "he showed me his knife collection for cooking club",
        "talked about the burns unit visit for his grandad",
        "no marks seen, both kids happy and chatty",
        "history of self-harm when she was 13, nothing for two years",
        "we talked about what to do if she ever feels unsafe",
        "he's missing school on mondays",
        "the baby rolled over for the first time",
        "dad's drunk a whole pot of coffee he said",
        "mum's going to kill him if he's late home again, she said laughing",
        "",
        "   ",
    ],
)
def test_near_misses_do_not_prompt(text: str) -> None:
    assert risk_signal(text) is None, risk_signal(text)
    assert suggests_immediate_risk(text) is False


def test_a_denial_does_not_cover_what_follows_a_contrast() -> None:
    assert risk_signal("she denies it") is None
    signal = risk_signal("she denies it but he has bruises")
    assert signal == RiskSignal("physical harm", "he has bruises")


def test_a_negation_reaches_to_the_end_of_its_clause_only() -> None:
    assert risk_signal("no bruises, marks or burns") is None  # a list keeps its negation
    assert risk_signal("no marks, he has bruises on his back") is not None  # a new clause does not
    assert risk_signal("the kids have no beds and sleep on a wet mattress") == RiskSignal(
        "neglect", "sleep on a wet mattress"
    )


def test_misspellings_and_text_speak_are_read() -> None:
    assert normalise("yp sed hes sucidal n has brusies") == "yp said he's suicidal and has bruises"
    assert normalise("4 mth old") == "4 month old"
    assert normalise("the 3yr old") == "the 3 year old"
    assert normalise("a stranger at the door") == "a stranger at the door"  # not "strangle"
    assert risk_signal("dad strangld mum last nite in front of the kids") is not None
    assert risk_signal("she sed she wants 2 die") == RiskSignal("self-harm or suicide", "wants to die")


def test_the_signal_is_a_frozen_value() -> None:
    signal = RiskSignal("neglect", "no food in the house")
    with pytest.raises(dataclasses.FrozenInstanceError):
        signal.category = "other"  # type: ignore[misc]
