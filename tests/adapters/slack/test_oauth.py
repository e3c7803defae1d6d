"""Installing by OAuth, for real: the browser's two GETs, the code exchange against the mock
Web API, the install stored (tokens encrypted), then reflections in two installed workspaces
served by one process, each answered with its own token; token rotation; a bad state.

Runs on a SQLite file and on a real PostgreSQL.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import aiohttp
import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text

from bot.adapters.slack.oauth import INSTALL_PATH, REDIRECT_PATH, STATE_COOKIE
from bot.config import Settings
from bot.core.errors import GiveUp
from bot.core.outbox import OutboxItem
from bot.core.reminders import Reminder
from bot.reminders.runner import reminder_address
from bot.turns import Outgoing, outgoing_to_json
from storage.database import create_engine
from storage.slack_installations import SlackStores
from tests.adapters.slack.driver import SlackWorld, serve_slack, slack_settings
from tests.support import slack_requests as sr
from tests.support.fuzz import captured_logs
from tests.support.slack_mock import SlackMock

CLIENT_ID = "1111111111.2222222222"
CLIENT_SECRET = "oauth-client-secret-for-tests"
KEY = Fernet.generate_key().decode()
T1, T2 = "T0COUNCIL1", "T0COUNCIL2"
SAM = sr.USER_ID  # the same Slack user id in both workspaces: two people


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/oauth.db"
    url: str = request.getfixturevalue("postgres_db_url")
    return url


def oauth_settings(mock: SlackMock, database_url: str) -> Settings:
    """An OAuth app (no SLACK_BOT_TOKEN) whose credentials the mock Web API knows."""
    mock.oauth_app(CLIENT_ID, CLIENT_SECRET)
    return slack_settings(
        mock,
        "unused.db",
        slack_bot_token=None,
        slack_client_id=CLIENT_ID,
        slack_client_secret=CLIENT_SECRET,
        encryption_key=KEY,
        database_url=database_url,
    )


@pytest.fixture
async def oauth_world(mock: SlackMock, database_url: str) -> AsyncIterator[SlackWorld]:
    settings = oauth_settings(mock, database_url)
    assert settings.slack_oauth_enabled and settings.slack_enabled
    async with serve_slack(mock, settings) as world:
        yield world


@pytest.fixture
async def browser() -> AsyncIterator[aiohttp.ClientSession]:
    # The state cookie is Secure; a test browser on plain loopback sends it by hand.
    async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as session:
        yield session


async def start_install(world: SlackWorld, browser: aiohttp.ClientSession) -> str:
    """GET /slack/install: Slack's authorize page, with a state the browser keeps as a cookie."""
    async with browser.get(world.root + INSTALL_PATH, allow_redirects=False) as response:
        assert response.status == 302
        location = urlparse(response.headers["Location"])
        cookie = response.cookies[STATE_COOKIE].value
    query = parse_qs(location.query)
    assert location.netloc == "slack.com" and location.path == "/oauth/v2/authorize"
    assert query["client_id"] == [CLIENT_ID]
    assert {"chat:write", "im:history", "im:write", "users:read"} <= set(query["scope"][0].split(","))
    assert query["state"] == [cookie]
    return cookie


async def finish_install(
    world: SlackWorld, browser: aiohttp.ClientSession, state: str, code: str, cookie: str | None = None
) -> tuple[int, str]:
    """GET /slack/oauth_redirect as Slack sends the installer's browser back."""
    headers = {"Cookie": f"{STATE_COOKIE}={cookie if cookie is not None else state}"}
    url = world.root + REDIRECT_PATH
    async with browser.get(url, params={"code": code, "state": state}, headers=headers) as response:
        return response.status, await response.text()


async def install(world: SlackWorld, browser: aiohttp.ClientSession, team: str, **grant: Any) -> str:
    state = await start_install(world, browser)
    status, page = await finish_install(world, browser, state, world.mock.install_code(team, **grant))
    assert status == 200, page
    assert "installed" in page
    return world.mock.tokens_for(team)[-1]


async def dm(world: SlackWorld, team: str, words: str, user: str = SAM) -> list[Any]:
    """A worker types in their DM with the bot in `team`; the chat.postMessage calls it got."""
    before = len(world.mock.calls_for("chat.postMessage"))
    payload = sr.message_event(words, user=user, channel=world.mock.dm_channel(user), team_id=team)
    reply = await world.transport.event(payload)
    assert reply.status == 200, reply.body
    await world.settle()
    return world.mock.calls_for("chat.postMessage")[before:]


