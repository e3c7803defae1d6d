"""POST /slack/events: Events API, interactivity and the slash command on one Request URL.

The order of checks is the point of this module:

1. The signature, over the raw bytes, before anything is parsed. A forged, stale or unsigned
   request gets 401 and touches nothing: no parsing, no database, no Web API call.
2. The body must parse (as Bolt parses it) to a payload of the shape Bolt and our listeners
   read (translate.well_formed): every field Bolt indexes has Slack's type, ids are short,
   text is valid Unicode. Otherwise 400, before Bolt builds its request (it reads the ids in
   its constructor and answers 500 on surprises). Slack never sends such payloads.
3. Identity: a payload that names a DM (a message, a click on a message, the long-answer
   modal) must come from the user Slack says the DM belongs to (owners.py asks
   `conversations.info` once per DM). Otherwise 403 and an audit row, nothing stored: a
   signed payload claiming worker B in worker A's DM must not post B's notes there.
4. Bolt dispatches (it checks the signature again, answers url_verification and ssl_check, and
   runs our listeners, which only schedule work); its response goes back to Slack as is.

With OAuth installs (SLACK_CLIENT_ID, SLACK_CLIENT_SECRET) the same server also serves
GET /slack/install and GET /slack/oauth_redirect (oauth.py), and every check above uses the
token of the workspace the payload came from; a workspace that has not installed the app is
answered 503 at the identity check (Slack retries; nothing is stored).

Mounting refuses (503 on the route) when SLACK_SIGNING_SECRET is missing: without it anyone
could post "events" as any worker. Socket Mode needs no signing secret and no public URL.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Sequence

import structlog
from aiohttp import web
from aiohttp.typedefs import Handler
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.request.internals import extract_content_type, parse_body

from bot.adapters.slack import translate
from bot.adapters.slack.app import SlackAdapter, build_adapter
from bot.adapters.slack.oauth import InstallStores
from bot.adapters.slack.oauth import mount as mount_oauth
from bot.adapters.slack.owners import IdentityGate, Verdict
from bot.logs import install_record_scrubber
from bot.service import Runtime

log = structlog.get_logger(__name__)

ROUTE = "/slack/events"
MAX_AGE_S = 5 * 60  # as Slack and slack_sdk: older timestamps are replays
SLACK_ADAPTER = web.AppKey("slack_adapter", SlackAdapter)


def _signed(secret: bytes, body: bytes, request: web.Request) -> bool:
    """Slack's v0 signature over the raw bytes (slack_sdk's verifier decodes the body first,
    and raises on bytes that are not UTF-8; those are refused later as malformed, 400)."""
    timestamp = request.headers.get("X-Slack-Request-Timestamp", "")
    signature = request.headers.get("X-Slack-Signature", "")
    if not timestamp.isdigit() or not signature or len(timestamp) > 20:
        return False
    if abs(time.time() - int(timestamp)) > MAX_AGE_S:
        return False
    mac = hmac.new(secret, b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256)
    return hmac.compare_digest(("v0=" + mac.hexdigest()).encode(), signature.encode("utf-8", "replace"))


def _headers(request: web.Request) -> dict[str, Sequence[str]]:
    return {name.lower(): [value] for name, value in request.headers.items()}


def handler(adapter: SlackAdapter, signing_secret: str, runtime: Runtime | None = None) -> Handler:
    secret = signing_secret.encode()
    gate = IdentityGate(adapter.workspaces, runtime.service if runtime is not None else None)

    async def slack_events(request: web.Request) -> web.StreamResponse:
        body = await request.read()
        if not _signed(secret, body, request):
            log.warning("slack.rejected", reason="signature")
            return web.json_response({"error": "invalid signature"}, status=401)
        try:
            # Parsed as Bolt will parse it, but checked before Bolt builds its request:
            # Bolt reads the payload's ids in its request's constructor.
            parsed = parse_body(body.decode("utf-8"), extract_content_type(_headers(request)))
        except (ValueError, TypeError, AttributeError, RecursionError):
            # Not UTF-8, not JSON, JSON nested too deep: Bolt's parser raises on each.
            log.warning("slack.rejected", reason="unreadable body")
            return web.json_response({"error": "malformed payload"}, status=400)
        if not translate.well_formed(parsed):
            log.warning("slack.rejected", reason="malformed")
            return web.json_response({"error": "malformed payload"}, status=400)
        verdict = await gate.check(parsed)
        if verdict is Verdict.UNKNOWN:  # Slack could not be asked: it retries the delivery
            return web.json_response({"error": "try again"}, status=503)
        if verdict is Verdict.REFUSED:
            return web.json_response({"error": "not this user's conversation"}, status=403)
        bolt_request = await to_bolt_request(request)
        bolt_response = await adapter.bolt.async_dispatch(bolt_request)
        return await to_aiohttp_response(bolt_response)

    return slack_events


async def _not_configured(request: web.Request) -> web.Response:
    return web.json_response({"error": "Slack over HTTP needs SLACK_SIGNING_SECRET"}, status=503)


def mount(app: web.Application, runtime: Runtime, stores: InstallStores | None = None) -> None:
    """Add POST /slack/events to the server; the adapter is kept at app[SLACK_ADAPTER].

    With `stores` (OAuth installs), also GET /slack/install and GET /slack/oauth_redirect."""
    install_record_scrubber()  # Bolt's and the SDK's own logs quote payloads
    secret = runtime.settings.slack_signing_secret
    if secret is None or not secret.get_secret_value().strip():
        log.warning(
            "slack.http_disabled", reason="SLACK_SIGNING_SECRET is not set; use `reflect slack-socket`"
        )
        app.router.add_post(ROUTE, _not_configured)
        return
    adapter = build_adapter(runtime, stores)
    app[SLACK_ADAPTER] = adapter
    if stores is not None and runtime.settings.slack_bot_token is not None:
        log.warning(
            "slack.bot_token_ignored", reason="OAuth installs are on: each workspace has its own token"
        )
    log.info("slack.http_enabled", mode="oauth" if stores is not None else "single_token")
    app.router.add_post(ROUTE, handler(adapter, secret.get_secret_value(), runtime))
    if adapter.oauth_flow is not None and adapter.oauth_pages is not None:
        mount_oauth(app, adapter.oauth_flow, adapter.oauth_pages)

    async def start_work(_: web.Application) -> None:
        await adapter.open()

    async def finish_work(_: web.Application) -> None:
        # Runs before the runtime closes the database: in-flight turns commit or roll back whole.
        await adapter.close()

    app.on_startup.append(start_work)
    app.on_shutdown.append(finish_work)
