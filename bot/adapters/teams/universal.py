"""Universal Actions for Adaptive Cards: `Action.Execute` in, an updated card out. Generic.

Teams sends a press on an `Action.Execute` button as an invoke named `adaptiveCard/action`
(value: `{"action": {"type": "Action.Execute", "verb", "data"}, "trigger"}`) and shows
whatever card the bot answers with in place of the pressed one. A card may also carry a
`refresh` action with `userIds`: Teams then invokes that action automatically
(`trigger: "automatic"`) for each listed person who looks at the card, and shows each of
them the card the bot answers *for them*: a user-specific view. Everyone else sees the card
as it was sent.

This module is the plumbing only; what a verb does belongs to whoever registers it:

    actions = UniversalActions()
    actions.register("minutes.confirm", handler)   # async (turn_context, Execute) -> dict

    card = execute_card(body, actions=[execute_action("Confirm", "minutes.confirm", {...})])
    card = with_refresh(card, "minutes.view", {...}, user_ids=["29:..."])  # per-person views

A handler returns an invoke response body: `card_response(card)` (replace the card, for
the person who pressed or, on a refresh, for the person looking), `message_response(text)`
(leave the card as it is and show a short note), `error_response(...)`, or None (not for
this handler here: acknowledged with an empty 200, nothing changes). An unknown verb or a
malformed value gets a 400 error body, never a 500. The bot's own answer buttons use
the verb `ANSWER` (agent.py).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

import structlog
from microsoft_agents.activity import Activity, InvokeResponse
from microsoft_agents.hosting.core import TurnContext

log = structlog.get_logger(__name__)

INVOKE_NAME = "adaptiveCard/action"
ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"
MESSAGE = "application/vnd.microsoft.activity.message"
ERROR = "application/vnd.microsoft.error"
CARD_VERSION = "1.5"  # Universal Actions need 1.4 or later
ANSWER = "reflect.answer"  # the verb of the bot's own buttons (an answer or a command)
MAX_REFRESH_USERS = 60  # Teams refreshes a card automatically for at most 60 listed people


@dataclass(frozen=True)
class Execute:
    """One Action.Execute press (or an automatic refresh) as the handler sees it."""

    verb: str
    data: Mapping[str, Any]
    trigger: str  # "manual" (pressed) | "automatic" (a refresh for a user-specific view)
    activity: Activity

    @property
    def refresh(self) -> bool:
        return self.trigger == "automatic"

    @property
    def user(self) -> str | None:
        """The Teams id ("29:...") of who pressed or is looking: what `refresh.userIds` lists."""
        sender = self.activity.from_property
        return sender.id if sender is not None else None


Handler = Callable[[TurnContext, Execute], Awaitable[dict[str, Any] | None]]


def execute_action(
    title: str, verb: str, data: Mapping[str, Any] | None = None, style: str | None = None
) -> dict[str, Any]:
    action: dict[str, Any] = {
        "type": "Action.Execute",
        "title": title,
        "verb": verb,
        "data": dict(data or {}),
    }
    if style:
        action["style"] = style
    return action


def execute_card(body: list[dict[str, Any]], actions: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    card: dict[str, Any] = {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": CARD_VERSION,
        "body": body,
    }
    if actions:
        card["actions"] = actions
    return card


def with_refresh(
    card: Mapping[str, Any], verb: str, data: Mapping[str, Any], user_ids: list[str]
) -> dict[str, Any]:
    """`card` with a refresh action: each of `user_ids` (Teams ids, "29:...") gets their own view."""
    return {
        **card,
        "refresh": {
            "action": {"type": "Action.Execute", "verb": verb, "data": dict(data)},
            "userIds": list(user_ids)[:MAX_REFRESH_USERS],
        },
    }


def card_response(card: Mapping[str, Any]) -> dict[str, Any]:
    return {"statusCode": 200, "type": ADAPTIVE_CARD, "value": dict(card)}


def message_response(text: str) -> dict[str, Any]:
    return {"statusCode": 200, "type": MESSAGE, "value": text}


def error_response(status: int, code: str, message: str) -> dict[str, Any]:
    return {"statusCode": status, "type": ERROR, "value": {"code": code, "message": message}}


def read(activity: Activity) -> Execute | None:
    """The Execute in an `adaptiveCard/action` invoke; None when it is not one."""
    value = activity.value
    action = value.get("action") if isinstance(value, Mapping) else None
    if not isinstance(action, Mapping) or action.get("type") != "Action.Execute":
        return None
    verb, data = action.get("verb"), action.get("data")
    if not isinstance(verb, str) or not verb:
        return None
    trigger = value.get("trigger") if isinstance(value, Mapping) else None
    return Execute(
        verb=verb,
        data=data if isinstance(data, Mapping) else {},
        trigger=trigger if trigger in ("manual", "automatic") else "manual",
        activity=activity,
    )


class UniversalActions:
    """Verb -> handler, and the invoke answer for each press."""

    def __init__(self) -> None:
        self._handlers: dict[str, Handler] = {}

    def register(self, verb: str, handler: Handler) -> None:
        self._handlers[verb] = handler

    @property
    def verbs(self) -> frozenset[str]:
        return frozenset(self._handlers)

    async def handle(self, turn_context: TurnContext) -> InvokeResponse:
        execute = read(turn_context.activity)
        if execute is None:
            body = error_response(400, "BadRequest", "not an Action.Execute")
        elif (handler := self._handlers.get(execute.verb)) is None:
            log.info("teams.execute_unknown_verb")
            body = error_response(400, "NotSupported", "unknown verb")
        else:
            answer = await handler(turn_context, execute)
            if answer is None:  # http.py acknowledges a 501 with an empty 200
                return InvokeResponse(status=int(HTTPStatus.NOT_IMPLEMENTED))
            body = answer
        return InvokeResponse(status=int(HTTPStatus.OK), body=body)


__all__ = [
    "ADAPTIVE_CARD",
    "ANSWER",
    "INVOKE_NAME",
    "Execute",
    "Handler",
    "UniversalActions",
    "card_response",
    "error_response",
    "execute_action",
    "execute_card",
    "message_response",
    "read",
    "with_refresh",
]
