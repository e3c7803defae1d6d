"""The terminal (`reflect chat`, piped as a worker's typing): a whole command typed at a
free-text question is kept as the answer and read back; typing "make it a reminder" makes the
reminder and asks the question again, "no its my answer" keeps the words in the note. The
terminal has no buttons: the words are the only way, and always work. (Before the first
answer the terminal runs commands as commands, so these start at the second question.)"""

from __future__ import annotations

from pathlib import Path

from tests.adapters.console.test_console_scenarios import chat, rows

TYPED = "visit HX-2291 tmrw 10am"
CHILD = "something you saw, heard, or that they said"  # the question about the child


def note_in(stdout: str) -> str:
    return stdout[stdout.rindex("# Quick check-in") :]


def checkin(db: Path, *lines: str) -> str:
    done = chat(db, ["knackered tbh", *lines, "a coffee and 10 mins with my TM", "private pls"],
                "--model", "checkin", "--case", "HX-1234")  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_typing_make_it_a_reminder_makes_one_and_asks_again(tmp_path: Path) -> None:
    db = tmp_path / "reflect.db"
    out = checkin(db, TYPED, "make it a reminder pls", "she hid behind nan the whole time")
    assert "kept that as your answer" in out and "HX-2291 tomorrow at 10:00" in out
    assert "set those words aside" in out
    assert out.count(CHILD) == 2  # asked again after the reminder's confirmation
    assert out.index("ask how the visit on HX-2291 went") < out.rindex(CHILD)
    assert rows(db, "SELECT kind, status FROM reminders") == [("after_visit", "pending")]
    assert rows(db, "SELECT superseded FROM answers WHERE step_id = 'one_child_thing' ORDER BY seq") == [
        (1,),
        (0,),
    ]
    note = note_in(out)
    assert "she hid behind nan the whole time" in note and TYPED not in note


def test_typing_no_its_my_answer_keeps_it_in_the_note(tmp_path: Path) -> None:
    db = tmp_path / "reflect.db"
    out = checkin(db, TYPED, "no its my answer")
    assert "stays as your answer" in out
    assert rows(db, "SELECT count(*) FROM reminders") == [(0,)]
    assert TYPED in note_in(out)


def test_an_ordinary_next_answer_lets_the_offer_lapse(tmp_path: Path) -> None:
    db = tmp_path / "reflect.db"
    done = chat(db, ["knackered tbh", "ntoes", "she hid behind nan the whole time", "show my notes", "private pls"],
                "--model", "checkin", "--case", "HX-1234")  # fmt: skip
    out = done.stdout
    assert "reads like your notes" in out
    assert "set those words aside" not in out  # "show my notes" came too late: an answer
    note = note_in(out)
    assert "ntoes" in note and "she hid behind nan the whole time" in note and "show my notes" in note
