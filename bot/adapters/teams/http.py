"""POST /api/messages: the Teams endpoint, with the Agents SDK's JWT check in front of it.

Authentication is on by default. With MICROSOFT_APP_ID, MICROSOFT_APP_PASSWORD and
MICROSOFT_APP_TENANT_ID every activity must carry a Bot Framework token issued for this app
(the SDK's `jwt_authorization_middleware` validates it against Microsoft's signing keys); a
missing or bad token gets 401 before anything is parsed. Outbound replies are then only
sent to Microsoft's own service hosts (the SDK's OutboundHostValidator), so a forged
serviceUrl cannot make the bot call elsewhere.

REFLECT_TEAMS_ALLOW_ANONYMOUS=true accepts activities without a token. It is for the local
Agents Playground only (settings refuse it in production) and a warning is logged at start.

The endpoint is a sub-application mounted at /api, with the JWT middleware as *its*
middleware: the check covers exactly the Teams route, and the Slack route and /healthz on
the same server are untouched. Forgetting the middleware would make every request
anonymous, so mounting is the only way in and it always installs it.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass

import structlog
from aiohttp import web
from aiohttp.typedefs import Handler
from microsoft_agents.authentication.msal import MsalConnectionManager
from microsoft_agents.hosting.aiohttp import CloudAdapter, jwt_authorization_middleware
from microsoft_agents.hosting.core import AgentAuthConfiguration, OutboundHostValidator
from microsoft_agents.hosting.core.authorization import AuthTypes
from pydantic import ValidationError

from bot.adapters.teams.agent import TeamsAgent, on_turn_error
from bot.adapters.teams.proactive import Proactive, References
from bot.config import Settings
from bot.runtime import Runtime
from bot.service import utc_now

log = structlog.get_logger(__name__)

PREFIX = "/api"
ROUTE = "/messages"  # POST /api/messages
CONFIG_KEY = "agent_configuration"  # the exact key the SDK's middleware reads
_USER_TOKEN_LOGGER = "microsoft_agents.hosting.core.connector.client.user_token_client"


@dataclass
class TeamsBot:
    """What the server keeps for Teams: the SDK adapter, our agent, and proactive sends."""

    adapter: CloudAdapter
    agent: TeamsAgent
    proactive: Proactive
    auth: AgentAuthConfiguration


TEAMS_BOT = web.AppKey("teams_bot", TeamsBot)


def auth_configuration(settings: Settings) -> AgentAuthConfiguration:
    """Client-secret auth from MICROSOFT_APP_*; anonymous only when explicitly allowed."""
    if settings.microsoft_app_id:
        password = settings.microsoft_app_password
        return AgentAuthConfiguration(
            auth_type=AuthTypes.client_secret,
            client_id=settings.microsoft_app_id,
            client_secret=password.get_secret_value() if password else None,
            tenant_id=settings.microsoft_app_tenant_id,
            anonymous_allowed=settings.teams_allow_anonymous,
        )
    return AgentAuthConfiguration(anonymous_allowed=settings.teams_allow_anonymous)


def build_bot(runtime: Runtime) -> TeamsBot:
    settings = runtime.settings
    auth = auth_configuration(settings)
    connections = MsalConnectionManager(connections_configurations={"SERVICE_CONNECTION": auth})
    # Authenticated: only reply to Microsoft's hosts. Anonymous (Playground): its localhost connector.
    validator = OutboundHostValidator(enabled=not auth.ANONYMOUS_ALLOWED)
    adapter = CloudAdapter(connection_manager=connections, host_validator=validator)
    adapter.on_turn_error = on_turn_error
    references = References(runtime.store, utc_now)
    agent = TeamsAgent(runtime.service, references)
    proactive = Proactive(adapter, references, settings.microsoft_app_id or None)
    agent.proactive = proactive  # replies resumed from the outbox after a restart
    return TeamsBot(adapter=adapter, agent=agent, proactive=proactive, auth=auth)


def handler(bot: TeamsBot) -> Handler:
    async def messages(request: web.Request) -> web.StreamResponse:
        try:
            response = await bot.adapter.process(request, bot.agent)
        except ValidationError:  # JSON, but not an activity
            log.warning("teams.rejected", reason="malformed activity")
            return web.json_response({"error": "malformed activity"}, status=400)
        return response if response is not None else web.Response(status=202)

    return messages


def mount(app: web.Application, runtime: Runtime) -> None:
    """Add POST /api/messages behind JWT validation; the bot is kept at app[TEAMS_BOT]."""
    bot = build_bot(runtime)
    # The SDK's middleware keeps its claims under a plain string request key; aiohttp would
    # warn about that on every request.
    warnings.filterwarnings("ignore", category=web.NotAppKeyWarning, module=r"microsoft_agents\.")
    if bot.auth.ANONYMOUS_ALLOWED:
        # Without an app id the SDK warns on every turn that it has none: we know.
        logging.getLogger(_USER_TOKEN_LOGGER).setLevel(logging.ERROR)
        log.warning(
            "teams.anonymous_allowed",
            detail="REFLECT_TEAMS_ALLOW_ANONYMOUS=true: unauthenticated activities are accepted. "
            "For the local Agents Playground only.",
        )
    else:
        log.info("teams.jwt_validation", tenant_set=bool(runtime.settings.microsoft_app_tenant_id))
    api = web.Application(middlewares=[jwt_authorization_middleware])
    with warnings.catch_warnings():  # the SDK reads this plain string key, not a web.AppKey
        warnings.simplefilter("ignore", web.NotAppKeyWarning)
        api[CONFIG_KEY] = bot.auth
    api.router.add_post(ROUTE, handler(bot))
    app.add_subapp(PREFIX, api)
    app[TEAMS_BOT] = bot


__all__ = ["TEAMS_BOT", "TeamsBot", "auth_configuration", "build_bot", "mount"]
