"""Whole reflections through the real `reflect chat` command, as a worker would use it."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.service.test_service import VISIT
from tests.support import worded_visit

REFLECT = [sys.executable, "-m", "bot"]


def env_for(db: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "MICROSOFT_", "OPENAI_", "REFLECT_"))
    }
    env["REFLECT_DATABASE_URL"] = f"sqlite:///{db}"
    return env


def chat(db: Path, lines: list[str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*REFLECT, "chat", "--user", "worker-a", *args],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        env=env_for(db),
        timeout=120,
        check=False,
    )


def rows(db: Path, query: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(query).fetchall()


class Terminal:
    """`reflect chat` in a pseudo-terminal, as a worker's real terminal runs it: what it
    printed so far (`seen`), and `read_until` a fragment shows up in what it prints next."""

    def __init__(self, db: Path) -> None:
        import pty

        self.leader, follower = pty.openpty()
        self.proc = subprocess.Popen(
            [*REFLECT, "chat", "--user", "worker-a"],
            stdin=follower,
            stdout=follower,
            stderr=subprocess.STDOUT,
            env=env_for(db),
            close_fds=True,
        )
        os.close(follower)
        self.seen = b""
        self.mark = 0  # where the output not yet waited on starts

    def write(self, data: bytes) -> None:
        os.write(self.leader, data)

    def read_until(self, fragment: str, limit: float = 30.0) -> str:
        """Everything printed so far, once `fragment` has appeared after the last wait."""
        import select as select_module

        end = time.time() + limit
        while time.time() < end and fragment.encode() not in self.seen[self.mark :]:
            ready, _, _ = select_module.select([self.leader], [], [], 0.2)
            if ready:
                try:
                    self.seen += os.read(self.leader, 65536)
                except OSError:
                    break
        self.mark = len(self.seen)
        return self.seen.decode("utf-8", "replace")

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)
        os.close(self.leader)


def test_a_whole_reflection_with_piped_input_prints_and_stores_the_note(tmp_path: Path) -> None:
    db = tmp_path / "chat.db"
    done = chat(db, VISIT[1:])  # `reflect chat` starts the default reflection itself
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert (
        out.index("Which case is this?")
        < out.index("What kind of visit")
        < out.index("# Post-visit reflection")
    )
    note = out[out.index("# Post-visit reflection: HX-2291") :]
    assert "> Feet sticking to the floor, smell of smoke, television loud, no toys anywhere." in note
    assert "> If I was tense after an hour, she lives with that every day." in note
    assert "Saved. This note is stored as session" in out
    assert rows(db, "SELECT status, case_ref FROM sessions") == [("complete", "HX-2291")]
    assert rows(db, "SELECT count(*) FROM notes") == [(1,)]
    assert done.stderr == ""


def test_input_ending_early_pauses_and_a_later_run_resumes_at_the_same_step(tmp_path: Path) -> None:
    db = tmp_path / "chat.db"
    first = chat(db, VISIT[1:8])
    assert first.returncode == 0
    assert "Paused at *The child's own words*" in first.stdout
    assert rows(db, "SELECT status FROM sessions") == [("paused",)]
    second = chat(db, ["resume", *VISIT[8:]])
    assert "We'll pick up at *The child's own words*" in second.stdout
    assert "Saved." in second.stdout
    note = second.stdout[second.stdout.index("# Post-visit reflection") :]
    assert "Feet sticking to the floor" in note  # said before the pause
    assert "Mum says the problem is money" in note  # said after it
    answers = rows(db, "SELECT count(*), count(DISTINCT seq) FROM answers")
    assert answers[0][0] == answers[0][1]


def test_a_killed_process_resumes_with_no_answer_lost_or_doubled(tmp_path: Path) -> None:
    db = tmp_path / "chat.db"
    proc = subprocess.Popen(
        [*REFLECT, "chat", "--user", "worker-a"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env_for(db),
    )
    assert proc.stdin is not None
    for line in VISIT[1:6]:
        proc.stdin.write(line + "\n")
        proc.stdin.flush()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # wait until the fifth answer is committed
        try:
            if rows(db, "SELECT count(*) FROM answers")[0][0] >= 5:
                break
        except sqlite3.OperationalError:  # the database or its tables are still being created
            pass
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    stored = rows(db, "SELECT count(*) FROM answers")[0][0]
    assert stored == 5
    assert rows(db, "SELECT status, current_step FROM sessions") == [("in_progress", "seen_alone")]

    after = chat(db, VISIT[6:])
    assert "You're already in a Post-visit reflection" in after.stdout
    assert "Saved." in after.stdout
    assert rows(db, "SELECT count(*) FROM answers WHERE step_id = 'senses'") == [(2,)]
    assert rows(db, "SELECT status FROM sessions") == [("complete",)]


def test_the_case_option_skips_the_question_and_an_unknown_model_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "chat.db"
    quick = chat(db, ["Wrung out.", "She showed me her drawing of the family with dad missing.", "A coffee."],
                 "--model", "checkin", "--case", "HX-2291")  # fmt: skip
    assert "Which case is this" not in quick.stdout
    assert rows(db, "SELECT model_id, case_ref FROM sessions") == [("quick_checkin", "HX-2291")]
    bad = chat(db, [], "--model", "astrology")
    assert bad.returncode == 2
    assert "There is no reflection called 'astrology'" in bad.stderr


@pytest.mark.parametrize("command", [["models"], ["keys", "generate"]])
def test_other_commands_run(command: list[str], tmp_path: Path) -> None:
    done = subprocess.run(
        [*REFLECT, *command], capture_output=True, text=True, env=env_for(tmp_path / "x.db")
    )
    assert done.returncode == 0
    assert done.stdout.strip()


def test_a_whole_reflection_typed_in_words_through_reflect_chat(tmp_path: Path) -> None:
    """The sibling of the piped scenario above, typed as a worker types: no option numbers."""
    db = tmp_path / "words.db"
    done = chat(db, worded_visit.TYPED)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Saved. This note is stored as session" in out
    assert out.count("I couldn't tell which option that was") == 0  # no choice was refused
    note = out[out.index("# Post-visit reflection: HX-5120") :]
    worded_visit.check_note(note)
    [(state,)] = rows(db, "SELECT id FROM sessions")
    assert state


def test_lines_pasted_together_in_a_terminal_are_one_answer(tmp_path: Path) -> None:
    """In a real terminal (a pseudo-terminal here), a multi-line paste is one answer, and a
    line ending in a backslash carries on to the next."""
    db = tmp_path / "paste.db"
    terminal = Terminal(db)
    try:
        assert "Which case is this?" in terminal.read_until("Which case is this?")
        terminal.write(b"hx 5120\n")
        terminal.read_until("What kind of visit")
        terminal.write(b"unannounced\n")
        terminal.read_until("see, hear")
        terminal.write(b"bins overflowing in the kitchen\nbaby in a wet nappy\ntelly loud the whole time\n")
        terminal.read_until("day")
        terminal.write(b"up at 6 on her own \\\n")
        terminal.write(b"cereal from the box\n")
        terminal.read_until("on their own")
        terminal.write(b"pause\n")
        terminal.read_until("paused")
    finally:
        terminal.close()
    senses = rows(db, "SELECT count(*) FROM answers WHERE step_id = 'senses'")
    child_day = rows(db, "SELECT count(*) FROM answers WHERE step_id = 'child_day'")
    assert senses == [(1,)] and child_day == [(1,)]


def test_records_commands_in_the_terminal_never_start_a_reflection(tmp_path: Path) -> None:
    db = tmp_path / "records.db"
    nothing = chat(db, ["notes"])
    assert nothing.returncode == 0, nothing.stderr
    assert "You don't have any finished notes yet" in nothing.stdout
    assert "Which case is this?" not in nothing.stdout
    assert rows(db, "SELECT count(*) FROM sessions") == [(0,)]

    typos = chat(db, ["ntoes", "sgin 2", "shwo 1", "notes"])
    assert typos.returncode == 0, typos.stderr
    assert typos.stdout.count("You don't have any finished notes yet") == 2  # ntoes, notes
    assert "I couldn't find note 2" in typos.stdout and "I couldn't find note 1" in typos.stdout
    assert "Which case is this?" not in typos.stdout and "Paused" not in typos.stdout
    assert rows(db, "SELECT count(*) FROM sessions") == [(0,)]

    # then a whole reflection, and its note is listed afterwards with where it stands
    done = chat(db, ["notes", *VISIT[1:]])
    assert done.returncode == 0, done.stderr
    assert done.stdout.index("You don't have any finished notes yet") < done.stdout.index(
        "Which case is this?"
    )
    assert "Saved." in done.stdout
    assert rows(db, "SELECT status FROM sessions") == [("complete",)]
    listed = chat(db, ["notes", "agre 1", "notes"])
    assert "1. Post-visit reflection · HX-2291" in listed.stdout
    assert "awaiting your agreement, version 1" in listed.stdout
    assert "agreed, awaiting signature, version 1" in listed.stdout
    assert rows(db, "SELECT status FROM sessions") == [("complete",)]  # no stray paused session


def test_in_a_terminal_a_records_command_at_the_first_question_leaves_nothing_paused(tmp_path: Path) -> None:
    """`reflect chat` in a real terminal asks the first question at once; `ntoes` typed there
    shows the notes (there are none), asks the question again, and ending the input leaves
    no paused reflection to resume."""
    db = tmp_path / "tty.db"
    terminal = Terminal(db)
    try:
        assert "Which case is this?" in terminal.read_until("Which case is this?")
        terminal.write(b"ntoes\n")
        out = terminal.read_until("Which case is this?")
        assert "You don't have any finished notes yet" in out
        assert out.count("Which case is this?") == 2
        terminal.write(b"\x04")  # end of input
        terminal.proc.wait(timeout=30)
    finally:
        terminal.close()
    assert rows(db, "SELECT count(*) FROM sessions WHERE status IN ('paused', 'active')") == [(0,)]
    assert rows(db, "SELECT count(*) FROM answers") == [(0,)]
