"""Settings from the environment (pydantic-settings), validated at start.

Names are the contract in DESIGN.md. `problems()` lists everything unsafe at once, so an
operator fixes the configuration in one pass rather than one error at a time.
"""

from __future__ import annotations

from typing import Literal
from urllib.parse import urlparse

from cryptography.fernet import Fernet
from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.core.defaults import DEFAULT_DATABASE_URL
from bot.errors import ConfigError


def _env(name: str) -> AliasChoices:
    return AliasChoices(name, name.lower())


class Settings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    env: Literal["development", "production"] = Field("development", validation_alias=_env("REFLECT_ENV"))
    database_url: str = Field(DEFAULT_DATABASE_URL, validation_alias=_env("REFLECT_DATABASE_URL"))
    encryption_key: SecretStr | None = Field(None, validation_alias=_env("REFLECT_ENCRYPTION_KEY"))
    log_level: str = Field("INFO", validation_alias=_env("REFLECT_LOG_LEVEL"))
    log_format: Literal["json", "console"] = Field("json", validation_alias=_env("REFLECT_LOG_FORMAT"))
    max_answer_chars: int = Field(20_000, ge=500, validation_alias=_env("REFLECT_MAX_ANSWER_CHARS"))

    slack_bot_token: SecretStr | None = Field(None, validation_alias=_env("SLACK_BOT_TOKEN"))
    slack_signing_secret: SecretStr | None = Field(None, validation_alias=_env("SLACK_SIGNING_SECRET"))
    slack_app_token: SecretStr | None = Field(None, validation_alias=_env("SLACK_APP_TOKEN"))
    slack_api_url: str | None = Field(None, validation_alias=_env("SLACK_API_URL"))

    microsoft_app_id: str | None = Field(None, validation_alias=_env("MICROSOFT_APP_ID"))
    microsoft_app_password: SecretStr | None = Field(None, validation_alias=_env("MICROSOFT_APP_PASSWORD"))
    microsoft_app_tenant_id: str | None = Field(None, validation_alias=_env("MICROSOFT_APP_TENANT_ID"))
    teams_allow_anonymous: bool = Field(False, validation_alias=_env("REFLECT_TEAMS_ALLOW_ANONYMOUS"))

    openai_api_key: SecretStr | None = Field(None, validation_alias=_env("OPENAI_API_KEY"))
    openai_base_url: str | None = Field(None, validation_alias=_env("OPENAI_BASE_URL"))
    llm_model: str | None = Field(None, validation_alias=_env("REFLECT_LLM_MODEL"))

    @property
    def production(self) -> bool:
        return self.env == "production"

    @property
    def slack_enabled(self) -> bool:
        return self.slack_bot_token is not None

    @property
    def teams_enabled(self) -> bool:
        return bool(self.microsoft_app_id) or self.teams_allow_anonymous

    @property
    def ai_enabled(self) -> bool:
        return bool(self.llm_model) and (self.openai_api_key is not None or bool(self.openai_base_url))

    def encryption_keys(self) -> str | None:
        return self.encryption_key.get_secret_value() if self.encryption_key else None

    def problems(self) -> list[str]:
        found: list[str] = []
        if self.encryption_key is not None:
            for key in self.encryption_key.get_secret_value().split(","):
                try:
                    Fernet(key.strip().encode())
                except (ValueError, TypeError):
                    found.append(
                        "REFLECT_ENCRYPTION_KEY is not a valid key (make one with `reflect keys generate`)"
                    )
                    break
        if (
            self.slack_bot_token is not None
            and self.slack_signing_secret is None
            and self.slack_app_token is None
        ):
            found.append(
                "SLACK_BOT_TOKEN is set but SLACK_SIGNING_SECRET is not: Slack requests can't be verified"
            )
        if self.microsoft_app_id and self.microsoft_app_password is None:
            found.append("MICROSOFT_APP_ID is set but MICROSOFT_APP_PASSWORD is not")
        if self.production:
            if self.encryption_key is None:
                found.append(
                    "REFLECT_ENCRYPTION_KEY is required in production: records must be encrypted at rest"
                )
            if self.teams_allow_anonymous:
                found.append(
                    "REFLECT_TEAMS_ALLOW_ANONYMOUS=true is for the local Playground only, never production"
                )
            if self.slack_bot_token is not None and self.slack_signing_secret is None:
                found.append("SLACK_SIGNING_SECRET is required in production when Slack is enabled")
            if self.openai_base_url and urlparse(self.openai_base_url).scheme != "https":
                found.append("OPENAI_BASE_URL must use https in production")
            if self.database_url.startswith("sqlite"):
                found.append("REFLECT_DATABASE_URL points at SQLite; production needs PostgreSQL")
        return found

    def check(self) -> Settings:
        found = self.problems()
        if found:
            raise ConfigError(found)
        return self


def load_settings() -> Settings:
    return Settings()
