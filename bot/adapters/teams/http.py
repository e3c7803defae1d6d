"""POST /api/messages: the Teams endpoint, with the Agents SDK's JWT check in front of it.

Authentication is on by default. With MICROSOFT_APP_ID, MICROSOFT_APP_PASSWORD and
MICROSOFT_APP_TENANT_ID every activity must carry a Bot Framework token issued for this app
(the SDK's `jwt_authorization_middleware` validates it against Microsoft's signing keys); a
missing or bad token gets 401 before anything is parsed. Outbound replies are then only
sent to Microsoft's own service hosts (the SDK's OutboundHostValidator), so a forged
serviceUrl cannot make the bot call elsewhere.

REFLECT_TEAMS_ALLOW_ANONYMOUS=true accepts activities without a token. It is for the local
Agents Playground only (settings refuse it in production) and a warning is logged at start.
Even then, only requests from this machine are accepted, and only activities whose serviceUrl
is on this machine: an anonymous activity cannot make the bot send anyone's notes elsewhere.

Before the SDK sees a request, in order:

1. Authentication (`auth_guard`): anything wrong with it is a 401, never a 500: a token that
   is not an RS256 JWT with a key id (the SDK indexes `kid` and raised KeyError without it),
   and any exception the SDK's JWT check raises.
2. The body must be a JSON activity the SDK's model accepts and that names what a turn needs
   (translate.malformed: type, channelId, serviceUrl, conversation, sender, an invoke's value).
   Otherwise 400, nothing stored. The SDK's own log of the failed validation is dropped: it
   quotes the input.
3. Identity: a personal chat belongs to the person who first spoke in it (the stored
   conversation reference); an activity there claiming anyone else is a 403 and an audit row.

An invoke the agent has no handler for is answered 200 with an empty body, not the SDK's 501.

The endpoint is a sub-application mounted at /api, with the JWT middleware as *its*
middleware: the check covers exactly the Teams route, and the Slack route and /healthz on
the same server are untouched. Forgetting the middleware would make every request
anonymous, so mounting is the only way in and it always installs it.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import urlparse

import jwt
import structlog
from aiohttp import web
from aiohttp.typedefs import Handler
from microsoft_agents.activity import Activity
from microsoft_agents.authentication.msal import MsalConnectionManager
from microsoft_agents.hosting.aiohttp import CloudAdapter, jwt_authorization_middleware
from microsoft_agents.hosting.core import AgentAuthConfiguration, OutboundHostValidator
from microsoft_agents.hosting.core.authorization import AuthTypes
from pydantic import ValidationError

from bot.adapters.teams import translate
from bot.adapters.teams.agent import TeamsAgent, on_turn_error
from bot.adapters.teams.proactive import Proactive, References
from bot.adapters.teams.translate import is_loopback
from bot.config import Settings
from bot.logs import install_record_scrubber
from bot.service import ReflectionService, Runtime, utc_now

log = structlog.get_logger(__name__)

PREFIX = "/api"
ROUTE = "/messages"  # POST /api/messages
CONFIG_KEY = "agent_configuration"  # the exact key the SDK's middleware reads
Clock = Callable[[], datetime]
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
    references = References(runtime.service.references, utc_now)
    agent = TeamsAgent(runtime.service, references, anonymous=auth.ANONYMOUS_ALLOWED)
    proactive = Proactive(adapter, references, settings.microsoft_app_id or None)
    agent.proactive = proactive  # replies resumed from the outbox after a restart
    return TeamsBot(adapter=adapter, agent=agent, proactive=proactive, auth=auth)


def _refuse(status: int, reason: str) -> web.Response:
    log.warning("teams.rejected", reason=reason, status=status)
    error = "unauthorized" if status == 401 else "forbidden" if status == 403 else "malformed activity"
    return web.json_response({"error": error}, status=status)


def _silence_activity_validation(record: logging.LogRecord) -> bool:
    """The SDK logs every activity that fails its model at ERROR, with a traceback and the
    pydantic error, which quotes the offending input (`input_value='...'`): what a person
    wrote. We validate first and answer 400; that record says nothing we need."""
    return not str(record.msg).startswith("Validation error for Activity")


def parse_activity(body: Any) -> Activity | None:
    """The SDK's Activity from a JSON body, or None when it is not one we can handle."""
    if not isinstance(body, dict) or not translate.encodable(body):
        return None
    try:
        activity = Activity.model_validate(body)
    except Exception:  # ValidationError, and the SDK's own TypeError / Exception for bad channel ids
        return None
    return activity if translate.malformed(activity) is None else None


async def bound_elsewhere(references: References, activity: Activity) -> bool:
    """Whether a personal chat already belongs to someone other than this activity's sender.

    A personal conversation is between the bot and one person: the first activity there
    binds it to that person's Entra object id (the stored conversation reference). An
    activity in the same conversation claiming anyone else is refused: it would resume their
    session and post their notes into this chat."""
    place = translate.where(activity)
    if place is None or place.group:
        return False
    owner = await references.owner_of(place.tenant, place.channel)
    if owner is None:
        return False
    sender = activity.from_property
    # Bound to the Entra object id; or to the Teams id, when the first activity carried no
    # object id (the binding moves to the object id with this activity's reference).
    return owner not in (
        translate.sender_id(activity, group=False),
        sender.id if sender is not None else None,
    )


