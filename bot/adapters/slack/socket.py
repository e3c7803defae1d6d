"""Slack over Socket Mode: the same Bolt app and listeners, reached through a websocket.

For councils that cannot expose a public HTTPS URL: the bot dials out to Slack
(apps.connections.open with the app-level token, SLACK_APP_TOKEN) and Slack pushes events,
slash commands and clicks down the socket. Each envelope is acknowledged as soon as our
listener has scheduled its work, exactly as over HTTP. A redelivered envelope carries the
same event_id, so the service processes it once.

The SocketModeClient is built inside the running event loop (it binds to the loop it is
created on), which is why this is an async context manager rather than a plain factory.

Before Bolt sees an envelope, the same checks as over HTTP (http.py) run on its payload:
its shape (translate.well_formed) and the DM identity binding (owners.IdentityGate: Slack
says whose DM it is). A malformed or refused envelope is acknowledged, so Slack does not
deliver it again, and nothing runs; when Slack could not be asked whose DM it is, the
envelope is left unacknowledged and Slack delivers it again, as a 503 does over HTTP.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import structlog
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.app.async_app import AsyncApp
from slack_sdk.socket_mode.aiohttp import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse

from bot.adapters.slack import translate
from bot.adapters.slack.app import SlackAdapter, build_adapter
from bot.adapters.slack.owners import IdentityGate, Verdict
from bot.errors import ConfigError
from bot.service import Runtime, pipeline_running

log = structlog.get_logger(__name__)
CHECKED = frozenset({"events_api", "slash_commands", "interactive"})


class CheckedSocketModeHandler(AsyncSocketModeHandler):
    """Bolt's Socket Mode handler, with http.py's shape and identity checks in front."""

    def __init__(self, app: AsyncApp, gate: IdentityGate, **kwargs: Any) -> None:
        super().__init__(app, **kwargs)
        self.gate = gate

    async def handle(self, client: SocketModeClient, req: SocketModeRequest) -> None:  # type: ignore[override]
        if req.type in CHECKED:
            payload = req.payload
            if not isinstance(payload, dict) or not translate.well_formed(payload):
                log.warning("slack.rejected", reason="malformed", transport="socket")
                await client.send_socket_mode_response(SocketModeResponse(envelope_id=req.envelope_id))
                return
            verdict = await self.gate.check(payload)
            if verdict is Verdict.UNKNOWN:
                return  # not acknowledged: Slack delivers it again
            if verdict is Verdict.REFUSED:
                await client.send_socket_mode_response(SocketModeResponse(envelope_id=req.envelope_id))
                return
        await super().handle(client, req)


@asynccontextmanager
async def socket_mode(runtime: Runtime) -> AsyncIterator[SlackAdapter]:
    """Connect, yield the adapter while connected, then disconnect and finish in-flight work."""
    app_token = runtime.settings.slack_app_token
    if app_token is None or runtime.settings.slack_bot_token is None:
        raise ConfigError(["Socket Mode needs SLACK_APP_TOKEN and SLACK_BOT_TOKEN"])
    adapter = build_adapter(runtime)
    await adapter.open()
    handler = CheckedSocketModeHandler(
        adapter.bolt,
        IdentityGate(adapter.workspaces, runtime.service),
        app_token=app_token.get_secret_value(),
        web_client=adapter.client,
    )
    await handler.connect_async()  # type: ignore[no-untyped-call]
    log.info("slack.socket_connected")
    try:
        async with pipeline_running(runtime):
            yield adapter
    finally:
        await handler.close_async()  # type: ignore[no-untyped-call]
        await adapter.close()
        log.info("slack.socket_closed")
