"""Reminders tests run on a SQLite file and on PostgreSQL alike."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/reminders.db"
    url: str = request.getfixturevalue("postgres_db_url")
    return url
