"""Build requests exactly as Slack sends them to an app's Request URL, signed.

Two layers:

* payload builders return plain dicts shaped like Slack's own payloads
  (`message_event`, `app_home_opened_event`, `url_verification`, `slash_command`,
  `block_actions`, `view_submission`). The same dicts are what Socket Mode carries in an
  envelope's `payload`, so they feed `SlackMock.push_envelope` too.
* signers turn a payload into the HTTP body Slack would post, with Slack's headers:
  `signed_event` (JSON body), `signed_command` (form fields), `signed_interaction`
  (`payload=<json>` form). Each returns a `SlackRequest(body, headers)` named tuple, so
  `body, headers = signed_event(...)` works and tests post it with aiohttp's client.

Signatures use Slack's v0 scheme through `slack_sdk.signature.SignatureVerifier.generate_signature`:
`v0=` + HMAC-SHA256(signing_secret, f"v0:{timestamp}:{body}"). Variants for negative tests:
`forged=True` (signed with another secret), `stale=True` (validly signed but six minutes
old), `unsigned=True` (no signature headers at all).
"""

from __future__ import annotations

import itertools
import json
import time
import uuid
from typing import Any, NamedTuple
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier

# Default identities shared by the builders and the Web API mock (Slack-shaped ids).
TEAM_ID = "T0TEAM0001"
TEAM_DOMAIN = "reflect-test"
APP_ID = "A0APP00001"
BOT_USER_ID = "U0BOT00001"
BOT_ID = "B0BOT00001"
USER_ID = "U0USER0001"
USER_NAME = "sam.worker"
DM_CHANNEL_ID = "D0DM000001"
# The deprecated verification token Slack still puts in payloads; Bolt ignores it.
VERIFICATION_TOKEN = "verification-token-unused"

SLACK_USER_AGENT = "Slackbot 1.0 (+https://api.slack.com/robots)"
STALE_SECONDS = 6 * 60  # Slack (and SignatureVerifier) reject timestamps older than 5 minutes

_counter = itertools.count(1)


class SlackRequest(NamedTuple):
    body: bytes
    headers: dict[str, str]

    def json(self) -> Any:
        """The body parsed back (JSON events only)."""
        return json.loads(self.body)


# --------------------------------------------------------------------------- ids and times


def new_ts(now: float | None = None) -> str:
    """A message timestamp like Slack's: seconds '.' six digits, unique in this process."""
    seconds = int(now if now is not None else time.time())
    return f"{seconds}.{next(_counter) % 1_000_000:06d}"


def new_event_id() -> str:
    return "Ev" + uuid.uuid4().hex[:10].upper()


def new_trigger_id() -> str:
    n = next(_counter)
    return f"{1000000000 + n}.{4000000000 + n}.{uuid.uuid4().hex}"


def new_response_url(team_id: str = TEAM_ID) -> str:
    return f"https://hooks.slack.com/actions/{team_id}/{1000000000 + next(_counter)}/{uuid.uuid4().hex[:24]}"


def _authorizations(team_id: str) -> list[dict[str, Any]]:
    return [
        {
            "enterprise_id": None,
            "team_id": team_id,
            "user_id": BOT_USER_ID,
            "is_bot": True,
            "is_enterprise_install": False,
        }
    ]


def _rich_text(text: str) -> list[dict[str, Any]]:
    return [
        {
            "type": "rich_text",
            "block_id": uuid.uuid4().hex[:5],
            "elements": [{"type": "rich_text_section", "elements": [{"type": "text", "text": text}]}],
        }
    ]


def _event_callback(
    event: dict[str, Any],
    *,
    team_id: str,
    api_app_id: str,
    event_id: str | None,
    event_time: int | None,
) -> dict[str, Any]:
    return {
        "token": VERIFICATION_TOKEN,
        "team_id": team_id,
        "context_team_id": team_id,
        "context_enterprise_id": None,
        "api_app_id": api_app_id,
        "event": event,
        "type": "event_callback",
        "event_id": event_id or new_event_id(),
        "event_time": event_time if event_time is not None else int(time.time()),
        "authorizations": _authorizations(team_id),
        "is_ext_shared_channel": False,
        "event_context": "4-" + uuid.uuid4().hex,
    }


