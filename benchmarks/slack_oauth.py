"""A Slack turn with OAuth installs (a token per workspace, looked up and rotated) against the
same turn with one SLACK_BOT_TOKEN.

Two servers on loopback share one SlackMock: one in single-token mode, one with two
workspaces installed through the real /slack/install and /slack/oauth_redirect. Workers
type the scripted reflection; turns alternate between the two servers (and, on the OAuth
one, between the two workspaces) so machine noise hits both alike. A turn is timed from
sending the signed event until the adapter's work, replies included, has settled.

    python -m benchmarks.slack_oauth
"""

from __future__ import annotations

import asyncio
import contextlib
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import aiohttp
from cryptography.fernet import Fernet

from benchmarks.common import REFLECTION, Result, median, percentile, table
from bot.adapters.slack.oauth import INSTALL_PATH, REDIRECT_PATH, STATE_COOKIE
from tests.adapters.slack.driver import BOT_TOKEN, SlackWorld, serve_slack, slack_settings
from tests.support import slack_requests as sr
from tests.support.slack_mock import SlackMock

CLIENT_ID, CLIENT_SECRET = "1111111111.3333333333", "bench-client-secret"
TEAMS = ("T0BENCHA01", "T0BENCHB01")


async def install(world: SlackWorld, team: str) -> None:
    async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as browser:
        async with browser.get(world.root + INSTALL_PATH, allow_redirects=False) as started:
            state = parse_qs(urlparse(started.headers["Location"]).query)["state"][0]
        code = world.mock.install_code(team)
        headers = {"Cookie": f"{STATE_COOKIE}={state}"}
        params = {"code": code, "state": state}
        async with browser.get(world.root + REDIRECT_PATH, params=params, headers=headers) as done:
            assert done.status == 200, await done.text()


@contextlib.asynccontextmanager
async def two_servers(mock: SlackMock, tmp: str) -> AsyncIterator[tuple[SlackWorld, SlackWorld]]:
    key = Fernet.generate_key().decode()
    single = slack_settings(mock, str(Path(tmp) / "single.db"), encryption_key=key)
    mock.oauth_app(CLIENT_ID, CLIENT_SECRET)
    oauth = slack_settings(
        mock,
        str(Path(tmp) / "oauth.db"),
        slack_bot_token=None,
        slack_client_id=CLIENT_ID,
        slack_client_secret=CLIENT_SECRET,
        encryption_key=key,
    )
    async with serve_slack(mock, single) as one, serve_slack(mock, oauth) as many:
        for team in TEAMS:
            await install(many, team)
        yield one, many


async def turn(world: SlackWorld, team: str, user: str, text: str) -> float:
    started = time.perf_counter()
    reply = await world.transport.event(
        sr.message_event(text, user=user, channel=world.mock.dm_channel(user), team_id=team)
    )
    await world.settle()
    assert reply.status == 200, reply
    return time.perf_counter() - started


async def oauth_vs_single_token(reflections: int = 4) -> Result:
    single: list[float] = []
    oauth: list[float] = []
    async with SlackMock(bot_token=BOT_TOKEN) as mock:
        with tempfile.TemporaryDirectory() as tmp:
            async with two_servers(mock, tmp) as (one, many):
                for n in range(reflections):
                    team = TEAMS[n % len(TEAMS)]
                    for line in REFLECTION:
                        text = line.format(n=n)
                        single.append(await turn(one, sr.TEAM_ID, f"U0ONE{n:05d}", text))
                        oauth.append(await turn(many, team, f"U0MANY{n:04d}", text))
                posts = mock.calls_for("chat.postMessage")
                tokens = {c.token for c in posts}
                assert tokens == {BOT_TOKEN, *mock.tokens}, "each workspace answered with its own token"
                refreshes = [c for c in mock.calls_for("oauth.v2.access") if c.params.get("grant_type")]
    ratio = median(oauth) / median(single)
    return Result(
        name=f"Slack turn, OAuth installs vs one token ({len(oauth)} turns each, 2 workspaces)",
        metrics={
            "oauth_p50_ms": median(oauth) * 1000,
            "oauth_p99_ms": percentile(oauth, 99) * 1000,
            "single_token_p50_ms": median(single) * 1000,
            "single_token_p99_ms": percentile(single, 99) * 1000,
            "oauth_over_single_token": ratio,
            "token_refreshes": len(refreshes),
        },
        target="ratio <= 1.25",
        met=ratio <= 1.25,
        note="SQLite; OAuth adds Bolt's install lookup per request and a cached token per send",
    )


async def bench() -> list[Result]:
    return [await oauth_vs_single_token()]


def main() -> None:
    from bot.logs import configure_logging

    configure_logging("WARNING")  # routine per-turn logs would be measured too
    print(table(asyncio.run(bench())))


if __name__ == "__main__":
    main()
