"""Several items in one message: lists, "or" between explanations, repeats."""

from __future__ import annotations

from bot.engine.understand.items import split_hypotheses, split_items, unique_items


def test_numbered_lists_inline_and_on_lines() -> None:
    assert split_items("1) chase the GP 2) ring DSL tmrw 3) TM to book strat") == [
        "chase the GP",
        "ring DSL tmrw",
        "TM to book strat",
    ]
    assert split_items("(1) neglect (2) dv") == ["neglect", "dv"]
    assert split_items("1. ring school\n2. book medical for\n   the little one\n3. chase gp") == [
        "ring school",
        "book medical for the little one",
        "chase gp",
    ]


def test_a_number_inside_an_item_is_not_a_marker() -> None:
    assert split_items("visited at 3. mum was ok") == ["visited at 3. mum was ok"]
    assert split_items("1 visit a week and 2 phone calls") == ["1 visit a week and 2 phone calls"]


def test_ordinal_words_and_semicolons() -> None:
    assert split_items(
        "First: mum is drinking again. Second: the new partner is controlling. Third: money"
    ) == [
        "mum is drinking again",
        "the new partner is controlling",
        "money",
    ]
    assert split_items(
        "firstly the home conditions, secondly dad's temper and thirdly school attendance"
    ) == [
        "the home conditions",
        "dad's temper",
        "school attendance",
    ]
    assert split_items("a; b ;c") == ["a", "b", "c"]


def test_or_between_explanations_but_not_inside_one() -> None:
    assert split_hypotheses("could be mum's mental health or could be the new partner, or both honestly") == [
        "mum's mental health",
        "the new partner",
    ]
    assert split_hypotheses("first thought: money. second: she's scared of him.") == [
        "money",
        "she's scared of him",
    ]
    assert split_hypotheses("dad drinks two or three nights a week") == [
        "dad drinks two or three nights a week"
    ]
    assert split_hypotheses("she goes to nans or her aunties at weekends") == [
        "she goes to nans or her aunties at weekends"
    ]
    assert split_hypotheses(
        "mum is struggling with her mental health or the new partner is controlling her"
    ) == [
        "mum is struggling with her mental health",
        "the new partner is controlling her",
    ]


def test_repeats_and_near_repeats_are_dropped() -> None:
    assert unique_items(["Mum's mental health", "mums mental health.", "dad is drinking"]) == [
        "Mum's mental health",
        "dad is drinking",
    ]
    assert unique_items(["dad is drinking again", "new partner"], ["Dad is drinking again."]) == [
        "new partner"
    ]
    assert unique_items(["mum is drinking", "dad is drinking"]) == ["mum is drinking", "dad is drinking"]