# --------------------------------------------------------------------------- Events API payloads


def message_event(
    text: str,
    *,
    user: str = USER_ID,
    channel: str = DM_CHANNEL_ID,
    channel_type: str = "im",
    ts: str | None = None,
    thread_ts: str | None = None,
    event_id: str | None = None,
    event_time: int | None = None,
    client_msg_id: str | None = None,
    team_id: str = TEAM_ID,
    api_app_id: str = APP_ID,
    subtype: str | None = None,
    bot_id: str | None = None,
) -> dict[str, Any]:
    """An `event_callback` carrying a `message` event, by default a user's DM to the bot."""
    ts = ts or new_ts(event_time)
    event: dict[str, Any] = {
        "type": "message",
        "text": text,
        "user": user,
        "ts": ts,
        "team": team_id,
        "channel": channel,
        "event_ts": ts,
        "channel_type": channel_type,
    }
    if subtype is None and bot_id is None:
        # Messages typed by a person carry a client_msg_id and rich_text blocks.
        event["client_msg_id"] = client_msg_id or str(uuid.uuid4())
        event["blocks"] = _rich_text(text)
    if subtype is not None:
        event["subtype"] = subtype
    if bot_id is not None:
        event["bot_id"] = bot_id
    if thread_ts is not None:
        event["thread_ts"] = thread_ts
        event["parent_user_id"] = BOT_USER_ID
    return _event_callback(
        event, team_id=team_id, api_app_id=api_app_id, event_id=event_id, event_time=event_time
    )


def app_home_opened_event(
    *,
    user: str = USER_ID,
    channel: str = DM_CHANNEL_ID,
    tab: str = "home",
    view: dict[str, Any] | None = None,
    event_id: str | None = None,
    event_time: int | None = None,
    team_id: str = TEAM_ID,
    api_app_id: str = APP_ID,
) -> dict[str, Any]:
    """`app_home_opened`; `view` is present only after the app has published one."""
    event: dict[str, Any] = {
        "type": "app_home_opened",
        "user": user,
        "channel": channel,
        "tab": tab,
        "event_ts": new_ts(event_time),
    }
    if view is not None:
        event["view"] = view
    return _event_callback(
        event, team_id=team_id, api_app_id=api_app_id, event_id=event_id, event_time=event_time
    )


def url_verification(challenge: str | None = None) -> dict[str, Any]:
    return {
        "token": VERIFICATION_TOKEN,
        "challenge": challenge or uuid.uuid4().hex,
        "type": "url_verification",
    }


# --------------------------------------------------------------------------- slash command


def slash_command(
    text: str = "",
    *,
    command: str = "/reflect",
    user_id: str = USER_ID,
    user_name: str = USER_NAME,
    channel_id: str = DM_CHANNEL_ID,
    channel_name: str = "directmessage",
    team_id: str = TEAM_ID,
    api_app_id: str = APP_ID,
    trigger_id: str | None = None,
    response_url: str | None = None,
) -> dict[str, str]:
    """The form fields of a slash command post (also the Socket Mode `slash_commands` payload)."""
    return {
        "token": VERIFICATION_TOKEN,
        "team_id": team_id,
        "team_domain": TEAM_DOMAIN,
        "channel_id": channel_id,
        "channel_name": channel_name,
        "user_id": user_id,
        "user_name": user_name,
        "command": command,
        "text": text,
        "api_app_id": api_app_id,
        "is_enterprise_install": "false",
        "response_url": response_url or new_response_url(team_id).replace("/actions/", "/commands/"),
        "trigger_id": trigger_id or new_trigger_id(),
    }


# --------------------------------------------------------------------------- interactivity


def _user(user_id: str, user_name: str, team_id: str) -> dict[str, str]:
    return {"id": user_id, "username": user_name, "name": user_name, "team_id": team_id}


