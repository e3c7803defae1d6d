"""`reflect people set-pattern`: an admin sets someone's working days, hours and bank-holiday
region; it applies to each of their chat accounts and is audited; others are refused."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Iterator
from datetime import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from storage.database import create_engine
from storage.repository import Store
from tests.records.conftest import Template


@pytest.fixture
def db(template: Template, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    copy = tmp_path / "cli.db"
    shutil.copyfile(template.path, copy)
    monkeypatch.setenv("REFLECT_DATABASE_URL", f"sqlite:///{copy}")
    monkeypatch.setenv("REFLECT_ENCRYPTION_KEY", template.key)
    monkeypatch.setenv("REFLECT_LOG_LEVEL", "WARNING")
    yield copy


def patterns_of(db: Path, owners: list[str]) -> dict[str, object]:
    async def read() -> dict[str, object]:
        store = Store(create_engine(f"sqlite:///{db}"))
        try:
            async with store.read() as tx:
                return {owner: await tx.patterns.get(owner) for owner in owners}
        finally:
            await store.close()

    return asyncio.run(read())


def test_an_admin_sets_a_part_time_pattern_for_every_account(db: Path) -> None:
    cli = CliRunner()
    result = cli.invoke(
        app, ["people", "set-pattern", "worker-a", "--days", "mon-thu 9-5, fri 9-1", "--as", "admin-1"]
    )
    assert result.exit_code == 0, result.output
    assert "Working pattern for worker-a" in result.output
    assert "Mon to Thu 09:00 to 17:00; Fri 09:00 to 13:00." in result.output
    result = cli.invoke(app, ["people", "set-pattern", "worker-a", "--region", "scotland", "--as", "admin-1"])
    assert result.exit_code == 0, result.output
    assert "bank holidays in Scotland" in result.output
    found = patterns_of(db, ["console:local:worker-a"])
    pattern = found["console:local:worker-a"]
    assert pattern is not None
    assert pattern.region == "scotland"  # type: ignore[attr-defined]
    assert pattern.shifts[4] == (time(9), time(13))  # type: ignore[attr-defined]

    refused = cli.invoke(app, ["people", "set-pattern", "worker-b", "--days", "mon tue", "--as", "worker-a"])
    assert refused.exit_code == 3 and "admin" in refused.output
    bad = cli.invoke(app, ["people", "set-pattern", "worker-b", "--days", "whenever", "--as", "admin-1"])
    assert bad.exit_code == 2 and "mon-thu 9-5" in bad.output
    assert patterns_of(db, ["console:local:worker-b"])["console:local:worker-b"] is None