async def raw_rows(database_url: str, table: str) -> list[Any]:
    """Rows as the database holds them: no cipher."""
    engine = create_engine(database_url)
    try:
        async with engine.connect() as conn:
            return list((await conn.execute(text(f"SELECT * FROM {table}"))).mappings())
    finally:
        await engine.dispose()


async def test_install_two_workspaces_and_reflect_in_each_with_its_own_token(
    oauth_world: SlackWorld, browser: aiohttp.ClientSession, database_url: str
) -> None:
    world, mock = oauth_world, oauth_world.mock
    first = await install(world, browser, T1, team_name="Northshire Children's Services")
    [exchange] = mock.calls_for("oauth.v2.access")
    assert exchange.ok and "grant_type" not in exchange.params
    assert [c.token for c in mock.calls_for("auth.test")] == [first]  # Bolt asks who the bot is

    # stored, and no token in plaintext
    [bot] = await raw_rows(database_url, "slack_bots")
    [installation] = await raw_rows(database_url, "slack_installations")
    assert bot["team_id"] == installation["team_id"] == T1 and bot["client_id"] == CLIENT_ID
    for row in (bot, installation):
        assert row["bot_token"].startswith("enc:v1:") and first not in row["bot_token"]
        assert row["bot_refresh_token"].startswith("enc:v1:")
        assert row["bot_token_expires_at"] is not None
    if database_url.startswith("sqlite"):
        path = Path(urlparse(database_url).path)
        files = [p for p in path.parent.glob(path.name + "*") if p.is_file()]
        assert files and not any(first.encode() in p.read_bytes() for p in files)
        with sqlite3.connect(path) as db:
            assert db.execute("SELECT count(*) FROM slack_bots").fetchone() == (1,)

    # a reflection in the installed workspace, answered with that workspace's token
    posted = await dm(world, T1, "reflect")
    assert posted and all(c.ok and c.token == first for c in posted)
    await dm(world, T1, "unannounced, school rang it in")

    # a second workspace, in the same process; the same user id there is someone else
    second = await install(world, browser, T2, team_name="Southvale Family Help")
    assert second != first and len(await raw_rows(database_url, "slack_bots")) == 2
    posted_t2 = await dm(world, T2, "reflect")
    assert posted_t2 and all(c.ok and c.token == second for c in posted_t2)
    # a fresh start there (not "you already have one going"), and T1's session is untouched
    assert posted_t2[0].params["text"] == posted[0].params["text"]
    back_in_t1 = await dm(world, T1, "skip")
    assert back_in_t1 and all(c.token == first for c in back_in_t1)

    # every Web API call the bot made after install used a workspace's own token
    used = {c.token for c in mock.calls if c.method not in ("oauth.v2.access",)}
    assert used == {first, second}


