"""An answer whose whole words read as a command (router rule 5): kept as the answer, read back
with an offer to make it the command instead, for the worker's next message only."""

from __future__ import annotations

from bot.engine.events import LooksLike
from bot.engine.understand.offer_replies import WHAT, read_offer_reply
from bot.router import OFFER_VARS
from bot.wording import default_wording
from tests.support.engine_harness import EngineHarness

VISIT = LooksLike(
    "reminders command",
    "reminder",
    {
        "case_ref": "HX-2291",
        "day": "tomorrow",
        "on": "Tuesday 3 November",
        "at": "10:00",
        "verb": None,
        "ref": None,
        "days": None,
        "back_on": None,
    },
)
NOTES = LooksLike("records command", "notes", dict.fromkeys(OFFER_VARS))


def at_feeling() -> EngineHarness:
    h = EngineHarness()
    h.send("start quick checkin")
    h.send("hx 1234")
    assert h.step == "one_feeling"
    return h


def live(h: EngineHarness, step: str) -> list[str]:
    assert h.active is not None
    return [a.text for a in h.active.live_answers(step)]


def test_the_words_are_filed_and_read_back_before_the_next_question() -> None:
    h = at_feeling()
    replies = h.send("visit HX-2291 tmrw 10am", looks_like=VISIT)
    assert live(h, "one_feeling") == ["visit HX-2291 tmrw 10am"]  # filed exactly as today
    assert h.step == "one_child_thing"
    assert (
        len(replies) == 2 and replies[0].template == "chat/offer_command.j2" and replies[1].kind == "prompt"
    )
    line = h.texts()[0]
    assert "kept that as your answer" in line and "HX-2291 tomorrow at 10:00" in line
    assert "make it a reminder" in line
    assert [b.value for b in replies[0].buttons] == ["offer:switch", "offer:keep"]
    assert [default_wording().label(b.label) for b in replies[0].buttons] == [
        "Make it a reminder",
        "Keep as my answer",
    ]
    assert h.active is not None and h.active.offer is not None and h.active.offer.what == "reminder"


def test_switching_sets_the_answer_aside_and_goes_back_to_its_question() -> None:
    h = at_feeling()
    h.send("visit HX-2291 tmrw 10am", looks_like=VISIT)
    h.send(action="offer:switch")
    session = h.active
    assert session is not None
    assert live(h, "one_feeling") == []
    assert [a.text for a in session.answers if a.superseded] == ["visit HX-2291 tmrw 10am"]  # kept, flagged
    assert h.step == "one_feeling"
    assert session.offer is not None and session.offer.taken  # the service carries the command out
    assert "set those words aside" in h.texts()[0]
    h.send(action="cmd:carry_on")  # what the service sends after the command: the question again
    assert h.said("how are you feeling")
    h.send("knackered tbh")
    assert h.active is not None and h.active.offer is None  # gone with the next message
    assert live(h, "one_feeling") == ["knackered tbh"]
    assert h.step == "one_child_thing"


def test_keeping_drops_the_offer_and_carries_on_where_it_was() -> None:
    h = at_feeling()
    h.send("visit HX-2291 tmrw 10am", looks_like=VISIT)
    h.send(action="offer:keep")
    assert h.active is not None and h.active.offer is None
    assert live(h, "one_feeling") == ["visit HX-2291 tmrw 10am"]
    assert h.said("stays as your answer")
    assert h.step == "one_child_thing"
    h.send("she was quiet, hid behind nan")
    assert live(h, "one_child_thing") == ["she was quiet, hid behind nan"]


def test_the_offer_lasts_for_the_next_message_only() -> None:
    h = at_feeling()
    h.send("ntoes", looks_like=NOTES)
    assert h.active is not None and h.active.offer is not None
    h.send("she was quiet, hid behind nan")  # an answer to the next question: the offer lapses
    assert h.active is not None and h.active.offer is None
    assert live(h, "one_feeling") == ["ntoes"]
    assert live(h, "one_child_thing") == ["she was quiet, hid behind nan"]
    h.send(action="offer:switch")  # the old button, pressed late
    assert h.said("haven't changed anything")
    assert live(h, "one_feeling") == ["ntoes"]
    assert h.step == "one_need"


def test_no_offer_without_a_look_alike_or_when_nothing_was_filed() -> None:
    h = at_feeling()
    replies = h.send("visit HX-2291 tmrw 10am")
    assert all(r.template != "chat/offer_command.j2" for r in replies)
    assert h.active is not None and h.active.offer is None
    # A case reference question files no words as typed ("notes" is no reference): no offer.
    g = EngineHarness()
    g.send("start quick checkin")
    replies = g.send("notes", looks_like=NOTES)
    assert g.step == "case_ref"
    assert all(r.template != "chat/offer_command.j2" for r in replies)
    assert g.active is not None and g.active.offer is None


def test_an_action_list_read_back_is_offered_and_switching_drops_its_items() -> None:
    h = EngineHarness()
    h.send("reflect")
    guard = 0
    while h.step != "actions":
        assert h.step is not None and guard < 60
        if h.active is not None and h.active.awaiting == "confirm_items":
            h.send("yes")
        else:
            h.send(
                {"case_ref": "HX-2291", "visit_type": "1", "seen_alone": "yes", "classification": "2"}.get(
                    h.step, "skip"
                )
            )
        guard += 1
    replies = h.send("visit HX-2291 tmrw 10am", looks_like=VISIT)
    assert h.active is not None and h.active.awaiting == "confirm_items"
    assert h.active.actions  # read as an action, as today
    kinds = [r.template for r in replies]
    assert kinds.index("chat/offer_command.j2") < len(kinds) - 1 and replies[-1].kind == "confirm"
    h.send(action="offer:switch")
    assert h.active is not None and h.active.actions == [] and h.active.awaiting is None
    assert h.step == "actions"
    h.send(action="cmd:carry_on")
    h.send("me: ring the school fri")
    assert h.active is not None and [a.what for a in h.active.actions] != []
    assert all("HX-2291 tmrw" not in a.what for a in h.active.actions)


def test_every_offer_names_words_that_take_it() -> None:
    """The words the read-back tells the worker to type are read as a switch."""
    wording = default_wording()
    for what in sorted(WHAT):
        line = wording.text(
            "chat/offer_command.j2",
            what=what,
            step_title="One feeling",
            case_ref=None,
            day=None,
            on=None,
            at=None,
            verb="show",
            ref="2",
            days=None,
            back_on=None,
        )
        said = line.split("Say *")[1].split("*")[0]
        assert read_offer_reply(said, what) == "switch", (what, said)
        assert read_offer_reply("keep it", what) == "keep"
        assert read_offer_reply(wording.label(f"labels:offer_{what}"), what) == "switch", what
        assert read_offer_reply(wording.label("labels:offer_keep"), what) == "keep"
