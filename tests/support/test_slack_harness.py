"""The Slack harness itself: real slack_sdk / slack_bolt against SlackMock and slack_requests."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.signature import SignatureVerifier
from slack_sdk.socket_mode.aiohttp import SocketModeClient
from slack_sdk.socket_mode.async_client import AsyncBaseSocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse
from slack_sdk.web.async_client import AsyncWebClient

from tests.support import slack_requests as sr
from tests.support.slack_mock import RESPONSE_URL, UPLOAD, SlackMock

BOT_TOKEN = "xoxb-harness-bot"
APP_TOKEN = "xapp-harness-app"
SECRET = "harness-signing-secret"

BLOCKS: list[dict[str, Any]] = [
    {"type": "section", "block_id": "q", "text": {"type": "mrkdwn", "text": "*What happened?*"}},
    {
        "type": "actions",
        "block_id": "nav",
        "elements": [
            {
                "type": "button",
                "action_id": "cmd",
                "text": {"type": "plain_text", "text": "Skip"},
                "value": "cmd:skip",
            }
        ],
    },
]


@pytest.fixture
async def mock() -> AsyncIterator[SlackMock]:
    async with SlackMock(bot_token=BOT_TOKEN, app_token=APP_TOKEN) as m:
        yield m


@pytest.fixture
def client(mock: SlackMock) -> AsyncWebClient:
    return AsyncWebClient(token=BOT_TOKEN, base_url=mock.base_url)


@contextlib.asynccontextmanager
async def serve(app: web.Application) -> AsyncIterator[str]:
    """Run an aiohttp app on a free loopback port; yields its root URL."""
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
    await runner.setup()
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    await web.SockSite(runner, sock).start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


def mount(bolt: AsyncApp) -> web.Application:
    """Bolt on our own aiohttp route, the way bot/adapters/slack is meant to do it."""

    async def slack_events(request: web.Request) -> web.Response:
        bolt_resp = await bolt.async_dispatch(await to_bolt_request(request))
        return await to_aiohttp_response(bolt_resp)

    app = web.Application()
    app.router.add_post("/slack/events", slack_events)
    return app


# ---------------------------------------------------------------------- Web API mock


async def test_post_message_round_trip(mock: SlackMock, client: AsyncWebClient) -> None:
    resp = await client.chat_postMessage(channel=sr.DM_CHANNEL_ID, text="What happened?", blocks=BLOCKS)
    assert resp["ok"] is True and resp["channel"] == sr.DM_CHANNEL_ID
    assert resp["message"]["bot_id"] == mock.bot_id and resp["message"]["ts"] == resp["ts"]
    [call] = mock.calls_for("chat.postMessage")
    assert call.ok and call.token == BOT_TOKEN and call.content_type == "application/json"
    assert call.params["text"] == "What happened?" and call.params["blocks"] == BLOCKS
    assert mock.messages_in(sr.DM_CHANNEL_ID)[0]["ts"] == resp["ts"]

    # Form-encoded bodies (blocks as a JSON string) land the same way.
    await client.api_call(
        "chat.postMessage",
        data={"channel": sr.DM_CHANNEL_ID, "text": "form", "blocks": json.dumps(BLOCKS)},
    )
    form_call = mock.calls_for("chat.postMessage")[1]
    assert form_call.content_type == "application/x-www-form-urlencoded"
    assert form_call.params["blocks"] == BLOCKS

    upd = await client.chat_update(channel=sr.DM_CHANNEL_ID, ts=resp["ts"], text="Edited", blocks=[])
    assert upd["text"] == "Edited" and mock.messages[0]["text"] == "Edited"
    with pytest.raises(SlackApiError) as e:
        await client.chat_update(channel=sr.DM_CHANNEL_ID, ts="1.000001", text="x")
    assert e.value.response["error"] == "message_not_found"

    eph = await client.chat_postEphemeral(channel=sr.DM_CHANNEL_ID, user=sr.USER_ID, text="only you")
    assert eph["message_ts"] and mock.ephemeral[0]["ephemeral_user"] == sr.USER_ID
    assert [c.method for c in mock.calls] == [
        "chat.postMessage",
        "chat.postMessage",
        "chat.update",
        "chat.update",
        "chat.postEphemeral",
    ]


async def test_auth_errors_and_injected_errors(mock: SlackMock, client: AsyncWebClient) -> None:
    auth = await client.auth_test()
    assert auth["user_id"] == mock.bot_user_id and auth["team_id"] == mock.team_id
    bad = AsyncWebClient(token="xoxb-wrong", base_url=mock.base_url)
    with pytest.raises(SlackApiError) as e:
        await bad.chat_postMessage(channel=sr.DM_CHANNEL_ID, text="hi")
    assert e.value.response["error"] == "invalid_auth"
    with pytest.raises(SlackApiError) as e:
        await AsyncWebClient(token=APP_TOKEN, base_url=mock.base_url).auth_test()
    assert e.value.response["error"] == "not_allowed_token_type"

    mock.fail_next("chat.postMessage", error="not_in_channel")
    with pytest.raises(SlackApiError) as e:
        await client.chat_postMessage(channel="C0CHAN0001", text="hi")
    assert e.value.response.status_code == 200 and e.value.response["error"] == "not_in_channel"
    await client.chat_postMessage(channel="C0CHAN0001", text="hi")  # the fault was used up
    assert [c.ok for c in mock.calls_for("chat.postMessage")] == [False, False, True]

    with pytest.raises(SlackApiError) as e:
        await client.views_open(
            trigger_id="1.2.3",
            view={"type": "modal", "title": {"type": "plain_text", "text": "x" * 25}, "blocks": []},
        )
    assert e.value.response["error"] == "invalid_arguments"
    assert "json-pointer:/view/title/text" in e.value.response["response_metadata"]["messages"][0]


async def test_rate_limit_is_retried_and_delivered_once(mock: SlackMock, client: AsyncWebClient) -> None:
    client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=1))
    mock.fail_next("chat.postMessage", status=429, retry_after=1)
    started = time.monotonic()
    resp = await client.chat_postMessage(channel=sr.DM_CHANNEL_ID, text="after the limit")
    assert resp["ok"] is True
    first, second = mock.calls_for("chat.postMessage")
    assert first.status == 429 and first.error == "ratelimited"
    assert second.ok and second.monotonic - first.monotonic >= 1.0
    assert time.monotonic() - started >= 1.0
    assert [m["text"] for m in mock.messages] == ["after the limit"]  # delivered once


async def test_users_conversations_views_and_files(mock: SlackMock, client: AsyncWebClient) -> None:
    user = (await client.users_info(user=sr.USER_ID))["user"]
    assert user["tz"] == "Europe/London" and user["tz_offset"] in (0, 3600)
    mock.add_user("U0USER0002", tz="America/New_York")
    assert (await client.users_info(user="U0USER0002"))["user"]["tz_offset"] in (-18000, -14400)
    opened = await client.conversations_open(users="U0USER0002")
    assert opened["channel"]["id"] == mock.dm_channel("U0USER0002")

    modal = {
        "type": "modal",
        "callback_id": "answer",
        "title": {"type": "plain_text", "text": "Reflect"},
        "submit": {"type": "plain_text", "text": "Save"},
        "blocks": [
            {
                "type": "input",
                "block_id": "a",
                "label": {"type": "plain_text", "text": "Your answer"},
                "element": {"type": "plain_text_input", "action_id": "v", "multiline": True},
            }
        ],
    }
    view = (await client.views_open(trigger_id=sr.new_trigger_id(), view=modal))["view"]
    assert view["id"].startswith("V") and view["callback_id"] == "answer"
    updated = (await client.views_update(view_id=view["id"], hash=view["hash"], view=modal))["view"]
    assert updated["id"] == view["id"] and updated["hash"] != view["hash"]
    home = {"type": "home", "blocks": BLOCKS}
    published = (await client.views_publish(user_id=sr.USER_ID, view=home))["view"]
    assert mock.home_views[sr.USER_ID]["id"] == published["id"]

    done = await client.files_upload_v2(
        channel=sr.DM_CHANNEL_ID, content="# Note\n", filename="note.md", title="Session note"
    )
    assert done["file"]["title"] == "Session note"
    [stored] = mock.files.values()
    assert stored.content == b"# Note\n" and stored.channel_id == sr.DM_CHANNEL_ID and stored.completed
    assert [c.method for c in mock.calls][-3:] == [
        "files.getUploadURLExternal",
        UPLOAD,
        "files.completeUploadExternal",
    ]


# ---------------------------------------------------------------------- signed requests


def test_signatures_verify_and_forgeries_do_not() -> None:
    verifier = SignatureVerifier(SECRET)
    requests = [
        sr.signed_event(sr.message_event("hello"), SECRET),
        sr.signed_event(sr.url_verification(), SECRET),
        sr.signed_event(sr.app_home_opened_event(), SECRET),
        sr.signed_command(sr.slash_command("start"), SECRET),
        sr.signed_interaction(sr.block_actions("cmd", "cmd:skip"), SECRET),
        sr.signed_interaction(sr.view_submission("answer", {"a": {"v": "text"}}), SECRET),
    ]
    for body, headers in requests:
        assert verifier.is_valid_request(body, headers)
    payload = sr.message_event("hello")
    assert not verifier.is_valid_request(*sr.signed_event(payload, SECRET, forged=True))
    assert not verifier.is_valid_request(*sr.signed_event(payload, SECRET, stale=True))
    assert not verifier.is_valid_request(*sr.signed_event(payload, SECRET, unsigned=True))
    retry = sr.signed_event(payload, SECRET, retry_num=1)
    assert verifier.is_valid_request(*retry)
    assert (
        retry.headers["X-Slack-Retry-Num"] == "1" and retry.headers["X-Slack-Retry-Reason"] == "http_timeout"
    )
    event = payload["event"]
    assert payload["type"] == "event_callback" and payload["event_id"].startswith("Ev")
    assert event["channel_type"] == "im" and event["client_msg_id"] and event["ts"] == event["event_ts"]
    assert payload["authorizations"][0]["user_id"] == sr.BOT_USER_ID


async def test_bolt_on_our_aiohttp_route(mock: SlackMock) -> None:
    bolt = AsyncApp(client=AsyncWebClient(token=BOT_TOKEN, base_url=mock.base_url), signing_secret=SECRET)
    seen: list[tuple[str, str | None]] = []

    @bolt.event("message")
    async def on_message(event: dict[str, Any], say: Any, request: Any) -> None:
        seen.append((event["text"], request.headers.get("x-slack-retry-num", [None])[0]))
        await asyncio.sleep(0.5)  # slow work happens after the HTTP response
        await say(text=f"echo: {event['text']}")

    async def ack_command(ack: Any) -> None:
        await ack()

    async def run_command(command: dict[str, Any], respond: Any) -> None:
        await respond(text=f"started: {command['text']}")

    bolt.command("/reflect")(ack=ack_command, lazy=[run_command])

    async with serve(mount(bolt)) as root, aiohttp.ClientSession() as http:
        url = f"{root}/slack/events"
        body, headers = sr.signed_event(sr.url_verification("c-123"), SECRET)
        async with http.post(url, data=body, headers=headers) as r:
            assert r.status == 200 and (await r.json())["challenge"] == "c-123"

        for bad in ({"forged": True}, {"stale": True}, {"unsigned": True}):
            body, headers = sr.signed_event(sr.message_event("nope"), SECRET, **bad)
            async with http.post(url, data=body, headers=headers) as r:
                assert r.status == 401

        body, headers = sr.signed_event(sr.message_event("hello"), SECRET)
        started = time.monotonic()
        async with http.post(url, data=body, headers=headers) as r:
            assert r.status == 200
        assert time.monotonic() - started < 0.5  # acknowledged before the listener finished
        [posted] = await mock.wait_for_calls("chat.postMessage", 1, timeout=5)
        assert posted.params["text"] == "echo: hello" and posted.params["channel"] == sr.DM_CHANNEL_ID

        body, headers = sr.signed_event(sr.message_event("again"), SECRET, retry_num=1)
        async with http.post(url, data=body, headers=headers) as r:
            assert r.status == 200  # Bolt does not drop retries by itself
        await mock.wait_for_calls("chat.postMessage", 2, timeout=5)
        assert seen == [("hello", None), ("again", "1")]

        body, headers = sr.signed_command(sr.slash_command("start", response_url=mock.response_url()), SECRET)
        async with http.post(url, data=body, headers=headers) as r:
            assert r.status == 200
        [responded] = await mock.wait_for_calls(RESPONSE_URL, 1, timeout=5)
        assert responded.params["text"] == "started: start"
    assert len(mock.calls_for("auth.test")) == 1  # Bolt's single-team authorization, cached


# ---------------------------------------------------------------------- Socket Mode


async def test_socket_mode_client_receives_and_acks(mock: SlackMock) -> None:
    web_client = AsyncWebClient(base_url=mock.base_url)
    sm = SocketModeClient(app_token=APP_TOKEN, web_client=web_client, ping_interval=1)
    received: list[SocketModeRequest] = []

    async def listener(client: AsyncBaseSocketModeClient, req: SocketModeRequest) -> None:
        received.append(req)
        await client.send_socket_mode_response(SocketModeResponse(envelope_id=req.envelope_id))

    sm.socket_mode_request_listeners.append(listener)
    try:
        await sm.connect()
        [opened] = mock.calls_for("apps.connections.open")
        assert opened.ok and opened.token == APP_TOKEN
        assert opened.response["url"].startswith(f"ws://127.0.0.1:{mock.port}/socket")
        envelope_id = await mock.push_envelope("events_api", sr.message_event("over the socket"))
        ack = await mock.wait_for_ack(envelope_id, timeout=5)
        assert ack.payload is None
        retried = await mock.push_envelope(
            "events_api", sr.message_event("again"), retry_attempt=1, retry_reason="timeout"
        )
        await mock.wait_for_ack(retried, timeout=5)
    finally:
        await sm.close()
    assert [r.payload["event"]["text"] for r in received] == ["over the socket", "again"]
    assert received[0].type == "events_api" and received[0].retry_attempt == 0
    assert received[1].retry_attempt == 1 and received[1].retry_reason == "timeout"
    assert mock.socket_messages == [a.raw for a in mock.acks]


async def test_bolt_socket_mode_handler_with_custom_client(mock: SlackMock) -> None:
    web_client = AsyncWebClient(token=BOT_TOKEN, base_url=mock.base_url)
    bolt = AsyncApp(client=web_client)
    retry_headers: list[str | None] = []

    @bolt.command("/reflect")
    async def on_command(ack: Any, command: dict[str, Any]) -> None:
        await ack(text=f"ok: {command['text']}")

    @bolt.event("message")
    async def on_message(request: Any) -> None:
        retry_headers.append(request.headers.get("x-slack-retry-num", [None])[0])

    handler = AsyncSocketModeHandler(bolt, app_token=APP_TOKEN, web_client=web_client)
    try:
        await handler.connect_async()
        env = await mock.push_envelope("slash_commands", sr.slash_command("start"))
        ack = await mock.wait_for_ack(env)
        assert ack.payload == {"text": "ok: start"}
        env = await mock.push_envelope(
            "events_api", sr.message_event("x"), retry_attempt=2, retry_reason="timeout"
        )
        assert (await mock.wait_for_ack(env)).payload is None
        for _ in range(100):
            if retry_headers:
                break
            await asyncio.sleep(0.02)
        assert retry_headers == ["2"]
    finally:
        await handler.close_async()


async def test_history_returns_message_metadata_only_when_asked(
    mock: SlackMock, client: AsyncWebClient
) -> None:
    tagged = {"event_type": "reflect_outbox", "event_payload": {"id": 7, "part": 0}}
    await client.chat_postMessage(channel="D0DM000001", text="first", metadata=tagged)
    posted = await client.chat_postMessage(channel="D0DM000001", text="second")
    await client.chat_postMessage(
        channel="D0DM000001", text="in a thread", thread_ts=posted["ts"], metadata=tagged
    )

    plain = await client.conversations_history(channel="D0DM000001")
    assert [m["text"] for m in plain["messages"]] == ["second", "first"]  # newest first, no replies
    assert all("metadata" not in m for m in plain["messages"])
    full = await client.conversations_history(channel="D0DM000001", include_all_metadata=True, limit=1)
    assert [m["text"] for m in full["messages"]] == ["second"] and full["has_more"]
    older = await client.conversations_history(channel="D0DM000001", include_all_metadata=True)
    assert older["messages"][1]["metadata"] == tagged
    thread = await client.conversations_replies(
        channel="D0DM000001", ts=posted["ts"], include_all_metadata=True
    )
    assert [m.get("metadata") for m in thread["messages"]] == [None, tagged]  # the parent first
    with pytest.raises(SlackApiError, match="invalid_metadata_format"):
        await client.chat_postMessage(channel="D0DM000001", text="x", metadata={"event_payload": {}})