def handler(bot: TeamsBot, service: ReflectionService) -> Handler:
    anonymous = bot.auth.ANONYMOUS_ALLOWED

    async def messages(request: web.Request) -> web.StreamResponse:
        try:
            body = await request.json()
        except (ValueError, UnicodeDecodeError, RecursionError):
            return _refuse(400, "not json")
        activity = parse_activity(body)
        if activity is None:
            return _refuse(400, "malformed activity")
        if anonymous and not is_loopback(urlparse(activity.service_url or "").hostname):
            # Anonymous is for the local Playground: replies go only to a local connector.
            return _refuse(401, "anonymous serviceUrl not on loopback")
        if activity.type in _PERSONAL_TURNS and await bound_elsewhere(bot.agent.references, activity):
            await _audit_mismatch(bot.agent.references, service, activity)
            return _refuse(403, "sender does not own this conversation")
        try:
            response = await bot.adapter.process(request, bot.agent)
        except ValidationError:  # checked above; kept for anything the SDK validates later
            return _refuse(400, "malformed activity")
        except TypeError:  # an invoke error response the SDK could not serialise
            return _refuse(400, "malformed invoke")
        if response is None:
            return web.Response(status=202)
        if response.status == HTTPStatus.NOT_IMPLEMENTED:
            # An invoke we have no handler for (agent.py answers card actions, dialogs,
            # file consent and the message extension): acknowledged, nothing done. A 5xx would have Teams retry it and show an error.
            return web.json_response({}, status=200)
        return response

    return messages


_PERSONAL_TURNS = frozenset({"message", "invoke", "messageReaction"})


async def _audit_mismatch(references: References, service: ReflectionService, activity: Activity) -> None:
    place = translate.where(activity)
    owner = await references.owner_of(place.tenant, place.channel) if place else None
    await service.audit_identity_refused(
        platform="teams",
        workspace=place.tenant if place else "-",
        claimed_user=translate.sender_id(activity, group=False) or "-",
        conversation=place.channel if place else "-",
        owner=owner,
    )


def _token_shape_ok(header: str) -> bool:
    """A bearer JWT whose header names an RS256 key id (what Bot Framework tokens carry).

    Checked before the SDK sees the token: it indexes the header's `kid` (a KeyError, a 500,
    when missing), and fetches signing keys for any kid it is given."""
    parts = header.split()
    if len(parts) != 2 or parts[0].lower() != "bearer":
        return False
    try:
        token_header = jwt.get_unverified_header(parts[1])
    except (jwt.PyJWTError, ValueError, TypeError):
        return False
    kid = token_header.get("kid")
    return token_header.get("alg") == "RS256" and isinstance(kid, str) and 0 < len(kid) <= 200


def auth_guard(anonymous: bool) -> Any:
    """In front of the SDK's JWT middleware: anything wrong with authentication is a 401.

    The SDK raises (a 500) on some bad tokens, a JWT without `kid` among them; and anonymous
    activities are accepted only from this machine (the local Playground)."""

    @web.middleware
    async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
        header = request.headers.get("Authorization")
        if header is None and anonymous and not is_loopback(request.remote):
            return _refuse(401, "anonymous request not from loopback")
        if header is not None and not _token_shape_ok(header):
            return _refuse(401, "token")
        reached = False

        async def inner(req: web.Request) -> web.StreamResponse:
            nonlocal reached
            reached = True
            return await handler(req)

        try:
            response: web.StreamResponse = await jwt_authorization_middleware(request, inner)
            return response
        except Exception as error:
            if reached:
                raise
            log.warning("teams.rejected", reason="token", error=type(error).__name__, status=401)
            return web.json_response({"error": "unauthorized"}, status=401)

    return guard


def mount(app: web.Application, runtime: Runtime) -> None:
    """Add POST /api/messages behind JWT validation; the bot is kept at app[TEAMS_BOT]."""
    install_record_scrubber()  # Bolt's and the SDK's own logs quote payloads
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
    logging.getLogger("microsoft_agents.activity.activity").addFilter(_silence_activity_validation)
    api = web.Application(middlewares=[auth_guard(bot.auth.ANONYMOUS_ALLOWED)])
    with warnings.catch_warnings():  # the SDK reads this plain string key, not a web.AppKey
        warnings.simplefilter("ignore", web.NotAppKeyWarning)
        api[CONFIG_KEY] = bot.auth
    api.router.add_post(ROUTE, handler(bot, runtime.service))
    app.add_subapp(PREFIX, api)
    app[TEAMS_BOT] = bot


__all__ = ["TEAMS_BOT", "TeamsBot", "auth_configuration", "build_bot", "mount"]
