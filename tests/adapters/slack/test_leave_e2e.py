"""A worker goes on leave in Slack; what fell due while they were away reaches them on the
day they are back, once, as one message, through the real Bolt app and the mock Web API."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.config import Settings
from tests.adapters.slack.conftest import Clock
from tests.adapters.slack.driver import serve_slack, visible_text
from tests.support.slack_mock import SlackMock


async def test_reminders_held_over_leave_arrive_once_on_return(
    mock: SlackMock, settings: Settings, clock: Clock
) -> None:
    clock.now = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)  # Tuesday morning in London
    async with serve_slack(mock, settings, clock=clock) as world:
        worker = world.worker()
        await worker.say("visit HX-2291 14:00")
        await worker.say("visit hx3107 weds 11:00")
        replies = await worker.say("on leave till mon")
        assert "I'll hold your reminders until Monday 7 December" in visible_text(replies[-1])
    posted = len(mock.calls_for("chat.postMessage"))
    # The server runs through the week away: nothing is posted.
    clock.now = datetime(2026, 12, 4, 16, 0, tzinfo=UTC)
    async with serve_slack(mock, settings, clock=clock) as world:
        await world.settle()
        assert len(mock.calls_for("chat.postMessage")) == posted
    # Monday, back at work: one message with both.
    clock.now = datetime(2026, 12, 7, 9, 1, tzinfo=UTC)
    async with serve_slack(mock, settings, clock=clock) as world:
        worker = world.worker()
        await mock.wait_for_calls("chat.postMessage", posted + 1, timeout=30)
        await world.settle()
        held = [m for m in worker.messages() if "While you were away" in visible_text(m)]
        assert len(held) == 1
        text = visible_text(held[0])
        assert "HX-2291" in text and "HX-3107" in text
        assert len(mock.calls_for("chat.postMessage")) == posted + 1
