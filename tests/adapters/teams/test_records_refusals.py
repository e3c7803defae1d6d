"""Teams: refused records commands through the real Agents SDK endpoint leave audit rows with
the Teams identity and a reason code, like every other surface."""

from __future__ import annotations

import asyncio
import json

from sqlalchemy import text

from tests.adapters.teams.activities import ALEX, TENANT, activity
from tests.adapters.teams.driver import Connector, TeamsWorld

REFUSED = text("SELECT actor, detail FROM audit_events WHERE action = 'refused' ORDER BY id")


async def test_refused_records_commands_in_teams_are_audited(world: TeamsWorld, connector: Connector) -> None:
    url = connector.service_url
    sent = len(connector.posted)
    for words in ["sgin 3", "exprot team harbour all pdf", "overview"]:
        assert await world.post(activity(text=words, service_url=url)) == 202
    rows: list[tuple[str, str]] = []
    for _ in range(100):  # the turn may finish after the acknowledgement: wait for its rows
        async with world.runtime.store.connection() as conn:
            rows = [(r[0], r[1]) for r in await conn.execute(REFUSED)]
        if len(rows) >= 3 and len(connector.posted) >= sent + 3:
            break
        await asyncio.sleep(0.1)
    assert len(connector.posted) >= sent + 3  # each was answered, kindly
    assert [json.loads(d)["attempted"] for _, d in rows] == ["signed", "exported", "overview_viewed"]
    assert {a for a, _ in rows} == {f"teams:{TENANT}:{ALEX['aadObjectId']}"}
