"""A worker logs a visit in Slack; after it the bot asks them to reflect, once, even when the
server restarted in between (issue 9), and the reminder's button starts the reflection."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.config import Settings
from tests.adapters.slack.conftest import Clock
from tests.adapters.slack.driver import serve_slack, visible_text
from tests.support.slack_mock import SlackMock


async def test_a_visit_logged_before_a_restart_is_followed_up_once(
    mock: SlackMock, settings: Settings, clock: Clock
) -> None:
    clock.now = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # a Friday, noon in London
    async with serve_slack(mock, settings, clock=clock) as world:
        worker = world.worker()
        replies = await worker.say("visit HX-2291 14:00")
        assert "at 15:00 today" in visible_text(replies[-1])
    # The server is down over the visit; it comes back after the reminder fell due.
    clock.now = datetime(2026, 11, 20, 15, 1, tzinfo=UTC)
    async with serve_slack(mock, settings, clock=clock) as world:
        worker = world.worker()
        await mock.wait_for_calls("chat.postMessage", 2, timeout=30)
        asks = [m for m in worker.messages() if "How did the visit on HX-2291 go?" in visible_text(m)]
        assert len(asks) == 1
        assert "later than planned" not in visible_text(asks[0])

        started = await worker.deliver(worker.click_payload("start:post_visit:HX-2291"))
        assert worker.question() == ("prompt", "visit_type")  # the case reference came with it
        assert any("post-visit reflection" in visible_text(m).lower() for m in started)
    async with serve_slack(mock, settings, clock=clock) as world:  # and a third start sends nothing more
        await world.settle()
        asks = [m for m in world.worker().messages() if "How did the visit on HX-2291 go?" in visible_text(m)]
        assert len(asks) == 1
