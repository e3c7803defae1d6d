"""The values that cross the line between adapters and the service.

An adapter builds an `Incoming` from a platform payload, calls `ReflectionService.handle`,
and renders the `Outgoing` messages it gets back. Nothing here knows about a platform.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from typing import Any, Literal


@dataclass(frozen=True)
class ConversationKey:
    """Who is talking to the bot, and where. One conversation is serialised per key.

    `user` is the platform's opaque user id (never a name). `channel` is the DM or group
    conversation id; `workspace` is the Slack team id or Teams tenant id.
    """

    platform: Literal["console", "slack", "teams"]
    workspace: str
    channel: str
    user: str

    def as_str(self) -> str:
        return f"{self.platform}:{self.workspace}:{self.channel}:{self.user}"


@dataclass(frozen=True)
class Mention:
    """A colleague @mentioned in a group chat: their platform id and display name."""

    user: str
    name: str


@dataclass(frozen=True)
class Incoming:
    """One user event. Exactly one of `text` (typed) or `action` (button value) is set.

    `event_id` is the platform's delivery id (Slack event_id, Teams activity id) used to
    process a retried or duplicated delivery once. In a group conversation (a Teams channel
    or group chat) the sender's display name and any @mentions come too: the facilitator
    names people by them.
    """

    key: ConversationKey
    text: str | None = None
    action: str | None = None
    event_id: str | None = None
    conversation: Literal["personal", "group"] = "personal"
    sender_name: str | None = None
    mentions: tuple[Mention, ...] = ()
    tz: str | None = None  # the worker's IANA time zone, when the platform tells us


@dataclass(frozen=True)
class Button:
    label: str
    value: str  # what comes back as Incoming.action, e.g. "cmd:skip" or "choice:yes"
    style: Literal["default", "primary", "danger"] = "default"


MessageKind = Literal["prompt", "confirm", "info", "followup", "alert", "warning", "error", "note"]


@dataclass(frozen=True)
class Outgoing:
    """A message for the user, rendered from templates. `text` uses light markdown
    (*bold*, _italic_, bullets) that each adapter adapts and escapes for its platform."""

    text: str
    kind: MessageKind = "info"
    buttons: tuple[Button, ...] = ()
    # A free-text question: adapters may offer a larger input (a Slack modal, say).
    free_text: bool = False
    step_id: str | None = None
    # Who gets their own view of this message where the surface can show one (Teams'
    # user-specific Adaptive Card views, refreshed per person): their ids in the conversation.
    view_for: tuple[str, ...] = ()


@dataclass(frozen=True)
class TurnResult:
    messages: tuple[Outgoing, ...] = ()
    duplicate: bool = False  # the event was already processed; nothing was done
    completed_session_id: str | None = None  # a note was compiled and stored this turn
    active_session_id: str | None = None  # the session in progress after this turn, if any
    note_markdown: str | None = None
    extra: dict[str, str] = field(default_factory=dict)
    files: tuple[OutgoingFile, ...] = ()  # e.g. an export: adapters upload each to the requester
    # What a worker's summary (Slack's Home tab) shows may have changed: a reflection started,
    # paused, resumed, finished or cancelled, or a records command ran. Not for a reminder,
    # a question about the bot or an answer within a reflection.
    home_changed: bool = False


@dataclass(frozen=True)
class PausedItem:
    session_id: str
    model_title: str
    case_ref: str | None
    step_title: str
    paused_at: str  # ISO 8601, UTC


@dataclass(frozen=True)
class NoteItem:
    session_id: str
    model_title: str
    case_ref: str | None
    completed_at: str


@dataclass(frozen=True)
class ActionItem:
    case_ref: str | None
    what: str
    who: str | None
    due: str | None  # ISO date or the worker's own words when no date could be read
    status: str


@dataclass(frozen=True)
class HypothesisItem:
    case_ref: str
    statement: str
    status: str


@dataclass(frozen=True)
class HomeSummary:
    """What a worker sees on their home tab: nothing here is anyone else's."""

    paused: tuple[PausedItem, ...] = ()
    recent_notes: tuple[NoteItem, ...] = ()
    open_actions: tuple[ActionItem, ...] = ()
    hypotheses: tuple[HypothesisItem, ...] = ()


@dataclass(frozen=True)
class OutgoingFile:
    """A file for the user (a records export or the audit trail). Slack uploads it to the
    requester's DM; Teams sends a file card or a link."""

    filename: str
    mime: str
    data: bytes
    title: str


# ---------------------------------------------------------------------- stored forms
# What the inbox and outbox keep: plain JSON values (the storage layer encrypts them).


def incoming_to_json(incoming: Incoming) -> dict[str, Any]:
    key = incoming.key
    return {
        "key": [key.platform, key.workspace, key.channel, key.user],
        "text": incoming.text,
        "action": incoming.action,
        "event_id": incoming.event_id,
        "conversation": incoming.conversation,
        "sender_name": incoming.sender_name,
        "mentions": [[m.user, m.name] for m in incoming.mentions],
        "tz": incoming.tz,
    }


def incoming_from_json(data: dict[str, Any]) -> Incoming:
    platform, workspace, channel, user = data["key"]
    return Incoming(
        key=ConversationKey(platform, workspace, channel, user),
        text=data.get("text"),
        action=data.get("action"),
        event_id=data.get("event_id"),
        conversation=data.get("conversation", "personal"),
        sender_name=data.get("sender_name"),
        mentions=tuple(Mention(user, name) for user, name in data.get("mentions", ())),
        tz=data.get("tz"),
    )


def outgoing_to_json(message: Outgoing) -> dict[str, Any]:
    return {
        "text": message.text,
        "kind": message.kind,
        "buttons": [[b.label, b.value, b.style] for b in message.buttons],
        "free_text": message.free_text,
        "step_id": message.step_id,
        **({"view_for": list(message.view_for)} if message.view_for else {}),
    }


def outgoing_from_json(data: dict[str, Any]) -> Outgoing:
    return Outgoing(
        text=data["text"],
        kind=data.get("kind", "info"),
        buttons=tuple(Button(label, value, style) for label, value, style in data.get("buttons", ())),
        free_text=data.get("free_text", False),
        step_id=data.get("step_id"),
        view_for=tuple(data.get("view_for", ())),
    )


def file_to_json(file: OutgoingFile, purpose: str) -> dict[str, Any]:
    return {
        "filename": file.filename,
        "mime": file.mime,
        "title": file.title,
        "data": base64.b64encode(file.data).decode("ascii"),
        "purpose": purpose,  # "note" (the worker's own note) or "export"
    }


def file_from_json(data: dict[str, Any]) -> tuple[OutgoingFile, str]:
    file = OutgoingFile(
        filename=data["filename"], mime=data["mime"], data=base64.b64decode(data["data"]), title=data["title"]
    )
    return file, data.get("purpose", "export")
