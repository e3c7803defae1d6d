"""The schema every reflection model follows.

A model is data: named steps, each with a prompt template, a lens, whether it can be
skipped, follow-ups and where to go next. The engine interprets it; nothing else does.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Lens = Literal[
    "context",  # case reference, visit type
    "review",  # what has happened since last time
    "senses",  # what was seen, heard, smelled
    "child",  # the child's daily experience and voice
    "feelings",  # functional anxiety and the worker's wellbeing
    "hypothesis",
    "challenge",  # devil's advocate
    "strengths",
    "family",  # parents, power, partnership
    "network",
    "concerns",  # unverified worries and uncertainty
    "classification",  # crisis / ticking clock / dripping tap
    "action",
    "learning",  # double-loop learning, the presenter's reflection
    "pledge",
    "group",  # ground rules, roles, process
]

# What kind of statement an answer is. The note keeps these visibly apart.
Category = Literal["context", "observation", "hypothesis", "feeling", "concern", "plan", "reflection"]

StepKind = Literal[
    "text",  # a free-text answer
    "choice",  # one of `choices`
    "case_ref",  # a pseudonymous case reference; loads the case's history
    "hypotheses",  # one or more explanations, one per line
    "hypothesis_evidence",  # for each hypothesis of this session: evidence for, then against
    "leading",  # choose the leading hypothesis
    "review_hypotheses",  # for each carried hypothesis: where it stands now
    "review_actions",  # for each carried open action: done, open or dropped
    "actions",  # what / who / by when, one per line
    "evidence",  # pledge review evidence, each line labelled by its source
    "share",  # whether the worker shares their feelings answers with the supervisor
    "ai_summary",  # an AI-drafted summary the worker approves, edits or discards (AI help only)
]

FollowUpRule = Literal[
    "vague",  # a short, vague description ("pretty bad", "fine")
    "single_hypothesis",  # fewer than two hypotheses
    "no_child_words",  # nothing in the child's own words
    "missing_owner_or_date",  # an action with no owner or no date
]

Condition = Literal[
    "always",
    "case_has_history",
    "case_has_hypotheses",
    "case_has_open_actions",
    "ai_available",  # AI help is configured and answering (the engine's Context says so)
]

# Group rounds (action learning sets): who the round is for, and how it runs.
Speakers = Literal["anyone", "everyone", "presenter", "members", "devils_advocate", "observer", "facilitator"]
RoundMode = Literal[
    "open",  # the named speakers talk as long as they need
    "one_each",  # one contribution from each speaker; the quiet are invited by name
    "agree",  # each participant agrees (ground rules)
    "announce",  # the bot announces (roles) and moves on
    "questions",  # questions only, no solutions
]

Indicator = Literal[
    "child_own_words",
    "child_seen_alone",
    "two_hypotheses",
    "challenge_to_leading",
    "strength",
    "parent_view",
    "uncertainty_named",
    "action_with_owner_and_date",
]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Choice(_Frozen):
    value: str = Field(pattern=r"^[a-z0-9_]+$")
    label: str
    # Words a worker may type for this option ("planned", "booked" for an announced visit).
    # A negated synonym ("not planned") belongs to the option it means.
    synonyms: tuple[str, ...] = ()


class FollowUp(_Frozen):
    when: FollowUpRule
    prompt: str  # template name under prompts/


class Step(_Frozen):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str
    kind: StepKind = "text"
    lens: Lens
    category: Category
    prompt: str  # template name under prompts/
    skippable: bool = True
    private: bool = False  # the worker's own wellbeing: shared only if they choose
    choices: tuple[Choice, ...] = ()
    followups: tuple[FollowUp, ...] = ()
    when: Condition = "always"
    next: str | None = None  # None: the step after this one; "end": finish
    branches: dict[str, str] = Field(default_factory=dict)  # choice value -> step id
    indicators: tuple[Indicator, ...] = ()
    # For a choice step feeding an indicator: the values that count as present.
    indicator_values: tuple[str, ...] = ()
    # Group models only: who speaks in this round and how it runs.
    speakers: Speakers = "anyone"
    round: RoundMode = "open"


END = "end"


class ReflectionModel(_Frozen):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    version: int = Field(ge=1)
    title: str
    summary: str
    minutes: int = Field(ge=1)
    audience: Literal["practitioner", "supervision", "group"]
    aliases: tuple[str, ...] = ()
    intro: str  # template name
    looks_back_on: Literal["pledge"] | None = None  # what the model reviews, loaded at its start
    steps: tuple[Step, ...]

    @model_validator(mode="after")
    def _check_graph(self) -> ReflectionModel:
        ids = [s.id for s in self.steps]
        if not ids:
            raise ValueError(f"{self.id}: a model needs at least one step")
        duplicates = {i for i in ids if ids.count(i) > 1}
        if duplicates:
            raise ValueError(f"{self.id}: duplicate step ids {sorted(duplicates)}")
        known = set(ids) | {END}
        for step in self.steps:
            targets = [t for t in [step.next, *step.branches.values()] if t is not None]
            dangling = [t for t in targets if t not in known]
            if dangling:
                raise ValueError(f"{self.id}.{step.id}: transitions to unknown steps {dangling}")
            if step.kind == "choice" and not step.choices:
                raise ValueError(f"{self.id}.{step.id}: a choice step needs choices")
            values = {c.value for c in step.choices}
            if set(step.branches) - values:
                raise ValueError(f"{self.id}.{step.id}: branches on values that are not choices")
            if set(step.indicator_values) - values:
                raise ValueError(f"{self.id}.{step.id}: indicator values that are not choices")
        unreachable = set(ids) - self.reachable_steps()
        if unreachable:
            raise ValueError(f"{self.id}: steps that can never be reached {sorted(unreachable)}")
        return self

    def successors(self, step_id: str) -> list[str]:
        """Every step that can follow `step_id` (conditions may skip over steps)."""
        index = self.index_of(step_id)
        step = self.steps[index]
        following = self.steps[index + 1].id if index + 1 < len(self.steps) else END
        explicit = step.next if step.next is not None else following
        found = [explicit, *step.branches.values()]
        # A conditional step can be passed over, so what follows it is reachable too.
        result: list[str] = []
        for target in found:
            result.append(target)
            while target != END and self.step(target).when != "always":
                target = self.successors(target)[0]
                result.append(target)
        return result

    def reachable_steps(self) -> set[str]:
        seen: set[str] = set()
        todo = [self.steps[0].id]
        if self.steps[0].when != "always":  # a conditional opening can be passed over
            todo.extend(self.successors(self.steps[0].id))
        while todo:
            current = todo.pop()
            if current in seen or current == END:
                continue
            seen.add(current)
            todo.extend(self.successors(current))
        return seen

    def index_of(self, step_id: str) -> int:
        for i, step in enumerate(self.steps):
            if step.id == step_id:
                return i
        raise KeyError(step_id)

    def step(self, step_id: str) -> Step:
        return self.steps[self.index_of(step_id)]

    def templates(self) -> set[str]:
        names = {self.intro}
        for step in self.steps:
            names.add(step.prompt)
            names |= {f.prompt for f in step.followups}
        return names
