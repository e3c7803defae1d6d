"""The Agents SDK ActivityHandler: each Teams activity in, the service's replies out.

Per activity, in order:

1. Refresh the conversation reference (proactive.py), whatever the activity is, so notes and
   reminders can reach the conversation later. A storage failure here is logged and the
   activity still handled.
2. By type:
   * message: translate (translate.py) to an `Incoming`, `ReflectionService.handle`, render
     (render.py) and send in order (delivery.py). Personal chats run a reflection; group chats
     and channels run group supervision: that choice, and everything about the conversation,
     is the service's and the engine's. A redelivered activity comes back `duplicate` and
     nothing is sent.
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

import structlog
from microsoft_agents.activity import Activity, ChannelAccount
from microsoft_agents.hosting.core import ActivityHandler, TurnContext

from bot.adapters.teams import render, texts, translate
from bot.adapters.teams.delivery import Delivery, Sleep, deliver
from bot.adapters.teams.proactive import References
from bot.errors import ReflectError
from bot.service import ReflectionService
from bot.turns import ConversationKey, Incoming, TurnResult
from storage.teams_repository import reference_key

log = structlog.get_logger(__name__)


def group_channel_key(key: ConversationKey) -> str:
    """The channel key the service gives a group session (bot.service.group_key)."""
    return f"{key.platform}:{key.workspace}:{key.channel}"


class TeamsAgent(ActivityHandler):
    def __init__(
        self, service: ReflectionService, references: References, sleep: Sleep = asyncio.sleep
    ) -> None:
        self.service = service
        self.references = references
        self.sleep = sleep

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
        try:
            result = await self.service.handle(incoming)
        except Exception as error:
            # Nothing half-done: the turn's transaction rolled back. The type only: database
            # errors can quote their parameters, which are the worker's words.
            log.error("teams.turn_failed", conversation=incoming.conversation, error=type(error).__name__)
            message = error.user_message if isinstance(error, ReflectError) else ReflectError.user_message
            await self.send(turn_context, [render.plain(message)])
            return
        if result.duplicate:
            log.info("teams.duplicate", conversation=incoming.conversation)
            return
        delivery = await self.send(turn_context, self._activities(result))
        log.info(
            "teams.turn",
            conversation=incoming.conversation,
            replies=len(result.messages),
            sent=delivery.sent,
            completed=result.completed_session_id is not None,
        )

    @staticmethod
    def _activities(result: TurnResult) -> list[Activity]:
        activities = render.render_all(result.messages)
        for file in result.files:
            activities.append(render.plain(texts.FILES_NOT_SENT.format(title=file.title)))
        return activities

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
        if not await self.references.greet_once(reference_key(place.tenant, place.channel)):
            return
        text = texts.WELCOME_GROUP if place.group else texts.WELCOME_PERSONAL
        await self.send(turn_context, [render.plain(text)])

    async def _deactivate(self, activity: Activity, reason: str) -> None:
        place = translate.where(activity)
        if place is None:
            return
        await self.references.deactivate(reference_key(place.tenant, place.channel), reason)


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
