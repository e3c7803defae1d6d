"""Choices read from a worker's own words: values, the words beyond them, ties."""

from __future__ import annotations

import pytest

from bot.engine.understand.choices import ChoiceReading, match_choice, read_choice
from supervision_models.registry import default_registry
from supervision_models.schema import Choice

MODELS = default_registry()


def options(model: str, step: str) -> tuple[Choice, ...]:
    return MODELS.get(model).step(step).choices


SEEN_ALONE = options("post_visit", "seen_alone")
VISIT = options("post_visit", "visit_type")
CLASSIFICATION = options("post_visit", "classification")
SHARE = options("post_visit", "share_feelings")


@pytest.mark.parametrize(
    ("text", "reading"),
    [
        ("no she's a baby", ChoiceReading("no", rest="she's a baby")),
        ("yeah briefly on the stairs", ChoiceReading("yes", rest="briefly on the stairs")),
        ("nope", ChoiceReading("no")),
        ("yes, in his bedroom", ChoiceReading("yes", rest="in his bedroom")),
        ("didnt get to, he was asleep", ChoiceReading("not_seen", rest="he was asleep")),
        ("sort of, in the car", ChoiceReading(None, ("yes", "no"), "sort of, in the car")),
        ("alone? no", ChoiceReading("no", rest="alone? no")),
        ("maybe", ChoiceReading(None, rest="maybe")),
    ],
)
def test_yes_no_with_trailing_words(text: str, reading: ChoiceReading) -> None:
    got = read_choice(text, SEEN_ALONE)
    assert (got.value, got.candidates) == (reading.value, reading.candidates)
    if reading.rest or reading.value is None:
        assert got.rest == reading.rest


def test_a_label_word_anywhere_and_who_said_it_is_not_the_answer() -> None:
    reading = read_choice("unannounced, the school rang", VISIT)
    assert reading == ChoiceReading("unannounced", rest="the school rang")
    # "after school raised concerns": school is who raised them, not where the visit was
    issue = read_choice("Unannounced home visit after school raised concerns about lateness", VISIT)
    assert issue.value == "unannounced"
    assert issue.rest == "after school raised concerns about lateness"
    assert read_choice("it was at nursery", VISIT) == ChoiceReading("school")


def test_negation_and_a_change_of_mind() -> None:
    assert match_choice("not planned", VISIT) == "unannounced"
    assert match_choice("wasnt planned, popped round on my way back", VISIT) == "unannounced"
    assert (
        match_choice("it was meant to be planned but she forgot so basically unannounced", VISIT)
        == "unannounced"
    )
    assert match_choice("not alone", SEEN_ALONE) == "no"
    assert match_choice("not a crisis yet but ticking", CLASSIFICATION) == "ticking_clock"
    assert read_choice("not a crisis", CLASSIFICATION).value is None


def test_ties_name_every_option_meant() -> None:
    reading = read_choice("somewhere between ticking clock and crisis tbh", CLASSIFICATION)
    assert reading.value is None
    assert reading.candidates == ("crisis", "ticking_clock")
    assert reading.rest == "somewhere between ticking clock and crisis tbh"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("the first one", "announced"),
        ("probably the second", "unannounced"),
        ("number one i think", "announced"),
        ("the 2nd one", "unannounced"),
        ("option 4", "office"),
        ("the last one", "other"),
        ("3 - school", "school"),
    ],
)
def test_ordinals_and_numbers(text: str, value: str) -> None:
    assert match_choice(text, VISIT) == value


def test_a_number_that_counts_something_is_not_an_option() -> None:
    assert read_choice("no shes 4 months lol", SEEN_ALONE) == ChoiceReading("no", rest="shes 4 months lol")


def test_synonyms_declared_in_the_model() -> None:
    announced = next(c for c in VISIT if c.value == "announced")
    assert {"planned", "booked", "arranged"} <= set(announced.synonyms)
    assert match_choice("keep them private please", SHARE) == "keep_private"
    assert match_choice("private pls", SHARE) == "keep_private"
    assert match_choice("dont share", SHARE) == "keep_private"
    assert match_choice("happy to share", SHARE) == "share"
    share = read_choice("share it, I want to talk about how im feeling", SHARE)
    assert share == ChoiceReading("share", rest="I want to talk about how im feeling")


def test_every_choice_in_every_model_has_synonyms() -> None:
    for model in MODELS.latest():
        for step in model.steps:
            for choice in step.choices:
                assert choice.synonyms, f"{model.id}.{step.id}.{choice.value}"


def test_a_reason_given_with_a_rating_is_kept() -> None:
    ratings = options("case_supervision", "review_hypotheses")
    assert read_choice("more likely, EPDS 14 and a missed clinic", ratings) == ChoiceReading(
        "stronger", rest="EPDS 14 and a missed clinic"
    )


def test_the_leading_hypothesis_by_its_words() -> None:
    leading = (
        Choice(value="h1", label="mum's mental health is getting worse"),
        Choice(value="h2", label="dad is drinking again"),
    )
    assert match_choice("the one about dad", leading) == "h2"
    assert match_choice("mums mental health one", leading) == "h1"
    assert read_choice("both tbh", leading).candidates == ("h1", "h2")


def test_typos_in_option_words() -> None:
    assert match_choice("unanounced", VISIT) == "unannounced"
    assert match_choice("tickin clock", CLASSIFICATION) == "ticking_clock"


def test_a_command_is_not_an_option() -> None:
    actions = options("post_visit", "review_actions")
    assert read_choice("finish", actions).value is None  # not "finished" = done
    assert read_choice("keep going", SHARE).value is None
    assert match_choice("keep going", options("pledge_review", "next_pledge")) == "keep"
