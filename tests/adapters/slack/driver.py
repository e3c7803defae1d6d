"""Drive the real Slack adapter the way Slack does, and read back what the worker would see.

* `serve_slack(settings)` opens the real runtime (SQLite file, migrations), builds the real
  aiohttp app with `bot.server.build_app`, serves it on a free loopback port and yields a
  `SlackWorld`. `socket_world(settings)` does the same over Socket Mode instead of HTTP.
* `Worker` is one social worker in their DM: `say()` posts a signed `message` event (or
  pushes it down the socket), `click()` presses a button the bot really posted (found in
  the SlackMock's stored messages), `command()` runs `/reflect`. Each waits until the
  adapter's background work has settled, so a test then reads the mock's state directly.
* `question()` reads which engine step the latest question belongs to from the actions
  block's `block_id` ("reflect:<kind>:<step>:<n>"), so scripted answers follow the model.
"""

from __future__ import annotations

import contextlib
import socket
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Protocol

import aiohttp
from aiohttp import web

from bot.adapters.slack.app import SlackAdapter
from bot.adapters.slack.http import SLACK_ADAPTER
from bot.adapters.slack.socket import socket_mode
from bot.config import Settings
from bot.runtime import Runtime, open_runtime
from bot.server import build_app
from bot.service import ReflectionService, owner_of
from bot.turns import ConversationKey
from tests.support import slack_requests as sr
from tests.support.slack_mock import SlackMock

BOT_TOKEN = "xoxb-reflect-test"
APP_TOKEN = "xapp-reflect-test"
SECRET = "reflect-signing-secret"


def slack_settings(mock: SlackMock, database: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "slack_bot_token": BOT_TOKEN,
        "slack_signing_secret": SECRET,
        "slack_api_url": mock.base_url,
        "database_url": f"sqlite:///{database}",
        **overrides,
    }
    return Settings(**values)


def with_clock(runtime: Runtime, clock: Callable[[], datetime] | None) -> Runtime:
    if clock is None:
        return runtime
    service = ReflectionService(
        runtime.store, clock=clock, max_answer_chars=runtime.settings.max_answer_chars
    )
    return replace(runtime, service=service)


class Transport(Protocol):
    async def event(self, payload: dict[str, Any], **sign: Any) -> Any: ...
    async def command(self, fields: dict[str, str], **sign: Any) -> Any: ...
    async def interaction(self, payload: dict[str, Any], **sign: Any) -> Any: ...


@dataclass
class Reply:
    status: int
    body: str


@dataclass
class HttpTransport:
    """Posts to POST /slack/events exactly as Slack does (signed, Slack's headers)."""

    url: str
    http: aiohttp.ClientSession

    async def _post(self, request: sr.SlackRequest) -> Reply:
        async with self.http.post(self.url, data=request.body, headers=request.headers) as response:
            return Reply(response.status, await response.text())

    async def event(self, payload: dict[str, Any], **sign: Any) -> Reply:
        return await self._post(sr.signed_event(payload, SECRET, **sign))

    async def command(self, fields: dict[str, str], **sign: Any) -> Reply:
        return await self._post(sr.signed_command(fields, SECRET, **sign))

    async def interaction(self, payload: dict[str, Any], **sign: Any) -> Reply:
        return await self._post(sr.signed_interaction(payload, SECRET, **sign))

    async def raw(self, body: bytes, headers: Mapping[str, str]) -> Reply:
        return await self._post(sr.SlackRequest(body, dict(headers)))


@dataclass
class SocketTransport:
    """Pushes envelopes down the mock's Socket Mode websocket and waits for each ack."""

    mock: SlackMock

    async def event(self, payload: dict[str, Any], retry_attempt: int | None = None, **_: Any) -> Any:
        reason = "timeout" if retry_attempt else None
        envelope = await self.mock.push_envelope(
            "events_api", payload, retry_attempt=retry_attempt, retry_reason=reason
        )
        return (await self.mock.wait_for_ack(envelope)).payload

    async def command(self, fields: dict[str, str], **_: Any) -> Any:
        envelope = await self.mock.push_envelope("slash_commands", fields)
        return (await self.mock.wait_for_ack(envelope)).payload

    async def interaction(self, payload: dict[str, Any], **_: Any) -> Any:
        envelope = await self.mock.push_envelope("interactive", payload)
        return (await self.mock.wait_for_ack(envelope)).payload


@dataclass
class SlackWorld:
    mock: SlackMock
    runtime: Runtime
    adapter: SlackAdapter
    transport: Transport
    root: str = ""

    async def settle(self) -> None:
        await self.adapter.settle()

    def worker(self, user: str = sr.USER_ID) -> Worker:
        return Worker(self, user)


async def _serve(app: web.Application) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
    await runner.setup()
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    await web.SockSite(runner, sock).start()
    return runner, f"http://127.0.0.1:{sock.getsockname()[1]}"


@contextlib.asynccontextmanager
async def serve_slack(
    mock: SlackMock, settings: Settings, clock: Callable[[], datetime] | None = None
) -> AsyncIterator[SlackWorld]:
    async with open_runtime(settings) as opened:
        runtime = with_clock(opened, clock)
        app = build_app(runtime)
        runner, root = await _serve(app)
        try:
            async with aiohttp.ClientSession() as http:
                transport = HttpTransport(f"{root}/slack/events", http)
                yield SlackWorld(mock, runtime, app[SLACK_ADAPTER], transport, root)
        finally:
            await runner.cleanup()


