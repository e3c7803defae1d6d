"""The router's precedence table: printed, and checked against what a person would expect."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from bot.router import ROUTES, State, route, table
from bot.service import ReflectionService
from bot.turns import ConversationKey, Incoming
from storage.repository import Store

KEY = ConversationKey("slack", "T1", "D1", "U1")
IDLE = State()
AT_TEXT = State(in_reflection=True, question_kind="text")
AT_CASE = State(in_reflection=True, question_kind="case_ref")
AT_CHOICE = State(in_reflection=True, question_kind="choice")


def routed(text: str | None, state: State, action: str | None = None, group: bool = False) -> str:
    incoming = Incoming(key=KEY, text=text, action=action, conversation="group" if group else "personal")
    return route(incoming, state).route.name


def test_the_table_prints_every_route_once_in_precedence_order(capsys: pytest.CaptureFixture[str]) -> None:
    printed = table()
    print(printed)
    lines = printed.splitlines()
    assert len(lines) == len(ROUTES) + 1
    assert [line.split("  ")[1].strip() for line in lines[1:]] == [r.name for r in ROUTES]
    assert len({r.name for r in ROUTES}) == len(ROUTES)
    assert "group message" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("text", "state", "expected"),
    [
        # Between reflections every command is itself.
        ("visit HX-2291 14:00", IDLE, "reminders command"),
        ("visit HX-2291 tomorrow 10:00", IDLE, "reminders command"),
        ("reminders", IDLE, "reminders command"),
        ("supervision every 4 weeks from 2026-12-01", IDLE, "reminders command"),
        ("cancel reminder 2", IDLE, "explicit reminder command"),
        ("notes", IDLE, "records command"),
        ("export month pdf", IDLE, "records command"),
        ("export the thing I said", IDLE, "records usage"),
        ("admin people", IDLE, "admin command"),
        ("admin", IDLE, "admin command"),
        ("reflect", IDLE, "reflection command"),
        ("pause", IDLE, "reflection command"),
        ("hello there", IDLE, "chat"),
        # In the middle of a reflection, at a question answered in the worker's own words,
        # command-like words are the answer...
        ("visit HX-2291 14:00", AT_TEXT, "answer"),
        ("notes", AT_CASE, "answer"),
        ("export month pdf", AT_TEXT, "answer"),
        ("admin people", AT_TEXT, "answer"),
        ("reminders", AT_TEXT, "answer"),
        ("agree with mum about the plan", AT_TEXT, "answer"),
        # ...except forms no answer looks like, and the reflection's own commands.
        ("cancel reminder 2", AT_TEXT, "explicit reminder command"),
        ("move reminder 1 16:30", AT_TEXT, "explicit reminder command"),
        ("skip", AT_TEXT, "reflection command"),
        ("cancel", AT_TEXT, "reflection command"),
        # At a choice question a complete command cannot be a choice, so it is the command.
        ("visit HX-2291 14:00", AT_CHOICE, "reminders command"),
        ("notes", AT_CHOICE, "records command"),
        ("export month pdf", AT_CHOICE, "records command"),
        ("admin people", AT_CHOICE, "admin command"),
        ("export the thing I said", AT_CHOICE, "answer"),  # half a command: an (odd) answer
        ("2", AT_CHOICE, "answer"),
    ],
)
def test_precedence(text: str, state: State, expected: str) -> None:
    assert routed(text, state) == expected


def test_buttons_and_groups() -> None:
    assert routed(None, AT_TEXT, action="reminder:snooze:r1") == "reminder button"
    assert routed(None, AT_TEXT, action="cmd:skip") == "engine button"
    assert routed(None, IDLE, action="start:quick_checkin") == "engine button"
    assert routed("visit HX-2291 14:00", IDLE, group=True) == "group message"
    assert routed("notes", IDLE, group=True) == "group message"


def test_every_handler_exists(store: Store) -> None:
    service = ReflectionService(store)
    assert {r.handler for r in ROUTES} <= set(service.handlers)


def test_no_command_parsing_outside_the_router() -> None:
    """The parsers are called from bot/router.py only (their own modules define them)."""
    root = Path(__file__).resolve().parents[2] / "bot"
    parsers = {"parse_command", "parse_records_command", "parse_reminders_command", "parse_reminders_action"}
    callers: dict[str, set[str]] = {}
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name in parsers:
                    callers.setdefault(name, set()).add(str(path.relative_to(root)))
    # The engine reads its own words (a typed command inside a reflection or a group round).
    allowed = {"router.py", "engine/turn.py", "engine/understand/choices.py", "engine/group.py"}
    assert all(files <= allowed for files in callers.values()), callers
    assert "router.py" in callers["parse_records_command"] | callers["parse_reminders_command"]
