"""The quality indicators read from what the words say, each with its reason; group minutes too."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.engine.group_state import Contribution, GroupSession, Participant
from bot.engine.signals import substance
from bot.engine.state import ActionItem, Answer, Hypothesis, Session
from bot.records.export.group import as_session
from bot.records.quality import INDICATOR_LABELS, action_has_owner_and_date, indicators, reason_for
from supervision_models.registry import default_registry

NOW = datetime(2026, 11, 2, 14, 30, tzinfo=UTC)
POST_VISIT = default_registry().get("post_visit")
GROUP = default_registry().get("group_supervision")


def session(answers: dict[str, str], **extra: object) -> Session:
    steps = {s.id: s for s in POST_VISIT.steps}
    return Session(
        id="s1",
        owner="console:local:worker",
        model_id=POST_VISIT.id,
        model_version=POST_VISIT.version,
        platform="console",
        started_at=NOW,
        updated_at=NOW,
        answers=[
            Answer(seq=i, step_id=k, lens=steps[k].lens, category=steps[k].category, text=v, at=NOW)
            for i, (k, v) in enumerate(answers.items(), 1)
        ],
        **extra,  # type: ignore[arg-type]
    )


def by_name(s: Session) -> dict[str, tuple[bool, str]]:
    return {r.name: (r.present, r.reason) for r in indicators(s, POST_VISIT)}


def test_non_answers_are_not_evidence_and_each_indicator_says_why() -> None:
    result = by_name(
        session(
            {
                "child_words": "didnt really say anything, kept looking at mum",
                "parent_view": "not spoken to parents yet",
                "devils_advocate": "1",
                "strengths": "none",
                "worries": "n/a",
            },
            hypotheses=[
                Hypothesis(id="h1", case_ref=None, statement="idk", session_id="s1", step_id="hypotheses")
            ],
            actions=[ActionItem(id="a1", case_ref=None, what="chase the GP", session_id="s1")],
        )
    )
    assert result["child_own_words"] == (False, "The answer describes the child, but not in their own words.")
    assert result["parent_view"] == (False, "The answer does not record how a parent or carer sees things.")
    assert result["challenge_to_leading"] == (False, "The answer does not argue against the leading view.")
    assert result["strength"] == (False, "The answer names no strength.")
    assert result["uncertainty_named"][0] is False
    assert result["two_hypotheses"] == (False, "No hypothesis is recorded.")
    assert result["action_with_owner_and_date"] == (
        False,
        "No action has both an owner and a date yet (1 recorded).",
    )
    assert result["child_seen_alone"] == (False, "Not recorded either way.")


def test_real_answers_tick_with_their_reasons() -> None:
    result = by_name(
        session(
            {
                "child_words": "tracked my face, smiled at mum's voice",
                "parent_view": "mum says she can manage and doesn't need us",
                "devils_advocate": "what if dad is the protective one and mum is the risk",
                "strengths": "mum got them to school every day this week",
                "worries": "we don't know if dad still visits",
            },
            choices={"seen_alone": "yes"},
            hypotheses=[
                Hypothesis(id=f"h{i}", case_ref=None, statement=t, session_id="s1", step_id="hypotheses")
                for i, t in enumerate(["money worries", "the new partner is controlling her"])
            ],
            actions=[
                ActionItem(
                    id="a1",
                    case_ref=None,
                    what="Ring school",
                    who="me",
                    due=date(2026, 11, 6),
                    session_id="s1",
                ),
                ActionItem(
                    id="a2", case_ref=None, what="book strat", who="?", due_text="tbc", session_id="s1"
                ),
            ],
        )
    )
    assert result["child_own_words"] == (
        True,
        "What the child showed without words is recorded; for a baby or a child without words, that is their voice.",
    )
    assert result["parent_view"] == (True, "How a parent or carer sees things is recorded.")
    assert result["challenge_to_leading"] == (True, "An argument against the leading view is recorded.")
    assert result["strength"] == (True, "A strength is named.")
    assert result["uncertainty_named"] == (True, "Something not yet known or checked is named.")
    assert result["two_hypotheses"] == (True, "2 hypotheses are recorded.")
    assert result["action_with_owner_and_date"] == (True, "1 of 2 actions have both an owner and a date.")
    assert result["child_seen_alone"] == (True, "Recorded as seen on their own.")


def test_labels_come_from_the_wording_file() -> None:
    assert INDICATOR_LABELS["child_own_words"] == "The child's own words recorded"
    assert reason_for("two_hypotheses", True, "count", count=3) == "3 hypotheses are recorded."


@pytest.mark.parametrize(
    ("what", "who", "due", "due_text", "real"),
    [
        ("Ring school", "me", date(2026, 11, 6), "Friday", True),
        ("i'll do the referral to EH", None, date(2026, 11, 6), "friday", True),
        ("TM to book strat by fri", None, None, None, True),
        ("ask nan about weekends", "me", None, "before conference on the 14th", True),
        ("referral", "?", None, "tbc", False),
        ("ring DSL tmrw", None, None, None, False),  # the DSL is who is rung, not who rings
        ("visit again", "next week", date(2026, 11, 1), "1", False),
        ("housing", "someone", date(2026, 11, 6), "friday", False),
        ("chase housing", "me", None, "asap", False),
    ],
)
def test_an_action_needs_a_real_owner_and_a_real_date(
    what: str, who: str | None, due: date | None, due_text: str | None, real: bool
) -> None:
    action = ActionItem(id="a", case_ref=None, what=what, who=who, due=due, due_text=due_text, session_id="s")
    assert action_has_owner_and_date(action) is real


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("nothing", True),
        ("n/a", True),
        ("1", True),
        ("idk", True),
        ("not spoken to them yet", True),
        ("can't think of one", True),
        ("mum said she is fed up with school", False),
    ],
)
def test_is_non_answer(text: str, expected: bool) -> None:
    assert substance.is_non_answer(text) is expected


def test_the_childs_voice() -> None:
    assert substance.child_voice('she said "i make my own tea"') == "words"
    assert substance.child_voice("shes 4 months, cooed and reached for mum") == "shown"
    assert substance.child_voice("didnt really say anything, kept looking at mum") is None
    assert substance.child_voice("18 month old, kept looking at mum and clung to her") == "shown"


def _group(contributions: list[tuple[str, str, str, str]]) -> GroupSession:
    people = [Participant(id=p, name=p.title()) for p in ("fac", "pres", "dev", "mem")]
    return GroupSession(
        id="g1",
        channel_key="teams:t1:c1",
        model_id=GROUP.id,
        model_version=GROUP.version,
        status="filed",
        facilitator=people[0],
        presenter=people[1],
        members=people[2:],
        devils_advocate_id="dev",
        contributions=[
            Contribution(seq=i, round_id=r, speaker_id=who, text=t, at=NOW, kind=kind)  # type: ignore[arg-type]
            for i, (r, who, t, kind) in enumerate(contributions, 1)
        ],
        started_at=NOW,
        updated_at=NOW,
    )


def group_challenge(contributions: list[tuple[str, str, str, str]]) -> tuple[bool, str]:
    minutes = as_session(_group(contributions), GROUP)
    result = {r.name: (r.present, r.reason) for r in indicators(minutes, GROUP)}
    return result["challenge_to_leading"]


def test_group_minutes_tick_a_challenge_only_for_a_real_argument() -> None:
    silent = [("devils_advocate", "fac", "Dev, over to you when you're ready", "aside")]
    assert group_challenge(silent) == (False, "The answer does not argue against the leading view.")
    assert group_challenge([]) == (False, "No challenge to the leading view is recorded.")
    assert group_challenge([("devils_advocate", "dev", "no", "contribution")])[0] is False
    argued = [
        (
            "devils_advocate",
            "dev",
            "what if mum is protecting them from dad, not hiding things",
            "contribution",
        )
    ]
    assert group_challenge(argued) == (True, "An argument against the leading view is recorded.")
    by_anyone = [
        ("devils_advocate", "fac", "Dev, over to you", "aside"),
        ("devils_advocate", "mem", "we've only got the school's account, nobody has asked the GP", "aside"),
    ]
    assert group_challenge(by_anyone)[0] is True
