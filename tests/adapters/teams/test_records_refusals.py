"""Teams: refused records commands through the real Agents SDK endpoint leave audit rows with
the Teams identity and a reason code, like every other surface."""

from __future__ import annotations

import json

from sqlalchemy import text

from tests.adapters.teams.activities import ALEX, TENANT, activity
from tests.adapters.teams.driver import Connector, TeamsWorld


async def test_refused_records_commands_in_teams_are_audited(world: TeamsWorld, connector: Connector) -> None:
    url = connector.service_url
    sent = len(connector.posted)
    for words in ["sgin 3", "exprot team harbour all pdf", "overview"]:
        assert await world.post(activity(text=words, service_url=url)) == 202
    assert len(connector.posted) > sent  # each was answered, kindly
    async with world.runtime.store.connection() as conn:
        rows = (
            await conn.execute(
                text("SELECT actor, detail FROM audit_events WHERE action = 'refused' ORDER BY id")
            )
        ).all()
    assert [json.loads(d)["attempted"] for _, d in rows] == ["signed", "exported", "overview_viewed"]
    assert {a for a, _ in rows} == {f"teams:{TENANT}:{ALEX['aadObjectId']}"}