async def test_an_install_is_read_once_a_minute_not_for_every_event(
    oauth_world: SlackWorld, browser: aiohttp.ClientSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Bolt's authorize looks the install up for every request; the bot and its decrypted
    token are kept a minute (an uninstall in this process forgets them at once)."""
    from storage.slack_installations import InstallationStore

    world = oauth_world
    token = await install(world, browser, T1, team_name="Northshire Children's Services")
    reads: list[str | None] = []
    find = InstallationStore.async_find_bot

    async def counted(self: InstallationStore, **where: Any) -> Any:
        reads.append(where.get("team_id"))
        return await find(self, **where)

    monkeypatch.setattr(InstallationStore, "async_find_bot", counted)
    for words in ("reflect", "unannounced, school rang it in", "2", "pretty bad tbh"):
        posted = await dm(world, T1, words)
        assert posted and all(c.ok and c.token == token for c in posted)
    assert reads.count(T1) <= 1, reads  # four events, at most one read of the install


async def test_an_expired_token_is_refreshed_before_the_reply(
    oauth_world: SlackWorld, browser: aiohttp.ClientSession, database_url: str
) -> None:
    world, mock = oauth_world, oauth_world.mock
    root = logging.getLogger()
    with captured_logs() as (stream, records):
        level = root.level
        root.setLevel(logging.DEBUG)  # slack_sdk logs whole requests and responses at debug
        try:
            old = await install(world, browser, T1, expires_in=1)
            await asyncio.sleep(1.2)  # the mock now refuses the old token: token_expired
            posted = await dm(world, T1, "hi can we do a reflection pls")
        finally:
            root.setLevel(level)
    secrets = [CLIENT_SECRET, *mock.tokens, *(t.refresh_token for t in mock.tokens.values())]
    logged = stream.getvalue() + "\n".join(r.getMessage() for r in records.records)
    assert any(
        r.name.startswith("slack_sdk") and "oauth.v2.access" in r.getMessage() for r in records.records
    )
    assert not [secret for secret in secrets if secret in logged]

    refreshes = [
        c for c in mock.calls_for("oauth.v2.access") if c.params.get("grant_type") == "refresh_token"
    ]
    assert len(refreshes) == 1 and refreshes[0].ok
    new = refreshes[0].response["access_token"]
    assert new != old and mock.tokens_for(T1) == [old, new]
    assert posted and all(c.ok and c.token == new for c in posted)
    assert not [c for c in mock.calls if c.token == old and c.timestamp > refreshes[0].timestamp]

    stores = SlackStores.over(world.runtime.store.engine, CLIENT_ID)
    bot = await stores.installations.async_find_bot(enterprise_id=None, team_id=T1)
    assert bot is not None and bot.bot_token == new
    [row] = await raw_rows(database_url, "slack_bots")
    assert row["bot_token"].startswith("enc:v1:") and new not in row["bot_token"]


async def test_a_bad_state_gets_a_kind_page_and_stores_nothing(
    oauth_world: SlackWorld, browser: aiohttp.ClientSession, database_url: str
) -> None:
    world, mock = oauth_world, oauth_world.mock
    state = await start_install(world, browser)

    # a state that was never issued (the cookie agrees with it)
    status, page = await finish_install(world, browser, "made-up-state", mock.install_code(T1))
    assert status == 401
    assert "did not finish" in page and "Nothing was installed" in page and "<script" not in page

    # the real state, but opened in another browser (no matching cookie)
    status, page = await finish_install(world, browser, state, mock.install_code(T1), cookie="other")
    assert status == 400 and "different browser" in page

    assert mock.calls_for("oauth.v2.access") == []  # no code was exchanged
    assert await raw_rows(database_url, "slack_installations") == []
    assert await raw_rows(database_url, "slack_bots") == []

    # and an event from a workspace that never installed the app posts nothing
    reply = await world.transport.event(sr.message_event("reflect", team_id=T2))
    await world.settle()
    assert reply.status in (200, 503) and mock.calls_for("chat.postMessage") == []


async def test_an_org_wide_grid_install_serves_its_workspaces_as_separate_people(
    mock: SlackMock, tmp_path: Path, browser: aiohttp.ClientSession
) -> None:
    async with serve_slack(mock, oauth_settings(mock, f"sqlite:///{tmp_path}/grid.db")) as world:
        state = await start_install(world, browser)
        code = mock.install_code(
            None, enterprise_id="E0GRID0001", enterprise_name="Shire Council", org_wide=True
        )
        status, page = await finish_install(world, browser, state, code)
        assert status == 200 and "every workspace in Shire Council" in page
        [org_token] = mock.tokens_for(None, "E0GRID0001")

        def grid_event(team: str, words: str) -> dict[str, Any]:
            payload = sr.message_event(words, team_id=team)
            payload["enterprise_id"] = payload["context_enterprise_id"] = "E0GRID0001"
            payload["is_enterprise_install"] = True
            payload["authorizations"][0].update(
                enterprise_id="E0GRID0001", team_id=None, is_enterprise_install=True
            )
            return payload

        for team in ("T0GRIDA001", "T0GRIDB001"):
            before = len(mock.calls_for("chat.postMessage"))
            reply = await world.transport.event(grid_event(team, "reflect"))
            assert reply.status == 200, reply.body
            await world.settle()
            posted = mock.calls_for("chat.postMessage")[before:]
            assert posted and all(c.ok and c.token == org_token for c in posted)

        owners = {row[0] for row in await _owners(world)}
        assert owners == {f"slack:E0GRID0001.T0GRIDA001:{SAM}", f"slack:E0GRID0001.T0GRIDB001:{SAM}"}


async def _owners(world: SlackWorld) -> list[Any]:
    async with world.runtime.store.connection() as conn:
        return list(await conn.execute(text("SELECT owner FROM sessions")))


async def test_an_uninstalled_workspace_is_forgotten(
    oauth_world: SlackWorld, browser: aiohttp.ClientSession, database_url: str
) -> None:
    world, mock = oauth_world, oauth_world.mock
    await install(world, browser, T1)
    await install(world, browser, T2)
    assert await dm(world, T1, "reflect")

    uninstalled = sr.message_event("unused", team_id=T1)
    uninstalled["event"] = {"type": "app_uninstalled", "event_ts": sr.new_ts()}
    assert (await world.transport.event(uninstalled)).status == 200
    await world.settle()
    assert {row["team_id"] for row in await raw_rows(database_url, "slack_bots")} == {T2}
    assert {row["team_id"] for row in await raw_rows(database_url, "slack_installations")} == {T2}

    before = len(mock.calls_for("chat.postMessage"))
    reply = await world.transport.event(sr.message_event("are you still there", team_id=T1))
    await world.settle()
    assert reply.status in (200, 503) and len(mock.calls_for("chat.postMessage")) == before
    assert "install it again" in reply.body or reply.status == 503  # no install: no listener runs
    assert await dm(world, T2, "reflect")  # the other workspace carries on


def test_oauth_mode_and_what_it_needs(mock: SlackMock, tmp_path: Path) -> None:
    def settings(**values: Any) -> Any:
        return slack_settings(mock, str(tmp_path / "s.db"), slack_bot_token=None, **values)

    oauth = settings(slack_client_id=CLIENT_ID, slack_client_secret=CLIENT_SECRET)
    assert oauth.slack_oauth_enabled and oauth.slack_enabled and oauth.problems() == []
    assert "im:history" in oauth.slack_scope_list()
    assert not settings().slack_enabled  # neither a token nor an OAuth app: no Slack

    half = settings(slack_client_id=CLIENT_ID)
    assert not half.slack_oauth_enabled
    assert any("SLACK_CLIENT_SECRET" in p for p in half.problems())
    unsigned = settings(
        slack_client_id=CLIENT_ID, slack_client_secret=CLIENT_SECRET, slack_signing_secret=None
    )
    assert any("SLACK_SIGNING_SECRET" in p for p in unsigned.problems())
    plain_redirect = settings(
        slack_client_id=CLIENT_ID,
        slack_client_secret=CLIENT_SECRET,
        slack_redirect_uri="http://reflect.example.org.uk/slack/oauth_redirect",
        env="production",
    )
    assert any("SLACK_REDIRECT_URI must use https" in p for p in plain_redirect.problems())
    assert not any(CLIENT_SECRET in p for p in plain_redirect.problems())


async def test_a_reminder_goes_out_with_its_workspaces_token(
    oauth_world: SlackWorld, browser: aiohttp.ClientSession
) -> None:
    world, mock = oauth_world, oauth_world.mock
    first = await install(world, browser, T1)
    second = await install(world, browser, T2)
    surface = world.runtime.service.outbox.surfaces["slack"]

    async def nudge(reminder: Reminder) -> None:
        """The reminder's nudge as the runner stores it in the outbox, sent by the surface."""
        lane, address = reminder_address(reminder)
        payload = {"messages": [outgoing_to_json(Outgoing(text="How did the visit go?"))]}
        item = OutboxItem(1, lane, "slack", None, address, "messages", payload, 0)
        for index, part in enumerate(surface.parts(item)):
            await surface.send_part(item, index, part)

    for team, token in ((T2, second), (T1, first)):
        reminder = Reminder(
            id=f"r-{team}",
            owner=f"slack:{team}:{SAM}",
            platform="slack",
            channel=None,
            kind="after_visit",
            due_at=datetime.now(UTC),
            status="due",
            tz="Europe/London",
            payload={},
        )
        await nudge(reminder)
        opened, posted = mock.calls_for("conversations.open")[-1], mock.calls_for("chat.postMessage")[-1]
        assert opened.token == posted.token == token and posted.ok

    gone = Reminder(
        "r-x", f"slack:T0NEVER001:{SAM}", "slack", None, "after_visit", datetime.now(UTC), "due", None, {}
    )
    with pytest.raises(GiveUp):  # not installed there: never retried
        await nudge(gone)
