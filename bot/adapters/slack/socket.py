"""Slack over Socket Mode: the same Bolt app and listeners, reached through a websocket.

For councils that cannot expose a public HTTPS URL: the bot dials out to Slack
(apps.connections.open with the app-level token, SLACK_APP_TOKEN) and Slack pushes events,
slash commands and clicks down the socket. Each envelope is acknowledged as soon as our
listener has scheduled its work, exactly as over HTTP. A redelivered envelope carries the
same event_id, so the service processes it once.

The SocketModeClient is built inside the running event loop (it binds to the loop it is
created on), which is why this is an async context manager rather than a plain factory.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import structlog
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

from bot.adapters.slack.app import SlackAdapter, build_adapter
from bot.errors import ConfigError
from bot.service import Runtime, pipeline_running

log = structlog.get_logger(__name__)


@asynccontextmanager
async def socket_mode(runtime: Runtime) -> AsyncIterator[SlackAdapter]:
    """Connect, yield the adapter while connected, then disconnect and finish in-flight work."""
    app_token = runtime.settings.slack_app_token
    if app_token is None or runtime.settings.slack_bot_token is None:
        raise ConfigError(["Socket Mode needs SLACK_APP_TOKEN and SLACK_BOT_TOKEN"])
    adapter = build_adapter(runtime)
    await adapter.open()
    handler = AsyncSocketModeHandler(
        adapter.bolt, app_token=app_token.get_secret_value(), web_client=adapter.client
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
