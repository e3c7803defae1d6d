"""The pure conversation engine: events in, replies and effects out.

No I/O, no clock, no framework imports. The service injects time and ids through
`Context` and persists what the engine returns.
"""

from bot.engine.events import Action, CaseHistoryLoaded, Event, PledgeLoaded, SessionLoaded, Text
from bot.engine.outcome import CompileNote, Effect, LoadCaseHistory, LoadPledge, LoadSession, Outcome, Reply
from bot.engine.state import Context, Conversation, Session
from bot.engine.turn import handle

__all__ = [
    "Action",
    "CaseHistoryLoaded",
    "CompileNote",
    "Context",
    "Conversation",
    "Effect",
    "Event",
    "LoadCaseHistory",
    "LoadPledge",
    "LoadSession",
    "Outcome",
    "PledgeLoaded",
    "Reply",
    "Session",
    "SessionLoaded",
    "Text",
    "handle",
]
