"""The engine stays pure: no I/O, no clock, no framework imports (DESIGN.md)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ENGINE = sorted((ROOT / "bot" / "engine").rglob("*.py"))  # kinds/, understand/, signals/ too
MODELS = sorted((ROOT / "supervision_models").glob("*.py"))

FORBIDDEN = {
    "os", "io", "sys", "socket", "time", "random", "uuid", "asyncio", "logging", "subprocess", "pathlib",
    "shutil", "sqlite3", "http", "urllib", "requests", "httpx", "aiohttp", "sqlalchemy", "alembic",
    "slack_bolt", "slack_sdk", "microsoft_agents", "botbuilder", "openai", "jinja2", "structlog", "typer",
    "storage", "bot.adapters", "bot.service", "bot.records", "bot.assist", "bot.wording",
}  # fmt: skip


def imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", ENGINE, ids=lambda p: str(p.relative_to(ROOT)))
def test_engine_imports_nothing_that_does_io(path: Path) -> None:
    bad = {n for n in imported(path) if any(n == f or n.startswith(f + ".") for f in FORBIDDEN)}
    assert not bad, f"{path.name} imports {sorted(bad)}"


@pytest.mark.parametrize("path", ENGINE, ids=lambda p: str(p.relative_to(ROOT)))
def test_engine_never_reads_the_clock(path: Path) -> None:
    source = path.read_text()
    assert not re.search(r"\b(datetime|date)\.(now|utcnow|today)\(", source)


@pytest.mark.parametrize("path", MODELS, ids=lambda p: p.name)
def test_models_import_no_framework(path: Path) -> None:
    frameworks = {
        "slack_bolt",
        "slack_sdk",
        "microsoft_agents",
        "sqlalchemy",
        "openai",
        "jinja2",
        "aiohttp",
        "httpx",
    }
    assert not {n.split(".")[0] for n in imported(path)} & frameworks


def test_the_check_itself_catches_a_forbidden_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("import sqlalchemy\nfrom slack_sdk import WebClient\n")
    assert imported(sample) == {"sqlalchemy", "slack_sdk"}
