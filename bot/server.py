"""One aiohttp server for every surface: POST /slack/events, POST /api/messages, GET /healthz.

Each adapter exposes `mount(app, runtime)`; the server mounts the platforms that are
configured and nothing else.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

from aiohttp import web

from bot.runtime import Runtime

if TYPE_CHECKING:
    from bot.adapters.slack.oauth import InstallStores

RUNTIME_KEY = web.AppKey("runtime", Runtime)
REMINDER_INTERVAL = web.AppKey("reminder_interval", float)


async def healthz(request: web.Request) -> web.Response:
    runtime = request.app[RUNTIME_KEY]
    platforms = [
        name
        for name, enabled in (
            ("slack", runtime.settings.slack_enabled),
            ("teams", runtime.settings.teams_enabled),
        )
        if enabled
    ]
    return web.json_response({"status": "ok", "platforms": platforms})


def build_app(runtime: Runtime) -> web.Application:
    app = web.Application(client_max_size=1024 * 1024)
    app[RUNTIME_KEY] = runtime
    app.router.add_get("/healthz", healthz)
    if runtime.settings.slack_enabled:
        from bot.adapters.slack.http import mount as mount_slack

        mount_slack(app, runtime, _slack_install_stores(runtime))
    if runtime.settings.teams_enabled:
        from bot.adapters.teams.http import mount as mount_teams

        mount_teams(app, runtime)
    app.on_startup.append(_warm_up)
    app.cleanup_ctx.append(_pipeline)
    app.cleanup_ctx.append(_reminders)
    app.cleanup_ctx.append(_retention)
    return app


def _slack_install_stores(runtime: Runtime) -> InstallStores | None:
    """OAuth installs (SLACK_CLIENT_ID and SLACK_CLIENT_SECRET): the installation and state
    stores on the bot's own database, tokens encrypted with its cipher."""
    settings = runtime.settings
    if not settings.slack_oauth_enabled or not settings.slack_client_id:
        return None
    from bot.adapters.slack.oauth import InstallStores
    from storage.slack_installations import SlackStores

    stores = SlackStores.over(runtime.store.engine, settings.slack_client_id.strip())
    return InstallStores(installations=stores.installations, states=stores.states)


async def _warm_up(app: web.Application) -> None:
    """Before the first request: what a process builds on first use (compiled templates, the
    bank holiday tables) is built now, so no worker's turn waits for it."""
    app[RUNTIME_KEY].service.warm_up()


async def _pipeline(app: web.Application) -> AsyncIterator[None]:
    """Resume the inbox and outbox on start, and sweep them while serving (bot/runtime.py)."""
    from bot.runtime import pipeline_running

    async with pipeline_running(app[RUNTIME_KEY]):
        yield


async def _retention(app: web.Application) -> AsyncIterator[None]:
    """Purge expired records at start-up and then daily (issue 7); holds are respected."""
    from bot.privacy.schedule import purge_running

    runtime = app[RUNTIME_KEY]
    async with purge_running(runtime.store, clock=runtime.service.clock):
        yield


async def _reminders(app: web.Application) -> AsyncIterator[None]:
    """Deliver reminders through the outbox, to every platform this server serves (issues 9, 14)."""
    from bot.reminders.loop import reminders_running

    async with reminders_running(app[RUNTIME_KEY], interval=app.get(REMINDER_INTERVAL, 30.0)):
        yield
