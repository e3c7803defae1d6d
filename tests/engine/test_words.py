"""Whole reflections answered in the worker's own words, through the pure engine.

The same worded script runs through the console, Slack and Teams in their scenario tests;
here each turn is also checked for loops (the same question asked again after an answer).
"""

from __future__ import annotations

from bot.engine.state import CaseHistory, Hypothesis
from bot.records.note import NoteCompiler
from supervision_models.registry import default_registry
from tests.support import worded_visit as wv
from tests.support.engine_harness import START, EngineHarness


def asked(h: EngineHarness) -> tuple[str, str | None, int, str | None] | None:
    """The question the worker is looking at: its kind, step and place inside the step."""
    questions = [(r.kind, r.step_id) for r in h.last if r.step_id is not None]
    cursor = h.active.cursor if h.active is not None else None
    if not questions or cursor is None:
        return None
    kind, step = questions[-1]
    return kind, step, cursor.item, cursor.field


def reach(h: EngineHarness, step: str) -> None:
    """Move on to `step` the quickest way a worker could: a case reference, "yes", or skip."""
    for _ in range(60):
        if h.step == step:
            return
        session = h.active
        assert session is not None, f"the reflection ended before {step}"
        if h.step in ("case_ref", "point"):
            h.send("hx 5120" if h.step == "case_ref" else "1")
        elif session.awaiting == "confirm_items":
            h.send("yes")
        else:
            h.send("skip")
    raise AssertionError(f"never reached {step}")


def test_a_post_visit_reflection_typed_in_words_files_every_answer_once() -> None:
    h = EngineHarness()
    h.send("reflect")
    previous = asked(h)
    for message in wv.TYPED:
        assert h.active is not None, f"the reflection ended before {message!r}"
        h.send(message)
        now = asked(h)
        assert now is None or now != previous or now[0] == "confirm", f"{message!r} was asked again: {now}"
        previous = now
    assert h.active is None, "the reflection did not finish"
    [session] = h.sessions.values()
    wv.check_record(session, START.date())
    model = default_registry().get("post_visit")
    compiler = NoteCompiler()
    wv.check_note(compiler.markdown(session, model, "worker"))
    wv.check_note(compiler.markdown(session, model, "supervisor"), supervisor=True)


def test_an_unclear_choice_is_asked_once_then_kept_as_words() -> None:
    h = EngineHarness()
    h.send("reflect")
    h.send("hx 5120")
    assert h.step == "visit_type"
    h.send("hmm hard to say really")
    assert h.step == "visit_type" and h.said("options")
    h.send("it was a bit of everything")
    # Not asked a third time: the words are filed as "something else", with the worker's words.
    assert h.step == "senses"
    session = h.active
    assert session is not None and session.choices["visit_type"] == "other"
    comments = [a.text for a in session.live_answers("visit_type") if a.field == "comment"]
    assert comments == ["hmm hard to say really / it was a bit of everything"]
    assert [a.text for a in session.live_answers("visit_type") if a.field is None] == ["Something else"]


def test_words_typed_at_the_sharing_question_stay_the_workers_own() -> None:
    h = EngineHarness()
    h.send("start quick_checkin")
    for _ in range(20):
        if h.step == "share_feelings" or h.active is None:
            break
        h.send("skip")
    if h.step != "share_feelings":  # the check-in may not ask; use the post-visit reflection
        h = EngineHarness()
        h.send("reflect")
        while h.step != "share_feelings":
            h.send("yes" if h.active and h.active.awaiting == "confirm_items" else "skip")
    h.send("dunno, i feel rubbish and dont want anyone reading it")
    h.send("not sure")
    session = next(iter(h.sessions.values()))
    assert session.status == "complete" and session.share_feelings is False
    model = default_registry().get(session.model_id)
    supervisor = NoteCompiler().markdown(session, model, "supervisor")
    assert "dont want anyone reading it" not in supervisor
    assert "dont want anyone reading it" in NoteCompiler().markdown(session, model, "worker")


