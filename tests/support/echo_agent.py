"""A minimal Microsoft 365 Agents SDK (1.9.x) bot for driving the Agents Playground in tests.

What it does, so a test can assert on it:

- a plain message ``X`` is answered with ``echo: X``;
- the message ``card`` is answered with an Adaptive Card carrying Action.Submit buttons;
  pressing one arrives as a *message* activity with ``text`` empty and ``value`` set to the
  button's ``data`` (plus any card inputs), answered with ``submitted: {...json...}``;
- the message ``proactive`` is answered at once, then a second message ``proactive ping`` is sent
  through ``continue_conversation_with_claims`` with the stored ConversationReference;
- every inbound activity is kept in ``EchoAgent.received`` (type, id, from, conversation, tenant,
  entities, value...) so tests can check what the Playground really sends.

Auth: ``auth_configuration()`` builds the ``AgentAuthConfiguration`` the JWT middleware reads from
``app["agent_configuration"]``. ``anonymous=True`` (no app id) accepts activities without an
``Authorization`` header, which is what the Playground sends when started without --client-id.
With an app id/password/tenant, tokens are validated (JWKS fetched from Microsoft).

Run standalone: ``python -m tests.support.echo_agent --port 3978`` (anonymous).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import socket
import warnings
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from microsoft_agents.activity import (
    Activity,
    Attachment,
    ChannelAccount,
    ConversationReference,
)
from microsoft_agents.authentication.msal import MsalConnectionManager
from microsoft_agents.hosting.aiohttp import CloudAdapter, jwt_authorization_middleware
from microsoft_agents.hosting.core import (
    ActivityHandler,
    AgentAuthConfiguration,
    ClaimsIdentity,
    MessageFactory,
    TurnContext,
)
from microsoft_agents.hosting.core.authorization import AuthTypes

log = logging.getLogger(__name__)

ADAPTIVE_CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def choice_card(prompt: str = "Pick one", choices: tuple[str, ...] = ("Yes", "No")) -> dict[str, Any]:
    """An Adaptive Card 1.4 with one Action.Submit per choice (data = {"choice": label})."""
    return {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": "1.4",
        "body": [
            {"type": "TextBlock", "text": prompt, "wrap": True},
            {"type": "Input.Text", "id": "note", "placeholder": "optional note"},
        ],
        "actions": [
            {"type": "Action.Submit", "title": c, "data": {"action": "choose", "choice": c}} for c in choices
        ],
    }


def card_attachment(card: dict[str, Any]) -> Attachment:
    return Attachment(content_type=ADAPTIVE_CARD_CONTENT_TYPE, content=card)


def summarize(activity: Activity) -> dict[str, Any]:
    """The fields our Teams adapter cares about, as plain JSON-able values."""
    channel_data: Any = activity.channel_data  # a plain dict in 1.9 (Activity.channel_data: object)
    if hasattr(channel_data, "model_dump"):
        channel_data = channel_data.model_dump(by_alias=True, exclude_none=True)
    frm = activity.from_property
    conv = activity.conversation
    return {
        "type": activity.type,
        "id": activity.id,
        "name": activity.name,
        "text": activity.text,
        "value": activity.value,
        "service_url": activity.service_url,
        "channel_id": str(activity.channel_id) if activity.channel_id else None,
        "from_id": frm.id if frm else None,
        "from_name": frm.name if frm else None,
        "from_aad_object_id": frm.aad_object_id if frm else None,
        "conversation_id": conv.id if conv else None,
        "conversation_type": conv.conversation_type if conv else None,
        "conversation_tenant_id": conv.tenant_id if conv else None,
        "is_group": conv.is_group if conv else None,
        "channel_data": channel_data,
        "entities": [e.model_dump(by_alias=True, exclude_none=True) for e in activity.entities or []],
        "members_added": [m.id for m in activity.members_added or []],
    }


class EchoAgent(ActivityHandler):
    """ActivityHandler subclass; keeps the adapter for proactive sends."""

    def __init__(self, adapter: CloudAdapter) -> None:
        self.adapter = adapter
        self.received: list[dict[str, Any]] = []
        self.references: dict[str, ConversationReference] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    async def on_turn(self, turn_context: TurnContext) -> None:  # type: ignore[override]
        act = turn_context.activity
        self.received.append(summarize(act))
        if act.conversation and act.conversation.id:
            self.references[act.conversation.id] = act.get_conversation_reference()
        await super().on_turn(turn_context)

    async def on_message_activity(self, turn_context: TurnContext) -> None:  # type: ignore[override]
        act = turn_context.activity
        if act.value is not None and not (act.text or "").strip():
            await turn_context.send_activity(
                MessageFactory.text("submitted: " + json.dumps(act.value, sort_keys=True))
            )
            return
        text = (act.text or "").strip()
        if text.lower() == "card":
            await turn_context.send_activity(
                MessageFactory.attachment(card_attachment(choice_card("Pick one", ("Yes", "No"))))
            )
        elif text.lower() == "proactive":
            await turn_context.send_activity(MessageFactory.text("proactive scheduled"))
            ref = act.get_conversation_reference()
            task = asyncio.get_running_loop().create_task(self.send_proactive(ref, "proactive ping"))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        else:
            await turn_context.send_activity(MessageFactory.text(f"echo: {text}"))

    async def on_members_added_activity(  # type: ignore[override]
        self, members_added: list[ChannelAccount], turn_context: TurnContext
    ) -> None:
        return None

    async def send_proactive(self, reference: ConversationReference, text: str, delay: float = 0.3) -> None:
        """Proactive send. Anonymous (no app id): an empty ClaimsIdentity selects the anonymous token
        provider. With an app id use ``adapter.continue_conversation(app_id, ...)`` instead."""
        await asyncio.sleep(delay)

        async def _cb(ctx: TurnContext) -> None:
            await ctx.send_activity(MessageFactory.text(text))

        await self.adapter.continue_conversation_with_claims(
            ClaimsIdentity(), reference.get_continuation_activity(), _cb
        )


def auth_configuration(
    app_id: str | None = None,
    app_password: str | None = None,
    tenant_id: str | None = None,
    *,
    anonymous: bool | None = None,
) -> AgentAuthConfiguration:
    """No app id -> anonymous allowed (local Playground only). App id + password -> client-secret
    auth; the JWT middleware then rejects requests without a valid Bearer token (401)."""
    if anonymous is None:
        anonymous = not app_id
    if app_id:
        return AgentAuthConfiguration(
            auth_type=AuthTypes.client_secret,
            client_id=app_id,
            client_secret=app_password,
            tenant_id=tenant_id,
            anonymous_allowed=anonymous,
        )
    return AgentAuthConfiguration(anonymous_allowed=anonymous)


def create_app(config: AgentAuthConfiguration | None = None) -> tuple[web.Application, EchoAgent]:
    config = config or auth_configuration()
    connection_manager = MsalConnectionManager(connections_configurations={"SERVICE_CONNECTION": config})
    adapter = CloudAdapter(connection_manager=connection_manager)
    agent = EchoAgent(adapter=adapter)

    async def messages(request: web.Request) -> web.StreamResponse:
        response = await adapter.process(request, agent)
        return response if response is not None else web.Response(status=202)

    async def healthz(_: web.Request) -> web.Response:
        return web.json_response({"ok": True})

    # The JWT middleware is what enforces auth: without it every request is treated as anonymous.
    app = web.Application(middlewares=[jwt_authorization_middleware])
    with warnings.catch_warnings():  # the SDK reads this exact string key, not a web.AppKey
        warnings.simplefilter("ignore", web.NotAppKeyWarning)
        app["agent_configuration"] = config
    app.router.add_post("/api/messages", messages)
    # healthz is behind the middleware too; anonymous mode lets it through.
    app.router.add_get("/healthz", healthz)
    return app, agent


@dataclass
class RunningAgent:
    url: str  # .../api/messages
    agent: EchoAgent
    port: int


@contextlib.asynccontextmanager
async def run_echo_agent(
    port: int | None = None, config: AgentAuthConfiguration | None = None
) -> AsyncIterator[RunningAgent]:
    """Serve the echo agent on 127.0.0.1 inside the current event loop."""
    app, agent = create_app(config)
    runner = web.AppRunner(app)
    await runner.setup()
    port = port or free_port()
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    try:
        yield RunningAgent(url=f"http://127.0.0.1:{port}/api/messages", agent=agent, port=port)
    finally:
        for t in list(agent._tasks):
            t.cancel()
        await runner.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description="Echo bot for the Agents Playground (anonymous auth).")
    parser.add_argument("--port", type=int, default=3978)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO)
    app, _ = create_app()
    web.run_app(app, host="127.0.0.1", port=args.port)


if __name__ == "__main__":
    main()
