"""`reflect export`, `reflect people`, `reflect audit export`, `reflect overview`, `reflect sign`."""

from __future__ import annotations

import csv
import io
import json
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
    assert any(r["action"] == "listed" and r["target_kind"] == "people" for r in rows)  # a read, audited
    # refused: the bootstrap attempt, and sup-b's try at the audit trail, each with a reason code
    refused = [(r["actor"], json.loads(r["detail"])) for r in rows if r["action"] == "refused"]
    assert [(a, d["attempted"], d["reason"]) for a, d in refused] == [
        ("cli:local:operator", "people_changed", "not_admin"),
        ("sup-b", "audit_exported", "audit_denied"),
    ]
    for row in rows:  # names only in the two columns read from the people tables at export
        stored = [v for k, v in row.items() if k not in ("actor_name", "target_name")]
        assert not any("Supervisor B" in v or "Quay Team" in v for v in stored), row
    assert any(r["target_name"] == "Supervisor B" for r in rows)


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


def audit_rows(template: Template, cli_db: Path) -> list[tuple[str, str, str | None, str]]:
    import sqlite3

    with sqlite3.connect(cli_db) as conn:
        return conn.execute(
            "SELECT actor, action, target_id, detail FROM audit_events ORDER BY id"
        ).fetchall()


def test_notes_show_and_amend_from_the_cli(cli: CliRunner, template: Template, tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    session = template.sessions["a_first"]
    mine = cli.invoke(app, ["notes", "--as", "worker-a"])
    assert mine.exit_code == 0, mine.output
    assert "Your notes, newest first:" in mine.output
    line = next(x for x in mine.output.splitlines() if x.startswith(session))
    assert "HX-2291" in line and "awaiting your agreement, version 1" in line

    theirs = cli.invoke(app, ["notes", "--as", "sup-a", "--user", "worker-a"])
    assert theirs.exit_code == 0 and "Notes of Worker A" in theirs.output and session in theirs.output
    nosy = cli.invoke(app, ["notes", "--as", "worker-z", "--user", "worker-a"])
    assert nosy.exit_code == 3 and "isn't linked to you" in nosy.output and session not in nosy.output

    shown = cli.invoke(app, ["show", session[:-1], "--as", "sup-a"])
    assert shown.exit_code == 0, shown.output
    assert "kept their feelings answers private" in shown.output and "PRIVATE-FEELING" not in shown.output
    assert "Where this note stands: version 1, awaiting the worker's agreement." in shown.output
    own = cli.invoke(app, ["show", session, "--as", "worker-a"])
    assert "PRIVATE-FEELING" in own.output
    stranger = cli.invoke(app, ["show", session, "--as", "worker-z"])
    assert (
        stranger.exit_code == 3
        and "couldn't find note" in stranger.output
        and "CHILD-DAY" not in stranger.output
    )

    assert cli.invoke(app, ["agree", session, "--as", "worker-a"]).exit_code == 0
    assert cli.invoke(app, ["sign", session, "--as", "sup-a"]).exit_code == 0
    assert "signed, version 1" in cli.invoke(app, ["notes", "--as", "worker-a"]).output
    amended = cli.invoke(app, ["amend", session, "--as", "worker-a"], input="school nurse rang back tues\n")
    assert amended.exit_code == 0 and "version 2" in amended.output, amended.output
    again = cli.invoke(app, ["notes", "--as", "worker-a"]).output
    assert "added to after signing, awaiting your agreement, version 2" in again
    assert "school nurse rang back" in cli.invoke(app, ["show", session, "--as", "sup-a"]).output
    refused = cli.invoke(app, ["amend", session, "--as", "worker-z", "--text", "not mine to add"])
    assert refused.exit_code == 3
    empty = cli.invoke(app, ["amend", session, "--as", "worker-a", "--text", "   "])
    assert empty.exit_code == 3

    rows = audit_rows(template, db)
    viewed = [(a, t) for a, act, t, _ in rows if act == "viewed"]
    assert ("sup-a", session) in viewed and ("worker-a", session) in viewed
    refusals = [(a, d) for a, act, _, d in rows if act == "refused"]
    attempted = [(a, json.loads(d)["attempted"], json.loads(d)["reason"]) for a, d in refusals]
    assert ("worker-z", "listed", "not_your_supervisee") in attempted
    assert ("worker-z", "viewed", "no_note") in attempted
    assert ("worker-z", "amended", "no_note") in attempted
    assert ("worker-a", "amended", "empty_amendment") in attempted
    assert all(json.loads(d)["outcome"] == "refused" for _, d in refusals)
