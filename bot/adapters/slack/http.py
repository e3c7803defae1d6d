"""POST /slack/events: Events API, interactivity and the slash command on one Request URL.

The order of checks is the point of this module:

1. The signature, over the raw bytes, before anything is parsed. A forged, stale or unsigned
   request gets 401 and touches nothing: no parsing, no database, no Web API call.
2. The body must parse to a JSON object of a shape Bolt can route (translate.well_formed):
   otherwise 400. Bolt's own parser raises on bad JSON and its matchers index into payloads;
   Slack never sends such requests, so refusing them loses nothing.
3. Bolt dispatches (it checks the signature again, answers url_verification and ssl_check, and
   runs our listeners, which only schedule work); its response goes back to Slack as is.

Mounting refuses (503 on the route) when SLACK_SIGNING_SECRET is missing: without it anyone
could post "events" as any worker. Socket Mode needs no signing secret and no public URL.
"""

from __future__ import annotations

import structlog
from aiohttp import web
from aiohttp.typedefs import Handler
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_sdk.signature import SignatureVerifier

from bot.adapters.slack import translate
from bot.adapters.slack.app import SlackAdapter, build_adapter
from bot.runtime import Runtime

log = structlog.get_logger(__name__)

ROUTE = "/slack/events"
SLACK_ADAPTER = web.AppKey("slack_adapter", SlackAdapter)


def _signed(verifier: SignatureVerifier, body: bytes, request: web.Request) -> bool:
    try:
        return verifier.is_valid_request(body, dict(request.headers))
    except (ValueError, TypeError):  # a timestamp header that is not a number
        return False


def handler(adapter: SlackAdapter, signing_secret: str) -> Handler:
    verifier = SignatureVerifier(signing_secret)

    async def slack_events(request: web.Request) -> web.StreamResponse:
        body = await request.read()
        if not _signed(verifier, body, request):
            log.warning("slack.rejected", reason="signature")
            return web.json_response({"error": "invalid signature"}, status=401)
        try:
            bolt_request = await to_bolt_request(request)
        except (ValueError, TypeError, AttributeError):
            log.warning("slack.rejected", reason="unreadable body")
            return web.json_response({"error": "malformed payload"}, status=400)
        if not isinstance(bolt_request.body, dict) or not translate.well_formed(bolt_request.body):
            log.warning("slack.rejected", reason="malformed")
            return web.json_response({"error": "malformed payload"}, status=400)
        bolt_response = await adapter.bolt.async_dispatch(bolt_request)
        return await to_aiohttp_response(bolt_response)

    return slack_events


async def _not_configured(request: web.Request) -> web.Response:
    return web.json_response({"error": "Slack over HTTP needs SLACK_SIGNING_SECRET"}, status=503)


def mount(app: web.Application, runtime: Runtime) -> None:
    """Add POST /slack/events to the server; the adapter is kept at app[SLACK_ADAPTER]."""
    secret = runtime.settings.slack_signing_secret
    if secret is None or not secret.get_secret_value().strip():
        log.warning(
            "slack.http_disabled", reason="SLACK_SIGNING_SECRET is not set; use `reflect slack-socket`"
        )
        app.router.add_post(ROUTE, _not_configured)
        return
    adapter = build_adapter(runtime)
    app[SLACK_ADAPTER] = adapter
    app.router.add_post(ROUTE, handler(adapter, secret.get_secret_value()))

    async def finish_work(_: web.Application) -> None:
        # Runs before the runtime closes the database: in-flight turns commit or roll back whole.
        await adapter.close()

    app.on_shutdown.append(finish_work)
