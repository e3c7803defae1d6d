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
from microsoft_agents.activity import Activity, ChannelAccount, InvokeResponse
from microsoft_agents.hosting.core import ActivityHandler, TurnContext

from bot.adapters.teams import dialogs, files, render, translate, universal
from bot.adapters.teams.delivery import FAILURES, Delivery, Sleep, deliver
from bot.adapters.teams.proactive import Proactive, References
from bot.adapters.teams.universal import ANSWER, Execute, UniversalActions
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

    def parts(self, item: OutboxItem) -> Sequence[Outgoing | files.FileOffer]:
        if item.kind == "messages":
            return [outgoing_from_json(m) for m in item.payload.get("messages", ())]
        file, purpose = file_from_json(item.payload)
        if purpose == "note":
            return []  # the note is in the chat as messages; Teams gets no markdown file
        if item.lane.startswith("group:"):  # Teams offers file consent in personal chats only
            return [Outgoing(text=self.agent.words("files_group", title=file.title))]
        return [files.FileOffer(file)]

    async def delivered(self, item: OutboxItem, index: int, part: Outgoing | files.FileOffer) -> bool:
        """Teams lets a bot send and update its messages but not read its conversation back,
        so a part whose post was cut off by a crash is sent again (at least once)."""
        return False

    async def send_part(self, item: OutboxItem, index: int, part: Outgoing | files.FileOffer) -> None:
        key = ConversationKey(
            "teams", item.address["tenant"], item.address.get("channel") or "", item.address["user"]
        )
        if not isinstance(part, files.FileOffer):
            if part.kind == "error":
                await self._send(item, key, [render.plain(part.text)])
            else:
                await self._send(item, key, render.render(part, larger_box=self.agent.words("larger_box")))
            return
        token = await self.agent.service.hold_file(key, part.file)  # encrypted until answered
        description = self.agent.words("file_description", title=part.file.title)
        try:
            await self._send(item, key, [files.consent_card(part.file, token, description)])
        except GiveUp:
            await self.agent.service.take_file(key, token)  # no card out: keep no copy
            raise

    async def _send(self, item: OutboxItem, key: ConversationKey, activities: list[Activity]) -> None:
        contexts = self._live.get(item.lane)
        if contexts:
            delivery = await self.agent.send(contexts[-1], activities)
            if not delivery.ok:
                raise GiveUp(f"status {delivery.status}")
            return
        proactive = self.agent.proactive
        if proactive is None:
            raise GiveUp("no_proactive")
        sent = await proactive.send_activities(key, activities)
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
        anonymous: bool = False,
    ) -> None:
        self.service = service
        self.references = references
        self.sleep = sleep
        self.proactive = proactive  # for replies resumed after a restart (set by http.py)
        self.anonymous = anonymous  # the local Playground: file uploads only to this machine
        self.surface = TeamsSurface(self)
        service.outbox.register(self.surface)
        # Universal Actions (Action.Execute): other cards register their own verbs here.
        self.actions = UniversalActions()
        self.actions.register(ANSWER, self._pressed)
        for verb in translate.REVIEW_VERBS:  # the minutes' review card, per-member views
            self.actions.register(verb, self._review)
        self._invokes = {
            universal.INVOKE_NAME: self.actions.handle,
            dialogs.FETCH: self._open_dialog,
            dialogs.SUBMIT: self._dialog_answer,
            files.INVOKE_NAME: self._file_consent,
            dialogs.EXTENSION_FETCH: self._extension_dialog,
            dialogs.EXTENSION_SUBMIT: self._extension_start,
        }

    def words(self, template: str, /, **values: Any) -> str:
        """Teams' own wording, from prompts/teams/ (through the service's templates)."""
        return self.service.wording.text(f"teams/{template}.j2", **values)

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
        await self.run_turn(turn_context, incoming)

    async def run_turn(
        self, turn_context: TurnContext | None, incoming: Incoming, preset_case: str | None = None
    ) -> None:
        """One event through the service's pipeline. Replies go back through this request's
        context when there is one for the event's lane, else proactively (the outbox).

        Card handlers registered on `actions` call this to feed a press into the pipeline,
        e.g. `await agent.run_turn(context, translate.pressed(context.activity, value))`."""
        key = incoming.key
        address = {"tenant": key.workspace, "channel": key.channel, "user": key.user}
        accepted = await self.service.accept(incoming, address=address, preset_case=preset_case)
        if accepted.done:  # before Teams gets 2xx
            log.info("teams.duplicate", conversation=incoming.conversation)
            return
        lane = lane_of(incoming)
        with self.surface.live(lane, turn_context) if turn_context is not None else contextlib.nullcontext():
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

    # ------------------------------------------------------------------ the minutes' review

    async def _review(self, turn_context: TurnContext, press: Execute) -> dict[str, Any] | None:
        """An Action.Execute on the minutes' review card (render.review_card): Teams refreshing
        it for one member, or that member confirming or correcting. Confirm and correct are
        group turns like a typed message (their replies go to the chat); the answer is the
        member's own view, which only they see."""
        activity = turn_context.activity
        place = translate.where(activity)
        key = translate.conversation_key(activity)
        if place is None or not place.group or key is None:
            return None  # the review is a group's: acknowledged, nothing changes
        text = translate.review_text(press.verb, press.data)
        if text is not None:
            name = translate.display_name(activity.from_property)
            incoming = Incoming(
                key=key, text=text, event_id=activity.id, conversation="group", sender_name=name
            )
            await self.run_turn(turn_context, incoming)
        view = await self.service.group_review_view(key)
        log.info("teams.review_view", refreshed=text is None)
        return universal.card_response(render.view_card(view))

    async def _group_open(self, incoming: Incoming) -> bool:
        return await self.service.group_open(incoming.key)

    # ------------------------------------------------------------------ invokes

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse | None:  # type: ignore[override]
        """Card presses (Action.Execute), dialogs, file consent and the message extension.

        Each answers in the invoke's own response; the turn it starts (if any) runs first,
        its replies posted to the conversation like any message's."""
        handler = self._invokes.get(turn_context.activity.name or "")
        if handler is None:
            return await super().on_invoke_activity(turn_context)
        response = await handler(turn_context)
        log.info("teams.invoke", name=turn_context.activity.name, status=response.status)
        return response

    async def _pressed(self, turn_context: TurnContext, execute: Execute) -> dict[str, Any]:
        """One of our buttons (verb reflect.answer): the engine's value through the pipeline.

        In a personal chat the pressed card is replaced by what was pressed (no stale
        buttons); in a group the card stays for everyone else to press too."""
        value, label = execute.data.get("action"), execute.data.get("label")
        incoming = (
            translate.pressed(turn_context.activity, value) if isinstance(value, str) and value else None
        )
        if incoming is None:
            return universal.error_response(400, "BadRequest", "not one of our buttons")
        await self.run_turn(turn_context, incoming)
        label = label if isinstance(label, str) and label else "…"
        if incoming.conversation == "group":
            return universal.message_response(self.words("pressed_group", label=label))
        card = universal.execute_card(
            [{"type": "TextBlock", "text": self.words("pressed", label=label), "wrap": True}]
        )
        return universal.card_response(card)

    async def _open_dialog(self, turn_context: TurnContext) -> InvokeResponse:
        mark = dialogs.fetch_mark(turn_context.activity)
        if mark is None or translate.where(turn_context.activity) is None:
            return _invoke({})  # not our button: Teams shows nothing
        words = dialogs.DialogWords(
            title=self.words("dialog_title"),
            intro=self.words("dialog_intro"),
            placeholder=self.words("dialog_placeholder"),
            send=self.words("dialog_send"),
            empty=self.words("dialog_empty"),
        )
        return _invoke(dialogs.answer_dialog(words, mark))

    async def _dialog_answer(self, turn_context: TurnContext) -> InvokeResponse:
        """The dialog's text, as if typed in the chat; the empty answer closes the dialog."""
        text = dialogs.submitted_answer(turn_context.activity)
        incoming = translate.answered(turn_context.activity, text) if text is not None else None
        if incoming is not None:
            await self.run_turn(turn_context, incoming)
        return _invoke(None)

    async def _file_consent(self, turn_context: TurnContext) -> InvokeResponse:
        activity = turn_context.activity
        answer = files.read_consent(activity)
        key = translate.conversation_key(activity)
        place = translate.where(activity)
        if answer is None or key is None or place is None or place.group:
            return _invoke(None)
        held = await self.service.take_file(key, answer.token)  # gone from storage either way
        if held is None:
            await self.send(turn_context, [render.plain(self.words("file_lapsed"))])
        elif answer.action == "decline":
            await self.send(turn_context, [render.plain(self.words("file_declined", title=held.title))])
        elif not files.upload_allowed(answer.upload_url, self.anonymous) or answer.upload_url is None:
            log.warning("teams.file_refused", reason="upload url")
            await self.send(turn_context, [render.plain(self.words("file_failed"))])
        else:
            try:
                await files.upload(answer.upload_url, held.data, sleep=self.sleep)
            except FAILURES as error:
                log.error("teams.file_upload_failed", status=getattr(error, "status", None))
                await self.send(turn_context, [render.plain(self.words("file_failed"))])
            else:
                saved = self.words("file_saved", name=answer.name or held.filename)
                await self.send(turn_context, [files.info_card(answer, render.plain(saved).text or "")])
        return _invoke(None)

    async def _extension_dialog(self, turn_context: TurnContext) -> InvokeResponse:
        """ "Reflect on this message": a dialog with the case reference the message holds."""
        if dialogs.command_id(turn_context.activity) not in (dialogs.EXTENSION_COMMAND, None):
            return _invoke({})
        case_ref = self.service.case_ref_in(dialogs.message_text(turn_context.activity))
        words = dialogs.ExtensionWords(
            title=self.words("extension_title"),
            intro=self.words("extension_intro", case_ref=case_ref),
            start=self.words("extension_start"),
        )
        return _invoke(dialogs.extension_dialog(words, case_ref))

    async def _extension_start(self, turn_context: TurnContext) -> InvokeResponse:
        """Start a reflection in the person's personal chat with the bot, case filled in."""
        activity = turn_context.activity
        place = translate.where(activity)
        user = translate.sender_id(activity, group=False)
        chat = await self.references.personal_chat(place.tenant, user) if place and user else None
        if chat is None and place is not None and user is not None and self.proactive is not None:
            chat = await self.proactive.open_personal_chat(turn_context, place.tenant)
        if place is None or user is None or chat is None:
            return _invoke(dialogs.extension_message(self.words("extension_no_chat")))
        case = dialogs.extension_case(activity)
        case_ref = self.service.case_ref_in(case) if case else None
        incoming = Incoming(
            key=ConversationKey("teams", place.tenant, chat, user), text="reflect", event_id=activity.id
        )
        await self.run_turn(None, incoming, preset_case=case_ref)  # replies go to the personal chat
        return _invoke(dialogs.extension_message(self.words("extension_started", case_ref=case_ref)))

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
        text = self.words("welcome_group" if place.group else "welcome_personal")
        await self.send(turn_context, [render.plain(text)])

    async def _deactivate(self, activity: Activity, reason: str) -> None:
        place = translate.where(activity)
        if place is None:
            return
        await self.references.deactivate(self.references.key(place.tenant, place.channel), reason)


def _invoke(body: dict[str, Any] | None) -> InvokeResponse:
    return InvokeResponse(status=200, body=body)


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
