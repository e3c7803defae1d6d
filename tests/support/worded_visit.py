"""A whole post-visit reflection typed in plain words, the way a tired worker types after a visit:
no option numbers, several items in one message, "tmrw" and "by fri", yes/no with a reason.

Every surface's scenario tests send these same messages and check the same things with
`check_record`: every answer once, under its own question, every action with its owner and date.
"""

from __future__ import annotations

from datetime import date

from bot.engine.state import Session

CASE_TYPED = "hx 5120"
CASE = "HX-5120"

SENSES = "bins overflowing, sour milk smell, baby in a wet nappy in the bouncer, telly loud"
CHILD_DAY = "mum says she sleeps til 10, bottle, bouncer most of the day, bed at 7"
CHILD_WORDS = "she tracked my face and went quiet when dads name came up"
FEELINGS = "knackered and a bit shaky tbh, angry with mum then guilty for being angry"
FUNCTIONAL = "if I felt that in 40 mins she must feel it all day every day"
WORRIES_SORTED = "mostly about her, bit worried ill get it in the neck at RCPC"
SUPPORT = "10 mins with my TM tmrw to offload"
HYPOTHESES = "1) mums depression is back 2) dad is back in the house and she's hiding it"
FOR_1 = "nursery log, the empty fridge, what I saw"
AGAINST_1 = "she did take the baby to clinic last week"
FOR_2 = "mens trainers by the door and two toothbrushes"
AGAINST_2 = "neighbour says he moved away in the summer"
CHALLENGE = "maybe mum is just worn out and it was a bad day, but nursery have said the same for a month"
STRENGTH = "mum fed her gently and talked to her the whole time"
PARENT = "mum says shes fine and we always pick on her"
UNKNOWN = "who else is staying there at night"
ACTIONS = "ring HV tmrw to ask about weight; TM to book strat by fri; me unannounced visit next wk"

# (message, what it answers): the second item only documents the script.
MESSAGES: list[tuple[str, str]] = [
    (CASE_TYPED, "case reference"),
    ("unannounced, nursery rang this morning", "visit type, with a reason"),
    (SENSES, "senses"),
    (CHILD_DAY, "child's day"),
    ("no shes 4 months lol", "seen alone: no, with a reason"),
    (CHILD_WORDS, "child's own words (a baby's voice)"),
    (FEELINGS, "feelings"),
    (FUNCTIONAL, "functional anxiety"),
    (WORRIES_SORTED, "whose worries"),
    (SUPPORT, "support"),
    (HYPOTHESES, "two hypotheses in one message"),
    ("yep thats right", "the read-back of hypotheses"),
    (FOR_1, "evidence for 1"),
    (AGAINST_1, "evidence against 1"),
    (FOR_2, "evidence for 2"),
    (AGAINST_2, "evidence against 2"),
    ("the 2nd one", "the leading hypothesis, by ordinal"),
    (CHALLENGE, "devil's advocate"),
    (STRENGTH, "strengths"),
    (PARENT, "parent's view"),
    (UNKNOWN, "worries not yet checked"),
    ("ticking clock i think", "classification in words"),
    (ACTIONS, "three actions in one message"),
    ("1: owner is me", "a correction at the read-back"),
    ("yes", "the read-back of actions"),
    ("private pls", "keep feelings private"),
]
TYPED = [message for message, _ in MESSAGES]
FREE_TEXT = [
    SENSES,
    CHILD_DAY,
    CHILD_WORDS,
    FEELINGS,
    FUNCTIONAL,
    WORRIES_SORTED,
    SUPPORT,
    FOR_1,
    AGAINST_1,
    FOR_2,
    AGAINST_2,
    CHALLENGE,
    STRENGTH,
    PARENT,
    UNKNOWN,
]
PRIVATE = [FEELINGS, FUNCTIONAL, WORRIES_SORTED, SUPPORT]


def check_record(session: Session, started: date) -> None:
    """The stored session holds exactly what the worker meant."""
    assert session.status == "complete"
    assert session.case_ref == CASE
    assert session.choices["visit_type"] == "unannounced"
    assert session.choices["seen_alone"] == "no"
    assert session.choices["classification"] == "ticking_clock"
    assert session.choices["share_feelings"] == "keep_private"
    assert session.share_feelings is False
    live = [a for a in session.live_answers() if a.field not in ("comment", "correction")]
    texts = [a.text for a in live]
    for words in FREE_TEXT:
        assert texts.count(words) == 1, f"{words!r} is stored {texts.count(words)} times"
        [answer] = [a for a in live if a.text == words]
        assert answer.step_id != "share_feelings"
    # Choice words are kept as comments, never as the step's answer.
    comments = {a.step_id: a.text for a in session.live_answers() if a.field == "comment"}
    assert "nursery rang" in comments.get("visit_type", "")
    assert "4 months" in comments.get("seen_alone", "")
    assert not any(a.text == "private pls" for a in session.answers if a.step_id != "share_feelings")
    # Two hypotheses, the second leading, with their own evidence.
    held = [h for h in session.hypotheses if h.step_id is not None]
    assert len(held) == 2
    assert "depression" in held[0].statement and "hiding" in held[1].statement
    assert [h.status for h in held] == ["open", "leading"]
    assert held[0].evidence_for == FOR_1 and held[1].evidence_against == AGAINST_2
    # Three actions, each with the owner and date the worker meant.
    actions = [a for a in session.actions if a.step_id == "actions"]
    assert len(actions) == 3, [a.what for a in actions]
    ring, strat, visit = actions
    assert "HV" in ring.what and ring.who == "me" and ring.due is not None
    assert (ring.due - started).days == 1
    assert "strat" in strat.what and strat.who == "team manager"
    assert strat.due is not None and strat.due.weekday() == 4 and strat.due > started
    assert "visit" in visit.what and visit.who == "me" and visit.due is not None and visit.due > started


def check_note(note: str, supervisor: bool = False) -> None:
    """The compiled note holds every answer once; feelings only for the worker."""
    for words in FREE_TEXT:
        shown = words not in PRIVATE or not supervisor
        assert (words in note) == shown, words
        if shown:
            assert note.count(words) == 1, f"{words!r} is in the note {note.count(words)} times"
    assert "private pls" not in note
