"""Scenario over Socket Mode: the same Bolt app, reached through the mock's websocket."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.adapters.slack import texts
from tests.adapters.slack import scripts
from tests.adapters.slack.driver import APP_TOKEN, SlackWorld, slack_settings, socket_world
from tests.support import slack_requests as sr
from tests.support.slack_mock import SlackMock

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
async def socket(mock: SlackMock, tmp_path: Path) -> AsyncIterator[SlackWorld]:
    # No signing secret: Socket Mode needs none (and no public URL).
    settings = slack_settings(
        mock, str(tmp_path / "socket.db"), slack_app_token=APP_TOKEN, slack_signing_secret=None
    )
    async with socket_world(mock, settings) as world:
        yield world


async def test_whole_reflection_over_socket_mode_with_a_redelivery(socket: SlackWorld) -> None:
    mock, worker = socket.mock, socket.worker()
    [opened] = mock.calls_for("apps.connections.open")
    assert opened.ok and opened.token == APP_TOKEN

    ack = await worker.command("")
    assert ack == {"response_type": "ephemeral", "text": texts.SLASH_ACK}
    assert worker.question() == ("prompt", "case_ref")

    # Slack redelivers an envelope it thinks was lost: the same event_id, retry_attempt 1.
    payload = sr.message_event(scripts.CASE, user=worker.user, channel=worker.dm)
    assert len(await worker.deliver(payload)) == 1
    assert await worker.deliver(payload, retry_attempt=1) == []
    assert worker.question() == ("prompt", "visit_type")

    await worker.answer_until_done(scripts.POST_VISIT)
    notes = worker.note_messages()
    assert notes
    sections = scripts.note_sections(notes)
    assert scripts.under(sections, scripts.HYPOTHESES[1]).startswith("Hypotheses")

    [session] = await scripts.sessions(socket, worker)
    assert session.status == "complete" and session.case_ref == scripts.CASE
    assert [a.text for a in session.answers].count(scripts.CASE) == 1
    assert [a.envelope_id for a in mock.acks] == [e["envelope_id"] for e in mock.envelopes]  # each acked once
    assert all(c.ok for c in mock.calls if c.method != "upload")


async def test_a_message_claiming_worker_b_in_worker_as_dm_is_refused_over_the_socket_too(
    socket: SlackWorld,
) -> None:
    """The DM identity binding is the same in Socket Mode as over HTTP: Slack is asked whose
    DM it is; a claim that does not match is acknowledged (so Slack does not resend it),
    audited, and nothing runs."""
    from tests.adapters.slack.test_identity import counts, refusals, two_workers_mid_reflection

    a, b = await two_workers_mid_reflection(socket)
    before, posted = await counts(socket), len(socket.mock.calls_for("chat.postMessage"))
    forged = sr.message_event("finish pls", user=b.user, channel=a.dm)
    envelope = await socket.mock.push_envelope("events_api", forged)
    await socket.mock.wait_for_ack(envelope)
    await socket.settle()
    assert len(socket.mock.calls_for("chat.postMessage")) == posted  # nothing of B's went to A's DM
    after = await counts(socket)
    assert {k: after[k] - before[k] for k in after} == {
        "answers": 0,
        "sessions": 0,
        "conversations": 0,
        "audit_events": 1,
    }
    [(actor, target, _detail)] = await refusals(socket)
    assert actor == f"slack:{sr.TEAM_ID}:{b.user}" and target == f"slack:{sr.TEAM_ID}:{a.dm}"
    assert any(c.params.get("channel") == a.dm for c in socket.mock.calls_for("conversations.info"))

    click_on = a.find_button("")
    message, block, element = click_on
    click = sr.block_actions(
        element["action_id"],
        element["value"],
        block_id=block["block_id"],
        user_id=b.user,
        channel_id=a.dm,
        message_ts=message["ts"],
    )
    await socket.mock.wait_for_ack(await socket.mock.push_envelope("interactive", click))
    await socket.settle()
    assert len(socket.mock.calls_for("chat.postMessage")) == posted
    assert await a.say("help")  # the real owner is still answered
