"""Settings: the environment contract, and production refusing unsafe settings all at once."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from bot.config import Settings
from bot.errors import ConfigError
from storage.crypto import FieldCipher


def settings(**env: str) -> Settings:
    return Settings(_env_file=None, **{k.lower(): v for k, v in env.items()})  # type: ignore[call-arg]


def test_defaults_are_a_local_sqlite_file_and_nothing_enabled() -> None:
    s = settings()
    assert s.database_url == "sqlite:///./data/reflect.db"
    assert (s.slack_enabled, s.teams_enabled, s.ai_enabled, s.production) == (False, False, False, False)
    assert s.problems() == []


def test_environment_names_are_the_documented_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REFLECT_DATABASE_URL", "postgresql://u@h/db")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s")
    monkeypatch.setenv("SLACK_API_URL", "http://127.0.0.1:9/api/")
    monkeypatch.setenv("MICROSOFT_APP_ID", "app")
    monkeypatch.setenv("MICROSOFT_APP_PASSWORD", "pw")
    monkeypatch.setenv("MICROSOFT_APP_TENANT_ID", "tenant")
    monkeypatch.setenv("REFLECT_LLM_MODEL", "m")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    s = Settings()
    assert s.database_url == "postgresql://u@h/db"
    assert s.slack_enabled and s.teams_enabled and s.ai_enabled
    assert s.slack_api_url == "http://127.0.0.1:9/api/"
    assert s.microsoft_app_tenant_id == "tenant"


def test_production_lists_every_unsafe_setting_in_one_error() -> None:
    s = settings(
        REFLECT_ENV="production",
        SLACK_BOT_TOKEN="xoxb-test",
        REFLECT_TEAMS_ALLOW_ANONYMOUS="true",
        OPENAI_BASE_URL="http://ai.internal/v1",
        REFLECT_LLM_MODEL="m",
    )
    with pytest.raises(ConfigError) as raised:
        s.check()
    message = str(raised.value)
    for fragment in [
        "REFLECT_ENCRYPTION_KEY is required in production",
        "REFLECT_TEAMS_ALLOW_ANONYMOUS=true is for the local Playground only",
        "SLACK_SIGNING_SECRET is required in production",
        "OPENAI_BASE_URL must use https",
        "production needs PostgreSQL",
    ]:
        assert fragment in message
    assert len(raised.value.problems) == 6


def test_a_safe_production_configuration_passes() -> None:
    s = settings(
        REFLECT_ENV="production",
        REFLECT_DATABASE_URL="postgresql://u@db/reflect",
        REFLECT_ENCRYPTION_KEY=FieldCipher.generate_key(),
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_SIGNING_SECRET="secret",
    )
    assert s.check() is s


def test_a_malformed_key_is_refused_even_in_development() -> None:
    assert any("not a valid key" in p for p in settings(REFLECT_ENCRYPTION_KEY="not-a-key").problems())


def test_the_cli_refuses_to_start_with_every_reason(tmp_path: object) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "MICROSOFT_", "OPENAI_", "REFLECT_"))
    }
    env.update(REFLECT_ENV="production", REFLECT_TEAMS_ALLOW_ANONYMOUS="true")
    done = subprocess.run(
        [sys.executable, "-m", "bot", "serve"], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 2
    assert "REFLECT_ENCRYPTION_KEY is required" in done.stderr
    assert "REFLECT_TEAMS_ALLOW_ANONYMOUS=true is for the local Playground only" in done.stderr
