"""A worker sets their own weekly check-in in Teams; it arrives as a proactive personal
message with the two-minute check-in, once a week, and the next follows on its own."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from tests.adapters.teams.activities import activity
from tests.adapters.teams.driver import Connector
from tests.adapters.teams.test_reminders_e2e import serve_at, wait_for
from tests.service.conftest import Clock


async def test_a_weekly_check_in_arrives_each_week_once(tmp_path: Path, connector: Connector) -> None:
    clock = Clock()
    clock.now = datetime(2026, 12, 1, 11, 0, tzinfo=UTC)  # Tuesday 1 December
    database = tmp_path / "reflect.db"
    async with serve_at(database, clock) as world:
        await world.post(
            activity(
                text="check in w me evry fri at 3",
                service_url=connector.service_url,
                localTimezone="Europe/London",
            )
        )
        assert "every Friday at 15:00" in connector.texts()[-1]
        assert "15:00 Friday 4 December" in connector.texts()[-1]
    connector.clear()

    def checkins() -> list[str]:
        return [t for t in connector.texts() if "Checking in, as you asked" in t]

    clock.now = datetime(2026, 12, 4, 15, 1, tzinfo=UTC)
    async with serve_at(database, clock):
        assert await wait_for(lambda: len(checkins()) >= 1)
    assert len(checkins()) == 1
    assert any("start:quick_checkin" in p.button_values() for p in connector.posted)

    clock.now = datetime(2026, 12, 8, 10, 0, tzinfo=UTC)  # Tuesday: nothing due
    async with serve_at(database, clock):
        await wait_for(lambda: True)
    assert len(checkins()) == 1
    clock.now = datetime(2026, 12, 11, 15, 1, tzinfo=UTC)  # the next Friday
    async with serve_at(database, clock):
        assert await wait_for(lambda: len(checkins()) >= 2)
    assert len(checkins()) == 2
