"""Invented Teams activities for the adapter tests (shapes as the Agents Playground sends them).

No real people or cases: the tenant and ids are made up; display names are the Playground's
mock staff.
"""

from __future__ import annotations

import itertools
from typing import Any

from bot.turns import ConversationKey

TENANT = "00000000-0000-0000-0000-0000000000001"
BOT = {"id": "28:reflect-bot", "name": "Reflect"}
ALEX = {"id": "29:alex", "name": "Alex Wilber", "aadObjectId": "aad-alex"}
MEGAN = {"id": "29:megan", "name": "Megan Bowen", "aadObjectId": "aad-megan"}
ADELE = {"id": "29:adele", "name": "Adele Vance", "aadObjectId": "aad-adele"}
ISAIAH = {"id": "29:isaiah", "name": "Isaiah Langer", "aadObjectId": "aad-isaiah"}
PERSONAL_CHAT = "a:personal-chat-alex"
GROUP_CHAT = "19:group-chat@thread.v2"
CHANNEL = "19:general@thread.tacv2"

PERSONAL_KEY = ConversationKey("teams", TENANT, PERSONAL_CHAT, ALEX["aadObjectId"])  # Alex's own chat

_ids = itertools.count(1)


def new_id() -> str:
    return f"act-{next(_ids):06d}"


def activity(
    kind: str = "message",
    *,
    text: str | None = None,
    sender: dict[str, Any] = ALEX,
    conversation: str = PERSONAL_CHAT,
    conversation_type: str = "personal",
    service_url: str = "http://127.0.0.1:9/_connector",
    activity_id: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """One activity as Teams would post it to /api/messages."""
    data: dict[str, Any] = {
        "type": kind,
        "id": activity_id or new_id(),
        "channelId": "msteams",
        "serviceUrl": service_url,
        "from": dict(sender),
        "recipient": dict(BOT),
        "conversation": {
            "id": conversation,
            "conversationType": conversation_type,
            "tenantId": TENANT,
            **({"isGroup": True} if conversation_type != "personal" else {}),
        },
        "channelData": {"tenant": {"id": TENANT}},
        "locale": "en-GB",
    }
    if text is not None:
        data["text"] = text
        data["textFormat"] = "plain"
    if conversation_type == "channel":
        data["channelData"] |= {"team": {"id": "19:team"}, "channel": {"id": CHANNEL}}
    data.update(extra)
    return data


def mention(person: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "mention",
        "mentioned": {"id": person["id"], "name": person["name"]},
        "text": f"<at>{person['name']}</at>",
    }


def group_message(
    text: str, *mentioned: dict[str, Any], sender: dict[str, Any] = ALEX, to_bot: bool = True, **kw: Any
) -> dict[str, Any]:
    """A group chat message; `to_bot` @mentions the bot first, as Teams needs without RSC."""
    words = " ".join(f"<at>{p['name']}</at>" for p in mentioned)
    body = f"{text} {words}".strip() if words else text
    entities = [mention(BOT)] if to_bot else []
    entities += [mention(p) for p in mentioned]
    return activity(
        text=f"<at>{BOT['name']}</at> {body}" if to_bot else body,
        sender=sender,
        conversation=kw.pop("conversation", GROUP_CHAT),
        conversation_type=kw.pop("conversation_type", "groupChat"),
        entities=entities,
        **kw,
    )


def submit(value: str, **kw: Any) -> dict[str, Any]:
    """A press on one of our Adaptive Card buttons: empty text, the button's data as value."""
    return activity(value={"action": value}, **kw)


def invoke(name: str, value: dict[str, Any], **kw: Any) -> dict[str, Any]:
    """An invoke activity (a card action, a dialog, file consent, a message extension)."""
    return activity("invoke", name=name, value=value, **kw)


def execute(data: dict[str, Any], verb: str = "reflect.answer", **kw: Any) -> dict[str, Any]:
    """A press on an Action.Execute button, as Teams sends it (`adaptiveCard/action`)."""
    action = {"type": "Action.Execute", "verb": verb, "data": data}
    return invoke("adaptiveCard/action", {"action": action, "trigger": "manual"}, **kw)
