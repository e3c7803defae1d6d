"""The Agents SDK ActivityHandler: each Teams activity in, the service's replies out.

Per activity, in order:

1. Refresh the conversation reference (proactive.py), whatever the activity is, so notes and
   reminders can reach the conversation later. A storage failure here is logged and the
   activity still handled.
2. By type:
   * message: translate (translate.py) to an `Incoming`; `ReflectionService.accept` stores
     it in the inbox before Teams gets its 2xx; `drain` runs the conversation's waiting
     turns through the one pipeline, whose replies go into the outbox; the outbox sends them
     through this request (TeamsSurface: render.py, delivery.py). Personal chats run a
     reflection; group chats and channels run group supervision: that choice, and everything
     about the conversation, is the service's and the engine's. A redelivered activity finds
     its inbox row and nothing is sent twice.
   * installationUpdate (add) and conversationUpdate with the bot among the members added:
     say hello, once per conversation (Teams and the Playground repeat these).
   * installationUpdate (remove), the bot among the members removed: mark the reference
     inactive.
   Anything else is acknowledged and ignored.

Group messages that do not @mention the bot arrive only when the app has resource-specific
consent to read the chat or channel. Those are passed on only while a group session is open
there, so ordinary conversation in a team's channel never gets an answer from the bot.

The turn runs inside Teams' HTTP request (the Agents SDK's model): the replies go out before
Teams gets its 202. Logs carry kinds, counts and statuses: never text, names or ids.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator, Sequence
from typing import Any

import structlog
from microsoft_agents.activity import (
    Activity,
    AdaptiveCardInvokeResponse,
    AdaptiveCardInvokeValue,
    ChannelAccount,
)
from microsoft_agents.hosting.core import ActivityHandler, TurnContext

from bot.adapters.teams import render, texts, translate
from bot.adapters.teams.delivery import Delivery, Sleep, deliver
from bot.adapters.teams.proactive import Proactive, References
from bot.core.outbox import OutboxItem
from bot.errors import ReflectError
from bot.outbox import GiveUp
from bot.service import ReflectionService, lane_of
from bot.turns import ConversationKey, Incoming, Outgoing, TurnResult, file_from_json, outgoing_from_json

log = structlog.get_logger(__name__)


def group_channel_key(key: ConversationKey) -> str:
    """The channel key the service gives a group session (bot.service.group_key)."""
    return f"{key.platform}:{key.workspace}:{key.channel}"


class TeamsSurface:
    """Teams' side of the outbox (bot/outbox.py). While an activity's request is open its
    replies go back through that request's TurnContext (delivery.py's bounded retry, the
    Agents SDK's model); rows resumed after a restart go proactively (proactive.py)."""

    platform = "teams"

    def __init__(self, agent: TeamsAgent) -> None:
        self.agent = agent
        self._live: dict[str, list[TurnContext]] = {}

    @contextlib.contextmanager
    def live(self, lane: str, context: TurnContext) -> Iterator[None]:
        self._live.setdefault(lane, []).append(context)
        try:
            yield
        finally:
            contexts = self._live.get(lane, [])
            contexts.remove(context)
            if not contexts:
                self._live.pop(lane, None)

    async def prepare(self, incoming: Incoming, address: dict[str, Any]) -> tuple[Incoming, dict[str, Any]]:
        return incoming, address

    def parts(self, item: OutboxItem) -> Sequence[Outgoing]:
        if item.kind == "messages":
            return [outgoing_from_json(m) for m in item.payload.get("messages", ())]
        file, purpose = file_from_json(item.payload)
        if purpose == "note":
            return []  # the note is in the chat as messages; Teams gets no markdown file
        return [Outgoing(text=texts.FILES_NOT_SENT.format(title=file.title))]

    async def delivered(self, item: OutboxItem, index: int, part: Outgoing) -> bool:
        """Teams lets a bot send and update its messages but not read its conversation back,
        so a part whose post was cut off by a crash is sent again (at least once)."""
        return False

    async def send_part(self, item: OutboxItem, index: int, part: Outgoing) -> None:
        contexts = self._live.get(item.lane)
        activities = render.render(part) if part.kind != "error" else [render.plain(part.text)]
        if contexts:
            delivery = await self.agent.send(contexts[-1], activities)
            if not delivery.ok:
                raise GiveUp(f"status {delivery.status}")
            return
        proactive = self.agent.proactive
        if proactive is None:
            raise GiveUp("no_proactive")
        key = ConversationKey(
            "teams", item.address["tenant"], item.address.get("channel") or "", item.address["user"]
        )
        sent = await proactive.send_proactive(key, [part])
        if sent != "sent":
            raise GiveUp(sent)

    async def gave_up(self, item: OutboxItem) -> None:
        """Teams refused or kept failing: nothing more to try now; the next message re-posts."""

    async def after_turn(self, incoming: Incoming, result: TurnResult) -> None:
        pass


