"""Dialogs (task modules): a larger box for a long answer, and the message extension's card.

A free-text question's card has "Answer in a larger box" (render.py): an Action.Submit whose
data says `msteams.type = task/fetch`. Teams then invokes `task/fetch` and opens, as a
dialog, the Adaptive Card the bot answers with: a multi-line text box. Its Send button
invokes `task/submit` with the box's text in `value.data.answer`; agent.py feeds that text
into the turn pipeline exactly as if it had been typed in the chat, and the empty answer
closes the dialog.

The message extension ("Reflect on this message", `composeExtension/fetchTask` and
`/submitAction`) opens a dialog the same way. Pure functions: cards in, values out.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from microsoft_agents.activity import Activity

from bot.adapters.teams.render import DIALOG
from bot.adapters.teams.universal import ADAPTIVE_CARD, CARD_VERSION

FETCH = "task/fetch"
SUBMIT = "task/submit"
EXTENSION_FETCH = "composeExtension/fetchTask"
EXTENSION_SUBMIT = "composeExtension/submitAction"
EXTENSION_COMMAND = "reflectOnMessage"  # the manifest's message action command id
ANSWER_INPUT = "answer"
MAX_ANSWER = 20_000
MAX_MESSAGE = 20_000  # of a message's text read for its case reference
_TAGS = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class DialogWords:
    title: str
    intro: str
    placeholder: str
    send: str
    empty: str


def _card(body: list[dict[str, Any]], actions: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": CARD_VERSION,
        "body": body,
        "actions": actions,
    }


def continue_task(title: str, card: dict[str, Any], height: str = "medium") -> dict[str, Any]:
    """The invoke answer that opens (or keeps open) a dialog showing `card`."""
    return {
        "task": {
            "type": "continue",
            "value": {
                "title": title,
                "height": height,
                "width": "medium",
                "card": {"contentType": ADAPTIVE_CARD, "content": card},
            },
        }
    }


def answer_dialog(words: DialogWords, mark: str) -> dict[str, Any]:
    card = _card(
        [
            {"type": "TextBlock", "text": words.intro, "wrap": True},
            {
                "type": "Input.Text",
                "id": ANSWER_INPUT,
                "isMultiline": True,
                "maxLength": MAX_ANSWER,
                "placeholder": words.placeholder,
                "label": words.title,
                "isRequired": True,
                "errorMessage": words.empty,
            },
        ],
        [{"type": "Action.Submit", "title": words.send, "data": {"dialog": DIALOG, "mark": mark[:200]}}],
    )
    return continue_task(words.title, card, height="large")


def _data(activity: Activity) -> Mapping[str, Any]:
    value = activity.value
    data = value.get("data") if isinstance(value, Mapping) else None
    return data if isinstance(data, Mapping) else {}


def fetch_mark(activity: Activity) -> str | None:
    """The step mark of a `task/fetch` from our "larger box" button; None if not ours."""
    data = _data(activity)
    if data.get("dialog") != DIALOG:
        return None
    mark = data.get("mark")
    return mark if isinstance(mark, str) else ""


def submitted_answer(activity: Activity) -> str | None:
    """The text sent from the long-answer dialog; None when it is not ours or is empty."""
    data = _data(activity)
    text = data.get(ANSWER_INPUT)
    if data.get("dialog") != DIALOG or not isinstance(text, str) or not text.strip():
        return None
    return text.replace("\r\n", "\n")[:MAX_ANSWER]


# ---------------------------------------------------------------- the message extension


@dataclass(frozen=True)
class ExtensionWords:
    title: str
    intro: str
    start: str


def message_text(activity: Activity) -> str:
    """The text of the message a message action was used on (its HTML body as plain text)."""
    value = activity.value
    payload = value.get("messagePayload") if isinstance(value, Mapping) else None
    body = payload.get("body") if isinstance(payload, Mapping) else None
    content = body.get("content") if isinstance(body, Mapping) else None
    if not isinstance(content, str):
        return ""
    return html.unescape(_TAGS.sub(" ", content[:MAX_MESSAGE]))


def command_id(activity: Activity) -> str | None:
    value = activity.value
    found = value.get("commandId") if isinstance(value, Mapping) else None
    return found if isinstance(found, str) else None


def extension_dialog(words: ExtensionWords, case_ref: str | None) -> dict[str, Any]:
    card = _card(
        [{"type": "TextBlock", "text": words.intro, "wrap": True}],
        [{"type": "Action.Submit", "title": words.start, "data": {"reflect": "start", "case": case_ref}}],
    )
    return continue_task(words.title, card, height="small")


def extension_case(activity: Activity) -> str | None:
    """The case reference carried by the extension dialog's Start button, if any."""
    case = _data(activity).get("case")
    return case if isinstance(case, str) and 0 < len(case) <= 60 else None


def extension_message(text: str) -> dict[str, Any]:
    """The submitAction answer: close the dialog and show a short note."""
    return {"composeExtension": {"type": "message", "text": text}}


__all__ = [
    "EXTENSION_COMMAND",
    "EXTENSION_FETCH",
    "EXTENSION_SUBMIT",
    "FETCH",
    "SUBMIT",
    "DialogWords",
    "ExtensionWords",
    "answer_dialog",
    "command_id",
    "continue_task",
    "extension_case",
    "extension_dialog",
    "extension_message",
    "fetch_mark",
    "message_text",
    "submitted_answer",
]