def test_several_actions_in_one_message_are_all_kept_and_read_back() -> None:
    h = EngineHarness()
    h.send("reflect")
    reach(h, "actions")
    h.send(
        "strategy discussion / TM / today 4pm; child protection medical / paediatrician / tomorrow; "
        "check household members / me / 03/12/2026"
    )
    session = h.active
    assert session is not None and session.awaiting == "confirm_items"
    assert h.said("I have 3 actions")
    whats = [a.what for a in session.actions]
    assert whats == ["strategy discussion", "child protection medical", "check household members"]
    assert [a.who for a in session.actions] == ["team manager", "paediatrician", "me"]
    assert [str(a.due) for a in session.actions] == ["2026-11-02", "2026-11-03", "2026-12-03"]
    h.send("drop 2")
    assert [a.what for a in h.active.actions] == ["strategy discussion", "check household members"]
    h.send("yes")
    assert h.active is None or h.active.awaiting != "confirm_items"


def test_first_second_hypotheses_are_two_and_a_repeat_is_not_stored_twice() -> None:
    h = EngineHarness()
    h.send("reflect")
    reach(h, "hypotheses")
    h.send("First: mum is not coping since the baby. Second: the new partner is controlling her")
    session = h.active
    assert session is not None
    assert len(session.hypotheses) == 2 and session.awaiting == "confirm_items"
    h.send("the new partner is controlling her")  # typed again at the read-back
    assert len(h.active.hypotheses) == 2
    h.send("change 1 to mum is not coping since the baby came")
    assert h.active.hypotheses[0].statement == "mum is not coping since the baby came"
    h.send("yes")
    assert h.step == "hypothesis_evidence"


def test_a_typod_reflect_starts_a_reflection_and_deflect_does_not() -> None:
    h = EngineHarness()
    h.send("refelct")
    assert h.active is not None and h.step == "case_ref"
    h.send("pause")
    h.send("deflect")  # an ordinary word one slip from "reflect": no reflection is started
    assert h.active is None
    fresh = EngineHarness()
    fresh.send("relfect quick checkin")
    assert fresh.active is not None and fresh.active.model_id == "quick_checkin"


def test_a_typod_command_is_a_command_and_never_an_answer() -> None:
    h = EngineHarness()
    h.send("reflect")
    h.send("hx 5120")
    h.send("hlep")
    assert h.said("Type your answer as a normal message") and h.step == "visit_type"
    assert h.active is not None and [a.text for a in h.active.answers] == ["HX-5120"]
    h.send("cancle")
    assert h.active is not None and h.active.awaiting == "cancel_confirm"
    h.send("stop")  # at "cancel this reflection?", stop means yes: stop it
    assert h.active is None
    assert next(iter(h.sessions.values())).status == "cancelled"


def test_case_references_are_one_case_however_they_are_typed() -> None:
    h = EngineHarness()
    h.send("reflect")
    h.send("hx3107")
    assert h.active is not None and h.active.case_ref == "HX-3107"
    h.send("cancel")
    h.send("yes")
    h.send("reflect")
    h.send("HX 3107")
    assert h.active is not None and h.active.case_ref == "HX-3107"


def test_a_pledge_review_finds_the_pledge_and_reads_each_evidence_label() -> None:
    h = EngineHarness()
    h.send("start pledge")
    h.send("keeping the child the focus")
    assert h.active is not None and h.active.choices["point"] == "p01"
    reach(h, "pledge")
    h.send("see every child alone on every visit and write down what they say")
    h.send("finish")
    assert h.said("six months")
    h.advance(days=183)
    h.send("start pledge review")
    assert h.said("see every child alone on every visit")
    assert not h.said("don't have your pledge")
    reach(h, "evidence")
    h.send("SR i see kids alone now MR my manager said my recording is better SUR mum said visits help")
    assert h.active is not None
    assert [e.source for e in h.active.evidence] == ["SR", "MR", "SUR"]


def test_the_devils_advocate_argues_with_the_workers_own_evidence() -> None:
    h = EngineHarness()
    h.send("reflect")
    reach(h, "hypotheses")
    h.send("mum's drinking is back\nthe new partner is controlling her")
    h.send("yes")
    for text in [
        "cans in the recycling",
        "she was sober and clear",
        "bruise on her arm",
        "she says she fell",
    ]:
        h.send(text)
    h.send("the first one")
    assert h.step == "devils_advocate"
    assert h.said("mum's drinking is back") and h.said("she was sober and clear")
    assert h.said("drink or drugs")


