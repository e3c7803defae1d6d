"""Teams activities in, `Incoming` out. Pure functions: no I/O, no SDK calls, no conversation logic.

Who and where:
* workspace = the tenant id (channelData.tenant.id, else conversation.tenantId);
* channel = the conversation id, except in a Teams channel, where every post starts a thread
  (`19:abc@thread.tacv2;messageid=17...`): there the channel id (channelData.channel.id) is
  used, so one group session spans the channel's threads;
* user = in a personal chat the person's Entra object id (aadObjectId, stable across the
  tenant), else their Teams id. In a group chat or channel the Teams id (`from.id`) always,
  because @mention entities carry only that id, and the facilitation engine recognises the
  presenter and members by the ids they were mentioned with.

Text: the bot's own @mention is removed (Teams puts `<at>Bot</at>` in the text of every
message addressed to it in a group); other people's mentions become `@Name` in the text and
`Incoming.mentions` (id and display name), in the order they appear.

Buttons: our Adaptive Cards carry the engine's opaque value in `data.action` (render.py).
A submit arrives as a message with empty text and `value = {"action": ...}`. In a personal chat
it becomes `Incoming.action`; in a group it becomes the text, which is how the group engine
reads its buttons ("group:agree").

Delivery: `activity.id` is the event id, so a redelivered activity is processed once by the
service. Two clicks on the same button are two activities: the step mark inside the value
makes the second one a stale click the engine refuses.
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from microsoft_agents.activity import Activity

from bot.turns import ConversationKey, Incoming, Mention

PERSONAL = "personal"
_SPACES = re.compile(r"[ \t]{2,}")  # left where a mention was removed
CHANNEL = "channel"


@dataclass(frozen=True)
class Where:
    """The conversation an activity belongs to, as the bot keys it."""

    tenant: str
    channel: str  # the conversation key's channel: the channel id for a Teams channel
    conversation_type: str  # personal | groupChat | channel
    group: bool


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _get(data: Any, *path: str) -> Any:
    for name in path:
        if not isinstance(data, Mapping):
            return None
        data = data.get(name)
    return data


def where(activity: Activity) -> Where | None:
    """Tenant, conversation and kind; None when the activity names no conversation or tenant."""
    conversation = activity.conversation
    if conversation is None or not _text(conversation.id):
        return None
    data = activity.channel_data
    tenant = _text(_get(data, "tenant", "id")) or _text(conversation.tenant_id)
    if tenant is None:
        return None
    kind = conversation.conversation_type or (
        "groupChat" if conversation.is_group else PERSONAL
    )  # the Bot Framework Emulator sends no type
    channel = conversation.id
    if kind == CHANNEL:
        channel = _text(_get(data, "channel", "id")) or conversation.id.split(";", 1)[0]
    return Where(tenant=tenant, channel=channel, conversation_type=kind, group=kind != PERSONAL)


def sender_id(activity: Activity, group: bool) -> str | None:
    sender = activity.from_property
    if sender is None:
        return None
    if group:
        return _text(sender.id)
    return _text(sender.aad_object_id) or _text(sender.id)


def conversation_key(activity: Activity) -> ConversationKey | None:
    place = where(activity)
    if place is None:
        return None
    user = sender_id(activity, place.group)
    if user is None:
        return None
    return ConversationKey(platform="teams", workspace=place.tenant, channel=place.channel, user=user)


def _bot_id(activity: Activity) -> str | None:
    return _text(activity.recipient.id) if activity.recipient is not None else None


def mentions_bot(activity: Activity) -> bool:
    bot = _bot_id(activity)
    return bot is not None and any(
        m.mentioned is not None and m.mentioned.id == bot for m in activity.get_mentions()
    )


def submitted_value(activity: Activity) -> str | None:
    """Our button's value from an Adaptive Card submit (empty text, value.action)."""
    if _text(activity.text) is not None:
        return None
    return _text(_get(activity.value, "action"))


def addressed(activity: Activity) -> bool:
    """Whether a group message is for the bot: it @mentions the bot, or presses our button.

    With the resource-specific consent permissions in the app manifest Teams delivers every
    message of a chat or channel; those that are not addressed to the bot only matter while a
    group session is running there (agent.py checks that)."""
    return mentions_bot(activity) or submitted_value(activity) is not None


