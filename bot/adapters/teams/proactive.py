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
from typing import Literal
from urllib.parse import urlparse

import structlog
from microsoft_agents.activity import Activity, ConversationReference
from microsoft_agents.hosting.core import ChannelServiceAdapter, ClaimsIdentity, TurnContext
from pydantic import ValidationError

from bot.adapters.teams import render, translate
from bot.adapters.teams.delivery import Delivery, Sleep, deliver
from bot.service import ConversationReferences
from bot.turns import ConversationKey, Outgoing

log = structlog.get_logger(__name__)

ProactiveResult = Literal["sent", "no_reference", "inactive", "gone", "failed"]
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

    async def send_proactive(self, key: ConversationKey, messages: Sequence[Outgoing]) -> ProactiveResult:
        """Post `messages` to the conversation `key` names (its workspace and channel)."""
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
        activities = render.render_all(messages)
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
