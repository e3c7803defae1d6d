"""Scenarios over HTTP: the real server (bot.server.build_app), real Bolt, real SQLite, and
the SlackMock behind the real slack_sdk client. Requests are signed exactly as Slack signs
them; assertions read what the mock's Web API received and what the database holds."""

from __future__ import annotations

import asyncio
import html
import json
from typing import Any

import aiohttp
import pytest

from bot.adapters.slack import texts
from bot.adapters.slack.render import BLOCKS_PER_MESSAGE, SECTION_LIMIT
from bot.config import Settings
from bot.errors import ReflectError
from tests.adapters.slack import scripts
from tests.adapters.slack.conftest import Clock
from tests.adapters.slack.driver import (
    SECRET,
    HttpTransport,
    SlackWorld,
    buttons,
    question_of,
    serve_slack,
    visible_text,
)
from tests.support import slack_requests as sr
from tests.support import worded_visit
from tests.support.slack_mock import SlackMock

pytestmark = pytest.mark.timeout(120)


def http(world: SlackWorld) -> HttpTransport:
    assert isinstance(world.transport, HttpTransport)
    return world.transport


# ---------------------------------------------------------------------- 1. a whole reflection


async def test_whole_post_visit_reflection_by_typing_in_the_dm(
    world: SlackWorld, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    worker = world.worker()
    first = await worker.say("reflect")
    assert [m["channel"] for m in first] == [worker.dm] * len(first) and len(first) == 2
    assert worker.question() == ("prompt", "case_ref")

    await worker.answer_until_done(scripts.POST_VISIT)

    asked = [q for m in worker.messages() if (q := question_of(m))]
    assert ("followup", "senses") in asked  # "pretty bad" was pushed into concrete words
    notes = worker.note_messages()
    assert notes, "the note was not posted"
    sections = scripts.note_sections(notes)
    assert "seen" in scripts.under(sections, scripts.SENSES_CONCRETE).lower()
    assert "seen" in scripts.under(sections, scripts.SENSES_VAGUE).lower()
    assert "child" in scripts.under(sections, html.escape(scripts.CHILD_WORDS, quote=False)).lower()
    assert scripts.under(sections, scripts.HYPOTHESES[0]).startswith("Hypotheses")
    assert scripts.under(sections, scripts.EVIDENCE[2]).startswith("Hypotheses")
    assert "advocate" in scripts.under(sections, scripts.CHALLENGE).lower()
    actions = dict(sections)["Actions"]
    assert "Ask the GP about mum's health" in actions and "_Who:_ me" in actions
    assert "team manager" in actions and "Jun" in actions

    [session] = await scripts.sessions(world, worker)
    assert session.status == "complete" and session.case_ref == scripts.CASE
    assert session.platform == "slack" and session.owner == f"slack:{sr.TEAM_ID}:{sr.USER_ID}"
    said = [a.text for a in session.answers]
    assert scripts.SENSES_VAGUE in said and scripts.SENSES_CONCRETE in said and scripts.CHILD_WORDS in said
    assert session.choices["visit_type"] == "unannounced"
    assert [h.statement for h in session.hypotheses] == list(scripts.HYPOTHESES)
    assert len(session.actions) == 2 and all(a.who and a.due for a in session.actions)

    [note_file] = world.mock.files.values()
    assert note_file.completed and note_file.channel_id == worker.dm
    assert note_file.content is not None and scripts.CHILD_WORDS.encode() in note_file.content

    # Every call succeeded and stayed in the DM; nothing the worker wrote reached a log.
    assert all(c.ok for c in world.mock.calls if c.method != "upload")
    captured = capsys.readouterr()
    logged = captured.out + captured.err + caplog.text
    assert "slack.turn" in logged  # the adapter did log, just not the words
    for words in (scripts.SENSES_CONCRETE, scripts.CHILD_WORDS, scripts.HYPOTHESES[1], scripts.CASE):
        assert words not in logged


async def test_replies_follow_the_worker_into_a_thread(world: SlackWorld) -> None:
    worker = world.worker()
    replies = await worker.say("reflect", thread_ts="1700000000.000100")
    assert replies and all(m.get("thread_ts") == "1700000000.000100" for m in replies)


# ---------------------------------------------------------------------- 2. pause and resume


async def test_pause_today_and_resume_tomorrow(mock: SlackMock, settings: Settings, clock: Clock) -> None:
    async with serve_slack(mock, settings, clock=clock) as world:
        worker = world.worker()
        await scripts.start_and_reach(worker, "child_day")
        paused = await worker.say("pause")
        assert "Paused" in visible_text(paused[-1])
        [stored] = await scripts.sessions(world, worker, ("paused",))
        assert stored.cursor is not None and stored.cursor.step_id == "child_day"
        assert scripts.SENSES_CONCRETE in [a.text for a in stored.answers]

        clock.advance(days=1, hours=2)
        resumed = await worker.say("resume")
        assert any("yesterday" in visible_text(m) or "day" in visible_text(m) for m in resumed)
        assert worker.question() == ("prompt", "child_day")
        await worker.say(scripts.CHILD_DAY)
        assert worker.question() == ("prompt", "seen_alone")

        session = await scripts.active_session(world, worker)
        assert session is not None and session.id == stored.id and session.status == "in_progress"
        said = [a.text for a in session.answers]
        assert said.count(scripts.SENSES_CONCRETE) == 1 and said.count(scripts.CHILD_DAY) == 1


# ---------------------------------------------------------------------- 3. retries and duplicates


async def test_a_retried_or_duplicated_event_is_processed_once(world: SlackWorld) -> None:
    worker = world.worker()
    await scripts.start_and_reach(worker, "senses")
    payload = sr.message_event(scripts.SENSES_CONCRETE, user=worker.user, channel=worker.dm)

    first = await worker.deliver(payload)
    assert len(first) == 1 and worker.question() == ("prompt", "child_day")
    again = await worker.deliver(payload, retry_num=1, retry_reason="http_timeout")
    assert again == []  # Slack's retry: acknowledged, not processed

    # Two deliveries of one event at the same moment (Slack's retry racing the original).
    payload = sr.message_event(scripts.CHILD_DAY, user=worker.user, channel=worker.dm)
    before = len(worker.messages())
    replies = await asyncio.gather(
        http(world).event(payload), http(world).event(payload, retry_num=1), http(world).event(payload)
    )
    assert [r.status for r in replies] == [200, 200, 200]
    await world.settle()
    assert len(worker.messages()) == before + 1 and worker.question() == ("prompt", "seen_alone")

    session = await scripts.active_session(world, worker)
    assert session is not None
    said = [a.text for a in session.answers]
    assert said.count(scripts.SENSES_CONCRETE) == 1 and said.count(scripts.CHILD_DAY) == 1


# ---------------------------------------------------------------------- 4. forged and stale


@pytest.mark.parametrize("bad", [{"forged": True}, {"stale": True}, {"unsigned": True}])
async def test_forged_stale_and_unsigned_requests_get_401_and_change_nothing(
    world: SlackWorld, bad: dict[str, bool]
) -> None:
    worker = world.worker()
    transport = http(world)
    replies = [
        await transport.event(sr.message_event("reflect", user=worker.user, channel=worker.dm), **bad),
        await transport.command(sr.slash_command(""), **bad),
        await transport.interaction(sr.block_actions("reflect_btn_0", "start:"), **bad),
        await transport.event(sr.url_verification("c-1"), **bad),
    ]
    assert [r.status for r in replies] == [401, 401, 401, 401]
    await world.settle()
    assert world.mock.calls == []  # not even auth.test
    async with world.runtime.store.read() as tx:
        assert await tx.load_conversation(worker.key.as_str()) is None


async def test_a_garbage_timestamp_header_is_401(world: SlackWorld) -> None:
    headers = {
        "Content-Type": "application/json",
        "X-Slack-Request-Timestamp": "soon",
        "X-Slack-Signature": "v0=1",
    }
    assert (await http(world).raw(b"{}", headers)).status == 401


# ---------------------------------------------------------------------- 5. malformed payloads


def _signed(body: bytes, content_type: str = "application/json") -> sr.SlackRequest:
    return sr.sign(body, content_type, SECRET)


async def test_malformed_payloads_never_crash_the_server(world: SlackWorld) -> None:
    form = "application/x-www-form-urlencoded"
    cases: list[tuple[sr.SlackRequest, int]] = [
        (_signed(b"{not json"), 400),
        (_signed(b"[1, 2, 3]"), 400),
        (_signed(b""), 400),
        (_signed(b'{"type": "event_callback"}'), 400),
        (_signed(b'{"type": "event_callback", "event": "message"}'), 400),
        (_signed(b"payload=not-json", form), 400),
        (_signed(b"a=1&b", form), 400),
        (sr.signed_interaction({"type": "block_actions", "actions": []}, SECRET), 400),
        (sr.signed_interaction({"type": "block_actions", "actions": [{"action_id": ["x"]}]}, SECRET), 400),
        (sr.signed_interaction({"type": "view_submission", "view": "x"}, SECRET), 400),
        # Well-formed enough to route, but missing what we need: acknowledged, ignored.
        (
            sr.signed_event(
                {"type": "event_callback", "team_id": "T1", "event": {"type": "message"}}, SECRET
            ),
            200,
        ),
        (sr.signed_event({"type": "event_callback", "event": {"type": "reaction_added"}}, SECRET), 200),
        (sr.signed_command({"command": "/reflect"}, SECRET), 200),
        (
            sr.signed_interaction(
                {"type": "block_actions", "actions": [{"action_id": "reflect_btn_0"}]}, SECRET
            ),
            200,
        ),
        (sr.signed_interaction(sr.view_submission("reflect_long_answer", private_metadata="{"), SECRET), 200),
        (sr.signed_event(sr.url_verification("c-42"), SECRET), 200),
    ]
    transport = http(world)
    for request, expected in cases:
        reply = await transport.raw(request.body, request.headers)
        assert reply.status == expected, (request.body[:80], reply)
    big = _signed(b'{"type": "event_callback", "pad": "' + b"x" * (2 * 1024 * 1024) + b'"}')
    assert (await transport.raw(big.body, big.headers)).status == 413
    await world.settle()
    assert [c.method for c in world.mock.calls if c.method != "auth.test"] == []

    async with aiohttp.ClientSession() as client, client.get(f"{world.root}/healthz") as health:
        assert health.status == 200 and "slack" in (await health.json())["platforms"]
    worker = world.worker()
    assert len(await worker.say("reflect")) == 2  # still serving


async def test_what_is_not_a_workers_dm_is_ignored(world: SlackWorld) -> None:
    worker = world.worker()
    ignored = [
        sr.message_event("reflect", channel="C0CHANNEL1", channel_type="channel"),
        sr.message_event("reflect", subtype="message_changed"),
        sr.message_event("reflect", subtype="bot_message", bot_id=sr.BOT_ID),
        sr.message_event("reflect", user=sr.BOT_USER_ID),
    ]
    for payload in ignored:
        assert await worker.deliver(payload) == []
    assert world.mock.calls_for("chat.postMessage") == []


# ---------------------------------------------------------------------- 6. rate limits


async def test_a_429_is_retried_after_retry_after_and_order_is_kept(world: SlackWorld) -> None:
    worker = world.worker()
    world.mock.fail_next("chat.postMessage", status=429, retry_after=1)
    # Two turns back to back: the second's reply must wait for the first's, delayed by the 429.
    await http(world).event(sr.message_event("reflect", user=worker.user, channel=worker.dm))
    await http(world).event(sr.message_event(scripts.CASE, user=worker.user, channel=worker.dm))
    await world.mock.wait_for_calls("chat.postMessage", 4, timeout=15)
    await world.settle()

    calls = world.mock.calls_for("chat.postMessage")
    assert [c.status for c in calls] == [429, 200, 200, 200]
    assert calls[1].monotonic - calls[0].monotonic >= 1.0  # Retry-After honoured
    assert calls[0].params["text"] == calls[1].params["text"]  # the same message, retried
    posted = worker.messages()
    assert len(posted) == 3  # delivered once each
    assert [question_of(m) for m in posted] == [None, ("prompt", "case_ref"), ("prompt", "visit_type")]


async def test_a_server_error_is_retried_and_the_reply_arrives_once(world: SlackWorld) -> None:
    world.runtime.service.outbox.max_wait = 0.05
    worker = world.worker()
    await worker.say("reflect")
    world.mock.fail_next("chat.postMessage", status=500)
    await worker.say(scripts.CASE)
    assert worker.question() == ("prompt", "visit_type")
    assert sum(question_of(m) == ("prompt", "visit_type") for m in worker.messages()) == 1


async def test_a_reply_that_cannot_be_posted_is_posted_again_with_the_next_message(world: SlackWorld) -> None:
    world.runtime.service.outbox.max_wait = 0.05
    worker = world.worker()
    await worker.say("reflect")
    world.mock.fail_next("chat.postMessage", error="internal_error", times=6)  # every attempt
    await worker.say(scripts.CASE)
    assert visible_text(worker.messages()[-1]) == texts.REPLY_FAILED
    session = await scripts.active_session(world, worker)
    assert session is not None and session.case_ref == scripts.CASE  # the answer was kept
    answers = len(session.answers)

    # The worker never saw the question, so what they type next is not taken as its answer:
    # the question comes again, and then their answer goes to it.
    again = await worker.say("hello? are you there")
    assert "didn't reach you" in visible_text(again[0])
    assert question_of(again[-1]) == ("prompt", "visit_type")
    session = await scripts.active_session(world, worker)
    assert session is not None and len(session.answers) == answers
    await worker.say("2")
    assert worker.question() != ("prompt", "visit_type")


async def test_a_failed_turn_tells_the_worker_and_keeps_nothing_half_done(
    world: SlackWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    worker = world.worker()
    await worker.say("reflect")
    service = world.adapter.dispatcher.service
    real = service._run

    async def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("database went away")

    monkeypatch.setattr(service, "_run", broken)
    [reply] = await worker.say(scripts.CASE)
    assert visible_text(reply) == ReflectError.user_message
    monkeypatch.setattr(service, "_run", real)
    await worker.say(scripts.CASE)  # trying again works
    assert worker.question() == ("prompt", "visit_type")


# ---------------------------------------------------------------------- 7. a very long note


async def test_a_note_longer_than_slacks_limits_is_split_in_order(world: SlackWorld) -> None:
    long = [" ".join(f"{tag}{n:04d}" for n in range(900)) for tag in ("feel", "child", "need")]
    worker = world.worker()
    await worker.say("start quick checkin")
    await worker.answer_until_done(
        {
            ("prompt", "case_ref"): scripts.CASE,
            ("prompt", "one_feeling"): long[0],
            ("prompt", "one_child_thing"): long[1],
            ("prompt", "one_need"): long[2],
            ("prompt", "share_feelings"): "keep private",
        }
    )
    notes = worker.note_messages()
    assert len(notes) >= 3
    assert [m["text"] for m in notes] == [
        texts.NOTE_FALLBACK_PART.format(n=n, total=len(notes)) for n in range(1, len(notes) + 1)
    ]
    for message in notes:
        assert len(message["blocks"]) <= BLOCKS_PER_MESSAGE
        assert all(
            len(b["text"]["text"]) <= SECTION_LIMIT for b in message["blocks"] if b["type"] == "section"
        )
    joined = "".join(b["text"]["text"] for m in notes for b in m["blocks"] if b["type"] == "section")
    [note_file] = world.mock.files.values()
    assert note_file.content is not None
    markdown = note_file.content.decode()
    in_slack = sorted(long, key=joined.index)  # .index: every character is there, unbroken
    assert in_slack == sorted(long, key=markdown.index)  # and in the note's own order
    assert all(c.ok for c in world.mock.calls_for("chat.postMessage"))


# ---------------------------------------------------------------------- 8. buttons and the modal


async def test_buttons_choose_skip_go_back_and_pause(world: SlackWorld) -> None:
    worker = world.worker()
    await scripts.start_and_reach(worker, "visit_type")
    await worker.click("choice:school@")
    assert worker.question() == ("prompt", "senses")

    # A double click on Skip: two clicks on the same button, at the same time.
    skip = worker.click_payload("cmd:skip@senses.")
    second = dict(skip, actions=[dict(skip["actions"][0], action_ts="1700000000.999999")])
    await asyncio.gather(http(world).interaction(skip), http(world).interaction(second))
    await world.settle()
    assert worker.question() == ("prompt", "child_day")  # one step skipped, not two
    session = await scripts.active_session(world, worker)
    assert session is not None and session.cursor is not None and session.cursor.step_id == "child_day"
    assert session.choices["visit_type"] == "school"

    await worker.click("cmd:back@child_day.")
    assert worker.question() == ("prompt", "senses")
    paused = await worker.click("cmd:pause", exact=True)
    assert "Paused" in visible_text(paused[0])
    [stored] = await scripts.sessions(world, worker, ("paused",))
    assert stored.cursor is not None and stored.cursor.step_id == "senses"
    assert world.mock.home_views[worker.user]["blocks"]  # the Home tab shows it now


async def test_the_long_answer_modal_answers_thequestion_of(world: SlackWorld) -> None:
    worker = world.worker()
    await scripts.start_and_reach(worker, "senses")
    message, block, element = worker.find_button("senses.0.", exact=True)
    assert element["action_id"] == "reflect_long_answer"
    await http(world).interaction(
        sr.block_actions(
            element["action_id"], element["value"], block_id=block["block_id"], message_ts=message["ts"]
        )
    )
    await world.settle()
    [opened] = world.mock.calls_for("views.open")
    view = opened.params["view"]
    answer = "A long answer.\n\n" + scripts.SENSES_CONCRETE + "\nAnd <!channel> should stay text."
    submit = sr.view_submission(
        view["callback_id"], {"answer": {"text": answer}}, private_metadata=view["private_metadata"]
    )
    reply = await http(world).interaction(submit)
    assert reply.status == 200
    await world.settle()
    assert worker.question() == ("prompt", "child_day")
    session = await scripts.active_session(world, worker)
    assert session is not None and answer in [a.text for a in session.answers]


# ---------------------------------------------------------------------- 9. the slash command


async def test_slash_command_acks_before_the_slow_work(world: SlackWorld) -> None:
    # chat.postMessage is held until the test lets it go: the slow work cannot finish first,
    # whatever the machine's load (set_latency would make this a race against the clock).
    release = asyncio.Event()
    mock = world.mock

    async def slow_post(params: dict[str, Any]) -> dict[str, Any]:
        await release.wait()
        return mock._m_chat_postMessage(params)

    mock.set_handler("chat.postMessage", slow_post)
    fields = sr.slash_command("", channel_id="C0CHANNEL1", channel_name="general")
    reply = await http(world).command(fields)
    assert reply.status == 200 and json.loads(reply.body)["text"] == texts.SLASH_ACK_ELSEWHERE
    assert mock.calls_for("chat.postMessage") == [] and len(world.adapter.tasks) > 0  # still working
    release.set()

    posted = await world.mock.wait_for_calls("chat.postMessage", 2, timeout=15)
    worker = world.worker()
    assert [c.params["channel"] for c in posted] == [worker.dm, worker.dm]  # in the DM, not the channel
    assert world.mock.calls_for("conversations.open")[0].params["users"] == worker.user
    await world.settle()
    assert worker.question() == ("prompt", "case_ref")


async def test_slash_command_with_a_model_name(world: SlackWorld) -> None:
    worker = world.worker()
    ack = await worker.command("quick checkin", channel_name="directmessage")
    assert ack.status == 200 and json.loads(ack.body)["text"] == texts.SLASH_ACK
    session = await scripts.active_session(world, worker)
    assert session is not None and session.model_id == "quick_checkin"


# ---------------------------------------------------------------------- 10. App Home


async def test_app_home_shows_paused_notes_actions_and_hypotheses(world: SlackWorld) -> None:
    worker = world.worker()
    await worker.say("reflect")
    await worker.answer_until_done(scripts.POST_VISIT)
    [done] = await scripts.sessions(world, worker)
    await worker.say("start quick checkin")
    await worker.say("HX-3107")
    await worker.say("pause")
    [paused] = await scripts.sessions(world, worker, ("paused",))

    world.mock.clear()
    await worker.deliver(sr.app_home_opened_event(user=worker.user, channel=worker.dm))
    [published] = world.mock.calls_for("views.publish")
    assert published.ok and published.params["user_id"] == worker.user
    home = world.mock.home_views[worker.user]
    values = [element["value"] for _, element in buttons(home)]
    assert f"resume:{paused.id}" in values and done.id in values and "start:" in values
    text = "\n".join(b["text"]["text"] for b in home["blocks"] if isinstance(b.get("text"), dict))
    assert "HX-3107" in text and "Quick check-in" in text
    assert "Ask the GP about mum's health" in text
    assert "due Fri" in text and scripts.HYPOTHESES[0] in text and scripts.CASE in text

    # "Send me the note" from the Home tab posts the stored note to the DM.
    world.mock.clear()
    note_button = next(e for _, e in buttons(home) if e["value"] == done.id)
    await worker.world.transport.interaction(
        sr.block_actions(note_button["action_id"], done.id, view=home, user_id=worker.user)
    )
    await world.settle()
    notes = [
        c for c in world.mock.calls_for("chat.postMessage") if c.params["text"].startswith("Your supervision")
    ]
    assert notes and notes[0].params["channel"] == worker.dm

    # Resume from the Home tab carries on in the DM.
    resume = next(e for _, e in buttons(home) if e["value"] == f"resume:{paused.id}")
    await worker.world.transport.interaction(
        sr.block_actions(resume["action_id"], resume["value"], view=home, user_id=worker.user)
    )
    await world.settle()
    assert worker.question() == ("prompt", "one_feeling")


async def test_the_home_tab_is_refreshed_when_what_it_shows_changes_and_only_then(world: SlackWorld) -> None:
    """Home lists paused reflections, recent notes, open actions and hypotheses: it is
    published again after a pause, a resume or a finish, and not after a reminder or a
    question about the bot (each publish reads the worker's records again)."""
    worker = world.worker()

    async def published_after(text: str) -> int:
        world.mock.clear()
        await worker.say(text)
        await world.settle()
        return len([c for c in world.mock.calls_for("views.publish") if c.params["user_id"] == worker.user])

    assert await published_after("start quick checkin") == 1  # a reflection started
    assert await published_after("HX-3107") == 0  # an answer within it
    assert await published_after("pause") == 1
    assert await published_after("visit HX-3107 tmrw 10am") == 0  # a reminder, nothing Home shows
    assert await published_after("what can you do") == 0
    assert await published_after("notes") == 1  # a records command (sign-off may change Home)
    assert await published_after("resume") == 1


async def test_whole_reflection_typed_in_words_by_dm(world: SlackWorld) -> None:
    """The sibling of the scripted DM reflection, typed in words: no option numbers, several
    items in one message, "tmrw" and "by fri"; each answer filed once under its own question."""
    worker = world.worker()
    await worker.say("reflect")
    for message in worded_visit.TYPED:
        await worker.say(message)
    assert worker.note_messages(), "the note was not posted"
    [session] = await scripts.sessions(world, worker)
    worded_visit.check_record(session, session.started_at.date())
    async with world.runtime.store.read() as tx:
        stored = await tx.latest_note(session.id)
    assert stored is not None
    worded_visit.check_note(stored.markdown)
    refused = [m for m in worker.messages() if "couldn't tell which option" in m["text"]]
    assert refused == []


async def test_a_name_typed_in_the_dm_is_flagged_and_the_button_puts_roles_in(world: SlackWorld) -> None:
    worker = world.worker()
    await worker.say("reflect")
    await worker.say("hx 5120")
    await worker.say("unannounced")
    warned = await worker.say("Kayden was in the kitchen with mum Kerry Hollins, bins overflowing")
    warning = next(m for m in warned if "A gentle check" in m["text"])
    assert any(b["value"].startswith("roles:") for _, b in buttons(warning))
    assert worker.question() == ("prompt", "child_day")  # the reflection was not held up
    await worker.click("roles:")
    session = await scripts.active_session(world, worker)
    assert session is not None
    senses = [a for a in session.answers if a.step_id == "senses" and a.field is None]
    assert [a.superseded for a in senses] == [True, False]
    assert "Kayden" not in senses[-1].text and "Hollins" not in senses[-1].text
    assert "bins overflowing" in senses[-1].text
    assert worker.question() == ("prompt", "child_day")
