"""POST /api/messages on the real server, with activities posted directly (the edge cases).

Each test posts activities the way Teams does to the server `bot.server.build_app` builds
(real SQLite file, migrations), and a local connector records what the bot sends back.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path

import aiohttp
import pytest
import structlog

from bot.adapters.teams.agent import group_channel_key
from bot.adapters.teams.delivery import MAX_WAIT_S
from bot.logs import configure_logging
from bot.turns import ConversationKey, Outgoing
from storage import teams_repository as repo
from tests.adapters.teams.activities import (
    ADELE,
    ALEX,
    GROUP_CHAT,
    MEGAN,
    PERSONAL_CHAT,
    PERSONAL_KEY,
    TENANT,
    activity,
    execute,
    group_message,
    invoke,
    submit,
)
from tests.adapters.teams.driver import Connector, TeamsWorld, say, serve_teams, teams_settings


async def click(world: TeamsWorld, connector: Connector, value: str) -> int:
    return await world.post(submit(value, service_url=connector.service_url))


async def current_step(world: TeamsWorld) -> str | None:
    async with world.runtime.store.read() as tx:
        conversation = await tx.load_conversation(PERSONAL_KEY.as_str())
        assert conversation is not None and conversation.active_session_id is not None
        session = await tx.load_session(conversation.active_session_id)
    assert session is not None
    return session.cursor.step_id if session.cursor else None


async def test_a_message_is_answered_in_its_conversation(world: TeamsWorld, connector: Connector) -> None:
    assert await say(world, connector, "reflect", activity_id="first") == 202
    assert [p.path for p in connector.posted] == [
        f"/_connector/v3/conversations/{PERSONAL_CHAT}/activities/first"
    ] * 2
    assert "post-visit reflection" in connector.posted[0].text
    assert "case reference" in connector.posted[1].text
    assert connector.posted[1].body["textFormat"] == "markdown"
    assert connector.posted[1].button_values() == ["cmd:pause", "cmd:finish"]


async def test_a_redelivered_activity_is_processed_once(world: TeamsWorld, connector: Connector) -> None:
    await say(world, connector, "reflect", activity_id="delivery-1")
    await say(world, connector, "HX-2291", activity_id="delivery-2")
    replies = len(connector.posted)
    # Teams did not get our 202 in time and sends the same activity again
    assert await say(world, connector, "HX-2291", activity_id="delivery-2") == 202
    assert len(connector.posted) == replies  # nothing new said
    assert await current_step(world) == "visit_type"  # and the answer was not taken twice
    async with world.runtime.store.read() as tx:
        sessions = await tx.sessions_for(
            owners=["teams:" + TENANT + ":" + ALEX["aadObjectId"]], statuses=("in_progress",)
        )
    assert len(sessions) == 1


async def test_a_double_clicked_button_moves_one_step(world: TeamsWorld, connector: Connector) -> None:
    await say(world, connector, "reflect")
    await say(world, connector, "HX-2291")
    card = connector.posted[-1]
    unannounced = next(v for v in card.button_values() if v.startswith("choice:unannounced@"))
    # two clicks on the same button: two activities with their own ids, one value
    await click(world, connector, unannounced)
    assert await current_step(world) == "senses"
    connector.clear()
    await click(world, connector, unannounced)
    assert await current_step(world) == "senses"  # not moved on again
    assert "earlier question" in connector.texts()[0]

    skip = next(v for v in connector.posted[-1].button_values() if v.startswith("cmd:skip@"))
    await click(world, connector, skip)
    await click(world, connector, skip)
    assert await current_step(world) == "child_day"  # one skip, not two


async def test_greeting_once_per_conversation_however_often_teams_says_hello(
    world: TeamsWorld, connector: Connector
) -> None:
    install = activity("installationUpdate", action="add", service_url=connector.service_url)
    added = activity(
        "conversationUpdate",
        membersAdded=[ALEX, {"id": "28:reflect-bot"}],
        service_url=connector.service_url,
    )
    for _ in range(3):  # the Playground repeats both on every page load
        assert await world.post(install) == 202
        assert await world.post(added) == 202
    assert len(connector.posted) == 1
    assert "Type *reflect*" in connector.posted[0].text


async def test_unaddressed_group_chatter_is_ignored_unless_a_session_is_open(
    world: TeamsWorld, connector: Connector
) -> None:
    url = connector.service_url
    await world.post(group_message("lunch anyone?", to_bot=False, service_url=url))
    assert connector.posted == []
    await world.post(group_message("group", MEGAN, ADELE, service_url=url))
    started = "\n".join(connector.texts())
    assert "Alex Wilber as facilitator" in started and "Can everyone agree" in started
    key = ConversationKey("teams", TENANT, GROUP_CHAT, ALEX["id"])
    async with world.runtime.store.read() as tx:
        session = await tx.groups.load_open(group_channel_key(key))
    assert session is not None and session.presenter is not None and session.presenter.name == "Megan Bowen"
    # with RSC the bot sees messages that do not mention it: during a session they count
    connector.clear()
    await world.post(group_message("agree", sender=MEGAN, to_bot=False, service_url=url))
    async with world.runtime.store.read() as tx:
        session = await tx.groups.load_open(group_channel_key(key))
    assert session is not None and [c.speaker_id for c in session.contributions] == [MEGAN["id"]]


async def test_the_agree_button_in_a_group_counts_for_whoever_pressed_it(
    world: TeamsWorld, connector: Connector
) -> None:
    url = connector.service_url
    await world.post(group_message("group", MEGAN, ADELE, service_url=url))
    agree = next(v for p in connector.posted for v in p.button_values())
    assert agree == "group:agree"
    for person in (ALEX, MEGAN, ADELE):
        await world.post(
            submit(
                agree, sender=person, conversation=GROUP_CHAT, conversation_type="groupChat", service_url=url
            )
        )
    assert "everyone has agreed" in "\n".join(connector.texts())


async def test_a_malformed_activity_is_refused(world: TeamsWorld) -> None:
    async with world.http.post(f"{world.url}/api/messages", data=b"not json") as response:
        assert response.status == 400
    async with world.http.post(f"{world.url}/api/messages", json={"type": "message"}) as response:
        assert response.status == 400
    async with world.http.post(
        f"{world.url}/api/messages", json={"type": 7, "conversation": "x"}
    ) as response:
        assert response.status == 400


async def test_without_anonymous_an_unauthenticated_request_gets_401(
    tmp_path: Path, connector: Connector
) -> None:
    settings = teams_settings(
        str(tmp_path / "jwt.db"),
        teams_allow_anonymous=False,
        microsoft_app_id="00000000-0000-0000-0000-0000000000aa",
        microsoft_app_password="an-invented-secret",
        microsoft_app_tenant_id=TENANT,
    )
    async with serve_teams(settings) as world:
        data = activity(text="reflect", service_url=connector.service_url)
        assert await world.post(data) == 401
        assert await world.post(data, {"Authorization": "Bearer not-a-jwt"}) == 401
        assert await world.post(data, {"Authorization": "Basic dXNlcjpwYXNz"}) == 401
        assert connector.requests == 0
        async with world.http.get(f"{world.url}/healthz") as response:  # only /api is behind JWT
            assert response.status == 200
            assert (await response.json())["platforms"] == ["teams"]
        async with world.runtime.store.read() as tx:
            assert await tx.load_conversation(PERSONAL_KEY.as_str()) is None


async def test_a_proactive_403_marks_the_conversation_inactive_and_is_not_retried(
    world: TeamsWorld, connector: Connector
) -> None:
    await say(world, connector, "help")  # any activity stores the conversation's reference
    key = repo.reference_key(TENANT, PERSONAL_CHAT)
    stored = await repo.load(world.runtime.store, key)
    assert stored is not None and stored.active and stored.user_id == ALEX["aadObjectId"]
    connector.clear()

    reminder = [Outgoing("A reminder: your actions for HX-2291 are due on Friday.")]
    connector.fail_next(403)
    assert await world.bot.proactive.send_proactive(PERSONAL_KEY, reminder) == "gone"
    assert connector.requests == 1  # refused once, never retried
    stored = await repo.load(world.runtime.store, key)
    assert stored is not None and not stored.active and stored.inactive_reason == "refused 403"

    assert await world.bot.proactive.send_proactive(PERSONAL_KEY, reminder) == "inactive"
    assert connector.requests == 1  # no request at all to a conversation that is gone

    await say(world, connector, "help")  # the worker writes again: the bot is back
    stored = await repo.load(world.runtime.store, key)
    assert stored is not None and stored.active
    connector.clear()
    assert await world.bot.proactive.send_proactive(PERSONAL_KEY, reminder) == "sent"
    assert connector.texts() == ["A reminder: your actions for HX-2291 are due on Friday."]
    # into the same conversation (the SDK addresses it as a reply to its continuation event)
    assert connector.posted[0].path.startswith(f"/_connector/v3/conversations/{PERSONAL_CHAT}/activities")


async def test_proactive_throttling_is_retried_a_bounded_number_of_times(
    world: TeamsWorld, connector: Connector
) -> None:
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    world.bot.proactive.sleep = sleep
    await say(world, connector, "help")
    connector.clear()
    note = [Outgoing("Your note is ready.")]

    connector.fail_next(429, headers={"Retry-After": "2"})
    assert await world.bot.proactive.send_proactive(PERSONAL_KEY, note) == "sent"
    assert connector.requests == 2 and len(waits) == 1
    assert (
        2.0 <= waits[0] <= 2.25
    )  # Teams' Retry-After, and a little jitter so senders don't come back in step

    connector.clear()
    waits.clear()
    connector.fail_next(412)  # the connector's "conversation busy": worth another go
    assert await world.bot.proactive.send_proactive(PERSONAL_KEY, note) == "sent"
    assert connector.requests == 2 and len(waits) == 1 and 0 <= waits[0] <= MAX_WAIT_S

    connector.clear()
    connector.fail_next(500, 502, 503, 503)
    assert await world.bot.proactive.send_proactive(PERSONAL_KEY, note) == "failed"
    assert connector.requests == 3  # three attempts in all, then it stops
    stored = await repo.load(world.runtime.store, repo.reference_key(TENANT, PERSONAL_CHAT))
    assert stored is not None and stored.active  # a server error is not a refusal

    assert (
        await world.bot.proactive.send_proactive(
            ConversationKey("teams", TENANT, "never-seen", "nobody"), note
        )
        == "no_reference"
    )


async def test_uninstalling_marks_the_reference_inactive(world: TeamsWorld, connector: Connector) -> None:
    await say(world, connector, "help")
    await world.post(activity("installationUpdate", action="remove", service_url=connector.service_url))
    stored = await repo.load(world.runtime.store, repo.reference_key(TENANT, PERSONAL_CHAT))
    assert stored is not None and not stored.active and stored.inactive_reason == "uninstalled"


async def test_a_reply_refused_with_403_deactivates_and_a_connector_outage_is_survived(
    world: TeamsWorld, connector: Connector
) -> None:
    connector.fail_next(403)
    assert await say(world, connector, "help") == 202
    assert connector.requests == 1  # the rest of the batch is dropped, not retried
    stored = await repo.load(world.runtime.store, repo.reference_key(TENANT, PERSONAL_CHAT))
    assert stored is not None and not stored.active


async def test_the_endpoint_answers_only_post(world: TeamsWorld) -> None:
    async with world.http.get(f"{world.url}/api/messages") as response:
        assert response.status == 405
    async with aiohttp.ClientSession() as http, http.get(f"{world.url}/healthz") as response:
        assert response.status == 200


async def test_logs_carry_no_words_names_or_tokens(
    world: TeamsWorld, connector: Connector, capsys: pytest.CaptureFixture[str]
) -> None:
    canary, name = "CANARY-5c1e-purple-heron", "Canary Person-7731"
    stream = io.StringIO()
    configure_logging("DEBUG", "json", stream=stream)
    handler = logging.StreamHandler(stream)
    logging.getLogger().addHandler(handler)  # the SDK's own logs, at the level production keeps
    try:
        sender = {"id": "29:canary", "name": name, "aadObjectId": "aad-canary"}
        await say(world, connector, "reflect", sender=sender)
        await say(world, connector, f"HX-2291 {canary}", sender=sender)
        connector.fail_next(500, 500, 500)
        await say(world, connector, f"The child said {canary}", sender=sender)  # a reply that fails
        await world.post(group_message(f"group {canary}", MEGAN, ADELE, service_url=connector.service_url))
        await world.post(activity(text=canary), {"Authorization": "Bearer eyJhbGciOi.canary.token"})
        url = connector.service_url
        dialog = {"data": {"dialog": "answer", "mark": "x", "answer": f"a long one {canary}"}}
        await world.post(invoke("task/submit", dialog, sender=sender, service_url=url))
        booking = {"commandId": "reflectOnMessage", "messagePayload": {"body": {"content": f"{canary} hx 1"}}}
        await world.post(invoke("composeExtension/fetchTask", booking, sender=sender, service_url=url))
        await world.post(execute({"action": canary, "label": canary}, sender=sender, service_url=url))
    finally:
        logging.getLogger().removeHandler(handler)
        structlog.reset_defaults()
    output = stream.getvalue() + capsys.readouterr().out
    assert "teams.turn" in output and "teams.send_failed" in output  # so the absence below means something
    assert "teams.invoke" in output
    for secret in (canary, name, "Megan Bowen", "eyJhbGciOi"):
        assert secret not in output


def test_with_an_app_id_anonymous_stays_off_unless_asked(tmp_path: Path) -> None:
    from bot.adapters.teams.http import auth_configuration

    base = {"microsoft_app_id": "00000000-0000-0000-0000-0000000000aa", "microsoft_app_password": "x"}
    secured = auth_configuration(teams_settings(str(tmp_path / "a.db"), teams_allow_anonymous=False, **base))
    assert secured.ANONYMOUS_ALLOWED is False and base["microsoft_app_id"] == secured.CLIENT_ID
    local = auth_configuration(teams_settings(str(tmp_path / "b.db")))
    assert local.ANONYMOUS_ALLOWED is True and local.CLIENT_ID is None
