"""What a facilitated group supervision session remembers (an action learning set)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from bot.core.session import ActionItem

GroupStatus = Literal["forming", "in_progress", "review", "filed", "cancelled"]
ContributionKind = Literal[
    "contribution", "question", "answer", "hypothesis", "advice", "agreement", "pass", "aside"
]
ReviewAnswer = Literal["confirmed", "corrected"]
# What the minutes hold but no one confirms: agreeing the ground rules, passing a turn.
UNREVIEWED_KINDS = frozenset({"agreement", "pass"})


class _Value(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Participant(_Value):
    """A member of staff in the group. `name` is their display name in the chat."""

    id: str
    name: str


class Contribution(_Value):
    seq: int
    round_id: str
    speaker_id: str
    text: str
    at: datetime
    kind: ContributionKind = "contribution"
    corrected_text: str | None = None  # the speaker's own correction during review
    corrected_at: datetime | None = None

    @property
    def final_text(self) -> str:
        return self.corrected_text if self.corrected_text is not None else self.text


class MemberReview(_Value):
    """A member's answer when the draft minutes went round: their own contributions confirmed
    as minuted, or corrected (the originals stay on each contribution)."""

    answer: ReviewAnswer
    at: datetime
    corrections: int = 0


class GroupSession(_Value):
    id: str
    channel_key: str
    model_id: str
    model_version: int
    status: GroupStatus = "forming"
    facilitator: Participant
    presenter: Participant | None = None
    members: list[Participant] = Field(default_factory=list)
    observer_id: str | None = None
    devils_advocate_id: str | None = None
    case_ref: str | None = None
    forming: Literal["presenter", "members"] | None = "presenter"
    round_index: int = 0
    round_started_at: datetime | None = None
    timeboxes: dict[str, int] = Field(default_factory=dict)  # round id -> minutes
    overtime_warned: list[str] = Field(default_factory=list)
    invited: list[str] = Field(default_factory=list)  # "round:participant"
    reminded: list[str] = Field(default_factory=list)  # "round:participant:reason"
    contributions: list[Contribution] = Field(default_factory=list)
    actions: list[ActionItem] = Field(default_factory=list)
    started_at: datetime
    updated_at: datetime
    ended_at: datetime | None = None
    risk_flagged: bool = False
    # The review after `end`: asked of everyone with contributions, answered one by one.
    review_requested: bool = False
    reviews: dict[str, MemberReview] = Field(default_factory=dict)  # participant id -> answer
    file_asked: bool = False  # the facilitator asked "file anyway?" while some had not answered
    action_sources: dict[str, int] = Field(default_factory=dict)  # action id -> contribution seq

    def attendees(self) -> list[Participant]:
        """Everyone present, facilitator first, each once."""
        seen: dict[str, Participant] = {}
        for person in [self.facilitator, *([self.presenter] if self.presenter else []), *self.members]:
            seen.setdefault(person.id, person)
        return list(seen.values())

    def person(self, participant_id: str | None) -> Participant | None:
        return next((p for p in self.attendees() if p.id == participant_id), None)

    def contributions_of(self, participant_id: str) -> list[Contribution]:
        """What a member said that the minutes hold and they are asked to confirm."""
        return [
            c for c in self.contributions if c.speaker_id == participant_id and c.kind not in UNREVIEWED_KINDS
        ]

    def reviewers(self) -> list[Participant]:
        """Everyone with contributions of their own in the minutes, in attendance order."""
        return [p for p in self.attendees() if self.contributions_of(p.id)]

    def not_reviewed(self) -> list[Participant]:
        return [p for p in self.reviewers() if p.id not in self.reviews]

    def roles_of(self, participant_id: str) -> list[str]:
        roles = []
        if participant_id == self.facilitator.id:
            roles.append("facilitator")
        if self.presenter and participant_id == self.presenter.id:
            roles.append("presenter")
        if participant_id == self.observer_id:
            roles.append("observer")
        if participant_id == self.devils_advocate_id:
            roles.append("devils_advocate")
        return roles or ["member"]
