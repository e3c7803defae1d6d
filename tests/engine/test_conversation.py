"""The engine, driven turn by turn as a worker would, with the real models and templates."""

from __future__ import annotations

import pytest

from bot.engine import Conversation, Text, handle
from bot.engine.state import ActionItem, CaseHistory, Hypothesis
from supervision_models.registry import ModelRegistry, default_registry
from tests.support.engine_harness import START, EngineHarness


def at_step(h: EngineHarness, step: str, answers: dict[str, str]) -> None:
    """Answer each question from `answers` (by step id) until the engine asks `step`."""
    guard = 0
    while h.step != step:
        current = h.step
        assert current is not None, f"the session ended before reaching {step}"
        if h.active is not None and h.active.awaiting == "confirm_items":
            h.send("yes")  # the read-back of hypotheses or actions
        else:
            h.send(answers.get(current, "skip"))
        guard += 1
        assert guard < 60, f"stuck at {current}"


BASIC = {
    "case_ref": "HX-2291",
    "visit_type": "1",
    "senses": "Kitchen floor sticky, bins overflowing, television very loud, no toys in sight.",
    "child_day": "Up at six on her own, cereal from the box, walked to school by a neighbour's older child.",
    "seen_alone": "yes",
    "child_words": 'She said "mummy sleeps a lot" and "I make my own tea".',
}


def test_starting_asks_for_a_case_reference_and_refuses_a_name() -> None:
    h = EngineHarness()
    h.send("reflect")
    assert h.step == "case_ref"
    assert h.said("case reference")
    h.send("Jayden Smith")
    assert h.step == "case_ref"
    assert h.said("looks like it could be a name")
    assert h.active is not None and h.active.answers == []  # the name was not kept
    h.send("hx-2291")
    assert h.active is not None and h.active.case_ref == "HX-2291"
    assert h.step == "visit_type"


def test_a_vague_description_asks_what_was_seen_heard_and_smelled() -> None:
    h = EngineHarness()
    h.send("reflect")
    at_step(h, "senses", BASIC)
    h.send("pretty bad")
    assert h.step == "senses"
    assert h.active is not None and h.active.pending_followup == "vague"
    assert h.said("pretty bad")
    h.send("Feet sticking to the floor, a smell of old food and smoke.")
    assert h.step == "child_day"
    answers = [(a.text, a.followup) for a in h.active.live_answers("senses")]
    assert answers == [
        ("pretty bad", None),
        ("Feet sticking to the floor, a smell of old food and smoke.", "vague"),
    ]


def test_a_detailed_answer_is_not_called_vague() -> None:
    h = EngineHarness()
    h.send("reflect")
    at_step(h, "senses", BASIC)
    h.send(
        "Fine on the surface: tidy front room, but the kitchen smelled of bleach and the child's room had no bed."
    )
    assert h.step == "child_day"


def test_no_words_from_the_child_asks_about_seeing_them_alone() -> None:
    h = EngineHarness()
    h.send("reflect")
    at_step(h, "child_words", {**BASIC, "seen_alone": "no"})
    h.send("nothing, she was asleep")
    assert h.active is not None and h.active.pending_followup == "no_child_words"
    assert h.said("on their own")


def test_a_single_hypothesis_asks_for_a_second_and_both_are_kept() -> None:
    h = EngineHarness()
    h.send("reflect")
    at_step(h, "hypotheses", BASIC)
    h.send("Mum's low mood means nobody is running the home")
    assert h.active is not None and h.active.pending_followup == "single_hypothesis"
    h.send("An adult we haven't met is staying and mum is frightened")
    assert [x.statement for x in h.active.hypotheses] == [
        "Mum's low mood means nobody is running the home",
        "An adult we haven't met is staying and mum is frightened",
    ]
    # Read back before the evidence questions; "yep" confirms.
    assert h.active.awaiting == "confirm_items" and h.said("I have 2 hypotheses")
    h.send("yep")
    assert h.step == "hypothesis_evidence"
    assert h.active.cursor is not None and h.active.cursor.field == "for"


def test_hypotheses_each_get_evidence_for_and_against_then_a_leading_one_is_challenged() -> None:
    h = EngineHarness()
    h.send("reflect")
    at_step(h, "hypotheses", BASIC)
    h.send("1) Low mood and exhaustion 2) Someone else is living there")
    h.send("yes")
    for text in [
        "flat, tired, curtains closed",
        "engaged well, kept GP appointment",
        "man's boots in hall",
        "mum says they're her brother's",
    ]:
        assert h.step == "hypothesis_evidence"
        h.send(text)
    assert h.step == "leading"
    h.send("2")
    session = h.active
    assert session is not None
    assert [x.status for x in session.hypotheses] == ["open", "leading"]
    assert session.hypotheses[1].evidence_for == "man's boots in hall"
    assert session.hypotheses[1].evidence_against == "mum says they're her brother's"
    assert h.step == "devils_advocate"
    assert h.said("Someone else is living there")