def test_after_finish_an_answer_can_be_changed_and_the_old_one_is_kept() -> None:
    h = EngineHarness()
    h.send("start quick_checkin")
    while h.active is not None:
        h.send("fine i guess" if h.step == "one_feeling" else "skip")
    [session] = h.sessions.values()
    assert session.status == "complete"
    h.send("change the feeling one")
    assert h.active is not None and h.step == "one_feeling"
    h.send("actually pretty wobbly, it was a hard one")
    assert h.active is None
    changed = h.sessions[session.id]
    assert changed.status == "complete"
    feelings = [
        (a.text, a.superseded) for a in changed.answers if a.step_id == "one_feeling" and a.field is None
    ]
    assert ("actually pretty wobbly, it was a hard one", False) in feelings
    assert any(superseded for _, superseded in feelings)


def _history() -> CaseHistory:
    return CaseHistory(
        case_ref="HX-5120",
        last_session_at=START,
        hypotheses=[
            Hypothesis(
                id=f"old:h{n}", case_ref="HX-5120", statement=s, session_id="old", step_id="hypotheses"
            )
            for n, s in enumerate(["mum is depressed", "dad is back", "money worries"], start=1)
        ],
    )


def test_case_supervision_keeps_earlier_hypotheses_by_number() -> None:
    h = EngineHarness()
    h.histories["HX-5120"] = _history()
    h.send("start case supervision")
    h.send("hx5120")
    reach(h, "review_hypotheses")
    h.send("keep 2 and 3 from last time")
    session = h.active
    assert session is not None and h.step != "review_hypotheses"
    assert session.hypothesis_updates == {"old:h1": "set_aside", "old:h2": "same", "old:h3": "same"}


def test_a_rating_keeps_the_workers_reason() -> None:
    h = EngineHarness()
    h.histories["HX-5120"] = _history()
    h.send("start case supervision")
    h.send("HX 5120")
    reach(h, "review_hypotheses")
    h.send("more likely, EPDS 14 and a missed clinic")
    session = h.active
    assert session is not None and session.hypothesis_updates["old:h1"] == "stronger"
    reasons = [(a.item_id, a.text) for a in session.answers if a.field == "comment"]
    assert reasons == [("old:h1", "EPDS 14 and a missed clinic")]


def test_a_disclosure_typed_beside_a_choice_gets_the_safeguarding_message() -> None:
    h = EngineHarness()
    h.send("reflect")
    reach(h, "seen_alone")
    h.send("yes in her room, she said step dad chokes her when hes drunk")
    session = h.active
    assert session is not None and session.choices["seen_alone"] == "yes"
    assert session.awaiting == "risk_ack" and h.said("follow your local safeguarding procedures now")
    h.send("carry on")
    assert h.step == "child_words"


def test_an_agreed_note_is_not_reopened_but_amended() -> None:
    h = EngineHarness()
    h.send("start quick_checkin")
    while h.active is not None:
        h.send("skip")
    [session] = h.sessions.values()
    h.agreed.add(session.id)
    h.send("change the feeling one")
    assert h.active is None and h.said("already been agreed") and h.said("amend")
    assert h.sessions[session.id].status == "complete"


def test_identifiers_are_flagged_at_once_and_use_roles_replaces_them_later() -> None:
    h = EngineHarness()
    h.send("reflect")
    reach(h, "child_day")
    h.send("Kayden gets himself up, mum Kerry Hollins sleeps till 11")
    assert h.said("A gentle check") and h.said("use roles")
    assert h.step == "seen_alone"  # not held up: the next question is asked straight away
    h.send("no, mum was there the whole time")
    assert h.active is not None and h.active.choices["seen_alone"] == "no"
    h.send("use roles")
    session = h.active
    assert session is not None and h.step == "child_words"  # asked again where the worker was
    day = [a for a in session.answers if a.step_id == "child_day" and a.field is None]
    assert [a.superseded for a in day] == [True, False]  # the first words kept, as an earlier version
    assert "Kayden" not in day[-1].text and "Hollins" not in day[-1].text
    assert "sleeps till 11" in day[-1].text


def test_the_no_words_follow_up_speaks_of_a_baby_when_the_child_is_one() -> None:
    h = EngineHarness()
    h.send("reflect")
    reach(h, "seen_alone")
    h.send("no shes 4 months")
    h.send("nothing")
    assert h.active is not None and h.active.pending_followup == "no_child_words"
    assert h.last[-1].vars["baby"] is True
