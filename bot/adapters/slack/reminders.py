"""Delivering reminders in Slack: a direct message to the worker, buttons included."""

from __future__ import annotations

from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.render import render_all
from bot.adapters.slack.sender import error_code
from bot.core.errors import DeliveryFailed
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
    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client

    async def deliver(self, reminder: Reminder, messages: tuple[Outgoing, ...]) -> None:
        try:
            channel = reminder.channel
            if not channel:  # scheduled without a DM known: open one with the worker
                user = reminder.owner.split(":", 2)[2]
                opened = await self.client.conversations_open(users=user)
                channel = opened["channel"]["id"]
            for message in render_all(messages):
                await self.client.chat_postMessage(
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