def test_back_returns_to_the_last_question_and_replaces_the_answer() -> None:
    h = EngineHarness()
    h.send("reflect")
    at_step(h, "child_day", BASIC)
    h.send("back")
    assert h.step == "senses"
    assert h.said(BASIC["senses"][:20])
    h.send("A corrected description: dog mess on the stairs, cold house, heating off.")
    session = h.active
    assert session is not None
    live = [a.text for a in session.live_answers("senses")]
    assert live == ["A corrected description: dog mess on the stairs, cold house, heating off."]
    assert [a.superseded for a in session.answers if a.step_id == "senses"] == [True, False]
    assert h.step == "child_day"


def test_skip_moves_on_but_the_case_reference_is_needed() -> None:
    h = EngineHarness()
    h.send("reflect")
    h.send("skip")
    assert h.step == "case_ref"
    assert h.said("can't be skipped")
    h.send("HX-2291")
    h.send("skip")
    assert h.step == "senses"


def test_pause_then_resume_days_later_at_the_same_step() -> None:
    h = EngineHarness()
    h.send("reflect")
    at_step(h, "feelings", BASIC)
    h.send("pause")
    assert h.active is None
    paused = next(iter(h.sessions.values()))
    assert paused.status == "paused"
    h.advance(days=3)
    h.send("resume")
    assert h.step == "feelings"
    assert h.said("3 days ago")
    assert h.active is not None and len(h.active.live_answers()) == len(paused.live_answers())


def test_starting_while_one_is_paused_asks_which_and_keeps_the_paused_one() -> None:
    h = EngineHarness()
    h.send("reflect")
    at_step(h, "senses", BASIC)
    h.send("pause")
    h.send("start checkin")
    assert h.conversation.pending == "resume_or_new"
    assert h.said("paused")
    h.send("new")
    assert h.active is not None and h.active.model_id == "quick_checkin"
    assert [s.status for s in h.sessions.values()].count("paused") == 1


def test_empty_and_over_long_messages_are_answered_kindly_and_nothing_is_stored() -> None:
    h = EngineHarness()
    h.send("reflect")
    at_step(h, "senses", BASIC)
    before = len(h.active.answers) if h.active else 0
    h.send("   ")
    assert h.said("didn't get any words")
    h.send("x" * 25_000)
    assert h.said("25,000 characters")
    assert h.said("send it again in two or more parts")
    assert h.active is not None and len(h.active.answers) == before
    assert h.step == "senses"


def test_unknown_commands_and_text_outside_a_session_get_specific_help() -> None:
    h = EngineHarness()
    h.send("/frobnicate")
    assert h.said("don't know the command *frobnicate*")
    h.send("hello there")
    assert h.said("not in a reflection")
    assert h.rendered()[-1].buttons, "offers buttons to start"
    h.send("start juggling")
    assert h.said('don\'t know a reflection called "juggling"')


def test_words_suggesting_immediate_risk_bring_the_safeguarding_message_and_wait() -> None:
    h = EngineHarness()
    h.send("reflect")
    at_step(h, "child_words", BASIC)
    h.send("She told me her dad said he's going to kill her mum tonight.")
    assert h.said("follow your local safeguarding procedures now")
    assert h.active is not None and h.active.awaiting == "risk_ack"
    assert h.active.risk_flagged
    assert h.step == "child_words"
    assert h.active.live_answers("child_words")[-1].text.startswith("She told me")
    h.send("ok")  # not "carry on": kept, and the message is repeated
    assert h.step == "child_words" and h.said("carry on")
    h.send("carry on")
    assert h.step == "feelings"


def test_a_negated_injury_is_not_treated_as_risk() -> None:
    h = EngineHarness()
    h.send("reflect")
    at_step(h, "senses", BASIC)
    h.send("No unexplained bruises or marks that I could see; baby clean and settled, warm house.")
    assert h.active is not None and h.active.awaiting is None


def test_identifiers_bring_a_warning_and_the_answer_is_kept() -> None:
    h = EngineHarness()
    h.send("reflect")
    at_step(h, "senses", BASIC)
    h.send("Met at the flat, postcode SW1A 1AA, NHS number 943 476 5919, messy but warm and calm.")
    assert h.said("NHS number")
    assert h.said("a postcode")
    assert h.active is not None and "943 476 5919" in h.active.live_answers("senses")[0].text


def test_a_double_clicked_choice_does_not_skip_the_next_question() -> None:
    h = EngineHarness()
    h.send("reflect")
    h.send("HX-2291")
    assert h.step == "visit_type"
    button = next(b for b in h.rendered()[-1].buttons if b.value.startswith("choice:"))
    h.send(action=button.value)
    assert h.step == "senses"
    h.send(action=button.value)  # the second click of a double click
    assert h.step == "senses"
    assert h.said("earlier question")
    assert h.active is not None and len(h.active.live_answers("visit_type")) == 1


