"""Run the real server (`bot.server.build_app`) with Teams on, and a stand-in for Teams' connector.

* `Connector` is a small aiohttp server playing the serviceUrl Teams puts in every activity:
  it records each activity the bot posts (replies and proactive sends) and answers 200, or
  whatever statuses a test queued (403, 429, 500...).
* `serve_teams(settings)` opens the real runtime (SQLite file, migrations), serves the real
  app on a free loopback port and yields a `TeamsWorld`; `post()` sends an activity to
  POST /api/messages exactly as Teams would (JSON, optional Authorization header).
"""

from __future__ import annotations

import contextlib
import json
import socket
from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

from bot.adapters.teams.http import TEAMS_BOT, TeamsBot
from bot.config import Settings
from bot.runtime import Runtime, open_runtime
from bot.server import build_app


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Posted:
    path: str
    body: dict[str, Any]

    @property
    def text(self) -> str:
        return str(self.body.get("text") or "")

    @property
    def card(self) -> dict[str, Any] | None:
        for attachment in self.body.get("attachments") or []:
            if attachment.get("contentType") == "application/vnd.microsoft.card.adaptive":
                return dict(attachment["content"])
        return None

    def actions(self) -> list[dict[str, Any]]:
        card = self.card or {}
        return [a for row in card.get("body", []) for a in row.get("actions", [])] + card.get("actions", [])

    def button_values(self) -> list[str]:
        """The engine values of our answer buttons (not the "larger box" dialog button)."""
        return [a["data"]["action"] for a in self.actions() if "action" in a.get("data", {})]

    def button(self, title: str) -> dict[str, Any]:
        return next(a for a in self.actions() if a.get("title", "").lower().startswith(title.lower()))


@dataclass(frozen=True)
class Upload:
    path: str
    headers: dict[str, str]
    data: bytes


@dataclass
class Connector:
    """Teams' side of replies: POST {serviceUrl}/v3/conversations/{id}/activities[/{replyTo}]."""

    port: int = 0
    posted: list[Posted] = field(default_factory=list)
    queued: deque[tuple[int, dict[str, str]]] = field(default_factory=deque)
    requests: int = 0
    # OneDrive's side of the file consent flow: PUT {upload_url} with the file's bytes
    uploads: list[Upload] = field(default_factory=list)
    upload_failures: deque[tuple[int, dict[str, str]]] = field(default_factory=deque)

    created: list[dict[str, Any]] = field(default_factory=list)  # POST v3/conversations bodies
    refuse_create: int | None = None  # e.g. 403: "the app is not installed for this user"

    async def _create(self, request: web.Request) -> web.Response:
        if self.refuse_create is not None:
            return web.json_response(
                {"error": {"code": "BotNotInConversationRoster"}}, status=self.refuse_create
            )
        self.created.append(await request.json())
        return web.json_response({"id": f"a:created-personal-{len(self.created)}"}, status=201)

    def upload_url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.port}/_upload/{name}"

    async def _upload(self, request: web.Request) -> web.Response:
        if self.upload_failures:
            status, headers = self.upload_failures.popleft()
            return web.json_response({"error": {"code": "Throttled"}}, status=status, headers=headers)
        self.uploads.append(Upload(request.path, dict(request.headers), await request.read()))
        return web.json_response({"id": "drive-item-1"}, status=201)

    @property
    def service_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/_connector/"

    def fail_next(self, *statuses: int, headers: dict[str, str] | None = None) -> None:
        for status in statuses:
            self.queued.append((status, headers or {}))

    async def _activities(self, request: web.Request) -> web.Response:
        self.requests += 1
        status, headers = self.queued.popleft() if self.queued else (200, {})
        if status >= 300:  # a queued 200 lets that one request through
            return web.json_response({"error": {"code": "Refused"}}, status=status, headers=headers)
        body = await request.json()
        self.posted.append(Posted(request.path, body))
        return web.json_response({"id": f"reply-{len(self.posted)}"})

    def texts(self) -> list[str]:
        return [p.text for p in self.posted]

    def clear(self) -> None:
        self.posted.clear()
        self.requests = 0


@contextlib.asynccontextmanager
async def run_connector() -> AsyncIterator[Connector]:
    connector = Connector()
    app = web.Application()
    app.router.add_post("/_connector/v3/conversations/{conversation}/activities", connector._activities)
    app.router.add_post(
        "/_connector/v3/conversations/{conversation}/activities/{reply_to}", connector._activities
    )
    app.router.add_put("/_upload/{name}", connector._upload)
    app.router.add_post("/_connector/v3/conversations", connector._create)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    connector.port = free_port()
    await web.TCPSite(runner, "127.0.0.1", connector.port).start()
    try:
        yield connector
    finally:
        await runner.cleanup()


@dataclass
class TeamsWorld:
    url: str  # http://127.0.0.1:PORT
    runtime: Runtime
    app: web.Application
    http: aiohttp.ClientSession

    @property
    def bot(self) -> TeamsBot:
        return self.app[TEAMS_BOT]

    async def post(self, activity: dict[str, Any], headers: dict[str, str] | None = None) -> int:
        async with self.http.post(
            f"{self.url}/api/messages", json=activity, headers=headers or {}
        ) as response:
            await response.read()
            return response.status

    async def invoke(self, activity: dict[str, Any]) -> tuple[int, Any]:
        """Post an invoke as Teams does; its status and the JSON body of the invoke response."""
        async with self.http.post(f"{self.url}/api/messages", json=activity) as response:
            raw = await response.read()
            return response.status, json.loads(raw) if raw else None


def teams_settings(database: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": f"sqlite:///{database}",
        "teams_allow_anonymous": True,
        "microsoft_app_id": None,
        "microsoft_app_password": None,
        "microsoft_app_tenant_id": None,
        "slack_bot_token": None,
        "log_format": "console",
        **overrides,
    }
    return Settings(**values)


@contextlib.asynccontextmanager
async def serve_teams(settings: Settings) -> AsyncIterator[TeamsWorld]:
    async with open_runtime(settings) as runtime:
        app = build_app(runtime)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        port = free_port()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        try:
            async with aiohttp.ClientSession() as http:
                yield TeamsWorld(url=f"http://127.0.0.1:{port}", runtime=runtime, app=app, http=http)
        finally:
            await runner.cleanup()


async def say(world: TeamsWorld, connector: Connector, text: str, **kw: Any) -> int:
    """A message typed in the personal chat (or wherever `kw` says), answered via `connector`."""
    from tests.adapters.teams.activities import activity

    return await world.post(activity(text=text, service_url=connector.service_url, **kw))


async def no_sleep(_seconds: float) -> None:
    """Retries in tests wait for nothing (the delay rule is checked where it matters)."""
