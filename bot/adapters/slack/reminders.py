"""Delivering reminders in Slack: a direct message to the worker, buttons included."""

from __future__ import annotations

from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.render import render_all
from bot.adapters.slack.sender import error_code
from bot.adapters.slack.workspaces import Workspaces
from bot.core.errors import DeliveryFailed, PlatformError
from bot.core.reminders import Reminder
from bot.turns import Outgoing

# Slack's answers that will not change by trying again.
PERMANENT = {
    "account_inactive",
    "channel_not_found",
    "is_archived",
    "not_in_channel",
    "user_not_found",
    "user_disabled",
    "invalid_auth",
    "token_revoked",
    "not_authed",
    "cannot_dm_bot",
}


class SlackReminderDeliverer:
    """Posts with the token of the reminder's workspace (its owner is "slack:WORKSPACE:USER")."""

    def __init__(self, clients: Workspaces | AsyncWebClient) -> None:
        self.workspaces = clients if isinstance(clients, Workspaces) else Workspaces(clients)

    async def deliver(self, reminder: Reminder, messages: tuple[Outgoing, ...]) -> None:
        _, workspace, user = reminder.owner.split(":", 2)
        try:
            client = await self.workspaces.client(workspace)
        except PlatformError as error:  # the workspace uninstalled the app
            raise DeliveryFailed(str(error), permanent=True) from None
        try:
            channel = reminder.channel
            if not channel:  # scheduled without a DM known: open one with the worker
                opened = await client.conversations_open(users=user)
                channel = opened["channel"]["id"]
            for message in render_all(messages):
                await client.chat_postMessage(
                    channel=channel,
                    text=message.text,
                    blocks=message.blocks or None,
                    unfurl_links=False,
                    unfurl_media=False,
                )
        except SlackApiError as error:
            code = error_code(error)
            raise DeliveryFailed(code, permanent=code in PERMANENT) from None
        except (SlackClientError, OSError, TimeoutError) as error:
            raise DeliveryFailed(type(error).__name__) from None
