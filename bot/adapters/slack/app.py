"""The slack-bolt AsyncApp, its Web API client and its listeners: shared by HTTP and Socket Mode.

Every listener does the same three things and nothing else: translate the payload
(translate.py), accept it (the dispatcher stores it in the inbox: one small insert and
commit) and acknowledge. The turn itself runs in a tracked task after that, so the
acknowledgement goes back within milliseconds whatever the AI, the Web API or a note is
doing, and what Slack was told we got is already durable.

`process_before_response=True` is deliberate: the listener (with its insert) runs before the
HTTP response, so Slack never gets a 200 for an event we have not stored; if storing fails,
Slack gets an error and retries.

The client talks to SLACK_API_URL (tests point it at a local mock) and retries 429s after the
Retry-After delay (slack_sdk's AsyncRateLimitErrorRetryHandler); the outbox (bot/outbox.py,
sender.py) retries the rest and keeps the order.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass, replace
from typing import Any

import aiohttp
from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.oauth.async_oauth_flow import AsyncOAuthFlow
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack import oauth, texts, translate
from bot.adapters.slack.dispatch import Dispatcher
from bot.adapters.slack.tasks import Tasks
from bot.adapters.slack.workspaces import RecentBots, Workspaces, new_client
from bot.config import Settings
from bot.errors import ConfigError
from bot.service import Runtime

SLASH_COMMAND = "/reflect"
# On SIGTERM, how long running turns and sends may take; the rest waits for the next start.
DRAIN_S = float(os.environ.get("REFLECT_DRAIN_SECONDS", "10"))


def api_base_url(settings: Settings) -> str | None:
    """SLACK_API_URL with the trailing slash slack_sdk needs (None: Slack's own)."""
    url = settings.slack_api_url
    if not url:
        return None
    return url if url.endswith("/") else url + "/"


def build_client(settings: Settings) -> AsyncWebClient:
    """The single-token client (SLACK_BOT_TOKEN)."""
    if settings.slack_bot_token is None:
        raise ConfigError(["SLACK_BOT_TOKEN is not set"])
    return new_client(settings.slack_bot_token.get_secret_value(), api_base_url(settings))


@dataclass
class SlackAdapter:
    bolt: AsyncApp
    client: AsyncWebClient  # the single-token client; with OAuth installs, a client with no token
    dispatcher: Dispatcher
    tasks: Tasks
    workspaces: Workspaces
    oauth_flow: AsyncOAuthFlow | None = None
    oauth_pages: oauth.Pages | None = None

    async def settle(self) -> None:
        """Wait for all work scheduled so far (and the work it schedules) to finish: turns,
        then the replies they stored."""
        outbox = self.dispatcher.service.outbox
        while len(self.tasks) or outbox.busy:
            await self.tasks.settle()
            await outbox.settle()

    async def open(self) -> None:
        """One HTTP session for every Web API call, kept alive between them (the SDK opens
        and closes a session, and a connection, per call without one)."""
        if self.client.session is None or self.client.session.closed:
            self.client.session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=self.client.timeout)
            )

    async def close(self, timeout: float = DRAIN_S) -> None:
        """Drain: let running turns and sends finish; what cannot stays stored for next start."""
        self.dispatcher.service.stop()
        await self.tasks.close(timeout)
        await self.dispatcher.service.outbox.close(timeout)
        session, self.client.session = self.client.session, None
        if session is not None:
            await session.close()


