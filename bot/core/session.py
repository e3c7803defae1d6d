"""What a reflection remembers: a conversation's control state and its sessions.

Plain pydantic values shared by the engine (which changes them) and storage (which keeps
them). Nothing here does I/O or imports any other module of ours.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SessionStatus = Literal["in_progress", "paused", "complete", "cancelled"]
HypothesisStatus = Literal["open", "leading", "stronger", "same", "weaker", "set_aside"]
ActionStatus = Literal["open", "done", "dropped"]


class _Value(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Answer(_Value):
    """One thing the worker said, verbatim, under its step and lens.

    Frozen: words once said are never changed in place (a replaced answer is swapped for its
    superseded copy, `Session.supersede`), so the sessions a process keeps in memory can share
    them with every turn instead of copying each answer on every load."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    seq: int
    step_id: str
    lens: str
    category: str
    text: str
    at: datetime
    followup: str | None = None  # the follow-up rule this answers, if any
    item_id: str | None = None  # the hypothesis or action it is about, if any
    field: str | None = None  # e.g. "for" / "against" for hypothesis evidence
    private: bool = False
    superseded: bool = False  # the worker went back and answered again


class Hypothesis(_Value):
    id: str
    case_ref: str | None
    statement: str
    evidence_for: str | None = None
    evidence_against: str | None = None
    status: HypothesisStatus = "open"
    session_id: str  # the session it was first held in
    step_id: str | None = None  # the step that created it (None when carried forward)


class ActionItem(_Value):
    id: str
    case_ref: str | None
    what: str
    who: str | None = None
    due: date | None = None
    due_text: str | None = None  # the worker's words when they were not a date
    status: ActionStatus = "open"
    session_id: str
    step_id: str | None = None


class Evidence(_Value):
    """A piece of pledge-review evidence, labelled by its source."""

    source: Literal["SR", "SUR", "MR", "CR", "unlabelled"]
    text: str


class CaseHistory(_Value):
    """What an earlier session on the same case left behind."""

    case_ref: str
    last_session_at: datetime | None = None
    hypotheses: list[Hypothesis] = Field(default_factory=list)
    actions: list[ActionItem] = Field(default_factory=list)


# What a session waits for besides an answer. "ai_summary": a DraftSummary effect is out;
# "summary_edit": the worker is typing their own version of the drafted summary.
# "confirm_items": a read-back of hypotheses or actions waits for "yes" or a correction;
# "pledge": a LoadPledge effect is out.
Awaiting = Literal[
    "risk_ack",
    "case_history",
    "cancel_confirm",
    "ai_summary",
    "summary_edit",
    "confirm_items",
    "pledge",
]


class AiDraft(_Value):
    """A summary an AI service drafted. Never mixed with the worker's answers: the note shows it
    in its own section, and only once the worker approved it (as drafted, or in their own edit)."""

    text: str
    approved: bool = False
    edited_by_worker: bool = False


class PledgeBrief(_Value):
    """The pledge a review looks back on: its point for practice, its words and when it was made."""

    session_id: str
    point: str | None = None
    text: str | None = None
    made_at: datetime


class Cursor(_Value):
    """Where a session is: a step, and for looping steps an item and field."""

    step_id: str
    item: int = 0
    field: str | None = None
    revisit: bool = False  # reached by `back`: the next answer replaces the earlier one


class Offer(_Value):
    """Words filed as an answer that read as a whole command ("visit HX-2291 tmrw 10am" at a
    free-text question): kept as the answer, and offered back as that command for the
    worker's next message only. No words here: they are the answer `seq`, in its row."""

    route: str  # the router's name for the command they looked like
    what: str  # what the offer named: "reminder", "notes", "export", "working_time" ...
    seq: int  # the answer they were filed as
    cursor: Cursor  # the question they were filed under, asked again if they were a command
    history: int  # how far back `back` went then
    taken: bool = False  # switched: the command runs in this turn (or outside it, an export)


class Session(_Value):
    id: str
    owner: str  # the conversation key's user, "platform:workspace:user"
    model_id: str
    model_version: int
    platform: str
    case_ref: str | None = None
    status: SessionStatus = "in_progress"
    started_at: datetime
    updated_at: datetime
    paused_at: datetime | None = None
    ended_at: datetime | None = None
    cursor: Cursor | None = None
    history: list[Cursor] = Field(default_factory=list)  # for `back`
    pending_followup: str | None = None
    pending_item: str | None = None  # the item a follow-up is about
    followups_done: list[str] = Field(default_factory=list)  # "step:rule"
    awaiting: Awaiting | None = None
    answers: list[Answer] = Field(default_factory=list)
    hypotheses: list[Hypothesis] = Field(default_factory=list)
    actions: list[ActionItem] = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)
    choices: dict[str, str] = Field(default_factory=dict)  # step id -> chosen value
    previous: CaseHistory | None = None
    # Status changes to carried-forward items, applied to their own rows on save.
    hypothesis_updates: dict[str, HypothesisStatus] = Field(default_factory=dict)
    action_updates: dict[str, ActionStatus] = Field(default_factory=dict)
    share_feelings: bool = False
    risk_flagged: bool = False
    identifiers_warned: bool = False
    ai_summary: AiDraft | None = None
    # Words typed at a choice question that were not yet understood: kept as a comment once
    # the choice is made, never as the step's answer.
    held_text: str | None = None
    identifier_answer: int | None = None  # seq of the answer "use roles" would change
    pledge: PledgeBrief | None = None  # the pledge a pledge review looks back on
    editing: bool = False  # reopened after `finish` to change an answer before agreeing the note
    offer: Offer | None = None  # the last answer may have been meant as a command

    def live_answers(self, step_id: str | None = None) -> list[Answer]:
        return [a for a in self.answers if not a.superseded and (step_id is None or a.step_id == step_id)]

    def supersede(self, seqs: set[int]) -> None:
        """Mark these answers replaced (they stay in the record, flagged)."""
        self.answers = [
            a.model_copy(update={"superseded": True}) if a.seq in seqs and not a.superseded else a
            for a in self.answers
        ]


class PausedBrief(_Value):
    """Enough about a paused session to offer it back without loading it."""

    session_id: str
    model_id: str
    model_title: str
    case_ref: str | None
    step_title: str
    paused_at: datetime


class Conversation(_Value):
    """Control state for one conversation key."""

    key: str
    active_session_id: str | None = None
    pending: Literal["resume_or_new", "pick_paused"] | None = None
    pending_model: str | None = None
    pending_case: str | None = None
    # No longer written (nothing read it, and writing it made every turn rewrite the row);
    # kept so conversations stored with it still load. The row's updated_at says when.
    last_seen_at: datetime | None = None
    # The reflection finished last, so "change the child's day" can reopen it before it is agreed.
    last_completed_id: str | None = None
    last_completed_model: str | None = None
    last_completed_version: int | None = None
    edit_step: str | None = None  # the step a reopened reflection goes back to
