"""A DM belongs to the user Slack says it belongs to: signed payloads claiming someone else
in it are refused (403), nothing is stored, nothing is posted, and the audit trail says so.

The real server and Bolt app, signed requests, and the Slack Web API mock through the real
slack_sdk client: the adapter learns a DM's owner from `conversations.info`.
"""

from __future__ import annotations

import json

from sqlalchemy import text

from tests.adapters.slack.driver import HttpTransport, SlackWorld, Worker
from tests.support import slack_requests as sr

WORKER_B = "U0USER0002"


def http(world: SlackWorld) -> HttpTransport:
    assert isinstance(world.transport, HttpTransport)
    return world.transport


async def counts(world: SlackWorld) -> dict[str, int]:
    found: dict[str, int] = {}
    async with world.runtime.store.connection() as conn:
        for table in ("answers", "sessions", "conversations", "audit_events"):
            # Not the server's own start-up retention purge, which audits itself.
            where = " WHERE action != 'purged'" if table == "audit_events" else ""
            found[table] = (await conn.execute(text(f"SELECT count(*) FROM {table}{where}"))).scalar_one()
    return found


async def refusals(world: SlackWorld) -> list[tuple[str, str, str]]:
    async with world.runtime.store.connection() as conn:
        rows = await conn.execute(
            text("SELECT actor, target_id, detail FROM audit_events WHERE action = 'identity_refused'")
        )
        return [(r[0], r[1], r[2]) for r in rows]


async def two_workers_mid_reflection(world: SlackWorld) -> tuple[Worker, Worker]:
    a, b = world.worker(), world.worker(WORKER_B)
    await a.say("reflect")
    await a.say("HX-1001")
    await b.say("reflect")
    await b.say("HX-2002")
    assert a.dm != b.dm
    return a, b


async def test_a_message_claiming_worker_b_in_worker_as_dm_is_refused(world: SlackWorld) -> None:
    a, b = await two_workers_mid_reflection(world)
    before, posted = await counts(world), len(world.mock.calls_for("chat.postMessage"))
    forged = sr.message_event("finish", user=b.user, channel=a.dm)
    reply = await http(world).event(forged)
    await world.settle()
    assert reply.status == 403
    assert len(world.mock.calls_for("chat.postMessage")) == posted  # nothing of B's went to A's DM
    after = await counts(world)
    assert {k: after[k] - before[k] for k in after} == {
        "answers": 0,
        "sessions": 0,
        "conversations": 0,
        "audit_events": 1,
    }
    [(actor, target, detail)] = await refusals(world)
    assert actor == f"slack:{sr.TEAM_ID}:{b.user}" and target == f"slack:{sr.TEAM_ID}:{a.dm}"
    assert json.loads(detail)["owner"] == a.user
    # Slack was asked, through the real client, whose DM it is.
    assert any(c.params.get("channel") == a.dm for c in world.mock.calls_for("conversations.info"))
    # The real owner still gets answered, in the DM, as before.
    assert await a.say("help")


async def test_clicks_and_modal_submissions_claiming_someone_else_are_refused(world: SlackWorld) -> None:
    a, b = await two_workers_mid_reflection(world)
    before, posted = await counts(world), len(world.mock.calls_for("chat.postMessage"))
    message, block, element = a.find_button("")
    click = sr.block_actions(
        element["action_id"],
        element["value"],
        block_id=block["block_id"],
        user_id=b.user,
        channel_id=a.dm,
        message_ts=message["ts"],
    )
    submit = sr.view_submission(
        "reflect_long_answer",
        {"answer": {"text": "B's words in A's DM"}},
        private_metadata=json.dumps({"c": a.dm, "t": None, "m": "x"}),
        user_id=b.user,
    )
    transport = http(world)
    assert (await transport.interaction(click)).status == 403
    assert (await transport.interaction(submit)).status == 403
    await world.settle()
    assert len(world.mock.calls_for("chat.postMessage")) == posted
    after = await counts(world)
    assert after["answers"] == before["answers"] and after["audit_events"] == before["audit_events"] + 2


async def test_a_channel_that_is_not_a_dm_is_refused_even_for_a_real_user(world: SlackWorld) -> None:
    before = await counts(world)
    forged = sr.message_event("reflect", channel="C0GENERAL1")  # channel_type "im": a lie
    assert (await http(world).event(forged)).status == 403
    await world.settle()
    assert world.mock.calls_for("chat.postMessage") == []
    assert (await counts(world))["sessions"] == before["sessions"]


async def test_the_owner_is_asked_once_per_dm(world: SlackWorld) -> None:
    worker = world.worker()
    for line in ("reflect", "HX-3003", "help"):
        await worker.say(line)
    asked = [c for c in world.mock.calls_for("conversations.info") if c.params.get("channel") == worker.dm]
    assert len(asked) == 1
