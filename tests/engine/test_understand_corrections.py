"""Corrections at a read-back, edits to a finished note, items kept from last time."""

from __future__ import annotations

from bot.engine.understand.corrections import (
    Correction,
    read_corrections,
    read_edit_request,
    read_keep,
    read_numbers,
)

ITEMS = ("strategy discussion", "child protection medical", "check household members")
STEPS = [("case_ref", "Case reference"), ("visit_type", "The visit"), ("senses", "What you saw, heard and smelled"),
         ("child_day", "The child's day"), ("feelings", "How you felt"), ("hypotheses", "Hypotheses"),
         ("share_feelings", "Sharing your feelings answers")]  # fmt: skip


def test_confirm_and_a_bare_no() -> None:
    assert read_corrections("yep all good") == [Correction("confirm")]
    assert read_corrections("thats right") == [Correction("confirm")]
    assert read_corrections("not quite") == [Correction("none")]


def test_each_kind_of_correction() -> None:
    assert read_corrections("2: owner is my manager") == [Correction("set", 2, "owner", "my manager")]
    assert read_corrections("remove the third") == [Correction("drop", 3)]
    assert read_corrections("3 is by fri not mon") == [Correction("set", 3, "due", "by fri")]
    assert read_corrections("3 due friday") == [Correction("set", 3, "due", "friday")]
    assert read_corrections("change 1 to ring the GP") == [Correction("replace", 1, "what", "ring the GP")]
    assert read_corrections("change 2 to friday") == [Correction("set", 2, "due", "friday")]
    assert read_corrections("also ring the school tmrw") == [Correction("add", value="ring the school tmrw")]


def test_several_in_one_message() -> None:
    assert read_corrections("drop 3, 2 owner is TM") == [
        Correction("drop", 3),
        Correction("set", 2, "owner", "TM"),
    ]


def test_with_the_items_read_back() -> None:
    assert read_corrections("drop the medical", ITEMS) == [Correction("drop", 2)]
    assert read_corrections("get rid of the last one", ITEMS) == [Correction("drop", 3)]
    assert read_corrections("4. ring school", ITEMS) == [Correction("add", value="ring school")]


def test_an_answer_is_not_a_correction() -> None:
    assert read_corrections("she said she was fine") == []
    assert read_corrections("mum was really upset when i mentioned the medical") == []


def test_edit_requests_name_a_step() -> None:
    assert read_edit_request("change the child's day", STEPS) == "child_day"
    assert read_edit_request("edit 3", STEPS) == "senses"
    assert read_edit_request("i want to change what i said about feelings", STEPS) == "feelings"
    assert read_edit_request("the child's day was long", STEPS) is None
    assert read_edit_request("edit 30", STEPS) is None


def test_numbers_and_what_to_keep() -> None:
    assert read_numbers("keep 2 and 3 from last time") == [2, 3]
    assert read_numbers("1-3") == [1, 2, 3]
    assert read_keep("keep 2 and 3 from last time", 3) == [2, 3]
    assert read_keep("all of them", 3) == [1, 2, 3]
    assert read_keep("both", 2) == [1, 2]
    assert read_keep("none", 3) == []
    assert read_keep("all but 2", 3) == [1, 3]
    assert read_keep("the one about dad", 3) is None