def typed_text(activity: Activity) -> tuple[str, tuple[Mention, ...]]:
    """The message as the person typed it, without the bot's @mention, and who else they
    @mentioned (in order of appearance, each once)."""
    text = (
        activity.model_copy(deep=True).remove_recipient_mention() if mentions_bot(activity) else activity.text
    )
    text = (text or "").replace("\xa0", " ")
    bot = _bot_id(activity)
    found: list[tuple[int, Mention]] = []
    for mention in activity.get_mentions():
        person = mention.mentioned
        if person is None or not _text(person.id) or person.id == bot:
            continue
        name = (person.name or "").strip() or "a colleague"
        tag = mention.text or f"<at>{name}</at>"
        at = text.find(tag)
        if at >= 0:
            text = text.replace(tag, f"@{name}")
        if all(m.user != person.id for _, m in found):
            found.append((at if at >= 0 else len(text), Mention(user=person.id, name=name)))
    found.sort(key=lambda item: item[0])
    return _SPACES.sub(" ", text).strip(), tuple(m for _, m in found)


def incoming(activity: Activity) -> Incoming | None:
    """A person's message (typed, or a press on one of our buttons) as an engine event.

    None for anything the engine has no use for: no tenant or sender, a bot's message,
    an empty message, or a card submit that is not one of ours."""
    if activity.type != "message":
        return None
    sender = activity.from_property
    if sender is not None and (sender.role or "").lower() == "bot":
        return None
    place = where(activity)
    key = conversation_key(activity)
    if place is None or key is None:
        return None
    conversation: Any = "group" if place.group else "personal"
    name = _text(sender.name) if sender is not None else None
    # Teams tells us the sender's time zone: reminders keep to their working hours.
    tz = getattr(activity, "local_timezone", None) or None
    value = submitted_value(activity)
    if value is not None:
        return pressed(activity, value)
    if _text(activity.text) is None:
        return None  # an attachment or an unknown card's submit
    text, mentions = typed_text(activity)
    if not place.group:
        return Incoming(key=key, text=text, event_id=activity.id, tz=tz)
    return Incoming(
        key=key,
        text=text,
        event_id=activity.id,
        conversation=conversation,
        sender_name=name,
        mentions=mentions,
    )


def _person(activity: Activity) -> tuple[Where, ConversationKey, str | None] | None:
    sender = activity.from_property
    if sender is not None and (sender.role or "").lower() == "bot":
        return None
    place, key = where(activity), conversation_key(activity)
    if place is None or key is None:
        return None
    return place, key, _text(sender.name) if sender is not None else None


def pressed(activity: Activity, value: str) -> Incoming | None:
    """A press on one of our buttons (an Action.Execute invoke, or an older card's submit).

    In a personal chat the engine's value is `Incoming.action`; in a group it is the text,
    which is how the group engine reads its buttons ("group:agree")."""
    found = _person(activity)
    if found is None:
        return None
    place, key, name = found
    if place.group:
        return Incoming(key=key, text=value, event_id=activity.id, conversation="group", sender_name=name)
    tz = getattr(activity, "local_timezone", None) or None
    return Incoming(key=key, action=value, event_id=activity.id, tz=tz)


def answered(activity: Activity, text: str) -> Incoming | None:
    """Text sent from the long-answer dialog: a typed message in a personal chat."""
    found = _person(activity)
    if found is None or found[0].group:
        return None
    tz = getattr(activity, "local_timezone", None) or None
    return Incoming(key=found[1], text=text, event_id=activity.id, tz=tz)


# ---------------------------------------------------------------------- Universal Actions

# The verbs of the minutes' review card (render.review_card / view_card).
REVIEW_VERBS = frozenset(
    {"group:view", "group:confirm", "group:correct", "group:correct_typed", "group:mine"}
)
_NUMBERED = re.compile(r"^\s*(?:correct(?:ion)?\s*)?\d{1,3}\b", re.IGNORECASE)


