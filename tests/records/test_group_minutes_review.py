"""What filed group minutes say about the members' review, in every case: everyone answered,
some did not, nobody did, and minutes filed before members were ever asked."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.core.group import Contribution, GroupSession, MemberReview, Participant
from bot.records.export.group import review
from bot.records.export.layout import labels, review_summary
from bot.records.export.view import MinutesReview

AT = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)


def group(asked: bool = True, **reviews: str) -> GroupSession:
    people = [Participant(id=i, name=n) for i, n in [("f", "Fran"), ("p", "Pat"), ("a", "Ash"), ("b", "Bea")]]
    return GroupSession(
        id="g1",
        channel_key="teams:t:19:room",
        model_id="group_supervision",
        model_version=1,
        status="filed",
        facilitator=people[0],
        presenter=people[1],
        members=people[2:],
        contributions=[
            Contribution(seq=n, round_id="hypotheses", speaker_id=pid, text=f"words {n}", at=AT)
            for n, pid in enumerate("pab", start=1)
        ]
        + [Contribution(seq=4, round_id="hypotheses", speaker_id="f", text="pass", at=AT, kind="pass")],
        review_requested=asked,
        reviews={
            pid: MemberReview(answer=answer, at=AT, corrections=int(answer == "corrected"))  # type: ignore[arg-type]
            for pid, answer in reviews.items()
        },
        started_at=AT,
        updated_at=AT,
    )


def test_who_confirmed_corrected_and_did_not_respond() -> None:
    found = review(group(p="confirmed", a="corrected"))
    assert found == MinutesReview(True, ("Pat",), (("Ash", 1),), ("Bea",))  # Fran only passed
    assert review_summary(found) == labels()["group"]["review"]["filed_some"]


def test_every_case_has_its_own_sentence_and_none_claims_a_review_that_did_not_happen() -> None:
    words = labels()["group"]["review"]
    assert (
        review_summary(review(group(p="confirmed", a="confirmed", b="corrected"))) == words["filed_everyone"]
    )
    assert review_summary(MinutesReview(True, (), (), ("Pat", "Ash", "Bea"))) == words["filed_nobody"]
    legacy = review(group(asked=False))  # filed before members were asked: nothing may say they reviewed it
    assert not legacy.requested
    assert review_summary(legacy) == review_summary(None) == words["filed_unreviewed"]
    everything = " ".join(str(v) for v in flat_labels(labels())).lower()
    assert "reviewed by the members" not in everything


def flat_labels(value: object) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in flat_labels(v)]
    return [str(value)]
