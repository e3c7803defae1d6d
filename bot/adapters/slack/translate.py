"""Slack payloads in, `Incoming` out. Pure functions: no I/O, no Bolt, no conversation logic.

Every function takes the raw payload Slack sent (Events API body, slash command form,
interactivity payload) and returns a small value, or None when the payload is not ours to
handle (a bot's message, an edit, a channel message) or is malformed. Nothing here raises on
bad input: a malformed payload is answered with an acknowledgement and ignored.

Delivery ids, used by the service to process a retried delivery once:
* Events API and Socket Mode events: Slack's `event_id` (the same on every retry);
* slash commands: the `trigger_id` (unique per invocation);
* button clicks: message ts + action id + action ts (one click; a double click is two clicks,
  and the engine's step mark on the button value makes the second one harmless);
* modal submissions: the view id (one submission per opened modal).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.router import case_ref_in, slash_words
from bot.turns import ConversationKey, Incoming

# action_id prefixes and callback ids our own Block Kit uses (see render.py, home.py, modal.py).
BUTTON_PREFIX = "reflect_btn_"
LONG_ANSWER_ACTION = "reflect_long_answer"
NOTE_ACTION = "reflect_note"
LONG_ANSWER_CALLBACK = "reflect_long_answer"
LONG_ANSWER_BLOCK = "answer"
LONG_ANSWER_INPUT = "text"
SHORTCUT_CALLBACK = "reflect_on_message"  # the message shortcut in slack/manifest.yaml


@dataclass(frozen=True)
class Inbound:
    """One user event from Slack, before it is tied to the bot's DM with that user.

    `dm` is the direct-message channel when the payload names it (a DM message, a click on a
    message in the DM). It is None for a slash command (typed in any channel) and for a
    click on the App Home tab: the adapter opens the DM first (conversations.open).
    """

    team: str  # the workspace key: team id, or "enterprise.team" on Enterprise Grid
    user: str
    dm: str | None = None
    thread_ts: str | None = None
    text: str | None = None
    action: str | None = None
    event_id: str | None = None

    def key(self, dm: str) -> ConversationKey:
        return ConversationKey(platform="slack", workspace=self.team, channel=dm, user=self.user)

    def incoming(self, dm: str) -> Incoming:
        return Incoming(key=self.key(dm), text=self.text, action=self.action, event_id=self.event_id)


@dataclass(frozen=True)
class LongAnswerRequest:
    """A click on "Write a longer answer": open the modal with this trigger."""

    trigger_id: str
    dm: str
    thread_ts: str | None
    mark: str
    team: str = ""  # the workspace key, for the token to open the modal with


@dataclass(frozen=True)
class NoteRequest:
    """A click on "Send me the note" (App Home): post a stored note to the DM."""

    who: Inbound
    session_id: str


# ---------------------------------------------------------------------- small readers


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _get(payload: Any, *path: str) -> Any:
    for name in path:
        if not isinstance(payload, Mapping):
            return None
        payload = payload.get(name)
    return payload


# ---------------------------------------------------------------------- workspaces
# A person is keyed by the workspace they wrote from. Outside Enterprise Grid that is the team
# id ("T0123"); inside an org it is "E0456.T0123", enterprise id and team id, so the same user
# id in two workspaces (or two orgs) is two people with two histories, and the token to answer
# with is found from the key alone (an org-wide install answers for every team of its org).
WORKSPACE_SEPARATOR = "."


def workspace_key(team: str, enterprise: str | None = None) -> str:
    return f"{enterprise}{WORKSPACE_SEPARATOR}{team}" if enterprise and enterprise != team else team


def split_workspace(workspace: str) -> tuple[str | None, str]:
    """(enterprise id or None, team id) of a workspace key."""
    enterprise, _, team = workspace.rpartition(WORKSPACE_SEPARATOR)
    return enterprise or None, team


def _enterprise(payload: Mapping[str, Any]) -> str | None:
    authorizations = payload.get("authorizations")
    first = authorizations[0] if isinstance(authorizations, list) and authorizations else None
    return (
        _text(payload.get("enterprise_id"))
        or _text(_get(payload, "enterprise", "id"))
        or _text(payload.get("context_enterprise_id"))
        or _text(_get(payload, "team", "enterprise_id"))
        or (_text(first.get("enterprise_id")) if isinstance(first, Mapping) else None)
    )


def _team(payload: Mapping[str, Any]) -> str | None:
    """The workspace key of a payload (see workspace_key)."""
    team = (
        _text(payload.get("team_id"))
        or _text(_get(payload, "team", "id"))
        or _text(_get(payload, "user", "team_id"))
        or _text(_get(payload, "event", "team"))
    )
    enterprise = _enterprise(payload)
    if team is None:
        return enterprise  # an org-level payload with no team: the org itself
    return workspace_key(team, enterprise)


_SLACK_MARKUP = re.compile(r"<([^<>|]*)(?:\|([^<>]*))?>")


def from_slack(text: str) -> str:
    """Slack's message markup back to what the person typed.

    Slack sends `&`, `<`, `>` as entities and wraps links and mentions in angle brackets:
    `<https://x.test|x.test>`, `<@U123>`, `<#C123|general>`, `<!here>`.
    """

    def plain(match: re.Match[str]) -> str:
        target, label = match.group(1), match.group(2)
        if target.startswith("@"):
            return f"@{label.lstrip('@')}" if label else target
        if target.startswith("#"):
            return f"#{label}" if label else target
        if target.startswith("!"):
            word = target[1:].split("^", 1)[0]
            return label or f"@{word}"
        return label or target

    return html.unescape(_SLACK_MARKUP.sub(plain, text)) if "<" in text or "&" in text else text


# ---------------------------------------------------------------------- shape

# Fields Bolt reads while it builds the request context, runs its middleware and matches
# listeners (slack_bolt.request.internals, payload_utils, listener_matcher): each must have
# the type Slack gives it, or Bolt indexes into the wrong thing and answers 500.
_IDS = (
    "type",
    "team_id",
    "enterprise_id",
    "user_id",
    "channel_id",
    "channel_name",
    "api_app_id",
    "trigger_id",
    "thread_ts",
    "response_url",
    "callback_id",
    "action_id",
    "command",
    "text",
    "token",
    "event_id",
    "function_execution_id",
    "bot_access_token",
)
_EVENT_IDS = (
    "type",
    "subtype",
    "channel_type",
    "tab",
    "text",
    "ts",
    "thread_ts",
    "event_ts",
    "bot_id",
    "team",
    "user_team",
    "callback_id",
    "function_execution_id",
    "bot_access_token",
    "client_msg_id",
)
_MESSAGE_IDS = ("type", "subtype", "thread_ts", "ts", "text", "bot_id")
_VIEW_IDS = ("id", "type", "callback_id", "team_id", "app_installed_team_id", "private_metadata", "hash")
_CONTAINER_IDS = ("type", "channel_id", "message_ts", "thread_ts", "view_id")
_ACTION_IDS = ("action_id", "block_id", "value", "action_ts", "type")


# Ids, timestamps and kinds are short in every payload Slack sends; free text is not.
MAX_ID = 255
_FREE_TEXT = frozenset({"text", "value", "private_metadata", "response_url", "channel_name"})


def _optional(value: Any, *types: type) -> bool:
    return value is None or isinstance(value, types)


def _strings(data: Mapping[str, Any], names: tuple[str, ...]) -> bool:
    for name in names:
        value = data.get(name)
        if value is None:
            continue
        if not isinstance(value, str) or (name not in _FREE_TEXT and len(value) > MAX_ID):
            return False
    return True


def _ref(value: Any, *names: str) -> bool:
    """None, an id as a string, or an object whose `names` are strings (user, team, channel)."""
    if isinstance(value, str):
        return len(value) <= MAX_ID
    return value is None or (isinstance(value, Mapping) and _strings(value, names))


def _object(value: Any, names: tuple[str, ...] = ()) -> bool:
    return value is None or (isinstance(value, Mapping) and _strings(value, names))


def _present_object(body: Mapping[str, Any], key: str, names: tuple[str, ...] = ()) -> bool:
    """Absent, or an object (Bolt tests `"callback_id" in body["view"]` and the like: null fails)."""
    return key not in body or (isinstance(body[key], Mapping) and _strings(body[key], names))


def _message_ok(value: Any) -> bool:
    return _object(value, _MESSAGE_IDS) and (value is None or _ref(value.get("user"), "id"))


_OBJECTS = ("message", "previous_message", "item", "assistant_thread", "function_data", "state")


def _event_ok(event: Any) -> bool:
    return (
        isinstance(event, Mapping)
        and isinstance(event.get("type"), str)
        and _strings(event, _EVENT_IDS)
        and _ref(event.get("user"), "id", "team_id")
        and _ref(event.get("channel"), "id")
        and _object(event.get("item"))
        and _object(event.get("assistant_thread"))
        and _message_ok(event.get("message"))
        and _message_ok(event.get("previous_message"))
    )


def _authorizations_ok(value: Any) -> bool:
    return value is None or (
        isinstance(value, list)
        and all(
            isinstance(a, Mapping)
            and _strings(a, ("team_id", "enterprise_id", "user_id"))
            and _optional(a.get("is_enterprise_install"), bool, str)
            for a in value
        )
    )


def _actions_ok(value: Any) -> bool:
    return isinstance(value, list) and all(
        isinstance(a, Mapping) and isinstance(a.get("action_id"), str) and _strings(a, _ACTION_IDS)
        for a in value
    )


def _encodable(body: Mapping[str, Any]) -> bool:
    """Text that can be stored: no lone surrogates (JSON allows "\\ud800", UTF-8 does not)."""
    try:
        json.dumps(body, ensure_ascii=False).encode("utf-8")
    except (UnicodeEncodeError, ValueError, TypeError, RecursionError):
        return False
    return True


def _common_ok(body: Mapping[str, Any]) -> bool:
    return (
        _strings(body, _IDS)
        and _ref(body.get("enterprise"), "id")
        and _ref(body.get("team"), "id", "enterprise_id")
        and _ref(body.get("user"), "id", "team_id")
        and _ref(body.get("channel"), "id")
        and _optional(body.get("is_enterprise_install"), bool, str)
        and _authorizations_ok(body.get("authorizations"))
        and ("event" not in body or _event_ok(body["event"]))
        and _message_ok(body.get("message"))
        and _message_ok(body.get("previous_message"))
        and all(_present_object(body, key) for key in _OBJECTS)
        and _present_object(body, "container", _CONTAINER_IDS)
        and _present_object(body, "view", _VIEW_IDS)
        and ("actions" not in body or _actions_ok(body["actions"]))
        and (
            "response_urls" not in body
            or (
                isinstance(body["response_urls"], list)
                and all(
                    isinstance(u, Mapping) and _strings(u, ("response_url",)) for u in body["response_urls"]
                )
            )
        )
    )


def well_formed(body: Any) -> bool:
    """Whether a (signed) payload has the shape its kind needs before Bolt routes it.

    Bolt indexes into payloads while it builds the context and matches listeners, and answers
    500 when, say, `actions` is empty or `authorizations` is an object. Slack never sends such
    payloads, so they are refused with 400 before Bolt sees them: every field Bolt reads has
    the type Slack gives it, the kind's own fields are present, and all text is valid Unicode.
    """
    if not isinstance(body, Mapping) or not body or not _common_ok(body) or not _encodable(body):
        return False
    if "command" in body:
        command = body.get("command")
        return isinstance(command, str) and command.startswith("/")
    if "ssl_check" in body:
        return True
    kind = body.get("type")
    if not isinstance(kind, str):
        return False
    if kind == "event_callback":
        return isinstance(body.get("event"), Mapping)
    if kind == "block_actions":
        return bool(body.get("actions")) and _actions_ok(body.get("actions")) and _ref(body.get("user"), "id")
    if kind in ("view_submission", "view_closed"):
        view = body.get("view")
        return (
            isinstance(view, Mapping)
            and isinstance(view.get("callback_id"), str)
            and isinstance(view.get("type"), str)
        )
    return True


# ---------------------------------------------------------------------- identity claims


@dataclass(frozen=True)
class DmClaim:
    """A payload's claim that `user` is acting in the DM `channel` (checked with Slack)."""

    team: str
    channel: str
    user: str


