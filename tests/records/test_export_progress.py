"""An export still running after two seconds shows a progress bar in the terminal (on
stderr), and in chat the worker is told at once that their export is being prepared."""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

import bot.records.cli as records_cli
import bot.records.export
from bot.cli import app
from bot.records.export import Format, takes_a_while
from tests.records.conftest import Team, Template, say


@pytest.fixture
def cli(template: Template, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    copy = tmp_path / "cli.db"
    shutil.copyfile(template.path, copy)
    monkeypatch.setenv("REFLECT_DATABASE_URL", f"sqlite:///{copy}")
    monkeypatch.setenv("REFLECT_ENCRYPTION_KEY", template.key)
    monkeypatch.setenv("REFLECT_LOG_LEVEL", "WARNING")
    yield CliRunner()


def _export(cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, after: float) -> str:
    screen = io.StringIO()
    monkeypatch.setattr(records_cli, "PROGRESS_AFTER_S", after)
    monkeypatch.setattr(
        records_cli, "_stderr_console", lambda: Console(file=screen, force_terminal=True, width=100)
    )
    out = tmp_path / "team.pdf"
    result = cli.invoke(
        app, ["export", "--team", "harbour", "--format", "pdf", "--as", "sup-a", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 0
    return screen.getvalue()


def test_a_long_export_shows_a_progress_bar(
    cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown = _export(cli, tmp_path, monkeypatch, after=0.0)  # as if it had run two seconds already
    assert "Exporting" in shown or "Laying out the pages" in shown


def test_a_quick_export_shows_none(cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _export(cli, tmp_path, monkeypatch, after=600.0) == ""


async def test_chat_says_a_long_export_is_being_prepared_before_the_file(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the team's handful of sessions stand for a long record: any export over 50 ms is "long"
    monkeypatch.setattr(bot.records.export, "SLOW_EXPORT_S", 0.05)
    reply = await say(team.service, "sup-a", "export team harbour all pdf")
    texts = [m.text for m in reply.messages]
    preparing = next(n for n, t in enumerate(texts) if t.startswith("Preparing your export as pdf"))
    done = next(n for n, t in enumerate(texts) if "audit trail" in t)
    assert preparing < done and reply.files


async def test_a_one_session_export_comes_without_a_preparing_message(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bot.records.export, "SLOW_EXPORT_S", 0.05)  # as above: one session is quick
    reply = await say(team.service, "worker-b", "export all pdf")
    texts = [m.text for m in reply.messages]
    assert reply.files and any("audit trail" in t for t in texts), texts
    assert not [t for t in texts if t.lower().startswith("preparing")], texts


async def test_a_quick_team_export_comes_without_one_either(team: Team) -> None:
    reply = await say(team.service, "sup-a", "export team harbour all word")
    texts = [m.text for m in reply.messages]
    assert reply.files and not [t for t in texts if t.lower().startswith("preparing")], texts


async def test_a_refused_export_gets_its_refusal_not_a_preparing_message(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bot.records.export, "SLOW_EXPORT_S", 0.0)  # anything would count as long
    reply = await say(team.service, "worker-z", "export team harbour all pdf")
    texts = [m.text for m in reply.messages]
    assert not reply.files and texts, texts
    assert not [t for t in texts if t.lower().startswith("preparing")], texts


@pytest.mark.parametrize(
    ("fmt", "sessions", "long"),
    [
        ("pdf", 1, False),
        ("pdf", 100, False),  # a worker's year: under 1.5 s (benchmarks/exports.py)
        ("pdf", 400, True),
        ("docx", 100, False),
        ("docx", 1_000, True),
        ("html", 2_000, True),
        ("csv", 10_000, False),  # the CSV target: 10,000 sessions under 2 s
        ("csv", 50_000, True),
    ],
)
def test_which_exports_count_as_long(fmt: Format, sessions: int, long: bool) -> None:
    assert takes_a_while(fmt, sessions) is long
