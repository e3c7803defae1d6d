"""The `reflect` privacy commands end to end, and the daily purge loop."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.privacy.schedule import purge_running
from storage.repository import Store
from storage.tables import AuditEventRow
from tests.privacy.conftest import NOW


def test_hold_sar_purge_and_erase_commands(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REFLECT_DATABASE_URL", f"sqlite:///{tmp_path}/cli.db")
    monkeypatch.delenv("REFLECT_ENV", raising=False)
    runner = CliRunner()

    def run(*args: str) -> str:
        result = runner.invoke(app, list(args))
        assert result.exit_code == 0, result.output
        return result.output

    assert "placed on case HX-1234" in run(
        "hold", "add", "--case", "hx-1234", "--reason", "Proceedings", "--as", "dpo-a"
    )
    assert "Proceedings" in run("hold", "list")
    assert "sessions" in run("retention", "purge", "--dry-run")
    out = tmp_path / "sar.json"
    run("sar", "export", "--case", "HX-1234", "--out", str(out), "--as", "dpo-a")
    assert json.loads(out.read_text())["legal_holds"][0]["subject"] == "HX-1234"
    assert "released" in run("hold", "release", "1", "--as", "dpo-a")
    assert "Erased 0 sessions" in run("erase", "--case", "HX-1234", "--yes", "--as", "dpo-a")
    refused = runner.invoke(app, ["erase", "--person", "nobody-here", "--yes"])
    assert refused.exit_code == 3 and "nobody called" in refused.output
    assert runner.invoke(app, ["erase", "--yes"]).exit_code == 2  # neither --person nor --case


async def test_the_scheduled_purge_runs_and_stops_cleanly(store: Store) -> None:
    from sqlalchemy import func, select

    async with purge_running(store, clock=lambda: NOW, interval=0.01):
        for _ in range(200):
            async with store.read() as tx:
                runs = await tx.db.scalar(
                    select(func.count()).select_from(AuditEventRow).where(AuditEventRow.action == "purged")
                )
            if runs and runs >= 2:
                break
            await asyncio.sleep(0.01)
    assert runs is not None and runs >= 2