def dm_claim(body: Mapping[str, Any]) -> DmClaim | None:
    """The (team, channel, user) a payload would act as, where it names the channel itself.

    A DM message or App Home event, a click on a message (its container's channel), and the
    long-answer modal's submit (the DM in its private_metadata). Slash commands and clicks on
    the Home tab name no channel: the bot opens the user's own DM (conversations.open)."""
    team = _team(body)
    user: str | None = None
    channel: str | None = None
    event = body.get("event")
    if isinstance(event, Mapping) and event.get("type") in ("message", "app_home_opened"):
        if event.get("bot_id") or event.get("subtype") is not None:
            return None
        if event.get("type") == "message" and event.get("channel_type") != "im":
            return None
        user, channel = _text(event.get("user")), _text(event.get("channel"))
    elif body.get("type") == "block_actions":
        user = _text(_get(body, "user", "id"))
        if _get(body, "container", "type") == "message":
            channel = _text(_get(body, "container", "channel_id")) or _text(_get(body, "channel", "id"))
    elif body.get("type") == "view_submission":
        user = _text(_get(body, "user", "id"))
        view = body.get("view")
        if isinstance(view, Mapping) and view.get("callback_id") == LONG_ANSWER_CALLBACK:
            channel = _text(read_metadata(view.get("private_metadata")).get("c"))
    if team is None or user is None or channel is None:
        return None
    return DmClaim(team=team, channel=channel, user=user)