def block_actions(
    action_id: str,
    value: str,
    *,
    block_id: str = "actions",
    text: str | None = None,
    user_id: str = USER_ID,
    user_name: str = USER_NAME,
    channel_id: str = DM_CHANNEL_ID,
    message_ts: str | None = None,
    message_text: str = "",
    message_blocks: list[dict[str, Any]] | None = None,
    thread_ts: str | None = None,
    view: dict[str, Any] | None = None,
    team_id: str = TEAM_ID,
    api_app_id: str = APP_ID,
    trigger_id: str | None = None,
    response_url: str | None = None,
    state_values: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A button click. In a message (default) the payload has `container.type == "message"`,
    `channel`, `message` and `response_url`; pass `view` for a click on the App Home tab or
    in a modal (`container.type == "view"`, no channel/message/response_url)."""
    action = {
        "action_id": action_id,
        "block_id": block_id,
        "text": {"type": "plain_text", "text": text or value, "emoji": True},
        "value": value,
        "type": "button",
        "action_ts": f"{time.time():.6f}",
    }
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": _user(user_id, user_name, team_id),
        "api_app_id": api_app_id,
        "token": VERIFICATION_TOKEN,
        "trigger_id": trigger_id or new_trigger_id(),
        "team": {"id": team_id, "domain": TEAM_DOMAIN},
        "enterprise": None,
        "is_enterprise_install": False,
        "state": {"values": state_values or {}},
        "actions": [action],
    }
    if view is None:
        ts = message_ts or new_ts()
        message: dict[str, Any] = {
            "type": "message",
            "subtype": "bot_message",
            "text": message_text,
            "ts": ts,
            "user": BOT_USER_ID,
            "bot_id": BOT_ID,
            "app_id": api_app_id,
            "team": team_id,
            "blocks": message_blocks or [],
        }
        if thread_ts is not None:
            message["thread_ts"] = thread_ts
        payload["container"] = {
            "type": "message",
            "message_ts": ts,
            "channel_id": channel_id,
            "is_ephemeral": False,
        }
        if thread_ts is not None:
            payload["container"]["thread_ts"] = thread_ts
        payload["channel"] = {"id": channel_id, "name": "directmessage"}
        payload["message"] = message
        payload["response_url"] = response_url or new_response_url(team_id)
    else:
        payload["container"] = {"type": "view", "view_id": view.get("id", "V0VIEW0001")}
        payload["view"] = view
    return payload


def message_action(
    callback_id: str,
    message_text: str,
    *,
    user_id: str = USER_ID,
    user_name: str = USER_NAME,
    channel_id: str = "C0VISITS01",
    channel_name: str = "visits",
    author: str = "U0OTHER001",
    message_ts: str | None = None,
    team_id: str = TEAM_ID,
    api_app_id: str = APP_ID,
    trigger_id: str | None = None,
    response_url: str | None = None,
) -> dict[str, Any]:
    """A message shortcut (the "..." menu on a message): `type: message_action`, the message
    it was used on, and where (usually a channel, any author)."""
    ts = message_ts or new_ts()
    return {
        "type": "message_action",
        "token": VERIFICATION_TOKEN,
        "action_ts": f"{time.time():.6f}",
        "team": {"id": team_id, "domain": TEAM_DOMAIN},
        "user": _user(user_id, user_name, team_id),
        "channel": {"id": channel_id, "name": channel_name},
        "is_enterprise_install": False,
        "enterprise": None,
        "callback_id": callback_id,
        "trigger_id": trigger_id or new_trigger_id(),
        "response_url": response_url or new_response_url(team_id),
        "message_ts": ts,
        "message": {
            "client_msg_id": str(uuid.uuid4()),
            "type": "message",
            "text": message_text,
            "user": author,
            "ts": ts,
            "team": team_id,
            "blocks": _rich_text(message_text),
        },
        "api_app_id": api_app_id,
    }


def view_submission(
    callback_id: str,
    values: dict[str, dict[str, Any]] | None = None,
    *,
    private_metadata: str = "",
    view_id: str = "V0VIEW0001",
    blocks: list[dict[str, Any]] | None = None,
    user_id: str = USER_ID,
    user_name: str = USER_NAME,
    team_id: str = TEAM_ID,
    api_app_id: str = APP_ID,
    trigger_id: str | None = None,
) -> dict[str, Any]:
    """A modal's submit. `values` maps block_id -> action_id -> either a string (a
    plain_text_input's value) or a full state element dict passed through as is."""
    state: dict[str, dict[str, Any]] = {}
    for block_id, actions in (values or {}).items():
        state[block_id] = {
            action_id: v if isinstance(v, dict) else {"type": "plain_text_input", "value": v}
            for action_id, v in actions.items()
        }
    return {
        "type": "view_submission",
        "team": {"id": team_id, "domain": TEAM_DOMAIN},
        "user": _user(user_id, user_name, team_id),
        "api_app_id": api_app_id,
        "token": VERIFICATION_TOKEN,
        "trigger_id": trigger_id or new_trigger_id(),
        "view": {
            "id": view_id,
            "team_id": team_id,
            "type": "modal",
            "blocks": blocks or [],
            "private_metadata": private_metadata,
            "callback_id": callback_id,
            "state": {"values": state},
            "hash": uuid.uuid4().hex[:16],
            "title": {"type": "plain_text", "text": "Reflect", "emoji": True},
            "clear_on_close": False,
            "notify_on_close": False,
            "close": {"type": "plain_text", "text": "Cancel", "emoji": True},
            "submit": {"type": "plain_text", "text": "Submit", "emoji": True},
            "previous_view_id": None,
            "root_view_id": view_id,
            "app_id": api_app_id,
            "external_id": "",
            "app_installed_team_id": team_id,
            "bot_id": BOT_ID,
        },
        "response_urls": [],
        "is_enterprise_install": False,
        "enterprise": None,
    }


# --------------------------------------------------------------------------- signing


def sign(
    body: bytes,
    content_type: str,
    signing_secret: str,
    *,
    timestamp: int | None = None,
    retry_num: int | None = None,
    retry_reason: str | None = None,
    forged: bool = False,
    stale: bool = False,
    unsigned: bool = False,
) -> SlackRequest:
    """Headers Slack sends with `body`. `retry_num` adds X-Slack-Retry-Num/-Reason
    (reason defaults to "http_timeout", Slack's reason when an app took over 3 seconds)."""
    ts = timestamp if timestamp is not None else int(time.time())
    if stale:
        ts -= STALE_SECONDS
    headers = {
        "Content-Type": content_type,
        "User-Agent": SLACK_USER_AGENT,
        "Accept": "*/*",
        "Accept-Encoding": "gzip,deflate",
    }
    if not unsigned:
        secret = signing_secret + "-forged" if forged else signing_secret
        signature = SignatureVerifier(secret).generate_signature(timestamp=str(ts), body=body)
        assert signature is not None
        headers["X-Slack-Request-Timestamp"] = str(ts)
        headers["X-Slack-Signature"] = signature
    if retry_num is not None:
        headers["X-Slack-Retry-Num"] = str(retry_num)
        headers["X-Slack-Retry-Reason"] = retry_reason or "http_timeout"
    return SlackRequest(body, headers)


def signed_event(payload: dict[str, Any], signing_secret: str, **options: Any) -> SlackRequest:
    """An Events API post (event_callback, url_verification): a JSON body."""
    body = json.dumps(payload, separators=(",", ":")).encode()
    return sign(body, "application/json", signing_secret, **options)


def signed_command(fields: dict[str, str], signing_secret: str, **options: Any) -> SlackRequest:
    """A slash command post: form-encoded fields."""
    body = urlencode(fields).encode()
    return sign(body, "application/x-www-form-urlencoded", signing_secret, **options)


def signed_interaction(payload: dict[str, Any], signing_secret: str, **options: Any) -> SlackRequest:
    """An interactivity post (block_actions, view_submission): form field `payload=<json>`."""
    body = urlencode({"payload": json.dumps(payload, separators=(",", ":"))}).encode()
    return sign(body, "application/x-www-form-urlencoded", signing_secret, **options)


__all__ = [
    "APP_ID",
    "BOT_ID",
    "BOT_USER_ID",
    "DM_CHANNEL_ID",
    "TEAM_DOMAIN",
    "TEAM_ID",
    "USER_ID",
    "USER_NAME",
    "SlackRequest",
    "app_home_opened_event",
    "block_actions",
    "message_action",
    "message_event",
    "new_event_id",
    "new_response_url",
    "new_trigger_id",
    "new_ts",
    "sign",
    "signed_command",
    "signed_event",
    "signed_interaction",
    "slash_command",
    "url_verification",
    "view_submission",
]
