"""Slack payloads to `Inbound`: pure, so tested on the payload builders directly."""

from __future__ import annotations

import pytest

from bot.adapters.slack import modal, translate
from tests.support import slack_requests as sr


def test_a_dm_becomes_typed_text_with_the_event_id() -> None:
    payload = sr.message_event("HX-2291", event_id="Ev0TEST0001", thread_ts="1700000000.000100")
    inbound = translate.message(payload, sr.BOT_USER_ID)
    assert inbound is not None
    assert (
        inbound.incoming(inbound.dm or "").key.as_str()
        == f"slack:{sr.TEAM_ID}:{sr.DM_CHANNEL_ID}:{sr.USER_ID}"
    )
    assert inbound.text == "HX-2291" and inbound.action is None
    assert inbound.event_id == "ev:Ev0TEST0001" and inbound.thread_ts == "1700000000.000100"


@pytest.mark.parametrize(
    "payload",
    [
        sr.message_event("hi", channel="C0CHANNEL1", channel_type="channel"),
        sr.message_event("hi", channel="G0GROUP001", channel_type="mpim"),
        sr.message_event("hi", subtype="message_changed"),
        sr.message_event("hi", subtype="message_deleted"),
        sr.message_event("hi", subtype="bot_message", bot_id=sr.BOT_ID),
        sr.message_event("hi", bot_id="B0OTHER001"),
        sr.message_event("hi", user=sr.BOT_USER_ID),
        sr.app_home_opened_event(),
        {"type": "event_callback", "event": {"type": "message", "channel_type": "im"}},
        {"type": "event_callback", "event": "message"},
        {},
    ],
)
def test_everything_but_a_persons_dm_is_ignored(payload: dict[str, object]) -> None:
    assert translate.message(payload, sr.BOT_USER_ID) is None


def test_slack_markup_is_read_back_as_the_person_typed_it() -> None:
    typed = translate.from_slack(
        "see <https://example.test/a|example.test> &amp; ask <@U0ABC> in <#C0X|general> &lt;3 <!here> <https://x.test>"
    )
    assert typed == "see example.test & ask @U0ABC in #general <3 @here https://x.test"
    assert translate.from_slack("plain words") == "plain words"


@pytest.mark.parametrize(
    ("typed", "meaning"),
    [
        ("", "reflect"),
        ("   ", "reflect"),
        ("quick checkin", "start quick checkin"),
        ("post visit", "start post visit"),
        ("help", "help"),
        ("resume", "resume"),
        ("pause", "pause"),
        ("start quick", "start quick"),
    ],
)
def test_slash_command_text(typed: str, meaning: str) -> None:
    assert translate.slash_words(typed) == meaning


def test_slash_command_has_no_dm_yet_and_uses_the_trigger_id() -> None:
    fields = sr.slash_command("quick checkin", trigger_id="111.222.abc")
    inbound = translate.slash_command(fields)
    assert inbound is not None and inbound.dm is None
    assert inbound.text == "start quick checkin" and inbound.event_id == "cmd:111.222.abc"
    assert translate.slash_in_dm(fields)
    assert not translate.slash_in_dm(sr.slash_command(channel_id="C0X", channel_name="general"))
    assert translate.slash_command({"command": "/reflect"}) is None


def test_a_button_click_carries_its_value_unchanged() -> None:
    payload = sr.block_actions("reflect_btn_3", "cmd:skip@senses.0.", message_ts="1700000000.000200")
    inbound = translate.button(payload)
    assert inbound is not None and inbound.action == "cmd:skip@senses.0." and inbound.text is None
    assert inbound.dm == sr.DM_CHANNEL_ID
    action_ts = payload["actions"][0]["action_ts"]
    assert inbound.event_id == f"act:1700000000.000200:reflect_btn_3:{action_ts}"
    # A second click of the same button is another event (the engine's mark handles it).
    again = dict(payload, actions=[dict(payload["actions"][0], action_ts="1.5")])
    assert translate.button(again) is not None and translate.button(again).event_id != inbound.event_id  # type: ignore[union-attr]


def test_a_click_in_a_thread_replies_there_and_a_home_click_has_no_dm() -> None:
    threaded = translate.button(sr.block_actions("reflect_btn_0", "cmd:pause", thread_ts="1700000000.000300"))
    assert threaded is not None and threaded.thread_ts == "1700000000.000300"
    home = translate.button(sr.block_actions("reflect_btn_0", "start:", view={"id": "V1", "type": "home"}))
    assert home is not None and home.dm is None and home.action == "start:"