# ---------------------------------------------------------------------- Events API


def message(body: Mapping[str, Any], bot_user_id: str | None = None) -> Inbound | None:
    """A person's message in their DM with the bot; None for anything else.

    Ignored: channel and group messages, edits and deletions and every other subtype, bot
    messages (ours included), and messages without text.
    """
    event = body.get("event")
    if not isinstance(event, Mapping) or event.get("type") != "message":
        return None
    if event.get("channel_type") != "im" or event.get("subtype") is not None or event.get("bot_id"):
        return None
    user, channel, text = _text(event.get("user")), _text(event.get("channel")), event.get("text")
    team = _team(body)
    if user is None or channel is None or team is None or not isinstance(text, str):
        return None
    if bot_user_id is not None and user == bot_user_id:
        return None
    event_id = _text(body.get("event_id"))
    return Inbound(
        team=team,
        user=user,
        dm=channel,
        thread_ts=_text(event.get("thread_ts")),
        text=from_slack(text),
        event_id=f"ev:{event_id}" if event_id else None,
    )


def home_opened(body: Mapping[str, Any]) -> Inbound | None:
    """`app_home_opened` on the Home tab (the Messages tab needs nothing)."""
    event = body.get("event")
    if not isinstance(event, Mapping) or event.get("type") != "app_home_opened":
        return None
    if event.get("tab", "home") != "home":
        return None
    user, team = _text(event.get("user")), _team(body)
    if user is None or team is None:
        return None
    return Inbound(team=team, user=user, dm=_text(event.get("channel")))