def review_text(verb: str | None, data: Mapping[str, Any]) -> str | None:
    """What an Action.Execute on the review card says, as the group engine reads typed words:
    None for Teams' refresh (nothing said); a correction typed in the card's box as
    "correct 2: ..."; a box without a number asks how to correct."""
    if verb == "group:view" or verb not in REVIEW_VERBS:
        return None
    if verb != "group:correct_typed":
        return verb
    typed = _text(data.get("correction"))
    if typed is None or not _NUMBERED.match(typed):
        return "group:correct"
    typed = typed.strip()
    return typed if typed.lower().startswith("correct") else f"correct {typed}"


def display_name(sender: Any) -> str | None:
    return _text(sender.name) if sender is not None else None


# ---------------------------------------------------------------------- shape

LOOPBACK_NAMES = frozenset({"localhost"})


def is_loopback(host: str | None) -> bool:
    """127.0.0.0/8, ::1 or localhost: this machine (anonymous mode talks to nothing else)."""
    if not host:
        return False
    host = host.strip("[]").lower()
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


MAX_ID = 512  # Teams ids (conversation ids with a message id, 29:... ids) are far shorter
MAX_URL = 2048
# What a person did needs who did it; what happened to the bot needs which bot (recipient).
_NEEDS_SENDER = frozenset({"message", "invoke", "messageReaction"})
_NEEDS_RECIPIENT = _NEEDS_SENDER | {"conversationUpdate", "installationUpdate"}


def encodable(body: Any) -> bool:
    """Text that can be stored: no lone surrogates (JSON allows "\\ud800", UTF-8 does not)."""
    try:
        json.dumps(body, ensure_ascii=False).encode("utf-8")
    except (UnicodeEncodeError, ValueError, TypeError, RecursionError):
        return False
    return True


# Teams ids are printable and URL-safe ("a:1x...", "19:x@thread.v2;messageid=1", "29:1x..."):
# they become paths on the connector.
_ID_SHAPE = re.compile(r"[^\s<>\"{}\\^`]+")


def _id(value: Any) -> bool:
    return isinstance(value, str) and len(value) <= MAX_ID and _ID_SHAPE.fullmatch(value) is not None


def malformed(activity: Activity) -> str | None:
    """Why an activity (already valid for the SDK's model) cannot be handled; None when it can.

    Teams always sends a type, a channel, a service URL, a conversation with an id, and for
    anything a person did, who did it. Without them the SDK fails deep inside a turn (a 500),
    so such activities are refused with 400 before a turn starts."""
    if not _id(activity.type):
        return "type"
    if activity.channel_id is None or not _id(str(activity.channel_id)):
        return "channelId"
    url = activity.service_url
    if not isinstance(url, str) or not url.startswith(("https://", "http://")) or len(url) > MAX_URL:
        return "serviceUrl"
    if activity.conversation is None or not _id(activity.conversation.id):
        return "conversation"
    sender = activity.from_property
    if (activity.type in _NEEDS_SENDER and sender is None) or (
        sender is not None
        and (not _id(sender.id) or (sender.aad_object_id is not None and not _id(sender.aad_object_id)))
    ):
        return "from"
    if activity.type in _NEEDS_RECIPIENT and (activity.recipient is None or not _id(activity.recipient.id)):
        return "recipient"
    if activity.type == "invoke":
        if not isinstance(activity.value, dict):
            return "value"
        # The SDK answers a malformed Action.Execute with a body it cannot serialise (a 500).
        action = activity.value.get("action")
        if activity.name == "adaptiveCard/action" and (
            not isinstance(action, dict) or action.get("type") != "Action.Execute"
        ):
            return "value"
    if activity.id is not None and not _id(activity.id):
        return "id"
    return None


def bot_in(members: list[Any] | None, activity: Activity) -> bool:
    """Whether the bot itself is among the members added or removed."""
    bot = _bot_id(activity)
    return bot is not None and any(getattr(m, "id", None) == bot for m in members or [])


__all__ = [
    "Where",
    "addressed",
    "answered",
    "bot_in",
    "conversation_key",
    "display_name",
    "encodable",
    "incoming",
    "is_loopback",
    "malformed",
    "mentions_bot",
    "pressed",
    "review_text",
    "sender_id",
    "submitted_value",
    "typed_text",
    "where",
]
