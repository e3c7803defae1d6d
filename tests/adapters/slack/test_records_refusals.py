"""Refused records attempts made through the real Slack app are audited like any other surface:
who (the Slack identity), what was attempted, a reason code, and none of the words typed."""

from __future__ import annotations

import json

from sqlalchemy import select

from storage.tables import AuditEventRow
from tests.adapters.slack.driver import SlackWorld, visible_text


async def test_refused_records_commands_in_a_slack_dm_leave_audit_rows(world: SlackWorld) -> None:
    worker = world.worker()
    said = []
    for text in ["sgin 1", "shwo 2", "export team harbour all pdf", "overveiw", "admin name U1 Ada Lovelace"]:
        said.append(" ".join(visible_text(m) for m in await worker.say(text)))
    assert all(said), said
    async with world.runtime.store.read() as tx:
        rows = (
            await tx.db.scalars(
                select(AuditEventRow).where(AuditEventRow.action == "refused").order_by(AuditEventRow.id)
            )
        ).all()
        found = [(r.actor, json.loads(r.detail)) for r in rows]
    assert [d["attempted"] for _, d in found] == [
        "signed",
        "viewed",
        "exported",
        "overview_viewed",
        "people_changed",
    ]
    assert {actor for actor, _ in found} == {f"slack:{worker.team}:{worker.user}"}
    assert all(d["outcome"] == "refused" and d["reason"] for _, d in found)
    assert "Lovelace" not in json.dumps([d for _, d in found])