# ---------------------------------------------------------------------- slash command


def slash_command(body: Mapping[str, Any]) -> Inbound | None:
    user, team = _text(body.get("user_id")), _team(body)
    if user is None or team is None:
        return None
    text = body.get("text")
    trigger = _text(body.get("trigger_id"))
    return Inbound(
        team=team,
        user=user,
        text=slash_words(text if isinstance(text, str) else ""),
        event_id=f"cmd:{trigger}" if trigger else None,
    )


def slash_in_dm(body: Mapping[str, Any]) -> bool:
    """Whether the slash command was typed in a DM (where the ephemeral ack is enough)."""
    return body.get("channel_name") == "directmessage"


# ---------------------------------------------------------------------- interactivity


def _action(body: Mapping[str, Any]) -> Mapping[str, Any] | None:
    actions = body.get("actions")
    if not isinstance(actions, list) or not actions or not isinstance(actions[0], Mapping):
        return None
    return actions[0]


def _clicker(body: Mapping[str, Any]) -> tuple[str, str, str | None, str | None] | None:
    """(team, user, dm channel or None, thread ts) of a block_actions payload."""
    user, team = _text(_get(body, "user", "id")), _team(body)
    if user is None or team is None:
        return None
    container = body.get("container")
    if not isinstance(container, Mapping) or container.get("type") != "message":
        return team, user, None, None  # the App Home tab or a modal
    channel = _text(container.get("channel_id")) or _text(_get(body, "channel", "id"))
    thread = _text(container.get("thread_ts")) or _text(_get(body, "message", "thread_ts"))
    return team, user, channel, thread


