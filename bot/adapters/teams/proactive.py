"""Reaching a Teams conversation later: conversation references, and `send_proactive`.

Teams lets a bot post into a conversation it is part of at any time, given that
conversation's reference (service URL, conversation, bot and tenant) from an earlier
activity. `References.refresh` keeps one per conversation, refreshed from every inbound
activity, because Teams can move a conversation to another service URL. Reminders and notes
sent later call `Proactive.send_proactive(key, messages)`.

No retry storms: when Teams answers 403 or 404 the reference is marked inactive and the
send is not retried; later sends to it return at once without a request, until an activity
from that conversation shows the bot is back. Throttling and server errors get the bounded
retry of delivery.py.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Literal, cast
from urllib.parse import urlparse

import structlog
from microsoft_agents.activity import (
    Activity,
    ChannelAccount,
    ConversationAccount,
    ConversationParameters,
    ConversationReference,
)
from microsoft_agents.hosting.core import ChannelServiceAdapter, ClaimsIdentity, TurnContext
from microsoft_agents.hosting.core.connector import ConnectorClientBase
from pydantic import ValidationError

from bot.adapters.teams import render, translate
from bot.adapters.teams.delivery import Delivery, Sleep, deliver, status_of
from bot.service import ConversationReferences
from bot.turns import ConversationKey, Outgoing

log = structlog.get_logger(__name__)

ProactiveResult = Literal["sent", "no_reference", "inactive", "gone", "failed"]
CONNECTOR_CLIENT = "ConnectorClient"  # where the SDK keeps a turn's connector client (turn_state)
Clock = Callable[[], datetime]


class References:
    """The conversation references the service keeps, seen from the adapter."""

    def __init__(self, stored: ConversationReferences, clock: Clock) -> None:
        self.stored = stored
        self.clock = clock

    def key(self, tenant: str, channel: str) -> str:
        return self.stored.key(tenant, channel)

    async def owner_of(self, tenant: str, channel: str) -> str | None:
        """Whom a stored personal conversation belongs to (the first sender's id), if anyone."""
        stored = await self.stored.load(self.key(tenant, channel))
        return stored.user_id if stored is not None else None

    async def refresh(self, activity: Activity) -> str | None:
        """Store this activity's conversation reference; returns the reference key."""
        place = translate.where(activity)
        if place is None or not activity.service_url:
            return None
        reference = activity.get_conversation_reference()
        reference.activity_id = None  # a proactive message starts something new
        user = translate.sender_id(activity, group=False) if not place.group else None
        key = self.key(place.tenant, place.channel)
        await self.stored.remember(
            key=key,
            tenant_id=place.tenant,
            conversation_type=place.conversation_type,
            user_id=user,
            reference_json=reference.model_dump_json(by_alias=True, exclude_none=True),
            now=self.clock(),
        )
        return key

    async def personal_chat(self, tenant: str, user: str) -> str | None:
        """The conversation id of this person's personal chat with the bot, if they have one."""
        stored = await self.stored.for_user(tenant, user)
        if stored is None or not stored.active:
            return None
        try:
            reference = ConversationReference.model_validate_json(stored.reference_json)
        except ValidationError:
            return None
        return reference.conversation.id if reference.conversation is not None else None

    async def deactivate(self, key: str, reason: str) -> None:
        await self.stored.deactivate(key, reason, self.clock())
        log.warning("teams.reference_inactive", reason=reason)

    async def greet_once(self, key: str) -> bool:
        return await self.stored.claim_greeting(key, self.clock())


class Proactive:
    """Sends engine messages to a conversation outside any inbound turn."""

    def __init__(
        self,
        adapter: ChannelServiceAdapter,
        references: References,
        app_id: str | None,
        *,
        attempts: int = 3,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.adapter = adapter
        self.references = references
        self.app_id = app_id
        self.attempts = attempts
        self.sleep = sleep

    async def open_personal_chat(self, turn_context: TurnContext, tenant: str) -> str | None:
        """Create the personal chat between the bot and the sender of this turn's activity
        (Teams allows it wherever the app is installed for them), through the turn's own
        connector client, and keep its reference bound to them; its conversation id, or None."""
        activity = turn_context.activity
        sender, bot = activity.from_property, activity.recipient
        connector = cast("ConnectorClientBase | None", turn_context.turn_state.get(CONNECTOR_CLIENT))
        if sender is None or bot is None or connector is None:
            return None
        parameters = ConversationParameters(
            is_group=False,
            agent=ChannelAccount(id=bot.id),
            members=[ChannelAccount(id=sender.id)],
            tenant_id=tenant,
            channel_data={"tenant": {"id": tenant}},
        )
        try:
            created = await connector.conversations.create_conversation(parameters)
        except Exception as error:  # not installed for them (403), or the connector failed
            log.warning("teams.create_chat_failed", error=type(error).__name__, status=status_of(error))
            return None
        if not created.id:
            return None
        chat = activity.model_copy(
            update={
                "conversation": ConversationAccount(
                    id=created.id, conversation_type="personal", tenant_id=tenant
                ),
                "channel_data": {"tenant": {"id": tenant}},
            }
        )
        await self.references.refresh(chat)  # bound to the sender, as if they had written first
        return str(created.id)

    async def send_proactive(self, key: ConversationKey, messages: Sequence[Outgoing]) -> ProactiveResult:
        """Post `messages` to the conversation `key` names (its workspace and channel)."""
        return await self.send_activities(key, render.render_all(messages))

    async def send_activities(self, key: ConversationKey, activities: Sequence[Activity]) -> ProactiveResult:
        """Post rendered activities (cards included) to the conversation `key` names."""
        ref_key = self.references.key(key.workspace, key.channel)
        stored = await self.references.stored.load(ref_key)
        if stored is None:
            return "no_reference"
        if not stored.active:
            log.info("teams.proactive_skipped", reason=stored.inactive_reason)
            return "inactive"
        try:
            reference = ConversationReference.model_validate_json(stored.reference_json)
        except ValidationError:
            return "no_reference"
        if not self.app_id and not translate.is_loopback(urlparse(reference.service_url or "").hostname):
            # Anonymous (the local Playground) sends only to this machine, whatever was stored.
            log.warning("teams.proactive_refused", reason="anonymous serviceUrl not on loopback")
            return "failed"
        outcome: list[Delivery] = []

        async def callback(context: TurnContext) -> None:
            outcome.append(
                await deliver(context.send_activity, activities, attempts=self.attempts, sleep=self.sleep)
            )

        continuation = reference.get_continuation_activity()
        try:
            if self.app_id:
                await self.adapter.continue_conversation(self.app_id, continuation, callback)
            else:  # anonymous (the local Playground): no token to ask for
                await self.adapter.continue_conversation_with_claims(ClaimsIdentity(), continuation, callback)
        except Exception as error:  # token or connector set-up failed before any send
            log.error("teams.proactive_failed", error=type(error).__name__)
            return "failed"
        delivery = outcome[0] if outcome else Delivery(failed=True)
        if delivery.gone:
            await self.references.deactivate(ref_key, f"refused {delivery.status}")
            return "gone"
        return "sent" if delivery.ok else "failed"


__all__ = ["Proactive", "ProactiveResult", "References"]
