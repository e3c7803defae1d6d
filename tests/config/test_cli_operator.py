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
from storage.crypto import FieldCipher, set_cipher


def audit_rows(db: Path) -> list[tuple[str, str, dict[str, object]]]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT actor, action, detail FROM audit_events ORDER BY id").fetchall()
    return [(actor, action, json.loads(detail)) for actor, action, detail in rows]


def test_export_records_the_os_user_beside_as(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "cli.db"
    monkeypatch.setenv("REFLECT_DATABASE_URL", f"sqlite:///{db}")
    monkeypatch.setenv("REFLECT_ENCRYPTION_KEY", FieldCipher.generate_key())
    monkeypatch.setenv("REFLECT_LOG_LEVEL", "WARNING")
    try:
        result = CliRunner().invoke(
            app, ["export", "--as", "worker-b", "--format", "json", "--out", str(tmp_path / "b.json")]
        )
        assert result.exit_code == 0, result.output
    finally:
        set_cipher(FieldCipher())
    [(actor, action, detail)] = audit_rows(db)
    assert (actor, action) == ("console:local:worker-b", "exported")
    assert detail["cli"]["os_user"] == getpass.getuser() == os_user()  # type: ignore[index]
    assert detail["cli"]["host"]  # type: ignore[index]


async def test_only_rows_written_inside_a_command_carry_the_operator(tmp_path: Path) -> None:
    from bot.records import audit
    from storage.database import create_engine
    from storage.migrate import upgrade
    from storage.records_repository import records
    from storage.repository import Store

    set_cipher(FieldCipher())
    engine = create_engine(f"sqlite:///{tmp_path}/a.db")
    await upgrade(engine)
    store = Store(engine)
    from datetime import UTC, datetime

    now = datetime(2026, 12, 1, tzinfo=UTC)
    with cli_operator() as who:
        async with store.read() as tx:
            await audit.record(records(tx), "admin-1", "listed", "people", None, {"n": 1}, now)
    async with store.read() as tx:  # outside: as a server writes them
        await audit.record(records(tx), "admin-1", "listed", "people", None, {"n": 2}, now)
    await store.close()
    details = [d for _, _, d in audit_rows(tmp_path / "a.db")]
    assert details == [{"n": 1, "cli": who}, {"n": 2}]
