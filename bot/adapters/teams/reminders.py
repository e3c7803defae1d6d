"""Delivering reminders in Teams as proactive personal messages."""

from __future__ import annotations

from bot.adapters.teams.proactive import Proactive
from bot.core.errors import DeliveryFailed
from bot.core.reminders import Reminder
from bot.turns import ConversationKey, Outgoing


def reminder_key(reminder: Reminder) -> ConversationKey:
    """The conversation a reminder goes to: the chat the worker scheduled it from."""
    _, workspace, user = reminder.owner.split(":", 2)
    return ConversationKey("teams", workspace, reminder.channel or "", user)


class TeamsReminderDeliverer:
    def __init__(self, proactive: Proactive) -> None:
        self.proactive = proactive

    async def deliver(self, reminder: Reminder, messages: tuple[Outgoing, ...]) -> None:
        result = await self.proactive.send_proactive(reminder_key(reminder), messages)
        if result == "sent":
            return
        # No stored conversation, or the bot was removed: trying again would not help.
        raise DeliveryFailed(result, permanent=result in {"gone", "inactive", "no_reference"})
