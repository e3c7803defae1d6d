"""Teams: a personal chat belongs to the person who first spoke in it, and anonymous mode (the
local Playground's) accepts only this machine, replying only to this machine.

The real server (`bot.server.build_app`) on SQLite, the real Agents SDK adapter, and the local
connector standing in for Teams' serviceUrl.
"""

from __future__ import annotations

import io
import json
from unittest import mock

import pytest
import structlog
from aiohttp import web
from aiohttp.test_utils import make_mocked_request
from sqlalchemy import text

from bot.adapters.teams.http import auth_guard, is_loopback
from bot.logs import configure_logging
from bot.turns import ConversationKey, Outgoing
from storage import teams_repository as repo
from tests.adapters.teams.activities import ALEX, MEGAN, PERSONAL_CHAT, TENANT, activity
from tests.adapters.teams.driver import Connector, TeamsWorld


async def audit_rows(world: TeamsWorld) -> list[tuple[str, str, str]]:
    async with world.runtime.store.connection() as conn:
        rows = await conn.execute(
            text("SELECT actor, target_id, detail FROM audit_events WHERE action = 'identity_refused'")
        )
        return [(r[0], r[1], r[2]) for r in rows]


async def answers(world: TeamsWorld) -> int:
    async with world.runtime.store.connection() as conn:
        return int((await conn.execute(text("SELECT count(*) FROM answers"))).scalar_one())


async def test_someone_else_in_alexs_personal_chat_is_refused_and_audited(
    world: TeamsWorld, connector: Connector
) -> None:
    url = connector.service_url
    assert await world.post(activity(text="reflect", service_url=url)) == 202
    assert await world.post(activity(text="HX-1001", service_url=url)) == 202
    stored, sent = await answers(world), len(connector.posted)

    # Megan's identity, Alex's conversation: it would resume Megan's session and post her
    # notes into Alex's chat.
    forged = activity(text="finish", sender=MEGAN, conversation=PERSONAL_CHAT, service_url=url)
    assert await world.post(forged) == 403
    same_aad_other_id = activity(
        text="finish", sender={**ALEX, "aadObjectId": "aad-someone"}, service_url=url
    )
    assert await world.post(same_aad_other_id) == 403

    assert len(connector.posted) == sent and await answers(world) == stored
    rows = await audit_rows(world)
    assert [(actor, target) for actor, target, _ in rows] == [
        (f"teams:{TENANT}:{MEGAN['aadObjectId']}", f"teams:{TENANT}:{PERSONAL_CHAT}"),
        (f"teams:{TENANT}:aad-someone", f"teams:{TENANT}:{PERSONAL_CHAT}"),
    ]
    assert json.loads(rows[0][2])["owner"] == ALEX["aadObjectId"]
    # Alex carries on.
    assert await world.post(activity(text="help", service_url=url)) == 202
    assert len(connector.posted) > sent


async def test_a_chat_first_seen_without_an_object_id_stays_its_owners(
    world: TeamsWorld, connector: Connector
) -> None:
    url = connector.service_url
    without_aad = {k: v for k, v in ALEX.items() if k != "aadObjectId"}
    assert await world.post(activity("conversationUpdate", sender=without_aad, service_url=url)) == 202
    assert await world.post(activity(text="reflect", service_url=url)) == 202  # now with the object id
    assert await world.post(activity(text="help", sender=MEGAN, service_url=url)) == 403
    assert await world.post(activity(text="help", service_url=url)) == 202


@pytest.mark.parametrize(
    "service_url",
    [
        "https://smba.trafficmanager.net/emea/",
        "http://127.0.0.1.attacker.test/_connector/",
        "http://10.0.0.5:3978/",
        "http://[::2]/",
    ],
)
async def test_anonymous_mode_replies_only_to_a_loopback_service_url(
    world: TeamsWorld, connector: Connector, service_url: str
) -> None:
    assert await world.post(activity(text="reflect", service_url=service_url)) == 401
    async with world.runtime.store.connection() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM teams_references"))).scalar_one() == 0
    assert connector.requests == 0


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("LOCALHOST", True),
        ("10.0.0.5", False),
        ("localhost.attacker.test", False),
        ("", False),
        (None, False),
    ],
)
def test_what_counts_as_loopback(host: str | None, loopback: bool) -> None:
    assert is_loopback(host) is loopback


async def test_anonymous_mode_refuses_requests_from_other_machines() -> None:
    async def reached(_: web.Request) -> web.StreamResponse:
        raise AssertionError("the handler must not run")

    transport = mock.Mock()
    transport.get_extra_info.side_effect = lambda name, default=None: (
        ("10.1.2.3", 50000) if name == "peername" else default
    )
    request = make_mocked_request("POST", "/api/messages", transport=transport)
    response = await auth_guard(anonymous=True)(request, reached)
    assert response.status == 401


async def test_anonymous_proactive_sends_refuse_a_stored_remote_service_url(
    world: TeamsWorld, connector: Connector
) -> None:
    # A reference stored before these checks (or by hand) pointing off this machine.
    assert await world.post(activity(text="reflect", service_url=connector.service_url)) == 202
    key = repo.reference_key(TENANT, PERSONAL_CHAT)
    stored = await repo.load(world.runtime.store, key)
    assert stored is not None
    remote = json.loads(stored.reference_json) | {"serviceUrl": "https://attacker.test/"}
    await repo.remember(
        world.runtime.store,
        key=key,
        tenant_id=TENANT,
        conversation_type="personal",
        user_id=stored.user_id,
        reference_json=json.dumps(remote),
        now=stored.updated_at,
    )
    connector.clear()
    who = ConversationKey("teams", TENANT, PERSONAL_CHAT, ALEX["aadObjectId"])
    stream = io.StringIO()
    configure_logging("INFO", "json", stream=stream)
    try:
        assert await world.bot.proactive.send_proactive(who, [Outgoing("A reminder.")]) == "failed"
    finally:
        structlog.reset_defaults()
    assert connector.requests == 0
    assert "teams.proactive_refused" in stream.getvalue()  # refused before any connection was tried
