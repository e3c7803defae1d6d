"""The group engine's review of the minutes, advice, the observer's section and the actions,
pure: events in, session and replies out (no storage, no clock)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.engine.group import (
    CompileMinutes,
    GroupContext,
    GroupOutcome,
    GroupText,
    handle_group,
    member_view,
    minutes_vars,
)
from bot.engine.group_state import GroupSession, Participant
from bot.wording import default_wording
from supervision_models.registry import default_registry

MODELS = default_registry()
PEOPLE = {
    "f": Participant(id="f", name="Fran Facilitator"),
    "p": Participant(id="p", name="Pat Presenter"),
    "a": Participant(id="a", name="Ash Member"),
    "b": Participant(id="b", name="Bea Member"),
    "c": Participant(id="c", name="Cy Member"),
}


class Group:
    def __init__(self) -> None:
        self.session: GroupSession | None = None
        self.now = datetime(2026, 11, 2, 14, 0, tzinfo=UTC)
        self.last = GroupOutcome(None)

    def say(self, who: str, text: str, *mentions: str) -> str:
        self.now += timedelta(seconds=30)
        ctx = GroupContext(now=self.now, new_id="g1", models=MODELS, channel_key="teams:t:19:room")
        event = GroupText(PEOPLE[who], text, tuple(PEOPLE[m] for m in mentions))
        self.last = handle_group(self.session, event, ctx)
        self.session = self.last.session
        wording = default_wording()
        return "\n".join(wording.render(r).text for r in self.last.replies)

    @property
    def state(self) -> GroupSession:
        assert self.session is not None
        return self.session

    def seq(self, words: str) -> int:
        return next(c.seq for c in self.state.contributions if words in c.text)


def to_the_questions(group: Group) -> None:
    group.say("f", "group", "p", "a", "b", "c")
    for who in "fpabc":
        group.say(who, "agree")
    group.say("f", "HX-1234")
    group.say("p", "three visits, curtains shut, baby very quiet")
    group.say("f", "next")


def to_review(group: Group) -> str:
    to_the_questions(group)
    group.say("a", "what was the baby doing while you talked to mum?")
    group.say("b", "you should do a joint visit")
    group.say("f", "next")
    group.say("a", "mum is low and cant see the baby's needs")
    group.say("b", "someone else is living there")
    group.say("c", "i'd suggest a strat tbh")
    return group.say("f", "end")


def test_advice_is_recorded_as_advice_not_as_a_question_in_any_round() -> None:
    group = Group()
    to_the_questions(group)
    reminder = group.say("b", "have you thought about a joint visit with health")
    assert "turn it into a question" in reminder
    group.say("a", "have you thought about how she felt when you left?")
    group.say("f", "next")
    group.say("c", "maybe worth ringing the HV first")
    group.say("a", "could be that dad is back")
    kinds = {c.text: c.kind for c in group.state.contributions}
    assert kinds["have you thought about a joint visit with health"] == "advice"
    assert kinds["have you thought about how she felt when you left?"] == "question"
    assert kinds["maybe worth ringing the HV first"] == "advice"
    assert kinds["could be that dad is back"] == "hypothesis"


def test_after_end_each_member_is_asked_and_confirms_in_their_own_words() -> None:
    group = Group()
    asked = to_review(group)
    assert "Ash Member, Bea Member, Cy Member" in asked  # Pat told the story: asked too
    assert "Pat Presenter" in asked
    assert group.state.status == "review" and group.state.review_requested
    said = group.say("a", "ok thats right")
    assert "your contributions are confirmed" in said and "Still to confirm" in said
    group.say("p", "yes fine")
    assert {pid: r.answer for pid, r in group.state.reviews.items()} == {"a": "confirmed", "p": "confirmed"}


def test_a_member_corrects_only_their_own_and_the_original_is_kept() -> None:
    group = Group()
    to_review(group)
    advice = group.seq("joint visit")
    refused = group.say("a", f"correct {advice}: not mine")
    assert "isn't yours" in refused
    done = group.say("b", f"correct {advice}: i said joint visit with police not health")
    assert f"contribution {advice} is corrected" in done
    corrected = next(c for c in group.state.contributions if c.seq == advice)
    assert corrected.text == "you should do a joint visit"
    assert corrected.final_text == "i said joint visit with police not health"
    review = group.state.reviews["b"]
    assert review.answer == "corrected" and review.corrections == 1
    group.say("b", "confirm")  # the rest of hers: still counted as corrected
    assert group.state.reviews["b"].answer == "corrected"
    hint = group.say("c", f"correct {group.seq('strat')}")
    assert "type *correct" in hint


def test_filing_before_everyone_answered_asks_and_names_who_has_not() -> None:
    group = Group()
    to_review(group)
    group.say("a", "yes thats right")
    asked = group.say("f", "file")
    assert "Pat Presenter, Bea Member, Cy Member haven't confirmed" in asked
    assert group.state.status == "review" and not group.last.effects
    assert "stay in draft" in group.say("f", "no, wait")
    group.say("b", "all good")
    group.say("p", "correct")
    asked = group.say("f", "file")
    assert "Cy Member hasn't confirmed" in asked
    filed = group.say("f", "yes")
    assert group.state.status == "filed"
    assert group.last.effects == [CompileMinutes("g1")]
    assert "Cy Member did not respond" in filed


def test_when_everyone_has_answered_file_files_at_once() -> None:
    group = Group()
    to_review(group)
    for who in "pabc":
        group.say(who, "yes fine")
    filed = group.say("f", "file")
    assert group.state.status == "filed"
    assert "Every member confirmed or corrected" in filed


def test_a_member_sees_only_their_own_contributions() -> None:
    group = Group()
    to_review(group)
    mine = group.say("b", "mine")
    assert "you should do a joint visit" in mine and "someone else is living there" in mine
    assert "what was the baby doing" not in mine and "strat" not in mine
    view = member_view(group.state, MODELS.get("group_supervision"), "c")
    assert [c["text"] for c in view["contributions"]] == ["i'd suggest a strat tbh"]
    assert "nothing for you to confirm" in group.say("f", "confirm")


def test_minutes_hold_the_observers_reflections_apart_and_the_actions_once() -> None:
    group = Group()
    to_the_questions(group)
    group.say("a", "what was the baby doing?")
    for _ in range(5):  # hypotheses, devil's advocate, child, presenter, to the actions
        group.say("f", "next")
    group.say("p", "me: ring the HV by fri; TM to book strat")
    group.say("f", "next")
    observer_id = group.state.observer_id
    assert observer_id is not None
    group.say(observer_id, "we jumped to solutions early but the baby stayed in view")
    text = group.say("f", "end")
    assert text.count("Agreed actions") == 1
    assert "## Observer's reflections on the process" in text
    vars = minutes_vars(group.state, MODELS.get("group_supervision"))
    assert [i["text"] for i in vars["observer"]["items"]] == [
        "we jumped to solutions early but the baby stayed in view"
    ]
    assert all(r["title"] != "The observer on the process" for r in vars["rounds"])
    assert [a["what"] for a in vars["actions"]] == ["ring the HV", "book strat"]


def test_correcting_a_line_of_actions_reads_the_actions_again() -> None:
    group = Group()
    to_the_questions(group)
    for _ in range(5):
        group.say("f", "next")
    group.say("p", "me: ring the HV by fri")
    group.say("f", "end")
    number = group.seq("ring the HV")
    group.say("p", f"correct {number}: me: ring the GP by fri")
    assert [a.what for a in group.state.actions] == ["ring the GP"]


def test_a_yes_with_a_but_or_a_question_is_not_a_confirmation() -> None:
    group = Group()
    to_review(group)
    hint = group.say("b", "ok but the joint visit one is wrong")
    assert "type *correct* with the number" in hint and "you should do a joint visit" in hint
    group.say("a", "is it ok if i add something?")
    assert group.state.reviews == {}


def test_pressing_correct_mine_shows_how_and_confirms_nothing() -> None:
    group = Group()
    to_review(group)
    hint = group.say("b", "group:correct")
    assert "type *correct* with the number" in hint
    assert group.state.reviews == {}
    assert "your contributions are confirmed" in group.say("b", "group:confirm")


def test_a_facilitator_correcting_their_own_while_asked_to_file_does_not_file() -> None:
    group = Group()
    to_the_questions(group)
    group.say("f", "what did the baby do when dad came in?")
    group.say("f", "end")
    group.say("f", "file")
    assert group.state.file_asked
    mine = group.seq("baby do when dad came in")
    group.say("f", f"correct {mine}: what did the baby do when dad came home?")
    assert group.state.status == "review" and group.state.reviews["f"].answer == "corrected"
    assert "Pat Presenter hasn't confirmed" in group.say("f", "file")
