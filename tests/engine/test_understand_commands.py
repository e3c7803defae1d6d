"""Commands forgiving of typos, answers never read as commands, confirmations."""

from __future__ import annotations

import pytest

from bot.engine.commands import Command, parse_command, read_cancel_confirm, read_confirm


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("hlep", "help"),
        ("hepl", "help"),
        ("exit", "pause"),
        ("quit", "pause"),
        ("stop", "pause"),
        ("/skip", "skip"),
        ("skp", "skip"),
        ("pasue", "pause"),
        ("cancle", "cancel"),
        ("finsh", "finish"),
        ("pause pls", "pause"),
        ("can we stop for now", "pause"),
    ],
)
def test_typos_and_everyday_words(text: str, name: str) -> None:
    assert parse_command(text) == Command(name)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    ["hell", "text", "lost", "finished", "done", "quiet", "she said stop", "he wanted to quit school", "top"],
)
def test_an_ordinary_answer_is_never_a_command(text: str) -> None:
    assert parse_command(text) is None


def test_only_cancel_discards_and_it_is_confirmed_in_words() -> None:
    assert parse_command("cancel") == Command("cancel")
    for yes in ("stop", "cancel it", "bin it", "yes", "yes please", "go on"):
        assert read_cancel_confirm(yes) == "yes", yes
    for no in ("no", "keep it", "carry on", "keep going", "actually no", "dont cancel"):
        assert read_cancel_confirm(no) == "no", no
    assert read_cancel_confirm("hmm") is None


def test_a_yes_no_confirmation() -> None:
    assert [read_confirm(t) for t in ("yes please", "go on", "yep do it", "ok", "sure")] == ["yes"] * 5
    assert [read_confirm(t) for t in ("no", "no keep it", "nah", "dont", "wait")] == ["no"] * 5
    assert read_confirm("yes... actually no") == "no"
    assert read_confirm("mum was tired and the baby was unsettled all visit") is None