def button(body: Mapping[str, Any]) -> Inbound | None:
    """One of our engine buttons: its value goes back to the engine unchanged."""
    action, who = _action(body), _clicker(body)
    if action is None or who is None:
        return None
    value, action_id = _text(action.get("value")), _text(action.get("action_id"))
    if value is None or action_id is None:
        return None
    team, user, dm, thread = who
    where = _text(_get(body, "container", "message_ts")) or _text(_get(body, "container", "view_id")) or "-"
    stamp = _text(action.get("action_ts")) or _text(body.get("trigger_id")) or "-"
    return Inbound(
        team=team,
        user=user,
        dm=dm,
        thread_ts=thread,
        action=value,
        event_id=f"act:{where}:{action_id}:{stamp}",
    )


def long_answer(body: Mapping[str, Any]) -> LongAnswerRequest | None:
    action, who, trigger = _action(body), _clicker(body), _text(body.get("trigger_id"))
    if action is None or who is None or trigger is None or who[2] is None:
        return None
    return LongAnswerRequest(
        trigger_id=trigger, dm=who[2], thread_ts=who[3], mark=str(action.get("value") or ""), team=who[0]
    )


def note(body: Mapping[str, Any]) -> NoteRequest | None:
    action, who = _action(body), _clicker(body)
    if action is None or who is None:
        return None
    session_id = _text(action.get("value"))
    if session_id is None:
        return None
    team, user, dm, thread = who
    return NoteRequest(Inbound(team=team, user=user, dm=dm, thread_ts=thread), session_id)


@dataclass(frozen=True)
class ShortcutStart:
    """ "Reflect on this message": a reflection in the worker's DM, about the message.

    The message's text is read for a case reference here and then dropped: it is not stored,
    logged or quoted back (it may be anyone's message in any channel)."""

    inbound: Inbound
    case_ref: str | None


def message_shortcut(body: Mapping[str, Any]) -> ShortcutStart | None:
    """A `message_action` on our shortcut: start the default reflection in the user's DM."""
    if body.get("type") != "message_action" or body.get("callback_id") != SHORTCUT_CALLBACK:
        return None
    user, team = _text(_get(body, "user", "id")), _team(body)
    if user is None or team is None:
        return None
    text = _get(body, "message", "text")
    case_ref = case_ref_in(from_slack(text)) if isinstance(text, str) and text else None
    trigger = _text(body.get("trigger_id"))
    where = _text(_get(body, "message", "ts")) or "-"
    return ShortcutStart(
        Inbound(
            team=team,
            user=user,
            text="reflect",
            event_id=f"shortcut:{where}:{trigger}" if trigger else None,
        ),
        case_ref,
    )


def submission(body: Mapping[str, Any]) -> Inbound | None:
    """The long-answer modal's submit: the text becomes a typed answer in the DM it came from."""
    view = body.get("view")
    user, team = _text(_get(body, "user", "id")), _team(body)
    if not isinstance(view, Mapping) or user is None or team is None:
        return None
    if view.get("callback_id") != LONG_ANSWER_CALLBACK:
        return None
    meta = read_metadata(view.get("private_metadata"))
    text = _get(view, "state", "values", LONG_ANSWER_BLOCK, LONG_ANSWER_INPUT, "value")
    dm = _text(meta.get("c"))
    if dm is None or not isinstance(text, str):
        return None
    view_id = _text(view.get("id"))
    return Inbound(
        team=team,
        user=user,
        dm=dm,
        thread_ts=_text(meta.get("t")),
        text=text,
        event_id=f"view:{view_id}" if view_id else None,
    )


def read_metadata(raw: Any) -> dict[str, Any]:
    """The modal's private_metadata (JSON written by modal.py); {} when unreadable."""
    if not isinstance(raw, str) or not raw:
        return {}
    try:
        data = json.loads(raw)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}