@contextlib.asynccontextmanager
async def socket_world(
    mock: SlackMock, settings: Settings, clock: Callable[[], datetime] | None = None
) -> AsyncIterator[SlackWorld]:
    async with open_runtime(settings) as opened:
        runtime = with_clock(opened, clock)
        async with socket_mode(runtime) as adapter:
            yield SlackWorld(mock, runtime, adapter, SocketTransport(mock))


# ---------------------------------------------------------------------- reading messages


def buttons(message: Mapping[str, Any]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(actions block, button) pairs of a posted message, in order."""
    found = []
    for block in message.get("blocks", []):
        if block.get("type") == "actions":
            found.extend((block, element) for element in block["elements"] if element["type"] == "button")
        elif isinstance(block.get("accessory"), dict) and block["accessory"].get("type") == "button":
            found.append((block, block["accessory"]))
    return found


def question_of(message: Mapping[str, Any]) -> tuple[str, str] | None:
    for block in message.get("blocks", []):
        block_id = str(block.get("block_id", ""))
        if block.get("type") == "actions" and block_id.startswith("reflect:"):
            _, kind, step, _n = block_id.split(":")
            return kind, step
    return None


def visible_text(message: Mapping[str, Any]) -> str:
    """What a person reads: header and section texts, in order (entities left as sent)."""
    parts = [
        block["text"]["text"]
        for block in message.get("blocks", [])
        if block.get("type") in ("section", "header") and isinstance(block.get("text"), dict)
    ]
    return "\n".join(parts) if parts else str(message.get("text", ""))


@dataclass
class Worker:
    world: SlackWorld
    user: str
    team: str = sr.TEAM_ID
    sent: list[dict[str, Any]] = field(default_factory=list)

    @property
    def mock(self) -> SlackMock:
        return self.world.mock

    @property
    def dm(self) -> str:
        return self.mock.dm_channel(self.user)

    @property
    def key(self) -> ConversationKey:
        return ConversationKey("slack", self.team, self.dm, self.user)

    @property
    def owner(self) -> str:
        return owner_of(self.key)

    def messages(self) -> list[dict[str, Any]]:
        return self.mock.messages_in(self.dm)

    def texts(self) -> list[str]:
        return [visible_text(m) for m in self.messages()]

    # ------------------------------------------------------------------ acting

    async def say(self, text: str, *, thread_ts: str | None = None, **sign: Any) -> list[dict[str, Any]]:
        """Type a DM; returns the bot messages posted in reply."""
        payload = sr.message_event(text, user=self.user, channel=self.dm, thread_ts=thread_ts)
        return await self.deliver(payload, **sign)

    async def deliver(self, payload: dict[str, Any], **sign: Any) -> list[dict[str, Any]]:
        before = len(self.messages())
        self.sent.append(payload)
        await self.world.transport.event(payload, **sign)
        await self.world.settle()
        return self.messages()[before:]

    async def command(self, text: str = "", **fields: Any) -> Any:
        ack = await self.world.transport.command(sr.slash_command(text, user_id=self.user, **fields))
        await self.world.settle()
        return ack

    def find_button(
        self, value: str, *, exact: bool = False
    ) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
        """The newest posted message with a button whose value is (or starts with) `value`."""
        for message in reversed(self.messages()):
            for block, element in buttons(message):
                candidate = str(element.get("value", ""))
                if candidate == value or (not exact and candidate.startswith(value)):
                    return message, block, element
        raise AssertionError(f"no button {value!r} in the DM; last texts: {self.texts()[-2:]}")

    def click_payload(self, value: str, *, exact: bool = False) -> dict[str, Any]:
        message, block, element = self.find_button(value, exact=exact)
        return sr.block_actions(
            element["action_id"],
            element["value"],
            block_id=block["block_id"],
            text=element["text"]["text"],
            user_id=self.user,
            channel_id=self.dm,
            message_ts=message["ts"],
            message_text=message["text"],
            message_blocks=message["blocks"],
            thread_ts=message.get("thread_ts"),
        )

    async def click(self, value: str, *, exact: bool = False) -> list[dict[str, Any]]:
        before = len(self.messages())
        await self.world.transport.interaction(self.click_payload(value, exact=exact))
        await self.world.settle()
        return self.messages()[before:]

    # ------------------------------------------------------------------ reading

    def question(self) -> tuple[str, str] | None:
        """(kind, step id) of the newest question in the DM."""
        for message in reversed(self.messages()):
            found = question_of(message)
            if found is not None:
                return found
        return None

    async def answer_until_done(self, script: Mapping[tuple[str, str], Any], limit: int = 80) -> None:
        """Answer each question from `script` (kind, step) -> text or list of texts (used in
        order) or ("click", value); unknown questions are skipped. Stops when a note arrives."""
        queues = {key: list(value) if isinstance(value, list) else [value] for key, value in script.items()}
        for _ in range(limit):
            if any(m["text"].startswith("Your supervision note") for m in self.messages()[-3:]):
                return
            asked = self.question()
            assert asked is not None, f"no question in the DM: {self.texts()[-2:]}"
            queue = queues.get(asked) or queues.get(("*", asked[1]))
            answer = (queue.pop(0) if len(queue) > 1 else queue[0]) if queue else "skip"
            if isinstance(answer, tuple) and answer[0] == "click":
                await self.click(answer[1])
            else:
                await self.say(str(answer))
        raise AssertionError(f"the reflection did not finish within {limit} answers; at {self.question()}")

    def note_messages(self) -> list[dict[str, Any]]:
        return [m for m in self.messages() if m["text"].startswith("Your supervision note")]
