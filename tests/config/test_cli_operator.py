"""`reflect export --as ID` audits the operating-system user who ran it beside the `--as` id;
rows written outside a command (the server's) are left as they are."""

from __future__ import annotations

import getpass
import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.operator import cli_operator, os_user
from storage.crypto import FieldCipher


def audit_rows(db: Path) -> list[tuple[str, str, dict[str, object]]]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT actor, action, detail FROM audit_events ORDER BY id").fetchall()
    return [(actor, action, json.loads(detail)) for actor, action, detail in rows]


def test_export_records_the_os_user_beside_as(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "cli.db"
    monkeypatch.setenv("REFLECT_DATABASE_URL", f"sqlite:///{db}")
    monkeypatch.setenv("REFLECT_ENCRYPTION_KEY", FieldCipher.generate_key())
    monkeypatch.setenv("REFLECT_LOG_LEVEL", "WARNING")
    result = CliRunner().invoke(
        app, ["export", "--as", "worker-b", "--format", "json", "--out", str(tmp_path / "b.json")]
    )
    assert result.exit_code == 0, result.output
    [(actor, action, detail)] = audit_rows(db)
    assert (actor, action) == ("console:local:worker-b", "exported")
    assert detail["cli"]["os_user"] == getpass.getuser() == os_user()  # type: ignore[index]
    assert detail["cli"]["host"]  # type: ignore[index]


async def test_only_rows_written_inside_a_command_carry_the_operator(tmp_path: Path) -> None:
    from bot.records import audit
    from storage.database import create_engine
    from storage.migrate import upgrade
    from storage.repository import Store

    engine = create_engine(f"sqlite:///{tmp_path}/a.db")
    await upgrade(engine)
    store = Store(engine)
    from datetime import UTC, datetime

    now = datetime(2026, 12, 1, tzinfo=UTC)
    with cli_operator() as who:
        async with store.read() as tx:
            await audit.record(tx.audit, "admin-1", "listed", "people", None, {"n": 1}, now)
    async with store.read() as tx:  # outside: as a server writes them
        await audit.record(tx.audit, "admin-1", "listed", "people", None, {"n": 2}, now)
    await store.close()
    details = [d for _, _, d in audit_rows(tmp_path / "a.db")]
    assert details == [{"n": 1, "cli": who}, {"n": 2}]


def test_a_council_can_require_operators_to_be_registered_people(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REFLECT_DATABASE_URL", f"sqlite:///{tmp_path}/cli.db")
    monkeypatch.setenv("REFLECT_ENCRYPTION_KEY", FieldCipher.generate_key())
    monkeypatch.setenv("REFLECT_LOG_LEVEL", "WARNING")
    monkeypatch.setenv("REFLECT_CLI_REQUIRE_REGISTERED", "true")
    monkeypatch.setenv("LOGNAME", "jsmith")  # getpass reads LOGNAME first
    cli = CliRunner()
    out = str(tmp_path / "x.json")
    # Nobody is registered yet: bootstrapping the first admin works, with this login.
    first = cli.invoke(
        app,
        [
            "people",
            "add-person",
            "admin-1",
            "--name",
            "Admin",
            "--role",
            "admin",
            "--identity",
            "cli:local:jsmith",
        ],
    )
    assert first.exit_code == 0, first.output
    assert cli.invoke(app, ["export", "--as", "admin-1", "--format", "json", "--out", out]).exit_code == 0

    claimed = cli.invoke(app, ["export", "--as", "worker-b", "--format", "json", "--out", out])
    assert claimed.exit_code == 3 and "--as worker-b is not you" in claimed.output

    monkeypatch.setenv("LOGNAME", "intruder")
    stranger = cli.invoke(app, ["export", "--as", "admin-1", "--format", "json", "--out", out])
    assert stranger.exit_code == 3
    assert "cli:local:intruder" in stranger.output  # what an admin would register
    purge = cli.invoke(app, ["retention", "purge", "--dry-run", "--as", "admin-1"])
    assert purge.exit_code == 3, purge.output
    actors = [actor for actor, action, _ in audit_rows(tmp_path / "cli.db") if action == "exported"]
    assert actors == ["admin-1"]  # only the registered operator's export happened
