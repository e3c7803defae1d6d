"""A local stand-in for the Slack Web API and Socket Mode, for tests and benchmarks.

It is a real aiohttp server on 127.0.0.1 (a free port). Point the real
`slack_sdk.web.async_client.AsyncWebClient` at it with `base_url=mock.base_url` (or set
`SLACK_API_URL`) and the SDK talks to it exactly as it talks to slack.com:

    async with SlackMock(bot_token="xoxb-test", app_token="xapp-test") as mock:
        client = AsyncWebClient(token="xoxb-test", base_url=mock.base_url)
        await client.chat_postMessage(channel="D0DM000001", text="hi")
        [call] = mock.calls_for("chat.postMessage")
        assert call.params["text"] == "hi"

What it does like Slack:
* `/api/<method>` accepts GET query strings, form-encoded, multipart and JSON bodies; the
  token comes from `Authorization: Bearer` (or a `token` form/query field). Missing ->
  `not_authed`, wrong -> `invalid_auth`, bot token on apps.connections.open (or the app
  token elsewhere) -> `not_allowed_token_type`.
* Responses have Slack's shapes: `ok`, `error`, `ts`, `channel`, `message`, `view`,
  `response_metadata` (with `messages` on `invalid_blocks` / `invalid_arguments`), HTTP 200
  for API errors, HTTP 429 + `Retry-After` + `ratelimited` when rate limited.
* Documented Block Kit / view limits are checked (block counts, text lengths, duplicate
  block_id, modal title <= 24 chars), so a payload real Slack would reject fails here too.
* State: posted messages (`mock.messages`), views, published home tabs, users (with `tz`
  and `tz_offset`), uploaded files (`files.getUploadURLExternal` returns an upload URL this
  server serves; `files.completeUploadExternal` shares the file).
* `response_url`s from `mock.response_url()` accept the posts Bolt's `respond()` makes.
* Socket Mode: `apps.connections.open` (app token) returns `ws://127.0.0.1:PORT/socket?...`;
  the websocket sends `hello`, `push_envelope()` delivers envelopes and the client's acks
  are recorded (`wait_for_ack`).

* OAuth installs (many workspaces, one process): `oauth_app(client_id, client_secret)`, then
  `install_code(team_id, ...)` is the code Slack would put on the redirect after someone
  approved the install; `oauth.v2.access` (client id and secret in HTTP Basic auth, as
  slack_sdk sends them) exchanges it once for a rotating bot token (`xoxe.xoxb-...`, with
  `refresh_token` and `expires_in`), and `grant_type=refresh_token` swaps a refresh token for
  a new pair. Each issued token belongs to its workspace: `auth.test` answers for it, a call
  with an expired one fails `token_expired`, and every call records the token it used.

Every call is recorded in order (`mock.calls`: method, params, timestamp, status, response).
Faults: `fail_next(method, status=429, retry_after=1, times=1)` or
`fail_next(method, error="not_in_channel")`; `set_latency(seconds, method)` slows replies.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import inspect
import itertools
import json
import re
import socket
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import WSCloseCode, WSMsgType, web

from tests.support.slack_requests import (
    APP_ID,
    BOT_ID,
    BOT_USER_ID,
    DM_CHANNEL_ID,
    TEAM_DOMAIN,
    TEAM_ID,
    USER_ID,
    new_ts,
)

UPLOAD = "upload"  # the method name recorded for a POST to an upload URL
RESPONSE_URL = "response_url"  # the method name recorded for a POST to a response_url
APP_TOKEN_METHODS = frozenset({"apps.connections.open"})
JSON_FIELDS = frozenset({"blocks", "attachments", "view", "files", "metadata", "user_auth_blocks"})

Handler = Callable[[dict[str, Any]], "dict[str, Any] | Awaitable[dict[str, Any]]"]


class SlackError(Exception):
    """Raised by a method handler: becomes `{"ok": false, "error": ...}`."""

    def __init__(self, error: str, *, status: int = 200, messages: list[str] | None = None, **extra: Any):
        super().__init__(error)
        self.error = error
        self.status = status
        self.messages = messages or []
        self.extra = extra


@dataclass
class SlackCall:
    """One HTTP request the mock received, in arrival order."""

    method: str
    params: dict[str, Any]
    timestamp: float  # time.time() at arrival
    monotonic: float  # time.monotonic() at arrival, for latency maths
    token: str | None
    content_type: str
    status: int = 0
    response: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status == 200 and self.response.get("ok") is True

    @property
    def error(self) -> str | None:
        return self.response.get("error")


@dataclass
class SocketAck:
    envelope_id: str
    payload: dict[str, Any] | None
    timestamp: float
    raw: dict[str, Any]


@dataclass
class UploadedFile:
    file_id: str
    filename: str
    length: int
    upload_id: str
    content: bytes | None = None
    title: str | None = None
    channel_id: str | None = None
    initial_comment: str | None = None
    thread_ts: str | None = None
    completed: bool = False


@dataclass
class IssuedToken:
    """A bot token issued by `oauth.v2.access`, and the workspace it speaks for."""

    token: str
    team_id: str | None
    team_name: str | None
    enterprise_id: str | None
    enterprise_name: str | None
    org_wide: bool
    bot_user_id: str
    expires_at: float
    refresh_token: str


@dataclass
class _Grant:
    team_id: str | None
    team_name: str | None
    enterprise_id: str | None
    enterprise_name: str | None
    org_wide: bool
    installer: str
    expires_in: int
    bot_user_id: str


@dataclass
class _Fault:
    status: int
    error: str
    retry_after: int | None
    remaining: int


class SlackMock:
    def __init__(
        self,
        bot_token: str = "xoxb-test-token",
        app_token: str | None = "xapp-test-token",
        *,
        team_id: str = TEAM_ID,
        app_id: str = APP_ID,
        bot_user_id: str = BOT_USER_ID,
        bot_id: str = BOT_ID,
        default_tz: str = "Europe/London",
    ) -> None:
        self.bot_token = bot_token
        self.app_token = app_token
        self.team_id = team_id
        self.app_id = app_id
        self.bot_user_id = bot_user_id
        self.bot_id = bot_id
        self.default_tz = default_tz

        self.calls: list[SlackCall] = []
        self.messages: list[dict[str, Any]] = []  # posted (and updated in place) messages
        self.ephemeral: list[dict[str, Any]] = []
        self.views: dict[str, dict[str, Any]] = {}  # view id -> view (modals and home tabs)
        self.home_views: dict[str, dict[str, Any]] = {}  # user id -> published home view
        self.users: dict[str, dict[str, Any]] = {}
        self.files: dict[str, UploadedFile] = {}
        self.envelopes: list[dict[str, Any]] = []  # pushed over Socket Mode
        self.acks: list[SocketAck] = []
        self.socket_messages: list[Any] = []  # everything the socket client sent
        self.socket_connections_opened = 0

        self._faults: dict[str, list[_Fault]] = {}
        self._latency: dict[str | None, float] = {}
        self._handlers: dict[str, Handler] = {}
        self._dms: dict[str, str] = {USER_ID: DM_CHANNEL_ID}
        self._tickets: set[str] = set()
        self._sockets: list[web.WebSocketResponse] = []
        self._uploads: dict[str, str] = {}  # upload id -> file id
        self._ids = itertools.count(1)
        self.client_id: str | None = None
        self.client_secret: str | None = None
        self._caller: str | None = None  # the token of the call being answered
        self.token_lifetime = 12 * 3600  # seconds, for tokens issued by a refresh
        self.tokens: dict[str, IssuedToken] = {}  # access token -> what it speaks for
        self._codes: dict[str, _Grant] = {}
        self._refresh: dict[str, IssuedToken] = {}  # refresh token -> the token it renews
        self._cond: asyncio.Condition | None = None
        self._runner: web.AppRunner | None = None
        self.port = 0

    # ------------------------------------------------------------------ lifecycle

    @property
    def root_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        """What to give AsyncWebClient(base_url=...) or SLACK_API_URL; ends with `/api/`."""
        return f"{self.root_url}/api/"

    async def start(self) -> SlackMock:
        self._cond = asyncio.Condition()
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/upload/v1/{upload_id}", self._upload)
        app.router.add_post("/hooks/{path:.*}", self._response_url)
        app.router.add_get("/socket", self._socket)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        await web.SockSite(self._runner, sock).start()
        return self

    async def stop(self) -> None:
        for ws in list(self._sockets):
            with contextlib.suppress(Exception):
                await ws.close(code=WSCloseCode.GOING_AWAY, message=b"mock stopping")
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> SlackMock:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # ------------------------------------------------------------------ test controls

    def calls_for(self, method: str, *, ok_only: bool = False) -> list[SlackCall]:
        return [c for c in self.calls if c.method == method and (c.ok or not ok_only)]

    def clear(self) -> None:
        """Forget recorded calls, acks and envelopes (state such as messages is kept)."""
        self.calls.clear()
        self.acks.clear()
        self.envelopes.clear()
        self.socket_messages.clear()

    def fail_next(
        self,
        method: str,
        status: int | None = None,
        retry_after: int | None = 1,
        *,
        error: str | None = None,
        times: int = 1,
    ) -> None:
        """Make the next `times` calls of `method` fail (after the token check).

        * default / `status=429`: HTTP 429, `Retry-After: retry_after`, error `ratelimited`;
        * `error="not_in_channel"` (any Slack error code): HTTP 200 with `ok: false`;
        * another `status` (500, 503...): that HTTP status with `error` or `internal_error`.
        """
        if status is None:
            status = 200 if error else 429
        if error is None:
            error = "ratelimited" if status == 429 else ("internal_error" if status >= 500 else "fatal_error")
        fault = _Fault(status, error, retry_after if status == 429 else None, times)
        self._faults.setdefault(method, []).append(fault)

    def set_latency(self, seconds: float, method: str | None = None) -> None:
        """Delay replies to `method` (or to every method when None) by `seconds`."""
        self._latency[method] = seconds

    def set_handler(self, method: str, handler: Handler) -> None:
        """Replace or add a method. `handler(params)` returns the response dict (sync or
        async); raise `SlackError` for an `ok: false` reply."""
        self._handlers[method] = handler

    def add_user(
        self,
        user_id: str,
        *,
        name: str | None = None,
        real_name: str | None = None,
        tz: str | None = None,
        is_bot: bool = False,
        deleted: bool = False,
    ) -> dict[str, Any]:
        """Define a user as users.info returns it; `tz_offset`/`tz_label` follow `tz` now."""
        tz = tz or self.default_tz
        now = datetime.now(ZoneInfo(tz))
        offset = now.utcoffset()
        abbrev = now.tzname() or ""
        label = {"GMT": "Greenwich Mean Time", "BST": "British Summer Time"}.get(abbrev, abbrev)
        name = name or user_id.lower()
        user = {
            "id": user_id,
            "team_id": self.team_id,
            "name": name,
            "deleted": deleted,
            "color": "9f69e7",
            "real_name": real_name or name,
            "tz": tz,
            "tz_label": label,
            "tz_offset": int(offset.total_seconds()) if offset else 0,
            "profile": {
                "real_name": real_name or name,
                "display_name": name,
                "real_name_normalized": real_name or name,
                "display_name_normalized": name,
                "team": self.team_id,
            },
            "is_admin": False,
            "is_owner": False,
            "is_bot": is_bot,
            "is_app_user": False,
            "updated": int(time.time()),
        }
        self.users[user_id] = user
        return user

    def oauth_app(self, client_id: str, client_secret: str) -> None:
        """The app's credentials, as on its Basic Information page."""
        self.client_id, self.client_secret = client_id, client_secret

    def install_code(
        self,
        team_id: str | None,
        *,
        team_name: str | None = None,
        enterprise_id: str | None = None,
        enterprise_name: str | None = None,
        org_wide: bool = False,
        installer: str = "U0ADMIN001",
        expires_in: int = 12 * 3600,
        bot_user_id: str | None = None,
    ) -> str:
        """The `code` Slack puts on the redirect once someone approved the install (an org-wide
        install has `team_id=None` and `org_wide=True`)."""
        code = f"{next(self._ids)}.{uuid.uuid4().hex}"
        self._codes[code] = _Grant(
            team_id,
            team_name or (f"Workspace {team_id}" if team_id else None),
            enterprise_id,
            enterprise_name or (f"Org {enterprise_id}" if enterprise_id else None),
            org_wide,
            installer,
            expires_in,
            bot_user_id or self.bot_user_id,
        )
        return code

    def tokens_for(self, team_id: str | None = None, enterprise_id: str | None = None) -> list[str]:
        """Tokens issued for a workspace (or an org-wide install), oldest first."""
        return [
            t.token for t in self.tokens.values() if t.team_id == team_id and t.enterprise_id == enterprise_id
        ]

    def dm_channel(self, user_id: str) -> str:
        """The DM channel id between the bot and `user_id` (stable per user)."""
        if user_id not in self._dms:
            self._dms[user_id] = "D" + user_id[1:]
        return self._dms[user_id]

    def response_url(self) -> str:
        """A response_url served by this mock (posts are recorded as method "response_url")."""
        return f"{self.root_url}/hooks/commands/{self.team_id}/{next(self._ids)}/{uuid.uuid4().hex[:24]}"

    def messages_in(self, channel: str) -> list[dict[str, Any]]:
        return [m for m in self.messages if m["channel"] == channel]

    # ------------------------------------------------------------------ waiting

    async def _notify(self) -> None:
        assert self._cond is not None
        async with self._cond:
            self._cond.notify_all()

    async def _wait(self, predicate: Callable[[], Any], timeout: float, what: str) -> Any:
        assert self._cond is not None
        try:
            async with self._cond:
                await asyncio.wait_for(self._cond.wait_for(predicate), timeout)
        except TimeoutError:
            seen = ", ".join(f"{c.method}:{c.status}" for c in self.calls) or "none"
            raise TimeoutError(f"timed out after {timeout}s waiting for {what}; calls seen: {seen}") from None
        return predicate()

    async def wait_for_calls(
        self, method: str, n: int = 1, timeout: float = 5.0, *, ok_only: bool = False
    ) -> list[SlackCall]:
        """Wait until at least `n` calls of `method` were recorded; returns the first `n`."""

        def enough() -> list[SlackCall] | None:
            calls = self.calls_for(method, ok_only=ok_only)
            return calls[:n] if len(calls) >= n else None

        result: list[SlackCall] = await self._wait(enough, timeout, f"{n} x {method}")
        return result

    async def wait_for_socket(self, timeout: float = 5.0) -> web.WebSocketResponse:
        def open_socket() -> web.WebSocketResponse | None:
            live = [ws for ws in self._sockets if not ws.closed]
            return live[-1] if live else None

        ws: web.WebSocketResponse = await self._wait(open_socket, timeout, "a Socket Mode connection")
        return ws

    async def wait_for_ack(self, envelope_id: str, timeout: float = 5.0) -> SocketAck:
        def find() -> SocketAck | None:
            return next((a for a in self.acks if a.envelope_id == envelope_id), None)

        ack: SocketAck = await self._wait(find, timeout, f"the ack of envelope {envelope_id}")
        return ack

    # ------------------------------------------------------------------ Socket Mode controls

    async def push_envelope(
        self,
        type: str,
        payload: dict[str, Any],
        *,
        envelope_id: str | None = None,
        accepts_response_payload: bool | None = None,
        retry_attempt: int | None = None,
        retry_reason: str | None = None,
        timeout: float = 5.0,
    ) -> str:
        """Send an envelope (`events_api`, `slash_commands`, `interactive`) to the newest
        Socket Mode connection, waiting for one if needed. Returns its envelope_id.

        Like Slack: `accepts_response_payload` is False for events_api and True otherwise
        unless given; events_api envelopes carry `retry_attempt` (0 first time) and
        `retry_reason` ("" first time, e.g. "timeout" on redelivery)."""
        ws = await self.wait_for_socket(timeout)
        envelope_id = envelope_id or str(uuid.uuid4())
        if accepts_response_payload is None:
            accepts_response_payload = type != "events_api"
        envelope: dict[str, Any] = {
            "envelope_id": envelope_id,
            "payload": payload,
            "type": type,
            "accepts_response_payload": accepts_response_payload,
        }
        if type == "events_api" or retry_attempt is not None:
            envelope["retry_attempt"] = retry_attempt or 0
            envelope["retry_reason"] = retry_reason or ""
        self.envelopes.append(envelope)
        await ws.send_str(json.dumps(envelope))
        return envelope_id

    async def disconnect_socket(self, reason: str = "refresh_requested") -> None:
        """Send Slack's `disconnect` message to every connection (clients reconnect)."""
        for ws in list(self._sockets):
            if not ws.closed:
                await ws.send_json({"type": "disconnect", "reason": reason, "debug_info": {"host": "mock"}})

    # ------------------------------------------------------------------ HTTP plumbing

    async def _read_params(self, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = dict(request.query)
        if request.method == "POST" and request.body_exists:
            ctype = request.content_type
            if ctype == "application/json":
                try:
                    body = json.loads(await request.read() or b"{}")
                except ValueError:
                    raise SlackError("invalid_json") from None
                if not isinstance(body, dict):
                    raise SlackError("invalid_json")
                params.update(body)
            elif ctype in ("application/x-www-form-urlencoded", "multipart/form-data"):
                form = await request.post()
                for key, value in form.items():
                    if isinstance(value, web.FileField):
                        params[key] = {
                            "filename": value.filename,
                            "content_type": value.content_type,
                            "content": value.file.read(),
                        }
                    else:
                        params[key] = value
            else:
                raw = await request.read()
                if raw:
                    params["_raw"] = raw
        for key in JSON_FIELDS & params.keys():
            value = params[key]
            if isinstance(value, str) and value[:1] in "[{":
                with contextlib.suppress(ValueError):
                    params[key] = json.loads(value)
        return params

    async def _record(self, call: SlackCall) -> None:
        self.calls.append(call)
        await self._notify()

    async def _delay(self, method: str) -> None:
        delay = self._latency.get(method, self._latency.get(None, 0.0))
        if delay:
            await asyncio.sleep(delay)

    def _take_fault(self, method: str) -> _Fault | None:
        faults = self._faults.get(method)
        if not faults:
            return None
        fault = faults[0]
        fault.remaining -= 1
        if fault.remaining <= 0:
            faults.pop(0)
        return fault

    def _check_token(self, method: str, token: str | None) -> None:
        if not token:
            raise SlackError("not_authed")
        if method in APP_TOKEN_METHODS:
            if token == self.app_token:
                return
            raise SlackError("not_allowed_token_type" if token == self.bot_token else "invalid_auth")
        if token == self.bot_token:
            return
        issued = self.tokens.get(token)
        if issued is not None:
            if issued.expires_at <= time.time():
                raise SlackError("token_expired")
            return
        raise SlackError("not_allowed_token_type" if token == self.app_token else "invalid_auth")

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        call = SlackCall(
            method=method,
            params={},
            timestamp=time.time(),
            monotonic=time.monotonic(),
            token=None,
            content_type=request.content_type,
            headers=dict(request.headers),
        )
        headers = {"X-Slack-Req-Id": uuid.uuid4().hex}
        try:
            params = await self._read_params(request)
            auth = request.headers.get("Authorization", "")
            token = auth[7:].strip() if auth.lower().startswith("bearer ") else params.pop("token", None)
            call.params, call.token = params, token
            await self._delay(method)
            if method == "oauth.v2.access":  # the app's own credentials, not a token
                self._check_client(auth, params)
            else:
                self._check_token(method, token)
            fault = self._take_fault(method)
            if fault is not None:
                if fault.retry_after is not None:
                    headers["Retry-After"] = str(fault.retry_after)
                raise SlackError(fault.error, status=fault.status)
            handler = self._handlers.get(method) or getattr(self, "_m_" + method.replace(".", "_"), None)
            if handler is None:
                raise SlackError("unknown_method", status=404, req_method=method)
            self._caller = token
            result = handler(params)
            if inspect.isawaitable(result):
                result = await result
            status, body = 200, {"ok": True, **result}
        except SlackError as e:
            status, body = e.status, {"ok": False, "error": e.error, **e.extra}
            if e.messages:
                body["response_metadata"] = {"messages": e.messages}
        call.status, call.response = status, body
        await self._record(call)
        return web.json_response(body, status=status, headers=headers)

    async def _upload(self, request: web.Request) -> web.Response:
        upload_id = request.match_info["upload_id"]
        data = await request.read()
        call = SlackCall(
            method=UPLOAD,
            params={"upload_id": upload_id, "length": len(data)},
            timestamp=time.time(),
            monotonic=time.monotonic(),
            token=None,
            content_type=request.content_type,
            headers=dict(request.headers),
        )
        file_id = self._uploads.get(upload_id)
        if file_id is None:
            call.status, call.response = 404, {"ok": False, "error": "not_found"}
            await self._record(call)
            return web.Response(status=404, text="Not Found", content_type="text/plain")
        if request.content_type == "multipart/form-data":
            # Some clients post the bytes as a multipart field instead of the raw body.
            form = await request.post()
            field_value = next(iter(form.values()), b"")
            if isinstance(field_value, web.FileField):
                data = field_value.file.read()
            else:
                data = field_value.encode() if isinstance(field_value, str) else bytes(field_value)
        self.files[file_id].content = data
        call.params["file_id"] = file_id
        call.status, call.response = 200, {"ok": True}
        await self._record(call)
        return web.Response(status=200, text=f"OK - {len(data)}", content_type="text/plain")

    async def _response_url(self, request: web.Request) -> web.Response:
        raw = await request.read()
        try:
            params = json.loads(raw) if raw else {}
        except ValueError:
            params = {"_raw": raw}
        params["_path"] = request.match_info["path"]
        call = SlackCall(
            method=RESPONSE_URL,
            params=params,
            timestamp=time.time(),
            monotonic=time.monotonic(),
            token=None,
            content_type=request.content_type,
            status=200,
            response={"ok": True},
            headers=dict(request.headers),
        )
        await self._record(call)
        return web.json_response({"ok": True})

    async def _socket(self, request: web.Request) -> web.StreamResponse:
        if request.query.get("ticket") not in self._tickets:
            return web.Response(status=401, text="invalid ticket")
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        self._sockets.append(ws)
        self.socket_connections_opened += 1
        await ws.send_json(
            {
                "type": "hello",
                "num_connections": len([s for s in self._sockets if not s.closed]),
                "debug_info": {
                    "host": "applink-mock",
                    "build_number": 1,
                    "approximate_connection_time": 18060,
                },
                "connection_info": {"app_id": self.app_id},
            }
        )
        await self._notify()
        try:
            async for msg in ws:
                if msg.type != WSMsgType.TEXT:
                    continue
                try:
                    data = json.loads(msg.data)
                except ValueError:
                    self.socket_messages.append(msg.data)
                    continue
                self.socket_messages.append(data)
                if isinstance(data, dict) and "envelope_id" in data:
                    self.acks.append(SocketAck(data["envelope_id"], data.get("payload"), time.time(), data))
                await self._notify()
        finally:
            self._sockets.remove(ws)
            await self._notify()
        return ws

    # ------------------------------------------------------------------ helpers for methods

    def _new_id(self, prefix: str) -> str:
        return f"{prefix}0{next(self._ids):08d}"

    def _channel(self, params: dict[str, Any], key: str = "channel") -> str:
        channel = params.get(key)
        if not channel:
            raise SlackError("channel_not_found")
        channel = str(channel)
        if channel[0] in "UW":
            return self.dm_channel(channel)
        if channel[0] not in "CDG":
            raise SlackError("channel_not_found")
        return channel

    def _user(self, user_id: str) -> dict[str, Any]:
        if user_id in self.users:
            return self.users[user_id]
        if not re.fullmatch(r"[UW][A-Z0-9]{2,}", user_id):
            raise SlackError("user_not_found")
        return self.add_user(user_id, is_bot=user_id == self.bot_user_id)

    def _message_body(self, params: dict[str, Any], ts: str, channel: str) -> dict[str, Any]:
        text = params.get("text")
        blocks = params.get("blocks")
        attachments = params.get("attachments")
        if not text and not blocks and not attachments:
            raise SlackError("no_text")
        if text and len(str(text)) > 40000:
            raise SlackError("msg_too_long")
        if blocks:
            problems = _validate_blocks(blocks, 50, "/blocks")
            if problems:
                raise SlackError("invalid_blocks", messages=problems, errors=problems)
        message = {
            "user": self.bot_user_id,
            "type": "message",
            "ts": ts,
            "bot_id": self.bot_id,
            "app_id": self.app_id,
            "text": text or "",
            "team": self.team_id,
            "channel": channel,
        }
        if blocks:
            message["blocks"] = blocks
        if attachments:
            message["attachments"] = attachments
        if params.get("thread_ts"):
            message["thread_ts"] = str(params["thread_ts"])
        metadata = params.get("metadata")
        if metadata is not None:
            if not isinstance(metadata, dict) or not isinstance(metadata.get("event_type"), str):
                raise SlackError("invalid_metadata_format")
            if not isinstance(metadata.get("event_payload", {}), dict):
                raise SlackError("invalid_metadata_format")
            message["metadata"] = {
                "event_type": metadata["event_type"],
                "event_payload": metadata.get("event_payload", {}),
            }
        return message

    def _history(
        self, messages: list[dict[str, Any]], params: dict[str, Any], newest_first: bool = True
    ) -> dict[str, Any]:
        """At most `limit` (newest first, or a thread's oldest first, as Slack orders them);
        metadata only with `include_all_metadata`."""
        try:
            limit = max(1, min(int(params.get("limit") or 100), 999))
        except (TypeError, ValueError):
            raise SlackError("invalid_limit") from None
        with_metadata = str(params.get("include_all_metadata", "")).lower() in ("true", "1")
        page = [
            {k: v for k, v in m.items() if k != "channel" and (with_metadata or k != "metadata")}
            for m in sorted(messages, key=lambda m: float(m["ts"]), reverse=newest_first)[:limit]
        ]
        return {"messages": page, "has_more": len(messages) > limit, "pin_count": 0}

    def _find_message(self, channel: str, ts: str) -> dict[str, Any]:
        for m in self.messages:
            if m["channel"] == channel and m["ts"] == ts:
                return m
        raise SlackError("message_not_found")

    def _view_arg(self, params: dict[str, Any], allowed: tuple[str, ...]) -> dict[str, Any]:
        view = params.get("view")
        if not isinstance(view, dict) or view.get("type") not in allowed:
            raise SlackError("invalid_arguments", messages=["[ERROR] missing required field: view"])
        problems = _validate_view(view)
        if problems:
            raise SlackError("invalid_arguments", messages=problems)
        return view

    def _store_view(self, view: dict[str, Any], view_id: str | None = None, **extra: Any) -> dict[str, Any]:
        view_id = view_id or self._new_id("V")
        stored = {
            "id": view_id,
            "team_id": self.team_id,
            "type": view["type"],
            "blocks": view.get("blocks", []),
            "private_metadata": view.get("private_metadata", ""),
            "callback_id": view.get("callback_id", ""),
            "state": {"values": {}},
            "hash": uuid.uuid4().hex[:16],
            "title": view.get("title"),
            "clear_on_close": bool(view.get("clear_on_close", False)),
            "notify_on_close": bool(view.get("notify_on_close", False)),
            "close": view.get("close"),
            "submit": view.get("submit"),
            "previous_view_id": None,
            "root_view_id": view_id,
            "app_id": self.app_id,
            "external_id": view.get("external_id", ""),
            "app_installed_team_id": self.team_id,
            "bot_id": self.bot_id,
            **extra,
        }
        self.views[view_id] = stored
        return stored

    # ------------------------------------------------------------------ Web API methods

    def _check_client(self, auth: str, params: dict[str, Any]) -> None:
        client_id, client_secret = params.get("client_id"), params.get("client_secret")
        if auth.lower().startswith("basic "):
            try:
                client_id, _, client_secret = base64.b64decode(auth[6:].strip()).decode().partition(":")
            except ValueError:
                raise SlackError("invalid_client_id") from None
        if self.client_id is None or client_id != self.client_id:
            raise SlackError("invalid_client_id")
        if client_secret != self.client_secret:
            raise SlackError("bad_client_secret")

    def _issue(self, grant: _Grant, expires_in: int) -> IssuedToken:
        n = next(self._ids)
        where = grant.team_id or grant.enterprise_id or "X"
        issued = IssuedToken(
            token=f"xoxe.xoxb-1-{where}-{n}-{uuid.uuid4().hex[:16]}",
            team_id=grant.team_id,
            team_name=grant.team_name,
            enterprise_id=grant.enterprise_id,
            enterprise_name=grant.enterprise_name,
            org_wide=grant.org_wide,
            bot_user_id=grant.bot_user_id,
            expires_at=time.time() + expires_in,
            refresh_token=f"xoxe-1-{n}-{uuid.uuid4().hex}",
        )
        self.tokens[issued.token] = issued
        self._refresh[issued.refresh_token] = issued
        return issued

    def _token_response(self, grant: _Grant, expires_in: int) -> dict[str, Any]:
        """oauth.v2.access's answer: a new rotating bot token for the grant's workspace."""
        issued = self._issue(grant, expires_in)
        return {
            "app_id": self.app_id,
            "scope": _SCOPES,
            "token_type": "bot",
            "access_token": issued.token,
            "bot_user_id": grant.bot_user_id,
            "refresh_token": issued.refresh_token,
            "expires_in": expires_in,
            "team": {"id": grant.team_id, "name": grant.team_name} if grant.team_id else None,
            "enterprise": (
                {"id": grant.enterprise_id, "name": grant.enterprise_name} if grant.enterprise_id else None
            ),
            "is_enterprise_install": grant.org_wide,
        }

    def _m_oauth_v2_access(self, params: dict[str, Any]) -> dict[str, Any]:
        if params.get("grant_type") == "refresh_token":
            old = self._refresh.pop(str(params.get("refresh_token") or ""), None)
            if old is None:
                raise SlackError("invalid_refresh_token")
            grant = _Grant(
                old.team_id,
                old.team_name,
                old.enterprise_id,
                old.enterprise_name,
                old.org_wide,
                "",
                self.token_lifetime,
                old.bot_user_id,
            )
            return self._token_response(grant, self.token_lifetime)
        grant = self._codes.pop(str(params.get("code") or ""), None)
        if grant is None:
            raise SlackError("invalid_code")
        return {**self._token_response(grant, grant.expires_in), "authed_user": {"id": grant.installer}}

    def _m_auth_test(self, params: dict[str, Any]) -> dict[str, Any]:
        issued = self.tokens.get(self._caller or "")
        if issued is not None:
            return {
                "url": f"https://{(issued.team_id or issued.enterprise_id or '').lower()}.slack.com/",
                "team": issued.team_name or issued.enterprise_name,
                "user": "reflect",
                "team_id": issued.team_id or issued.enterprise_id,
                "user_id": issued.bot_user_id,
                "bot_id": self.bot_id,
                "enterprise_id": issued.enterprise_id,
                "is_enterprise_install": issued.org_wide,
            }
        return {
            "url": f"https://{TEAM_DOMAIN}.slack.com/",
            "team": "Reflect Test",
            "user": "reflect",
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    def _m_apps_connections_open(self, params: dict[str, Any]) -> dict[str, Any]:
        ticket = uuid.uuid4().hex
        self._tickets.add(ticket)
        url = f"ws://127.0.0.1:{self.port}/socket?ticket={ticket}&app_id={self.app_id}"
        return {"url": url}

    def _m_chat_postMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(params)
        ts = new_ts()
        message = self._message_body(params, ts, channel)
        self.messages.append(message)
        reply = {k: v for k, v in message.items() if k != "channel"}
        return {"channel": channel, "ts": ts, "message": reply}

    def _m_chat_update(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(params)
        ts = str(params.get("ts") or "")
        if not ts:
            raise SlackError("message_not_found")
        message = self._find_message(channel, ts)
        updated = self._message_body({**params, "thread_ts": message.get("thread_ts")}, ts, channel)
        message.clear()
        message.update(updated, edited={"user": self.bot_user_id, "ts": new_ts()})
        reply = {k: v for k, v in message.items() if k not in ("channel", "edited")}
        return {"channel": channel, "ts": ts, "text": message["text"], "message": reply}

    def _m_chat_postEphemeral(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(params)
        user = params.get("user")
        if not user:
            raise SlackError("user_not_in_channel")
        ts = new_ts()
        message = self._message_body(params, ts, channel)
        message["ephemeral_user"] = str(user)
        self.ephemeral.append(message)
        return {"message_ts": ts}

    def _m_conversations_open(self, params: dict[str, Any]) -> dict[str, Any]:
        if params.get("channel"):
            return {"channel": {"id": self._channel(params)}, "no_op": True, "already_open": True}
        users = [u for u in str(params.get("users") or "").split(",") if u]
        if not users:
            raise SlackError("users_list_not_supplied")
        if len(users) > 1:
            raise SlackError("not_supported", messages=["group DMs are not supported by the mock"])
        user = self._user(users[0])["id"]
        already = user in self._dms
        channel_id = self.dm_channel(user)
        return {"no_op": already, "already_open": already, "channel": {"id": channel_id}}

    def _m_conversations_history(self, params: dict[str, Any]) -> dict[str, Any]:
        """The channel's top-level messages (the bot's posts here), newest first."""
        channel = self._channel(params)
        return self._history([m for m in self.messages_in(channel) if "thread_ts" not in m], params)

    def _m_conversations_replies(self, params: dict[str, Any]) -> dict[str, Any]:
        """A thread of the bot's posts: its parent, then the replies, oldest first."""
        channel = self._channel(params)
        ts = str(params.get("ts") or "")
        thread = [m for m in self.messages_in(channel) if ts in (m["ts"], m.get("thread_ts"))]
        if not ts or not thread:
            raise SlackError("thread_not_found")
        return self._history(thread, params, newest_first=False)

    def _m_conversations_info(self, params: dict[str, Any]) -> dict[str, Any]:
        """A DM the mock knows (the bot's DM with a user): `is_im` and the `user` it is with."""
        channel = str(params.get("channel") or "")
        owner = next((user for user, dm in self._dms.items() if dm == channel), None)
        if owner is None:
            raise SlackError("channel_not_found")
        return {
            "channel": {
                "id": channel,
                "created": 1_700_000_000,
                "is_im": True,
                "is_org_shared": False,
                "user": owner,
                "is_user_deleted": False,
                "priority": 0,
            }
        }

    def _m_users_info(self, params: dict[str, Any]) -> dict[str, Any]:
        user_id = str(params.get("user") or "")
        if not user_id:
            raise SlackError("user_not_found")
        return {"user": self._user(user_id)}

    def _m_views_open(self, params: dict[str, Any]) -> dict[str, Any]:
        if not params.get("trigger_id") and not params.get("interactivity_pointer"):
            raise SlackError("invalid_arguments", messages=["[ERROR] missing required field: trigger_id"])
        view = self._view_arg(params, ("modal",))
        return {"view": self._store_view(view)}

    def _m_views_push(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._m_views_open(params)

    def _m_views_update(self, params: dict[str, Any]) -> dict[str, Any]:
        view = self._view_arg(params, ("modal", "home"))
        view_id = params.get("view_id")
        if not view_id and params.get("external_id"):
            view_id = next(
                (v["id"] for v in self.views.values() if v["external_id"] == params["external_id"]), None
            )
        if not view_id or view_id not in self.views:
            raise SlackError("not_found")
        old = self.views[view_id]
        if params.get("hash") and params["hash"] != old["hash"]:
            raise SlackError("hash_conflict")
        return {"view": self._store_view(view, view_id, root_view_id=old["root_view_id"])}

    def _m_views_publish(self, params: dict[str, Any]) -> dict[str, Any]:
        user_id = str(params.get("user_id") or "")
        if not user_id:
            raise SlackError("invalid_arguments", messages=["[ERROR] missing required field: user_id"])
        self._user(user_id)
        view = self._view_arg(params, ("home",))
        old = self.home_views.get(user_id)
        if old and params.get("hash") and params["hash"] != old["hash"]:
            raise SlackError("hash_conflict")
        stored = self._store_view(view, old["id"] if old else None)
        self.home_views[user_id] = stored
        return {"view": stored}

    def _m_files_getUploadURLExternal(self, params: dict[str, Any]) -> dict[str, Any]:
        filename = params.get("filename")
        try:
            length = int(params.get("length") or 0)
        except ValueError:
            length = 0
        if not filename or length <= 0:
            raise SlackError("invalid_arguments", messages=["[ERROR] filename and length are required"])
        file_id = self._new_id("F")
        upload_id = uuid.uuid4().hex
        self._uploads[upload_id] = file_id
        self.files[file_id] = UploadedFile(file_id, str(filename), length, upload_id)
        return {"upload_url": f"{self.root_url}/upload/v1/{upload_id}", "file_id": file_id}

    def _m_files_completeUploadExternal(self, params: dict[str, Any]) -> dict[str, Any]:
        files = params.get("files")
        if not isinstance(files, list) or not files:
            raise SlackError("invalid_arguments", messages=["[ERROR] missing required field: files"])
        channel = self._channel(params, "channel_id") if params.get("channel_id") else None
        result = []
        for item in files:
            uploaded = self.files.get(str(item.get("id")))
            if uploaded is None or uploaded.content is None:
                raise SlackError("file_not_found")
            uploaded.title = item.get("title") or uploaded.filename
            uploaded.channel_id = channel
            uploaded.initial_comment = params.get("initial_comment")
            uploaded.thread_ts = params.get("thread_ts")
            uploaded.completed = True
            result.append(
                {
                    "id": uploaded.file_id,
                    "title": uploaded.title,
                    "name": uploaded.filename,
                    "size": len(uploaded.content),
                    "user": self.bot_user_id,
                }
            )
        return {"files": result}


_SCOPES = "chat:write,commands,im:history,im:read,im:write,users:read,files:write"


# ---------------------------------------------------------------------- Block Kit limits

_TEXT_TYPES = ("plain_text", "mrkdwn")


def _text_problems(obj: Any, pointer: str, limit: int, plain_only: bool = False) -> list[str]:
    if not isinstance(obj, dict) or obj.get("type") not in _TEXT_TYPES or "text" not in obj:
        return [f"[ERROR] must provide a text object [json-pointer:{pointer}]"]
    if plain_only and obj["type"] != "plain_text":
        return [f"[ERROR] must be a plain_text object [json-pointer:{pointer}/type]"]
    if len(str(obj["text"])) > limit:
        return [f"[ERROR] must be less than {limit + 1} characters [json-pointer:{pointer}/text]"]
    return []


def _element_problems(el: dict[str, Any], pointer: str) -> list[str]:
    problems: list[str] = []
    if len(str(el.get("action_id", ""))) > 255:
        problems.append(f"[ERROR] must be less than 256 characters [json-pointer:{pointer}/action_id]")
    if el.get("type") == "button":
        problems += _text_problems(el.get("text"), f"{pointer}/text", 75, plain_only=True)
        if len(str(el.get("value", ""))) > 2000:
            problems.append(f"[ERROR] must be less than 2001 characters [json-pointer:{pointer}/value]")
        if el.get("style") not in (None, "primary", "danger"):
            problems.append(f"[ERROR] must be one of primary, danger [json-pointer:{pointer}/style]")
    if el.get("type") == "plain_text_input" and int(el.get("max_length", 0) or 0) > 3000:
        problems.append(f"[ERROR] must be at most 3000 [json-pointer:{pointer}/max_length]")
    return problems


def _validate_blocks(blocks: Any, max_blocks: int, pointer: str) -> list[str]:
    if not isinstance(blocks, list):
        return [f"[ERROR] must be an array [json-pointer:{pointer}]"]
    problems: list[str] = []
    if len(blocks) > max_blocks:
        problems.append(f"[ERROR] no more than {max_blocks} items allowed [json-pointer:{pointer}]")
    seen: set[str] = set()
    for i, block in enumerate(blocks):
        p = f"{pointer}/{i}"
        if not isinstance(block, dict) or "type" not in block:
            problems.append(f"[ERROR] missing required field: type [json-pointer:{p}]")
            continue
        block_id = block.get("block_id")
        if block_id is not None:
            if len(str(block_id)) > 255:
                problems.append(f"[ERROR] must be less than 256 characters [json-pointer:{p}/block_id]")
            if block_id in seen:
                problems.append(f"[ERROR] duplicate block_id [json-pointer:{p}/block_id]")
            seen.add(block_id)
        kind = block["type"]
        if kind == "section":
            if "text" not in block and "fields" not in block:
                problems.append(f"[ERROR] must provide text or fields [json-pointer:{p}]")
            if "text" in block:
                problems += _text_problems(block["text"], f"{p}/text", 3000)
            fields = block.get("fields") or []
            if len(fields) > 10:
                problems.append(f"[ERROR] no more than 10 items allowed [json-pointer:{p}/fields]")
            for j, f in enumerate(fields):
                problems += _text_problems(f, f"{p}/fields/{j}", 2000)
            if isinstance(block.get("accessory"), dict):
                problems += _element_problems(block["accessory"], f"{p}/accessory")
        elif kind == "header":
            problems += _text_problems(block.get("text"), f"{p}/text", 150, plain_only=True)
        elif kind == "context":
            elements = block.get("elements") or []
            if not elements or len(elements) > 10:
                problems.append(f"[ERROR] must have 1 to 10 items [json-pointer:{p}/elements]")
        elif kind == "actions":
            elements = block.get("elements") or []
            if not elements or len(elements) > 25:
                problems.append(f"[ERROR] must have 1 to 25 items [json-pointer:{p}/elements]")
            for j, el in enumerate(elements):
                problems += _element_problems(el, f"{p}/elements/{j}")
        elif kind == "input":
            problems += _text_problems(block.get("label"), f"{p}/label", 2000, plain_only=True)
            if "hint" in block:
                problems += _text_problems(block["hint"], f"{p}/hint", 2000, plain_only=True)
            if not isinstance(block.get("element"), dict):
                problems.append(f"[ERROR] missing required field: element [json-pointer:{p}/element]")
            else:
                problems += _element_problems(block["element"], f"{p}/element")
    return problems


def _validate_view(view: dict[str, Any]) -> list[str]:
    problems = _validate_blocks(view.get("blocks", []), 100, "/view/blocks")
    if view["type"] == "modal":
        problems += _text_problems(view.get("title"), "/view/title", 24, plain_only=True)
        for key in ("submit", "close"):
            if key in view and view[key] is not None:
                problems += _text_problems(view[key], f"/view/{key}", 24, plain_only=True)
        has_input = any(isinstance(b, dict) and b.get("type") == "input" for b in view.get("blocks", []))
        if has_input and not view.get("submit"):
            problems.append("[ERROR] must provide submit when an input block is present [json-pointer:/view]")
    if len(str(view.get("private_metadata", ""))) > 3000:
        problems.append("[ERROR] must be less than 3001 characters [json-pointer:/view/private_metadata]")
    if len(str(view.get("callback_id", ""))) > 255:
        problems.append("[ERROR] must be less than 256 characters [json-pointer:/view/callback_id]")
    return problems


__all__ = [
    "RESPONSE_URL",
    "UPLOAD",
    "IssuedToken",
    "SlackCall",
    "SlackError",
    "SlackMock",
    "SocketAck",
    "UploadedFile",
]
