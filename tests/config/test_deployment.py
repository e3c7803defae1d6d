""".env.example and docker-compose.yml describe production: copied as they are, the bot
refuses to start until the operator supplies what production needs, and then it passes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bot.config import Settings
from storage.crypto import FieldCipher

ROOT = Path(__file__).resolve().parents[2]


def example_env() -> dict[str, str]:
    values: dict[str, str] = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    return values


def compose() -> dict[str, Any]:
    data = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert isinstance(data, dict)
    return data


def settings(values: dict[str, str]) -> Settings:
    present = {k.lower(): v for k, v in values.items() if v != ""}
    return Settings(_env_file=None, **present)  # type: ignore[call-arg]


def test_the_example_env_is_production_and_refuses_until_filled_in() -> None:
    env = example_env()
    assert env["REFLECT_ENV"] == "production"
    assert env["REFLECT_TEAMS_ALLOW_ANONYMOUS"] == "false"
    problems = settings(env).problems()
    assert any("REFLECT_ENCRYPTION_KEY is required in production" in p for p in problems)
    assert any("production needs PostgreSQL" in p for p in problems)


def test_compose_forces_production_a_key_and_a_kept_data_folder() -> None:
    bot = compose()["services"]["bot"]
    environment = bot["environment"]
    assert environment["REFLECT_ENV"] == "production"
    assert environment["REFLECT_TEAMS_ALLOW_ANONYMOUS"] == "false"
    assert ":?" in environment["REFLECT_ENCRYPTION_KEY"]  # compose refuses to start without one
    assert environment["REFLECT_DATABASE_URL"].startswith("postgresql://")
    assert any(v.endswith(":/app/data") for v in bot["volumes"])
    assert "bot-data" in compose()["volumes"]


def test_the_example_filled_in_as_compose_does_passes_the_production_checks() -> None:
    env = example_env()
    env.update(
        REFLECT_ENCRYPTION_KEY=FieldCipher.generate_key(),
        REFLECT_DATABASE_URL="postgresql://reflect:pw@db:5432/reflect",
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_SIGNING_SECRET="secret",
    )
    assert settings(env).problems() == []
    env["REFLECT_TEAMS_ALLOW_ANONYMOUS"] = "true"
    assert any("REFLECT_TEAMS_ALLOW_ANONYMOUS" in p for p in settings(env).problems())
