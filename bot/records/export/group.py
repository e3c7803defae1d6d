"""Facilitated group supervision (bot.engine.group) as export records.

A group session run in a Teams channel or group chat is stored on its own (group_sessions):
its rounds, each member's contributions (as corrected by their authors), attendance, roles
and agreed actions. Here it becomes the same `ExportRecord` as any other session, so its
minutes export in every format: the note view for hypotheses, actions and the quality
indicators, and `GroupMinutes` for attendance, roles and who said what in each round.

The facilitator owns the minutes (their identity is the session's owner), so the same
access rules apply: the facilitator and their supervisors can export them.
"""

from __future__ import annotations

from dataclasses import replace

from bot.engine.group_state import Contribution as GroupContribution
from bot.engine.group_state import GroupSession
from bot.engine.state import Answer, Hypothesis, Session
from bot.records.export.layout import labels
from bot.records.export.view import (
    Attendee,
    Contribution,
    ExportRecord,
    GroupMinutes,
    MinutesReview,
    PersonRef,
    RoleAssignment,
    person_ref,
)
from bot.records.note import Audience, build_note_view
from bot.records.people import Directory
from bot.records.signoff import RecordStatus
from supervision_models.schema import ReflectionModel

SKIPPED_KINDS = frozenset({"agreement", "pass"})
SHOWN_KINDS = frozenset({"question", "answer", "advice", "aside"})


def facilitator_identity(group: GroupSession) -> str:
    platform, workspace, _channel = group.channel_key.split(":", 2)
    return f"{platform}:{workspace}:{group.facilitator.id}"


def as_session(group: GroupSession, model: ReflectionModel) -> Session:
    """The group session as an engine `Session`, so the note view and indicators apply."""
    steps = {s.id: s for s in model.steps}
    answers: list[Answer] = []
    hypotheses: list[Hypothesis] = []
    for contribution in group.contributions:
        step = steps.get(contribution.round_id)
        if step is None or contribution.kind in SKIPPED_KINDS:
            continue
        answers.append(
            Answer(
                seq=contribution.seq,
                step_id=step.id,
                lens=step.lens,
                category=step.category,
                text=contribution.final_text,
                at=contribution.at,
            )
        )
        if contribution.kind == "hypothesis":
            hypotheses.append(
                Hypothesis(
                    id=f"{group.id}:h{contribution.seq}",
                    case_ref=group.case_ref,
                    statement=contribution.final_text,
                    session_id=group.id,
                    step_id=step.id,
                )
            )
    return Session(
        id=group.id,
        owner=facilitator_identity(group),
        model_id=group.model_id,
        model_version=group.model_version,
        platform=group.channel_key.split(":", 1)[0],
        case_ref=group.case_ref,
        status="complete",
        started_at=group.started_at,
        updated_at=group.updated_at,
        ended_at=group.ended_at,
        answers=answers,
        hypotheses=hypotheses,
        actions=list(group.actions),
        risk_flagged=group.risk_flagged,
    )


def minutes(group: GroupSession, model: ReflectionModel, directory: Directory) -> GroupMinutes:
    """Attendance, roles and contributions, with each member's own (corrected) words."""
    role_words: dict[str, str] = labels()["group"]["role_names"]
    platform, workspace, _ = group.channel_key.split(":", 2)

    def ref(participant_id: str, name: str) -> PersonRef | None:
        owner = f"{platform}:{workspace}:{participant_id}"
        person = directory.person_of(owner)
        return PersonRef(person, directory.name_of(person)) if person else None

    names = {p.id: p.name for p in group.attendees()}
    titles = {s.id: s.title for s in model.steps}
    action_rounds = {s.id for s in model.steps if s.kind == "actions"}
    observer_rounds = {s.id for s in model.steps if s.speakers == "observer"}

    def said(c: GroupContribution) -> Contribution:
        return Contribution(
            who=names.get(c.speaker_id, "a member"),
            text=c.final_text,
            step_title=titles.get(c.round_id),
            kind=c.kind if c.kind in SHOWN_KINDS else None,
            corrected=c.corrected_text is not None,
        )

    minuted = [c for c in group.contributions if c.kind not in SKIPPED_KINDS and c.round_id in titles]
    return GroupMinutes(
        ground_rules_agreed=any(c.kind == "agreement" for c in group.contributions) or None,
        attendance=tuple(Attendee(p.name, True, ref(p.id, p.name)) for p in group.attendees()),
        roles=tuple(
            RoleAssignment(role_words.get(role, role.replace("_", " ")), p.name)
            for p in group.attendees()
            for role in group.roles_of(p.id)
            if role != "member"
        ),
        # An actions round's own lines are the actions table; the observer has a section.
        contributions=tuple(
            said(c)
            for c in minuted
            if c.round_id not in observer_rounds
            and not (c.round_id in action_rounds and c.kind == "contribution")
        ),
        observer_reflections=tuple(said(c) for c in minuted if c.round_id in observer_rounds),
        review=review(group),
    )


def review(group: GroupSession) -> MinutesReview:
    """Who confirmed their own contributions, who corrected them, who did not answer."""
    confirmed: list[str] = []
    corrected: list[tuple[str, int]] = []
    for person in group.reviewers():
        answer = group.reviews.get(person.id)
        if answer is None:
            continue
        if answer.answer == "corrected":
            corrected.append((person.name, answer.corrections))
        else:
            confirmed.append(person.name)
    return MinutesReview(
        requested=group.review_requested,
        confirmed=tuple(confirmed),
        corrected=tuple(corrected),
        not_responded=tuple(p.name for p in group.not_reviewed()),
    )


def group_record(
    group: GroupSession, model: ReflectionModel, directory: Directory, audience: Audience
) -> ExportRecord:
    session = as_session(group, model)
    # Who said what is in the minutes' rounds; the lens sections would repeat it unattributed.
    note = replace(build_note_view(session, model, audience), sections=[])
    filed = minutes(group, model, directory)
    facilitator = person_ref(directory, session.owner)
    return ExportRecord(
        note=note,
        kind="group",
        worker=facilitator,
        supervisor=facilitator,  # the facilitator supervised the group
        supervisor_source="facilitator",
        audience=audience,
        visit=None,
        status=RecordStatus("filed", 1, None, None),
        group=filed,
        participants=tuple(a.name for a in filed.attendance if a.present),
    )
