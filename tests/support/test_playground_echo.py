"""End-to-end check of the Playground harness: the Agents SDK echo bot (in this test's event loop),
the Microsoft 365 Agents Playground (node) and headless Chromium (Playwright).

Locally these tests are skipped when Node, ``tests/playground/node_modules`` (``npm ci --prefix
tests/playground``) or Chromium is missing; in CI they fail instead (tests/support/services.py).
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import AsyncIterator, Awaitable, Callable

import aiohttp
import pytest

from tests.support.echo_agent import RunningAgent, auth_configuration, run_echo_agent
from tests.support.playground import Playground, PlaygroundUnavailable, start_playground
from tests.support.services import require_service

PLAYGROUND = [
    pytest.mark.playground,
    pytest.mark.timeout(180),
    # the SDK's JWT middleware stores request["claims_identity"] with a plain string key
    pytest.mark.filterwarnings("ignore::aiohttp.web.NotAppKeyWarning"),
]

SCREENSHOT = os.environ.get("REFLECT_TEST_PLAYGROUND_SCREENSHOT")  # e.g. /tmp/playground.png


@contextlib.asynccontextmanager
async def agent_and_playground() -> AsyncIterator[tuple[RunningAgent, Playground]]:
    async with run_echo_agent() as agent:
        problem = ""
        try:
            async with start_playground(agent.url) as pg:
                yield agent, pg
                return
        except PlaygroundUnavailable as exc:
            problem = str(exc)
        require_service(f"Microsoft 365 Agents Playground unavailable: {problem}")


def playground_test(fn: Callable[[], Awaitable[None]]) -> Callable[[], Awaitable[None]]:
    for mark in PLAYGROUND:
        fn = mark(fn)
    return fn


@playground_test
async def test_echo_and_card_submit_in_personal_chat() -> None:
    async with agent_and_playground() as (agent, pg):
        await pg.send("hello")
        assert await pg.wait_for_bot_text("echo: hello") == "echo: hello"

        msg = next(a for a in agent.agent.received if a["type"] == "message" and a["text"] == "hello")
        assert msg["conversation_type"] == "personal"
        assert msg["conversation_id"] == pg.conversation_id
        assert msg["from_id"] == pg.config["currentUser"]["id"]
        assert msg["from_aad_object_id"] == pg.config["currentUser"]["aadObjectId"]
        assert msg["channel_data"]["tenant"]["id"] == pg.config["tenantId"]
        assert msg["conversation_tenant_id"] == pg.config["tenantId"]
        assert msg["service_url"] == f"http://localhost:{pg.port}/_connector"
        assert msg["id"]  # a GUID chosen by the Playground

        await pg.send("card")
        await pg.wait_for_bot_text("Pick one")
        await pg.fill_card_input("optional note", "from the test")
        await pg.click_card_button("Yes")
        text = await pg.wait_for_bot_text("submitted:")
        assert json.loads(text.removeprefix("submitted: ")) == {
            "action": "choose",
            "choice": "Yes",
            "note": "from the test",
        }
        submit = [a for a in agent.agent.received if a["type"] == "message" and a["value"]][-1]
        assert submit["text"] in (None, "")
        assert submit["value"]["choice"] == "Yes"

        assert pg.bot_messages()[0] == "echo: hello"
        if SCREENSHOT:
            await pg.screenshot(SCREENSHOT)


@playground_test
async def test_group_chat_channel_other_users_and_proactive() -> None:
    async with agent_and_playground() as (agent, pg):
        # Proactive: the bot answers, then sends a second message via continue_conversation.
        await pg.send("proactive")
        await pg.wait_for_bot_text("proactive scheduled")
        await pg.wait_for_bot_text("proactive ping", new=False)

        # Group chat: the current user must @mention the bot (done by send()).
        await pg.open_group_chat()
        await pg.send("group hello")
        await pg.wait_for_bot_text("group hello")  # rendered as "echo: Test Bot group hello"
        got = [a for a in agent.agent.received if a["type"] == "message"][-1]
        assert got["conversation_type"] == "groupChat" and got["is_group"] is True
        assert got["text"] == "<at>Test Bot</at> group hello"
        assert got["entities"][0]["type"] == "mention"
        assert got["entities"][0]["mentioned"]["id"] == pg.config["bot"]["id"]

        # Another mock user, via a custom activity.
        await pg.send_as("Megan Bowen", "hi from megan")
        await pg.wait_for_bot_text("hi from megan")
        got = [a for a in agent.agent.received if a["type"] == "message"][-1]
        assert got["from_id"] == "user-id-1" and got["from_name"] == "Megan Bowen"
        assert got["conversation_type"] == "groupChat"

        # A mock "user added" conversationUpdate.
        await pg.mock_activity("userAdded", membersAdded=[{"id": "user-id-2", "name": "Adele Vance"}])
        await pg.wait_for_activity(
            lambda a: (
                a.get("type") == "conversationUpdate"
                and [m["id"] for m in a.get("membersAdded", [])] == ["user-id-2"]
            )
        )

        # Teams channel: a new post with a mention; the reply lands in the post's thread.
        await pg.open_channel("General")
        await pg.send("channel hello")
        await pg.wait_for_bot_text("channel hello")
        got = [a for a in agent.agent.received if a["type"] == "message"][-1]
        assert got["conversation_type"] == "channel"
        assert got["conversation_id"].startswith("team-id;messageid=")
        assert got["channel_data"]["team"]["id"] == "team-id"
        assert got["channel_data"]["channel"]["id"] == "team-id"


def _typing_activity(conversation_id: str = "c1") -> dict[str, object]:
    # typing needs no reply, so no outbound call is made
    return {
        "type": "typing",
        "id": "a1",
        "channelId": "msteams",
        "serviceUrl": "http://127.0.0.1:9/_connector",
        "from": {"id": "user-id-0"},
        "recipient": {"id": "bot"},
        "conversation": {"id": conversation_id},
    }


async def test_echo_agent_auth_switch_without_playground() -> None:
    """Anonymous mode accepts header-less activities; with an app id the JWT middleware answers
    401 to a missing or malformed token (no network needed for either)."""
    async with (
        run_echo_agent() as anon,
        aiohttp.ClientSession() as s,
        s.post(anon.url, json=_typing_activity()) as r,
    ):
        assert r.status == 202
    secured = auth_configuration("00000000-0000-0000-0000-0000000000aa", "secret", "tenant-guid")
    assert secured.ANONYMOUS_ALLOWED is False
    async with run_echo_agent(config=secured) as agent, aiohttp.ClientSession() as s:
        async with s.post(agent.url, json=_typing_activity()) as r:
            assert r.status == 401
        headers = {"Authorization": "Bearer not-a-jwt"}
        async with s.post(agent.url, json=_typing_activity(), headers=headers) as r:
            assert r.status == 401
        assert agent.agent.received == []
