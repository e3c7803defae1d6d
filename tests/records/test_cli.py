"""`reflect export`, `reflect people`, `reflect audit export`, `reflect overview`, `reflect sign`."""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from bot.cli import app
from tests.records.conftest import Template


@pytest.fixture
def cli(template: Template, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    copy = tmp_path / "cli.db"
    shutil.copyfile(template.path, copy)
    monkeypatch.setenv("REFLECT_DATABASE_URL", f"sqlite:///{copy}")
    monkeypatch.setenv("REFLECT_ENCRYPTION_KEY", template.key)
    monkeypatch.setenv("REFLECT_LOG_LEVEL", "WARNING")
    yield CliRunner()


def test_export_checks_as_against_roles(cli: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "month.docx"
    args = [
        "export",
        "--user",
        "worker-a",
        "--since",
        "2026-11-01",
        "--until",
        "2026-11-30",
        "--format",
        "docx",
    ]
    result = cli.invoke(app, [*args, "--as", "sup-a", "--out", str(out), "--progress"])
    assert result.exit_code == 0, result.output
    assert "Wrote 2 sessions (Worker A)" in result.output
    headings = [p.text for p in docx.Document(str(out)).paragraphs if p.style and p.style.name == "Heading 1"]
    assert len(headings) == 2 and all("HX-2291" in h for h in headings)

    refused = cli.invoke(app, [*args, "--as", "worker-z", "--out", str(tmp_path / "z.docx")])
    assert refused.exit_code == 3
    assert "isn't linked to you as someone you supervise" in refused.output
    assert not (tmp_path / "z.docx").exists()
    bad = cli.invoke(app, [*args, "--as", "sup-a", "--out", str(out), "--format", "odt"])
    assert bad.exit_code == 2


def test_people_admin_and_the_audit_export(cli: CliRunner, tmp_path: Path) -> None:
    refused = cli.invoke(app, ["people", "add-person", "sup-b", "--name", "Supervisor B"])
    assert refused.exit_code == 3 and "Only an admin can add people" in refused.output  # not bootstrap
    steps = [
        [
            "people",
            "add-person",
            "sup-b",
            "--name",
            "Supervisor B",
            "--identity",
            "slack:T1:USUPB",
            "--as",
            "admin-1",
        ],
        ["people", "add-team", "quay", "--name", "Quay Team", "--as", "admin-1"],
        ["people", "add-member", "worker-z", "quay", "--as", "admin-1"],
        ["people", "link", "sup-b", "--team", "quay", "--as", "admin-1"],
        ["people", "set-role", "worker-z", "practitioner", "--as", "admin-1"],
    ]
    for step in steps:
        result = cli.invoke(app, step)
        assert result.exit_code == 0, (step, result.output)
    listing = cli.invoke(app, ["people", "list", "--as", "admin-1"])
    assert "Quay Team (quay): 1 member, supervised by Supervisor B" in listing.output
    overview = cli.invoke(app, ["overview", "--as", "sup-b"])
    assert overview.exit_code == 0 and "Quay Team" in overview.output

    out = tmp_path / "audit.csv"
    assert cli.invoke(app, ["audit", "export", "--as", "sup-b", "--out", str(out)]).exit_code == 3
    result = cli.invoke(app, ["audit", "export", "--as", "admin-1", "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    changes = [r for r in rows if r["action"] == "people_changed" and r["actor"] == "admin-1"]
    assert any('"link_supervisor"' in r["detail"] and r["target_id"] == "sup-b" for r in changes)
    assert rows[-1]["action"] == "audit_exported"


def test_agree_and_sign_from_the_cli(cli: CliRunner, template: Template) -> None:
    session = template.sessions["a_second"]
    early = cli.invoke(app, ["sign", session[:10] + session[-6:], "--as", "sup-a"])
    assert early.exit_code == 3
    assert cli.invoke(app, ["sign", session, "--as", "sup-a"]).exit_code == 3  # not agreed yet
    agreed = cli.invoke(app, ["agree", session, "--as", "worker-a"])
    assert agreed.exit_code == 0 and "you agreed version 1" in agreed.output
    assert "agreed, awaiting signature" in agreed.output
    signed = cli.invoke(app, ["sign", session, "--as", "sup-a"])
    assert signed.exit_code == 0 and "the note is now signed" in signed.output
    assert "signd" not in signed.output


def test_a_council_sets_its_own_protective_marking(
    cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REFLECT_PROTECTIVE_MARKING", "OFFICIAL-SENSITIVE PERSONAL")
    out = tmp_path / "marked.md"
    result = cli.invoke(app, ["export", "--as", "sup-a", "--format", "md", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "OFFICIAL-SENSITIVE PERSONAL" in out.read_text()
