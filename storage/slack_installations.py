"""Slack installations by OAuth: slack_sdk's async SQLAlchemy stores over our own database.

Bolt's OAuth flow (`/slack/install`, `/slack/oauth_redirect`) and its per-request authorize
talk to an `AsyncInstallationStore` and an `AsyncOAuthStateStore`. slack_sdk ships both for
SQLAlchemy's async engine; here they run over the bot's own engine and the tables declared in
storage/tables.py (created by migration 0110, never by the stores' `create_tables`), with two
changes:

* every token (bot, user, their refresh tokens, an incoming webhook URL) is an `EncryptedText`
  column, so the cipher bound to the engine (storage/crypto.py) encrypts it on the way in and
  decrypts it on the way out: nothing here, in Bolt or in slack_sdk handles ciphertext;
* every database error leaves as `StorageError`, like the rest of storage.

One running bot serves every workspace (and Enterprise Grid org) that installed it: rows are
keyed by client id, enterprise id and team id, as slack_sdk keys them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.errors import StorageError
from storage.database import storage_errors
from storage.tables import Base, SlackBotRow, SlackInstallationRow, SlackOAuthStateRow

# slack_sdk's loggers quote rows; ours say only what happened.
_log = logging.getLogger(__name__)
STATE_EXPIRATION_S = 10 * 60  # an install started and not finished within ten minutes starts again


class _Migrated:
    async def create_tables(self) -> None:
        raise StorageError("Slack installation tables are created by `reflect db upgrade`")


class InstallationStore(_Migrated, AsyncSQLAlchemyInstallationStore):
    """slack_sdk's async SQLAlchemy installation store, over our encrypted tables."""

    def __init__(self, client_id: str, engine: AsyncEngine) -> None:
        super().__init__(client_id=client_id, engine=engine, logger=_log)
        self.metadata = Base.metadata
        self.installations = SlackInstallationRow.__table__  # type: ignore[assignment]
        self.bots = SlackBotRow.__table__  # type: ignore[assignment]

    async def async_save(self, installation: Installation) -> None:
        with storage_errors():
            await super().async_save(installation)

    async def async_save_bot(self, bot: Bot) -> None:
        with storage_errors():
            await super().async_save_bot(bot)

    async def async_find_bot(
        self, *, enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool | None = False
    ) -> Bot | None:
        with storage_errors():
            return await super().async_find_bot(
                enterprise_id=enterprise_id, team_id=team_id, is_enterprise_install=is_enterprise_install
            )

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        with storage_errors():
            return await super().async_find_installation(
                enterprise_id=enterprise_id,
                team_id=team_id,
                user_id=user_id,
                is_enterprise_install=is_enterprise_install,
            )

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        with storage_errors():
            await super().async_delete_bot(enterprise_id=enterprise_id, team_id=team_id)

    async def async_delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        with storage_errors():
            await super().async_delete_installation(
                enterprise_id=enterprise_id, team_id=team_id, user_id=user_id
            )


class StateStore(_Migrated, AsyncSQLAlchemyOAuthStateStore):
    """slack_sdk's async SQLAlchemy OAuth state store, over our `slack_oauth_states` table.

    A state is a random value issued at /slack/install, set in the installer's browser as a
    cookie, and consumed once at /slack/oauth_redirect (within STATE_EXPIRATION_S)."""

    def __init__(self, engine: AsyncEngine, expiration_seconds: int = STATE_EXPIRATION_S) -> None:
        super().__init__(expiration_seconds=expiration_seconds, engine=engine, logger=_log)
        self.metadata = Base.metadata
        self.oauth_states = SlackOAuthStateRow.__table__  # type: ignore[assignment]

    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        """A new state; states of installs never finished are deleted once expired."""
        with storage_errors():
            async with self.engine.begin() as conn:
                now = datetime.now(UTC).replace(tzinfo=None)  # naive UTC, as slack_sdk stores it
                await conn.execute(delete(SlackOAuthStateRow).where(SlackOAuthStateRow.expire_at <= now))
            return await super().async_issue(*args, **kwargs)


@dataclass(frozen=True)
class SlackStores:
    """The two stores Bolt's OAuth flow needs, over one engine."""

    installations: InstallationStore
    states: StateStore

    @classmethod
    def over(cls, engine: AsyncEngine, client_id: str) -> SlackStores:
        return cls(InstallationStore(client_id, engine), StateStore(engine))
