"""Router rule 5: an answer whose whole words are a command carries what it looked like, and
the next message may take that offer ("make it a reminder") or refuse it ("no keep it")."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.records.chat_commands import ExportRequest, ListNotes
from bot.reminders.chat import Visit
from bot.reminders.patterns import SetPattern
from bot.router import Routed, State, offer_vars, offer_what, route
from bot.turns import ConversationKey, Incoming

KEY = ConversationKey("slack", "T1", "D1", "U1")
AT_TEXT = State(in_reflection=True, question_kind="text")
AT_ACTIONS = State(in_reflection=True, question_kind="actions")
AT_CHOICE = State(in_reflection=True, question_kind="choice")


def offered(what: str, words: str, kind: str = "text") -> State:
    return State(in_reflection=True, question_kind=kind, offer=what, offer_words=words)


def said(text: str | None, state: State, action: str | None = None) -> tuple[str, Routed]:
    routed = route(Incoming(key=KEY, text=text, action=action), state)
    return routed.route.name, routed


@pytest.mark.parametrize(
    ("text", "what", "command"),
    [
        ("visit HX-2291 tmrw 10am", "reminder", Visit),
        ("ntoes", "notes", ListNotes),
        ("notes", "notes", ListNotes),
        ("export month", "export", ExportRequest),
        ("i work mon tue wed", "working_time", SetPattern),
    ],
)
def test_a_whole_command_at_a_free_text_question_is_the_answer_and_says_what_it_looked_like(
    text: str, what: str, command: type
) -> None:
    name, routed = said(text, AT_TEXT)
    assert name == "answer"
    assert routed.looks_like is not None
    assert isinstance(routed.looks_like.command, command)
    assert offer_what(routed.looks_like) == what
    name, routed = said(text, AT_ACTIONS)  # a list question too
    assert name == "answer" and routed.looks_like is not None


@pytest.mark.parametrize(
    "text",
    [
        "we talked about the visit to HX-2291 tomorrow",
        "mum had notes from the GP",
        "dad said he works mon tue wed nights",
        "export the thing I said",  # half a command: the answer, no offer
        "she was quiet, hid behind nan",
    ],
)
def test_words_that_only_mention_a_command_are_the_answer_with_nothing_offered(text: str) -> None:
    name, routed = said(text, AT_TEXT)
    assert name == "answer" and routed.looks_like is None


def test_a_choice_question_keeps_its_rule_the_command_runs() -> None:
    name, routed = said("visit HX-2291 tmrw 10am", AT_CHOICE)
    assert name == "reminders command" and routed.looks_like is None


@pytest.mark.parametrize(
    "text", ["make it a reminder", "it was a reminder", "yes reminder", "reminder pls", "do the reminder"]
)
def test_a_switch_takes_the_command_the_words_were(text: str) -> None:
    name, routed = said(text, offered("reminder", "visit HX-2291 tmrw 10am"))
    assert name == "take offer"
    taken = routed.command
    assert taken.route.name == "reminders command" and taken.command == Visit("visit HX-2291 tmrw 10am")


def test_the_buttons_are_the_same_as_the_words() -> None:
    state = offered("notes", "ntoes")
    name, routed = said(None, state, action="offer:switch")
    assert name == "take offer" and isinstance(routed.command.command, ListNotes)
    assert said(None, state, action="offer:keep")[0] == "keep answer"


@pytest.mark.parametrize("text", ["no keep it", "it was my answer", "no its my answer", "keep as my answer"])
def test_a_keep_is_its_own_route(text: str) -> None:
    assert said(text, offered("reminder", "visit HX-2291 tmrw 10am"))[0] == "keep answer"


def test_without_an_offer_the_same_words_are_an_answer_and_a_late_button_is_the_engines() -> None:
    assert said("make it a reminder", AT_TEXT)[0] == "answer"
    assert said("no keep it", AT_TEXT)[0] == "answer"
    assert said(None, AT_TEXT, action="offer:switch")[0] == "engine button"


def test_anything_else_routes_as_without_the_offer() -> None:
    state = offered("reminder", "visit HX-2291 tmrw 10am")
    assert said("she was quiet, hid behind nan", state)[0] == "answer"
    assert said("yes", state)[0] == "answer"
    assert said("skip", state)[0] == "reflection command"
    assert said("cancel reminder 1", state)[0] == "explicit reminder command"
    name, routed = said("export month", state)  # another look-alike: a new offer
    assert name == "answer" and routed.looks_like is not None


def test_the_offer_names_what_was_understood() -> None:
    _, routed = said("visit HX-2291 tmrw 10am", AT_TEXT)
    now = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    assert routed.looks_like is not None
    values = offer_vars(routed.looks_like, now, "Europe/London")
    assert values["case_ref"] == "HX-2291" and values["day"] == "tomorrow" and values["at"] == "10:00"
    _, routed = said("visit HX-2291", AT_TEXT)
    assert routed.looks_like is not None
    assert offer_vars(routed.looks_like, now, None)["at"] is None


def test_working_days_and_leave_name_what_was_read() -> None:
    now = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    _, routed = said("i work mon tue wed", AT_TEXT)
    assert routed.looks_like is not None
    assert offer_vars(routed.looks_like, now, None)["days"] == ["Monday", "Tuesday", "Wednesday"]
    _, routed = said("off til the 14th", AT_TEXT)
    assert routed.looks_like is not None and offer_what(routed.looks_like) == "leave"
    assert offer_vars(routed.looks_like, now, None)["back_on"] == "Monday 14 December"