def test_actions_without_an_owner_or_date_are_read_back_and_corrected_by_typing() -> None:
    h = EngineHarness()
    h.send("reflect")
    at_step(h, "actions", BASIC)
    h.send("Ring school / me / Friday\nAsk health visitor about growth checks")
    session = h.active
    assert session is not None
    ring = session.actions[0]
    assert (ring.what, ring.who, ring.due is not None) == ("Ring school", "me", True)
    assert ring.due is not None and ring.due.weekday() == 4 and ring.due > START.date()
    # Both kept and read back; the second shows what is missing and can be corrected by typing.
    assert session.awaiting == "confirm_items"
    assert h.said("I have 2 actions") and h.said("owner not stated") and h.said("date not stated")
    h.send("2: owner is health visitor; 2 due 30 November")
    ask = h.active
    assert ask is not None and ask.awaiting == "confirm_items"
    assert (ask.actions[1].who, str(ask.actions[1].due)) == ("health visitor", "2026-11-30")
    h.send("yes thats right")
    assert h.active is None or h.active.awaiting != "confirm_items"


def test_finish_compiles_from_what_was_said_and_cancel_asks_first() -> None:
    h = EngineHarness()
    h.send("reflect")
    at_step(h, "feelings", BASIC)
    h.send("finish")
    assert h.active is None
    done = next(iter(h.sessions.values()))
    assert done.status == "complete" and h.compiled == [done.id]

    h.send("start checkin")
    h.send("cancel")
    assert h.said("No note will be made")
    h.send("no")
    assert h.active is not None
    h.send("cancel")
    h.send("yes")
    assert h.active is None
    assert [s.status for s in h.sessions.values()] == ["complete", "cancelled"]


def test_an_idle_session_says_welcome_back_and_does_not_take_the_message_as_an_answer() -> None:
    h = EngineHarness()
    h.send("reflect")
    at_step(h, "senses", BASIC)
    before = len(h.active.answers) if h.active else 0
    h.advance(days=2)
    h.send("hi, sorry, got pulled into a strategy meeting")
    assert h.said("Welcome back")
    assert h.said("haven't saved that last message")
    assert h.active is not None and len(h.active.answers) == before
    h.send("Quiet flat, curtains drawn at noon, smell of damp, two dogs barking in the yard.")
    assert h.step == "child_day"


def test_the_next_session_on_a_case_opens_with_last_times_hypotheses_and_actions() -> None:
    h = EngineHarness()
    h.histories["HX-2291"] = CaseHistory(
        case_ref="HX-2291",
        last_session_at=START,
        hypotheses=[
            Hypothesis(id="old:h1", case_ref="HX-2291", statement="Mum is isolated", session_id="old")
        ],
        actions=[ActionItem(id="old:a1", case_ref="HX-2291", what="Ring school", session_id="old")],
    )
    h.advance(days=7)
    h.send("reflect")
    h.send("HX-2291")
    assert h.step == "review_previous"
    assert h.said("Mum is isolated") and h.said("Ring school")
    h.send("School says attendance has improved; mum joined a parents' group.")
    assert h.step == "review_hypotheses"
    h.send("weaker")
    assert h.step == "review_actions"
    h.send("done")
    assert h.step == "visit_type"
    session = h.active
    assert session is not None
    assert session.hypothesis_updates == {"old:h1": "weaker"}
    assert session.action_updates == {"old:a1": "done"}


def test_a_session_keeps_the_model_version_it_began_with() -> None:
    v1 = default_registry().get("quick_checkin")
    v2 = v1.model_copy(update={"version": 2, "title": "Quick check-in (revised)"})
    both = ModelRegistry([*default_registry().all_versions(), v2])
    h = EngineHarness()
    conversation = Conversation(key="k")
    ctx = h.context().model_copy(update={"models": ModelRegistry([*default_registry().all_versions()])})
    outcome = handle(conversation, None, Text("start checkin"), ctx)
    session = outcome.sessions[0]
    assert session.model_version == 1
    later = h.context().model_copy(update={"models": both})
    next_turn = handle(outcome.conversation, session, Text("skip"), later)
    assert next_turn.sessions[0].model_version == 1
    assert both.get("quick_checkin").version == 2


def test_handle_does_not_change_what_it_is_given() -> None:
    h = EngineHarness()
    h.send("reflect")
    h.send("HX-2291")
    session = h.active
    assert session is not None
    before_session = session.model_dump_json()
    before_conversation = h.conversation.model_dump_json()
    handle(h.conversation, session, Text("2"), h.context())
    assert session.model_dump_json() == before_session
    assert h.conversation.model_dump_json() == before_conversation


@pytest.mark.parametrize("model", [m.id for m in default_registry().latest()])
def test_every_model_can_be_completed_by_skipping_or_answering(model: str) -> None:
    h = EngineHarness()
    h.send(f"start {model}")
    guard = 0
    while h.active is not None:
        step = h.step
        assert step is not None
        session = h.active
        spec = default_registry().get(session.model_id).step(step)
        if spec.kind == "case_ref":
            h.send("HX-2291")
        elif not spec.skippable or spec.kind in {"choice", "share"}:
            h.send("1")
        else:
            h.send("skip")
        guard += 1
        assert guard < 80
    assert [s.status for s in h.sessions.values()] == ["complete"]
