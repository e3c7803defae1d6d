"""Settings from the environment (pydantic-settings), validated at start.

Names are the contract in DESIGN.md. `problems()` lists everything unsafe at once, so an
operator fixes the configuration in one pass rather than one error at a time.
"""

from __future__ import annotations

from typing import Literal
from urllib.parse import urlparse

from cryptography.fernet import Fernet
from pydantic import AliasChoices, Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.core.defaults import DEFAULT_DATABASE_URL
from bot.errors import ConfigError

# The bot scopes slack/manifest.yaml asks for; the bot reads no channels.
DEFAULT_SLACK_SCOPES = "chat:write,commands,im:history,im:read,im:write,users:read,files:write"


def _env(name: str) -> AliasChoices:
    return AliasChoices(name, name.lower())


class Settings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    env: Literal["development", "production"] = Field("development", validation_alias=_env("REFLECT_ENV"))
    database_url: str = Field(DEFAULT_DATABASE_URL, validation_alias=_env("REFLECT_DATABASE_URL"))
    encryption_key: SecretStr | None = Field(None, validation_alias=_env("REFLECT_ENCRYPTION_KEY"))
    encryption_key_file: str | None = Field(None, validation_alias=_env("REFLECT_ENCRYPTION_KEY_FILE"))
    data_dir: str | None = Field(None, validation_alias=_env("REFLECT_DATA_DIR"))
    cli_require_registered: bool = Field(False, validation_alias=_env("REFLECT_CLI_REQUIRE_REGISTERED"))
    log_level: str = Field("INFO", validation_alias=_env("REFLECT_LOG_LEVEL"))
    log_format: Literal["json", "console"] = Field("json", validation_alias=_env("REFLECT_LOG_FORMAT"))
    protective_marking: str = Field(
        "OFFICIAL-SENSITIVE", min_length=1, max_length=80, validation_alias=_env("REFLECT_PROTECTIVE_MARKING")
    )
    max_answer_chars: int = Field(20_000, ge=500, validation_alias=_env("REFLECT_MAX_ANSWER_CHARS"))
    # Whose bank holidays reminders avoid, unless a person says otherwise (issue 16).
    bank_holidays_region: Literal["england-and-wales", "scotland", "northern-ireland"] = Field(
        "england-and-wales", validation_alias=_env("REFLECT_BANK_HOLIDAYS_REGION")
    )
    # A council's own look for exports: a Word template with Jinja tags (docxtpl; variables in
    # docs/export-schema.md) and a PNG logo for the Word, PDF and HTML page headers.
    export_word_template: str | None = Field(None, validation_alias=_env("REFLECT_EXPORT_WORD_TEMPLATE"))
    export_logo: str | None = Field(None, validation_alias=_env("REFLECT_EXPORT_LOGO"))

    slack_bot_token: SecretStr | None = Field(None, validation_alias=_env("SLACK_BOT_TOKEN"))
    slack_signing_secret: SecretStr | None = Field(None, validation_alias=_env("SLACK_SIGNING_SECRET"))
    slack_app_token: SecretStr | None = Field(None, validation_alias=_env("SLACK_APP_TOKEN"))
    slack_api_url: str | None = Field(None, validation_alias=_env("SLACK_API_URL"))
    # OAuth install ("Add to Slack", many workspaces, Enterprise Grid): on when both are set.
    slack_client_id: str | None = Field(None, validation_alias=_env("SLACK_CLIENT_ID"))
    slack_client_secret: SecretStr | None = Field(None, validation_alias=_env("SLACK_CLIENT_SECRET"))
    slack_scopes: str = Field(DEFAULT_SLACK_SCOPES, validation_alias=_env("SLACK_SCOPES"))
    slack_redirect_uri: str | None = Field(None, validation_alias=_env("SLACK_REDIRECT_URI"))

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
    def slack_oauth_enabled(self) -> bool:
        """Installs by OAuth: one bot for every workspace that installs it (tokens stored)."""
        secret = self.slack_client_secret.get_secret_value().strip() if self.slack_client_secret else ""
        return bool(self.slack_client_id and self.slack_client_id.strip()) and bool(secret)

    @property
    def slack_enabled(self) -> bool:
        return self.slack_bot_token is not None or self.slack_oauth_enabled

    def slack_scope_list(self) -> list[str]:
        return [scope.strip() for scope in self.slack_scopes.split(",") if scope.strip()]

    @property
    def teams_enabled(self) -> bool:
        return bool(self.microsoft_app_id) or self.teams_allow_anonymous

    @property
    def ai_enabled(self) -> bool:
        return bool(self.llm_model) and (self.openai_api_key is not None or bool(self.openai_base_url))

    def encryption_keys(self) -> str:
        """The field cipher's keys: REFLECT_ENCRYPTION_KEY, its _FILE, or the data folder's key
        file, created on the first start (bot.keys). Never none: nothing is stored in plaintext."""
        from bot.keys import encryption_keys

        return encryption_keys(self)

    @property
    def encryption_configured(self) -> bool:
        """A key was given explicitly (the environment or a secret file), as production needs."""
        key = self.encryption_key.get_secret_value().strip() if self.encryption_key else ""
        return bool(key) or bool(self.encryption_key_file)

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
        if self.encryption_key_file and self.encryption_key is None:
            from pathlib import Path

            from bot.keys import read_key_file

            try:
                read_key_file(Path(self.encryption_key_file).expanduser())
            except ConfigError as error:
                found.extend(error.problems)
        for name, value, suffix in (
            ("REFLECT_EXPORT_WORD_TEMPLATE", self.export_word_template, ".docx"),
            ("REFLECT_EXPORT_LOGO", self.export_logo, ".png"),
        ):
            if value:
                from pathlib import Path

                path = Path(value).expanduser()
                if not path.is_file() or path.suffix.lower() != suffix:
                    found.append(f"{name} must be the path of a {suffix} file that exists")
        if (
            self.slack_bot_token is not None
            and self.slack_signing_secret is None
            and self.slack_app_token is None
        ):
            found.append(
                "SLACK_BOT_TOKEN is set but SLACK_SIGNING_SECRET is not: Slack requests can't be verified"
            )
        if bool(self.slack_client_id) != (self.slack_client_secret is not None):
            found.append("SLACK_CLIENT_ID and SLACK_CLIENT_SECRET go together: set both for OAuth installs")
        if self.slack_oauth_enabled and self.slack_signing_secret is None:
            found.append(
                "SLACK_CLIENT_ID is set but SLACK_SIGNING_SECRET is not: Slack requests can't be verified"
            )
        if self.slack_oauth_enabled and not self.slack_scope_list():
            found.append("SLACK_SCOPES is empty: the bot needs at least chat:write, im:history and im:write")
        if self.microsoft_app_id and self.microsoft_app_password is None:
            found.append("MICROSOFT_APP_ID is set but MICROSOFT_APP_PASSWORD is not")
        if self.production:
            if not self.encryption_configured:
                found.append(
                    "REFLECT_ENCRYPTION_KEY is required in production: records must be encrypted at rest "
                    "with a key you keep (or REFLECT_ENCRYPTION_KEY_FILE, a secret file holding it)"
                )
            if self.teams_allow_anonymous:
                found.append(
                    "REFLECT_TEAMS_ALLOW_ANONYMOUS=true is for the local Playground only, never production"
                )
            if self.slack_bot_token is not None and self.slack_signing_secret is None:
                found.append("SLACK_SIGNING_SECRET is required in production when Slack is enabled")
            if self.openai_base_url and urlparse(self.openai_base_url.strip()).scheme != "https":
                found.append("OPENAI_BASE_URL must use https in production: what workers wrote goes there")
            if self.slack_api_url and urlparse(self.slack_api_url.strip()).scheme != "https":
                found.append("SLACK_API_URL must use https in production: the bot token goes there")
            if self.slack_redirect_uri and urlparse(self.slack_redirect_uri.strip()).scheme != "https":
                found.append(
                    "SLACK_REDIRECT_URI must use https in production: Slack sends the install code there"
                )
            if self.database_url.startswith("sqlite"):
                found.append("REFLECT_DATABASE_URL points at SQLite; production needs PostgreSQL")
        return found

    def check(self) -> Settings:
        found = self.problems()
        if found:
            raise ConfigError(found)
        return self


def _env_name(field: str) -> str:
    info = Settings.model_fields.get(field)
    alias = info.validation_alias if info is not None else None
    if isinstance(alias, AliasChoices) and alias.choices and isinstance(alias.choices[0], str):
        return alias.choices[0]
    return field


def load_settings() -> Settings:
    """Settings from the environment. A value of the wrong shape is reported by its variable's
    name and the rule it breaks, never by the value: it may be a secret."""
    try:
        return Settings()
    except ValidationError as error:
        problems = [
            f"{_env_name(str(e['loc'][0])) if e['loc'] else 'settings'}: {e['msg']}"
            for e in error.errors(include_input=False, include_url=False)
        ]
        raise ConfigError(problems) from None