class TeamsAgent(ActivityHandler):
    def __init__(
        self,
        service: ReflectionService,
        references: References,
        sleep: Sleep = asyncio.sleep,
        proactive: Proactive | None = None,
    ) -> None:
        self.service = service
        self.references = references
        self.sleep = sleep
        self.proactive = proactive  # for replies resumed after a restart (set by http.py)
        self.surface = TeamsSurface(self)
        service.outbox.register(self.surface)

    # ------------------------------------------------------------------ every activity

    async def on_turn(self, turn_context: TurnContext) -> None:  # type: ignore[override]
        try:
            await self.references.refresh(turn_context.activity)
        except Exception as error:  # the reply matters more than the reference
            log.error("teams.reference_failed", error=type(error).__name__)
        await super().on_turn(turn_context)

    async def send(self, turn_context: TurnContext, activities: list[Activity]) -> Delivery:
        delivery = await deliver(turn_context.send_activity, activities, sleep=self.sleep)
        if delivery.gone:
            await self._deactivate(turn_context.activity, f"refused {delivery.status}")
        return delivery

    # ------------------------------------------------------------------ messages

    async def on_message_activity(self, turn_context: TurnContext) -> None:  # type: ignore[override]
        activity = turn_context.activity
        incoming = translate.incoming(activity)
        if incoming is None:
            return
        if (
            incoming.conversation == "group"
            and not translate.addressed(activity)
            and not await self._group_open(incoming)
        ):
            return
        await self._run(incoming, turn_context)

    async def _run(self, incoming: Incoming, turn_context: TurnContext) -> None:
        """Store the event, run the conversation's waiting turns, send their replies here."""
        key = incoming.key
        address = {"tenant": key.workspace, "channel": key.channel, "user": key.user}
        accepted = await self.service.accept(incoming, address=address)  # before Teams gets 2xx
        if accepted.done:
            log.info("teams.duplicate", conversation=incoming.conversation)
            return
        lane = lane_of(incoming)
        with self.surface.live(lane, turn_context):
            results = await self.service.drain(lane)
            sending = self.service.outbox.sending(lane)  # in this request, through its context
            if sending is not None:
                await sending
        log.info(
            "teams.turn",
            conversation=incoming.conversation,
            replies=sum(len(r.messages) for r in results),
            completed=any(r.completed_session_id is not None for r in results),
        )

    # ------------------------------------------------------------------ Universal Actions

    async def on_adaptive_card_invoke(  # type: ignore[override]
        self, turn_context: TurnContext, invoke_value: AdaptiveCardInvokeValue
    ) -> AdaptiveCardInvokeResponse:
        """An Action.Execute on the minutes' review card (render.review_card): Teams refreshing
        it for one member, or that member confirming or correcting. Confirm and correct are
        group turns like a typed message (their replies go to the chat); the answer is the
        member's own view, which only they see."""
        activity = turn_context.activity
        action = invoke_value.action
        place = translate.where(activity)
        key = translate.conversation_key(activity)
        if action.verb not in translate.REVIEW_VERBS or place is None or not place.group or key is None:
            return await super().on_adaptive_card_invoke(turn_context, invoke_value)  # 501: ignored
        text = translate.review_text(action.verb, action.data)
        if text is not None:
            sender = activity.from_property
            name = translate.display_name(sender)
            incoming = Incoming(
                key=key, text=text, event_id=activity.id, conversation="group", sender_name=name
            )
            await self._run(incoming, turn_context)
        view = await self.service.group_review_view(key)
        log.info("teams.review_view", refreshed=text is None)
        return AdaptiveCardInvokeResponse(
            status_code=200, type=render.ADAPTIVE_CARD, value=render.view_card(view)
        )

    async def _group_open(self, incoming: Incoming) -> bool:
        return await self.service.group_open(incoming.key)

    # ------------------------------------------------------------------ installs and members

    async def on_installation_update_add(self, turn_context: TurnContext) -> None:  # type: ignore[override]
        await self._greet(turn_context)

    async def on_installation_update_remove(self, turn_context: TurnContext) -> None:  # type: ignore[override]
        await self._deactivate(turn_context.activity, "uninstalled")

    async def on_members_added_activity(  # type: ignore[override]
        self, members_added: list[ChannelAccount], turn_context: TurnContext
    ) -> None:
        if translate.bot_in(members_added, turn_context.activity):
            await self._greet(turn_context)

    async def on_members_removed_activity(  # type: ignore[override]
        self, members_removed: list[ChannelAccount], turn_context: TurnContext
    ) -> None:
        if translate.bot_in(members_removed, turn_context.activity):
            await self._deactivate(turn_context.activity, "removed")

    async def _greet(self, turn_context: TurnContext) -> None:
        place = translate.where(turn_context.activity)
        if place is None:
            return
        if not await self.references.greet_once(self.references.key(place.tenant, place.channel)):
            return
        text = texts.WELCOME_GROUP if place.group else texts.WELCOME_PERSONAL
        await self.send(turn_context, [render.plain(text)])

    async def _deactivate(self, activity: Activity, reason: str) -> None:
        place = translate.where(activity)
        if place is None:
            return
        await self.references.deactivate(self.references.key(place.tenant, place.channel), reason)


async def on_turn_error(turn_context: TurnContext, error: Exception) -> None:
    """Replaces the SDK's default, which prints the traceback and sends the exception's text
    (which can quote a worker's words) into the chat."""
    log.error("teams.unhandled", activity=turn_context.activity.type, error=type(error).__name__)
    if turn_context.activity.type != "message":
        return  # an install, an update, or a proactive continuation: no one is waiting for words
    try:
        await turn_context.send_activity(render.plain(ReflectError.user_message))
    except Exception as failure:
        log.error("teams.notice_failed", error=type(failure).__name__)


__all__ = ["TeamsAgent", "group_channel_key", "on_turn_error"]