def test_the_long_answer_modal_round_trip() -> None:
    click = sr.block_actions("reflect_long_answer", "senses.0.", thread_ts="1700000000.000400")
    request = translate.long_answer(click)
    assert request is not None and request.mark == "senses.0." and request.dm == sr.DM_CHANNEL_ID
    view = modal.long_answer(request.dm, request.thread_ts, request.mark)
    submit = sr.view_submission(
        view["callback_id"], {"answer": {"text": "a long answer"}}, private_metadata=view["private_metadata"]
    )
    inbound = translate.submission(submit)
    assert inbound is not None and inbound.text == "a long answer" and inbound.dm == sr.DM_CHANNEL_ID
    assert inbound.thread_ts == "1700000000.000400" and inbound.event_id == "view:V0VIEW0001"
    assert translate.submission(sr.view_submission("other", {"answer": {"text": "x"}})) is None
    assert translate.submission(sr.view_submission(view["callback_id"], private_metadata="{broken")) is None


def test_well_formed_shapes() -> None:
    assert translate.well_formed(sr.message_event("x"))
    assert translate.well_formed(sr.slash_command())
    assert translate.well_formed(sr.block_actions("a", "b"))
    assert translate.well_formed(sr.view_submission("c"))
    assert translate.well_formed(sr.url_verification())
    assert not translate.well_formed({})
    assert not translate.well_formed({"type": "block_actions", "actions": []})
    assert not translate.well_formed({"type": "event_callback", "event": ["x"]})
    assert not translate.well_formed({"type": "view_submission", "view": {"id": "V1"}})


# ---------------------------------------------------------------------- Enterprise Grid keys

GRID = "E0GRID0001"


def _in_grid(payload: dict, *, form: bool = False) -> dict:
    """The same payload as it comes from a workspace of an Enterprise Grid org."""
    if form:
        return {**payload, "enterprise_id": GRID, "is_enterprise_install": "true"}
    payload = {**payload, "is_enterprise_install": True}
    if payload.get("type") == "event_callback":
        payload["enterprise_id"] = payload["context_enterprise_id"] = GRID
        payload["authorizations"] = [{**payload["authorizations"][0], "enterprise_id": GRID}]
    else:
        payload["enterprise"] = {"id": GRID, "name": "Shire Council"}
    return payload


def test_in_a_grid_org_a_person_is_keyed_by_enterprise_and_team() -> None:
    key = f"{GRID}.{sr.TEAM_ID}"
    dm = translate.message(_in_grid(sr.message_event("reflect")), sr.BOT_USER_ID)
    command = translate.slash_command(_in_grid(sr.slash_command("quick checkin"), form=True))
    click = translate.button(_in_grid(sr.block_actions("reflect_btn_0", "cmd:skip")))
    shortcut = translate.message_shortcut(
        _in_grid(sr.message_action(translate.SHORTCUT_CALLBACK, "strat for HX-2291 moved to fri"))
    )
    assert shortcut is not None
    assert [i.team for i in (dm, command, click, shortcut.inbound) if i is not None] == [key] * 4
    claim = translate.dm_claim(_in_grid(sr.message_event("reflect")))
    assert claim is not None and claim.team == key
    assert translate.split_workspace(key) == (GRID, sr.TEAM_ID)
    assert translate.split_workspace(sr.TEAM_ID) == (None, sr.TEAM_ID)
    # outside Grid nothing changes: the team id alone, as stored before
    plain = translate.message(sr.message_event("reflect"), sr.BOT_USER_ID)
    assert plain is not None and plain.team == sr.TEAM_ID


def test_the_shortcut_reads_the_case_and_keeps_nothing_else() -> None:
    started = translate.message_shortcut(
        sr.message_action(translate.SHORTCUT_CALLBACK, "visit booked &amp; confirmed: hx 3107, thurs 2pm")
    )
    assert started is not None and started.case_ref == "HX-3107"
    assert started.inbound.text == "reflect" and started.inbound.dm is None
    assert started.inbound.event_id and started.inbound.event_id.startswith("shortcut:")
    other = sr.message_action("someone_elses_shortcut", "hx 3107")
    assert translate.message_shortcut(other) is None


@pytest.mark.parametrize(
    ("message", "case_ref"),
    [
        ("home visit booked for HX 3107 on thurs at 2pm with mum", "HX-3107"),
        ("visit at 14:00 tmrw for hx3107, dad will be in", "HX-3107"),
        ("room 12 booked for the strat on hx-2291", "HX-2291"),
        ("visit moved to fri at 10 30", None),
        ("can someone cover duty tmrw morning? ta", None),
    ],
)
def test_a_booking_message_gives_its_case_reference_not_its_times(message: str, case_ref: str | None) -> None:
    started = translate.message_shortcut(sr.message_action(translate.SHORTCUT_CALLBACK, message))
    assert started is not None and started.case_ref == case_ref
