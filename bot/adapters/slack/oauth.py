"""Installing the app by OAuth: GET /slack/install and GET /slack/oauth_redirect.

Bolt's own OAuth flow (AsyncOAuthFlow) does the work; this module only configures it:

* /slack/install issues a state (stored in `slack_oauth_states`), sets it as a cookie in the
  installer's browser and redirects to Slack's authorize page with the app's bot scopes.
* /slack/oauth_redirect checks the state against the cookie and consumes it once, exchanges
  the code (oauth.v2.access), asks auth.test for the bot id, and saves the install through
  the installation store (storage/slack_installations.py: tokens encrypted at rest). A
  workspace, or with Enterprise Grid a whole org (`org_deploy_enabled`), installs this way.
* Success and failure pages are the templates prompts/slack/installed.html.j2 and
  install_failed.html.j2, with Bolt's status codes (a bad or reused state: 401, another
  browser: 400); nothing is stored when the install fails.

Tokens rotate (`token_rotation_enabled` in the manifest): Slack returns a refresh token and
expires_in with the bot token; Bolt's authorize refreshes a token near expiry for a request,
workspaces.py does the same for everything sent after the acknowledgement.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import aiohttp
import structlog
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.authorization.async_authorize import AsyncInstallationStoreAuthorize
from slack_bolt.oauth.async_callback_options import AsyncCallbackOptions, AsyncFailureArgs, AsyncSuccessArgs
from slack_bolt.oauth.async_oauth_flow import AsyncOAuthFlow
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackClientError
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore
from slack_sdk.oauth.token_rotation.async_rotator import AsyncTokenRotator
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.dispatch import team_hash
from bot.adapters.slack.workspaces import ROTATE_BEFORE_MIN
from bot.config import Settings
from bot.errors import ConfigError, StorageError
from bot.service import ReflectionService

log = structlog.get_logger(__name__)

INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
STATE_COOKIE = "reflect-slack-oauth-state"
HTML = {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store"}


@dataclass(frozen=True)
class InstallStores:
    """Where installs and installs under way are kept (given by the server: storage's)."""

    installations: AsyncInstallationStore
    states: AsyncOAuthStateStore


@dataclass(frozen=True)
class OAuthParts:
    flow: AsyncOAuthFlow
    authorize: AsyncInstallationStoreAuthorize
    rotator: AsyncTokenRotator
    pages: Pages


def build(
    settings: Settings, client: AsyncWebClient, stores: InstallStores, service: ReflectionService
) -> OAuthParts:
    """Bolt's OAuth flow and per-request authorize, both talking to `client`'s base URL."""
    if not settings.slack_oauth_enabled or settings.slack_client_secret is None:
        raise ConfigError(["OAuth installs need SLACK_CLIENT_ID and SLACK_CLIENT_SECRET"])
    client_id = (settings.slack_client_id or "").strip()
    secret = settings.slack_client_secret.get_secret_value().strip()
    pages = Pages(service)
    oauth_settings = AsyncOAuthSettings(
        client_id=client_id,
        client_secret=secret,
        scopes=settings.slack_scope_list(),
        redirect_uri=settings.slack_redirect_uri or None,
        install_path=INSTALL_PATH,
        install_page_rendering_enabled=False,  # straight to Slack's own consent page
        redirect_uri_path=REDIRECT_PATH,
        callback_options=AsyncCallbackOptions(success=pages.success, failure=pages.failure),
        installation_store=stores.installations,
        installation_store_bot_only=True,
        token_rotation_expiration_minutes=ROTATE_BEFORE_MIN,
        state_store=stores.states,
        state_cookie_name=STATE_COOKIE,
    )
    # Bolt's settings build an authorize whose token rotator talks to slack.com; this one talks
    # to SLACK_API_URL like every other call (the tests' mock Web API, or a proxy).
    authorize = AsyncInstallationStoreAuthorize(
        installation_store=stores.installations,
        client_id=client_id,
        client_secret=secret,
        token_rotation_expiration_minutes=ROTATE_BEFORE_MIN,
        bot_only=True,
        client=client,
        cache_enabled=True,  # one auth.test per token, not per request (a rotated token is a new key)
        logger=logging.getLogger("bot.adapters.slack.bolt"),
    )
    rotator = AsyncTokenRotator(client_id=client_id, client_secret=secret, client=client)
    return OAuthParts(AsyncOAuthFlow(client=client, settings=oauth_settings), authorize, rotator, pages)


class Pages:
    """What the installer's browser shows at the end (templates, never wording here)."""

    def __init__(self, service: ReflectionService) -> None:
        self.wording = service.wording

    async def success(self, args: AsyncSuccessArgs) -> BoltResponse:
        installation = args.installation
        org_wide = bool(installation.is_enterprise_install)
        name = (installation.enterprise_name if org_wide else installation.team_name) or ""
        where = installation.enterprise_id if org_wide else installation.team_id
        log.info("slack.installed", team=team_hash(where or ""), org_wide=org_wide)
        team = installation.team_id
        open_url = f"https://slack.com/app_redirect?app={installation.app_id}&team={team}" if team else None
        body = self.wording.text("slack/installed.html.j2", name=name, org_wide=org_wide, open_url=open_url)
        return BoltResponse(status=200, body=body, headers=dict(HTML))

    async def failure(self, args: AsyncFailureArgs) -> BoltResponse:
        status = args.suggested_status_code
        if args.reason == "access_denied":
            status = 200  # the installer said no: nothing is wrong with the request
        return self.page(args.reason, status)

    def page(self, reason: str, status: int) -> BoltResponse:
        log.warning("slack.install_failed", reason=reason, status=status)
        body = self.wording.text("slack/install_failed.html.j2", reason=reason, install_path=INSTALL_PATH)
        return BoltResponse(status=status, body=body, headers=dict(HTML))


def mount(app: web.Application, flow: AsyncOAuthFlow, pages: Pages) -> None:
    async def install(request: web.Request) -> web.StreamResponse:
        try:
            response = await flow.handle_installation(await to_bolt_request(request))
        except StorageError:  # the state could not be stored: nothing to send Slack
            response = pages.page("storage_error", 503)
        return await _response(response)

    async def redirect(request: web.Request) -> web.StreamResponse:
        try:
            response = await flow.handle_callback(await to_bolt_request(request))
        except StorageError:  # Bolt maps only its own errors to its failure page
            response = pages.page("storage_error", 503)
        except (SlackClientError, aiohttp.ClientError, OSError, TimeoutError) as error:
            log.warning("slack.install_unreachable", error=type(error).__name__)
            response = pages.page("slack_unreachable", 502)
        return await _response(response)

    app.router.add_get(INSTALL_PATH, install)
    app.router.add_get(REDIRECT_PATH, redirect)


async def _response(response: BoltResponse) -> web.StreamResponse:
    converted: Any = await to_aiohttp_response(response)
    return converted  # type: ignore[no-any-return]
