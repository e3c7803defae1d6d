"""The Slack installation and state stores over our tables: slack_sdk's own stores, with every
token encrypted at rest, on a SQLite file and on PostgreSQL (the contract fixtures)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.fernet import Fernet
from slack_sdk.oauth.installation_store.models.installation import Installation
from sqlalchemy import insert, text

from bot.core.errors import StorageError
from storage.crypto import FieldCipher, bind_cipher
from storage.repository import Store
from storage.slack_installations import SlackStores
from storage.tables import SlackOAuthStateRow

CLIENT = "1111.2222"
SECRETS = ("xoxe.xoxb-1-bot", "xoxe-1-bot-refresh", "xoxp-1-user", "xoxe-1-user-refresh")


def installation(team: str | None = "T0STORE001", enterprise: str | None = None) -> Installation:
    return Installation(
        app_id="A0APP00001",
        enterprise_id=enterprise,
        team_id=team,
        team_name="Northshire",
        bot_token=SECRETS[0],
        bot_refresh_token=SECRETS[1],
        bot_token_expires_in=43200,
        bot_id="B0BOT00001",
        bot_user_id="U0BOT00001",
        bot_scopes="chat:write,im:history",
        user_id="U0ADMIN001",
        user_token=SECRETS[2],
        user_refresh_token=SECRETS[3],
        user_token_expires_in=43200,
        incoming_webhook_url="https://hooks.slack.com/services/T0/B0/secret",
        is_enterprise_install=team is None,
    )


@pytest.fixture
def keyed(store: Store) -> Store:
    bind_cipher(store.engine, FieldCipher([Fernet.generate_key().decode()]))
    return store


async def test_installs_round_trip_with_every_token_encrypted(keyed: Store) -> None:
    stores = SlackStores.over(keyed.engine, CLIENT)
    await stores.installations.async_save(installation())
    bot = await stores.installations.async_find_bot(enterprise_id=None, team_id="T0STORE001")
    found = await stores.installations.async_find_installation(enterprise_id=None, team_id="T0STORE001")
    assert bot is not None and bot.bot_token == SECRETS[0] and bot.bot_refresh_token == SECRETS[1]
    assert bot.bot_token_expires_at is not None and bot.bot_token_expires_at > time.time() + 40000
    assert found is not None and found.user_token == SECRETS[2] and found.user_refresh_token == SECRETS[3]
    assert await stores.installations.async_find_bot(enterprise_id=None, team_id="T0OTHER001") is None

    async with keyed.connection() as conn:
        raw = [
            dict(r)
            for t in ("slack_bots", "slack_installations")
            for r in (await conn.execute(text(f"SELECT * FROM {t}"))).mappings()
        ]
    stored = " ".join(str(v) for row in raw for v in row.values())
    assert not any(secret in stored for secret in SECRETS) and "hooks.slack.com" not in stored
    assert all(row["bot_token"].startswith("enc:v1:") for row in raw)

    # an org-wide install is found by the org, whatever the team
    await stores.installations.async_save(installation(team=None, enterprise="E0ORG00001"))
    org = await stores.installations.async_find_bot(
        enterprise_id="E0ORG00001", team_id="T0ANYTEAM1", is_enterprise_install=True
    )
    assert org is not None and org.is_enterprise_install

    await stores.installations.async_delete_all(enterprise_id=None, team_id="T0STORE001")
    assert await stores.installations.async_find_bot(enterprise_id=None, team_id="T0STORE001") is None


async def test_a_state_is_used_once_and_expired_ones_are_cleared(keyed: Store) -> None:
    states = SlackStores.over(keyed.engine, CLIENT).states
    stale = datetime.now(UTC).replace(tzinfo=None) - timedelta(hours=1)
    async with keyed.connection() as conn:
        await conn.execute(insert(SlackOAuthStateRow).values(state="left-over", expire_at=stale))
    state = await states.async_issue()
    assert await states.async_consume(state) is True
    assert await states.async_consume(state) is False  # once
    assert await states.async_consume("made-up") is False
    async with keyed.connection() as conn:
        assert list(await conn.execute(text("SELECT state FROM slack_oauth_states"))) == []


async def test_tables_come_from_migrations_not_the_store(keyed: Store) -> None:
    stores = SlackStores.over(keyed.engine, CLIENT)
    with pytest.raises(StorageError):
        await stores.installations.create_tables()
    with pytest.raises(StorageError):
        await stores.states.create_tables()