def register(bolt: AsyncApp, dispatcher: Dispatcher) -> None:
    async def on_message(body: dict[str, Any], context: AsyncBoltContext) -> None:
        inbound = translate.message(body, context.bot_user_id)
        if inbound is not None:
            await dispatcher.accept(inbound, "message")

    async def on_home_opened(body: dict[str, Any]) -> None:
        who = translate.home_opened(body)
        if who is not None:
            dispatcher.start_home(who)

    async def on_command(ack: AsyncAck, body: dict[str, Any]) -> None:
        in_dm = translate.slash_in_dm(body)
        inbound = translate.slash_command(body)
        if inbound is not None:
            await dispatcher.accept(inbound, "command")
        await ack(response_type="ephemeral", text=texts.SLASH_ACK if in_dm else texts.SLASH_ACK_ELSEWHERE)

    async def on_button(ack: AsyncAck, body: dict[str, Any]) -> None:
        inbound = translate.button(body)
        if inbound is not None:
            await dispatcher.accept(inbound, "button")
        await ack()

    async def on_long_answer(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        request = translate.long_answer(body)
        if request is not None:
            dispatcher.start_long_answer(request)

    async def on_note(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        request = translate.note(body)
        if request is not None:
            dispatcher.start_note(request)

    async def on_submission(ack: AsyncAck, body: dict[str, Any]) -> None:
        inbound = translate.submission(body)
        if inbound is not None:
            await dispatcher.accept(inbound, "modal")
        await ack()  # closes the modal; the answer appears in the DM

    async def on_shortcut(ack: AsyncAck, body: dict[str, Any]) -> None:
        started = translate.message_shortcut(body)
        if started is not None:  # the message's words go no further than the case reference
            await dispatcher.accept(started.inbound, "shortcut", preset_case=started.case_ref)
        await ack()

    async def on_uninstalled(context: AsyncBoltContext) -> None:
        await dispatcher.workspaces.revoked(context.enterprise_id, context.team_id)

    async def on_tokens_revoked(event: dict[str, Any], context: AsyncBoltContext) -> None:
        found = event.get("tokens")
        tokens: dict[str, Any] = found if isinstance(found, dict) else {}
        users = tuple(u for u in tokens.get("oauth") or () if isinstance(u, str))
        await dispatcher.workspaces.revoked(
            context.enterprise_id, context.team_id, bot=bool(tokens.get("bot")), users=users
        )

    async def on_other_event() -> None:
        """Acknowledge (200) events we have no use for, so Slack does not retry them."""

    bolt.event("message")(on_message)
    bolt.event("app_home_opened")(on_home_opened)
    bolt.event("app_uninstalled")(on_uninstalled)  # OAuth installs: forget the tokens
    bolt.event("tokens_revoked")(on_tokens_revoked)
    bolt.event(re.compile(r".*"))(on_other_event)  # registered last: Bolt runs the first match
    bolt.command(SLASH_COMMAND)(on_command)
    bolt.action(re.compile(f"^{re.escape(translate.BUTTON_PREFIX)}"))(on_button)
    bolt.action(translate.LONG_ANSWER_ACTION)(on_long_answer)
    bolt.action(translate.NOTE_ACTION)(on_note)
    bolt.view(translate.LONG_ANSWER_CALLBACK)(on_submission)
    bolt.shortcut(translate.SHORTCUT_CALLBACK)(on_shortcut)


def build_adapter(runtime: Runtime, stores: oauth.InstallStores | None = None) -> SlackAdapter:
    """The Bolt app, clients, dispatcher and task set for one process (HTTP or Socket Mode).

    With `stores` (OAuth installs: SLACK_CLIENT_ID and SLACK_CLIENT_SECRET) the app serves
    every workspace that installed it, each with its own rotating token; without, the one
    SLACK_BOT_TOKEN."""
    settings = runtime.settings
    secret = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else None
    common: dict[str, Any] = {
        "signing_secret": secret or "",
        # Socket Mode needs no signature; HTTP mounting refuses to run without one (http.py).
        "request_verification_enabled": secret is not None,
        "process_before_response": True,
        "logger": logging.getLogger("bot.adapters.slack.bolt"),
        "name": "reflect",
    }
    flow: AsyncOAuthFlow | None = None
    pages: oauth.Pages | None = None
    if stores is not None:
        client = new_client(None, api_base_url(settings))
        # One look-up of an install a minute, not one (and a token decrypted) per event.
        stores = replace(stores, installations=RecentBots(stores.installations))
        parts = oauth.build(settings, client, stores, runtime.service)
        workspaces = Workspaces(client, stores.installations, parts.rotator)
        flow, pages = parts.flow, parts.pages
        # Bolt takes an AsyncAuthorize instance as is (its hint names only plain functions).
        bolt = AsyncApp(
            client=client,
            authorize=parts.authorize,  # type: ignore[arg-type]
            oauth_flow=flow,
            # what a slash command or click in a workspace that uninstalled the app is told
            user_facing_authorize_error_message=runtime.service.wording.text("slack/not_installed.j2"),
            **common,
        )
    else:
        client = build_client(settings)
        workspaces = Workspaces(client)
        bolt = AsyncApp(client=client, **common)
    tasks = Tasks()
    dispatcher = Dispatcher(runtime.service, workspaces, tasks)
    register(bolt, dispatcher)
    return SlackAdapter(
        bolt=bolt,
        client=client,
        dispatcher=dispatcher,
        tasks=tasks,
        workspaces=workspaces,
        oauth_flow=flow,
        oauth_pages=pages,
    )
