"""`Outgoing` in, Teams message activities out. Pure functions.

* Text is Teams markdown, escaped (markup.py), with `textFormat: markdown`.
* Buttons ride on the same message as an Adaptive Card 1.5 holding only Universal Action
  (`Action.Execute`, verb `reflect.answer`) buttons: choices (and other answers) in the card
  body, then the commands (skip, back, pause, finish) as the card's own actions. The
  question's words stay in the message text, escaped once, and never inside card markdown,
  so a quoted answer cannot become a card link or a mention. Each button's `data` is
  `{"action": <the engine's opaque value>, "label": <its title>}`; translate.py reads it
  back (from the invoke, or from an older card's Action.Submit message).
* A free-text question also gets "Answer in a larger box": an Action.Submit with
  `msteams.type = task/fetch`, which opens the dialog of dialogs.py.
* Size. Teams refuses a message over its limit (about 28 KB of the UTF-16 payload for
  most tenants; 413 MessageSizeTooBig). A long note or draft minutes is split across
  messages: whole sections (a heading and what follows) while they fit, else whole
  paragraphs, else a paragraph cut at a line break or space (never inside a character
  reference). Order and every character are kept. The card goes on the last part.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from microsoft_agents.activity import Activity, Attachment

from bot.adapters.teams import markup, universal
from bot.adapters.teams.universal import ADAPTIVE_CARD, ANSWER, CARD_VERSION
from bot.turns import Button, Outgoing

DIALOG = "answer"  # data.dialog of the "larger box" button (dialogs.py)
# UTF-16 bytes of one message's text plus card; the rest of 28 KB is the activity envelope.
MESSAGE_BYTES = 24_000
CHOICES_PER_ROW = 5  # Teams shows up to 6 actions in a set before it hides some in a menu
BUTTON_TITLE_CHARS = 60
_STYLES = {"primary": "positive", "danger": "destructive"}
COMMAND_PREFIX = "cmd:"


def size(text: str) -> int:
    """Bytes as Teams counts a message (UTF-16)."""
    return len(text.encode("utf-16-le"))


# ---------------------------------------------------------------------- cards


def _title(label: str) -> str:
    title = " ".join(label.split()) or "…"
    return title if len(title) <= BUTTON_TITLE_CHARS else title[: BUTTON_TITLE_CHARS - 1] + "…"


def submit_action(button: Button) -> dict[str, Any]:
    """One of our buttons as a Universal Action (Action.Execute, answered by agent.py)."""
    title = _title(button.label)
    return universal.execute_action(
        title, ANSWER, {"action": button.value, "label": title}, _STYLES.get(button.style)
    )


def step_mark(outgoing: Outgoing) -> str:
    """The engine's position mark on this message's buttons ("senses.0."), or the step id."""
    for b in outgoing.buttons:
        if "@" in b.value:
            return b.value.partition("@")[2]
    return outgoing.step_id or ""


def larger_box_action(title: str, mark: str) -> dict[str, Any]:
    """Opens the long-answer dialog (a task module: Teams sends `task/fetch`)."""
    return {
        "type": "Action.Submit",
        "title": _title(title),
        "data": {"msteams": {"type": "task/fetch"}, "dialog": DIALOG, "mark": mark[:200]},
    }


def card(buttons: Sequence[Button], larger_box: dict[str, Any] | None = None) -> dict[str, Any] | None:
    """An Adaptive Card of buttons only: answers in the body, commands as card actions
    (after the "larger box" button of a free-text question, when there is one)."""
    if not buttons and larger_box is None:
        return None
    answers = [b for b in buttons if not b.value.startswith(COMMAND_PREFIX)]
    commands = [b for b in buttons if b.value.startswith(COMMAND_PREFIX)]
    body = [
        {"type": "ActionSet", "actions": [submit_action(b) for b in answers[i : i + CHOICES_PER_ROW]]}
        for i in range(0, len(answers), CHOICES_PER_ROW)
    ]
    content: dict[str, Any] = {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": CARD_VERSION,
        "body": body,
    }
    actions = ([larger_box] if larger_box else []) + [submit_action(b) for b in commands]
    if actions:
        content["actions"] = actions
    return content


# ---------------------------------------------------------------------- the minutes' review
# The review request in a group (the group engine's step "group:review") is a Universal
# Actions card: the same buttons as Action.Execute, and a `refresh` that Teams runs for each
# member named in `view_for` (at most 60), so each sees their own contributions with Confirm
# and Correct (`view_card`, the agent's answer to that invoke). Everyone else, and clients
# without Universal Actions, see the base card. Each Execute's verb and `data.action` are the
# engine's value; the refresh's is REVIEW_VIEW.

REVIEW_STEP = "group:review"
REVIEW_VIEW = "group:view"
CORRECTION_INPUT = "correction"
USER_VIEWS = 60  # Teams refreshes a card for at most this many users


def execute_action(button: Button) -> dict[str, Any]:
    action: dict[str, Any] = {
        "type": "Action.Execute",
        "title": _title(button.label),
        "verb": button.value,
        "data": {"action": button.value},
    }
    if button.style in _STYLES:
        action["style"] = _STYLES[button.style]
    return action


def _universal(body: list[dict[str, Any]], buttons: Sequence[Button]) -> dict[str, Any]:
    return {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": CARD_VERSION,
        "body": [*body, {"type": "ActionSet", "actions": [execute_action(b) for b in buttons]}],
    }


def review_card(outgoing: Outgoing) -> dict[str, Any]:
    """The review request: base buttons for everyone, refreshed per member to their own view."""
    content = _universal([], outgoing.buttons)
    content["refresh"] = {
        "action": {"type": "Action.Execute", "verb": REVIEW_VIEW, "data": {"action": REVIEW_VIEW}},
        "userIds": list(outgoing.view_for[:USER_VIEWS]),
    }
    return content


def view_card(outgoing: Outgoing) -> dict[str, Any]:
    """One member's own view (the answer to an Action.Execute on the review card). Their words
    go in as plain text runs, never as card markdown; a box takes a typed correction."""
    lines = [line for line in outgoing.text.splitlines() if line.strip()]
    body: list[dict[str, Any]] = [
        {"type": "RichTextBlock", "inlines": [{"type": "TextRun", "text": line}]} for line in lines
    ]
    if any(b.value == "group:correct_typed" for b in outgoing.buttons):
        body.append({"type": "Input.Text", "id": CORRECTION_INPUT, "isMultiline": True, "maxLength": 2000})
    return _universal(body, outgoing.buttons)


def _card_size(content: dict[str, Any] | None) -> int:
    return 0 if content is None else size(json.dumps(content, ensure_ascii=False))


# ---------------------------------------------------------------------- splitting


def _fit(text: str, limit: int) -> int:
    """The longest prefix (in code points) of `text` within `limit` UTF-16 bytes."""
    total = 0
    for end, char in enumerate(text):
        total += 4 if ord(char) > 0xFFFF else 2
        if total > limit:
            return end
    return len(text)


def _cut(text: str, limit: int) -> int:
    """Where to cut `text` so the head is within `limit` bytes: a line break or space in the
    second half of the window if there is one, never inside a character reference."""
    end = _fit(text, limit)
    if end >= len(text):
        return len(text)
    half = end // 2
    cut = text.rfind("\n", 0, end) + 1
    if cut < half:
        space = text.rfind(" ", 0, end) + 1
        cut = space if space >= half else end
    for match in markup.ENTITY.finditer(text, max(0, cut - 6), min(len(text), cut + 6)):
        if match.start() < cut < match.end():
            cut = match.start()
    return max(cut, 1)


def _split_block(text: str, limit: int) -> list[str]:
    parts = []
    while size(text) > limit:
        cut = _cut(text, limit)
        parts.append(text[:cut])
        text = text[cut:]
    parts.append(text)
    return parts


def split(blocks: Sequence[markup.Block], limit: int = MESSAGE_BYTES) -> list[str]:
    """Blocks into message texts of at most `limit` bytes each, in order.

    Joining the parts with the paragraph break `\\n\\n` (or nothing, where one paragraph
    had to be cut) gives back the whole text."""
    sections: list[list[markup.Block]] = []
    for block in blocks:
        if block.kind == "heading" or not sections:
            sections.append([])
        sections[-1].append(block)
    pages: list[str] = []
    current = ""

    def add(text: str) -> None:
        nonlocal current
        joined = f"{current}\n\n{text}" if current else text
        if size(joined) <= limit:
            current = joined
            return
        if current:
            pages.append(current)
        pieces = _split_block(text, limit)
        pages.extend(pieces[:-1])
        current = pieces[-1]

    for section in sections:
        whole = markup.join(section)
        joined = f"{current}\n\n{whole}" if current else whole
        if size(joined) <= limit:
            current = joined
            continue
        if current and size(whole) <= limit:
            pages.append(current)  # a section that fits on its own starts a new message
            current = whole
            continue
        for block in section:
            add(block.text)
    if current or not pages:
        pages.append(current)
    return pages


# ---------------------------------------------------------------------- activities


def message(text: str, content: dict[str, Any] | None = None) -> Activity:
    activity = Activity(type="message", text=text or None, text_format="markdown")
    if content is not None:
        activity.attachments = [Attachment(content_type=ADAPTIVE_CARD, content=content)]
    return activity


def render(outgoing: Outgoing, limit: int = MESSAGE_BYTES, larger_box: str | None = None) -> list[Activity]:
    """One engine message as one or more Teams messages, in order; the buttons on the last.

    `larger_box` is the title of the long-answer button, offered on free-text questions."""
    if outgoing.step_id == REVIEW_STEP and outgoing.view_for:
        content: dict[str, Any] | None = review_card(outgoing)
    else:
        box = (
            larger_box_action(larger_box, step_mark(outgoing)) if larger_box and outgoing.free_text else None
        )
        content = card(outgoing.buttons, box)
    parts = split(markup.blocks(outgoing.text), limit - _card_size(content))
    activities = [message(part) for part in parts[:-1]]
    activities.append(message(parts[-1] or ("" if content else " "), content))
    return activities


def render_all(messages: Iterable[Outgoing], larger_box: str | None = None) -> list[Activity]:
    return [activity for outgoing in messages for activity in render(outgoing, larger_box=larger_box)]


def plain(text: str) -> Activity:
    """A short message of our own (a greeting, an error notice), rendered like any other."""
    return render(Outgoing(text=text))[0]


__all__ = [
    "ADAPTIVE_CARD",
    "MESSAGE_BYTES",
    "card",
    "execute_action",
    "larger_box_action",
    "message",
    "plain",
    "render",
    "render_all",
    "review_card",
    "size",
    "split",
    "step_mark",
    "view_card",
]
