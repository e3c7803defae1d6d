"""What one exported session holds: the note view plus its place in the supervision file.

Every format starts from `ExportRecord`, and an `ExportRecord` starts from
`bot.records.note.build_note_view`, the same view the chat note is compiled from. So the
worker's words, the lens sections, the hypotheses, the actions and the quality indicators
are chosen once, with the audience rule (private wellbeing answers only in the worker's
copy, or when shared) applied once; formats only lay them out.

Renderers must read `note.sections` etc., never `note.session.answers`, which still holds
private answers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Literal

from bot.engine.state import Session
from bot.records.access import Selection
from bot.records.note import Audience, NoteView, build_note_view
from bot.records.people import Directory, Requester
from bot.records.signoff import RecordStatus, record_status
from storage.records_repository import RecordsRepository
from supervision_models.registry import ModelRegistry
from supervision_models.schema import ReflectionModel

SessionKind = Literal["individual", "group"]
# Where an export's supervisor comes from: the latest signature; people and access as they
# stood when the session completed; as they stand on the export day (older sessions, for
# which nothing was stored: the record says so); or the group's facilitator.
SupervisorSource = Literal["signed", "at_completion", "linked_at_export", "facilitator"]
# The protective marking when none is configured: the default of REFLECT_PROTECTIVE_MARKING
# (bot.config.Settings.protective_marking), which callers of `export` pass in.
DEFAULT_MARKING = "OFFICIAL-SENSITIVE"
CopyKind = Literal["worker", "supervisor", "mixed"]


@dataclass(frozen=True)
class PersonRef:
    id: str
    name: str


@dataclass(frozen=True)
class SignoffView:
    kind: Literal["agreed", "signed"]
    by: PersonRef
    at: datetime
    note_version: int


@dataclass(frozen=True)
class AmendmentView:
    version: int
    by: PersonRef
    at: datetime
    text: str


@dataclass(frozen=True)
class VersionView:
    version: int
    created_at: datetime
    created_by: PersonRef


@dataclass(frozen=True)
class Attendee:
    name: str
    present: bool = True
    person: PersonRef | None = None


@dataclass(frozen=True)
class RoleAssignment:
    role: str  # presenter, facilitator, observer, devil's advocate
    name: str


@dataclass(frozen=True)
class Contribution:
    who: str
    text: str
    step_title: str | None = None  # the round it was said in
    kind: str | None = None  # "question", "answer", "advice" or "aside" when it was one
    corrected: bool = False  # its author corrected it when the minutes were reviewed


@dataclass(frozen=True)
class MinutesReview:
    """How the members answered when the draft minutes went round (facilitated sessions).

    `requested` is False for minutes filed before members were asked: then nothing may say
    the members reviewed them."""

    requested: bool
    confirmed: tuple[str, ...] = ()
    corrected: tuple[tuple[str, int], ...] = ()  # who, and how many of their contributions
    not_responded: tuple[str, ...] = ()


@dataclass(frozen=True)
class GroupMinutes:
    """The group-only part of a session's minutes.

    A group reflection typed by one person (the group_supervision model in a DM or the
    terminal) holds the roles answer and whether the ground rules were agreed. A facilitated
    group session (a Teams channel, see group.py) also has attendance, roles and each
    member's contributions, round by round. Every format shows whichever the session has.
    """

    roles_text: str | None = None
    ground_rules_agreed: bool | None = None
    attendance: tuple[Attendee, ...] = ()
    roles: tuple[RoleAssignment, ...] = ()
    contributions: tuple[Contribution, ...] = ()
    observer_reflections: tuple[Contribution, ...] = ()  # the observer on the group's process
    review: MinutesReview | None = None


@dataclass(frozen=True)
class ExportRecord:
    note: NoteView
    kind: SessionKind
    worker: PersonRef  # the session's owner: the worker, or the group's facilitator
    audience: Audience
    visit: str | None
    status: RecordStatus
    signoffs: tuple[SignoffView, ...] = ()
    amendments: tuple[AmendmentView, ...] = ()
    versions: tuple[VersionView, ...] = ()
    group: GroupMinutes | None = None
    # Actions open when this session ended that a later session has closed since: the status
    # as of the export, beside the status as recorded.
    closed_later: frozenset[str] = frozenset()
    # The council's supervision record: who supervised (see `supervisor_for`) and on what
    # basis, who took part, and the next supervision day if a supervision rhythm is set.
    supervisor: PersonRef | None = None
    supervisor_source: SupervisorSource | None = None
    participants: tuple[str, ...] = ()
    next_supervision: date | None = None

    def action_status_now(self, action_id: str, recorded: str) -> str:
        return "closed_later" if recorded == "open" and action_id in self.closed_later else recorded

    @property
    def session(self) -> Session:
        return self.note.session

    @property
    def key(self) -> tuple[datetime, str]:
        """Where it goes in an export: oldest first."""
        return (self.note.session.started_at, self.note.session.id)

    @property
    def model(self) -> ReflectionModel:
        return self.note.model

    def latest(self, kind: Literal["agreed", "signed"]) -> SignoffView | None:
        found = [s for s in self.signoffs if s.kind == kind]
        return max(found, key=lambda s: (s.note_version, s.at)) if found else None


@dataclass(frozen=True)
class ExportMeta:
    """What the whole document is: whose records, for whom, when, and how many."""

    subject: str
    subject_kind: str
    case: str | None
    since: datetime | None
    until: datetime | None  # exclusive
    requester: PersonRef
    exported_at: datetime
    total: int
    copy: CopyKind
    scope: dict[str, str | None] = field(default_factory=dict)
    marking: str = DEFAULT_MARKING  # the protective marking on every page (REFLECT_PROTECTIVE_MARKING)
    logo: Path | None = None  # a council's PNG for the page headers (REFLECT_EXPORT_LOGO)


def person_ref(directory: Directory, key: str) -> PersonRef:
    return PersonRef(directory.id_for_owner(key), directory.name_of(key))


def requester_ref(requester: Requester) -> PersonRef:
    return PersonRef(requester.key, requester.name)


def copy_kind(selection: Selection) -> CopyKind:
    kinds = set(selection.audiences.values())
    if kinds == {"worker"}:
        return "worker"
    if kinds == {"supervisor"}:
        return "supervisor"
    return "mixed"


def visit_label(session: Session, model: ReflectionModel) -> str | None:
    chosen = session.choices.get("visit_type")
    if chosen is None or not any(s.id == "visit_type" for s in model.steps):
        return None
    labels = {c.value: c.label for c in model.step("visit_type").choices}
    return labels.get(chosen, chosen)


def group_minutes(session: Session, model: ReflectionModel) -> GroupMinutes | None:
    if model.audience != "group":
        return None
    step_ids = {s.id for s in model.steps}
    roles = (
        [a.text for a in session.live_answers("roles") if a.followup is None] if "roles" in step_ids else []
    )
    agreed = session.choices.get("ground_rules") == "agreed" if "ground_rules" in step_ids else None
    return GroupMinutes(roles_text="\n".join(roles) or None, ground_rules_agreed=agreed)


def supervisors_of(directory: Directory, owner: str) -> list[PersonRef]:
    """The worker's supervisors in people/access: linked by name, or through a team."""
    person = directory.person_of(owner)
    if person is None:
        return []
    found = {
        link.supervisor_id
        for link in directory.snapshot.links
        if link.supervisee_id == person
        or (link.team_id is not None and link.team_id in directory.teams_of(person))
    }
    found.discard(person)
    return [person_ref(directory, p) for p in sorted(found) if "supervisor" in directory.roles_of(p)]


def supervisor_for(
    directory: Directory,
    owner: str,
    signoffs: Sequence[SignoffView],
    at_completion: Sequence[str] | None,
) -> tuple[PersonRef | None, SupervisorSource | None]:
    """Who supervised, and on what basis: whoever signed the latest signature; else who
    supervised the worker when the session completed (`at_completion`, the person ids stored
    then; empty when nobody did); else, for a session completed before that was stored, the
    worker's supervisor as linked today, which the record then says."""
    signed = [s for s in signoffs if s.kind == "signed"]
    if signed:
        return max(signed, key=lambda s: (s.note_version, s.at)).by, "signed"
    if at_completion is not None:
        first = sorted(at_completion)[:1]
        return (person_ref(directory, first[0]) if first else None), "at_completion"
    found = supervisors_of(directory, owner)
    return (found[0], "linked_at_export") if found else (None, None)


def participants_of(worker: PersonRef, supervisor: PersonRef | None) -> tuple[str, ...]:
    """Who took part in a 1:1 (or a group reflection typed by its facilitator): the worker and
    the supervisor named by `supervisor_for`, each once."""
    people = [worker] + ([supervisor] if supervisor is not None and supervisor.id != worker.id else [])
    return tuple(p.name for p in people)


async def build_records(
    rtx: RecordsRepository,
    sessions: Sequence[Session],
    directory: Directory,
    audiences: dict[str, Audience],
    models: ModelRegistry,
    closed_later: dict[str, frozenset[str]] | None = None,
    next_supervision: dict[str, date | None] | None = None,
) -> list[ExportRecord]:
    """One page of sessions as export records; sign-offs and versions read in one go."""
    closed_later = closed_later or {}
    next_supervision = next_supervision or {}
    ids = [s.id for s in sessions]
    signoffs = defaultdict(list)
    for signoff in await rtx.signoffs(ids):
        signoffs[signoff.session_id].append(signoff)
    amendments = defaultdict(list)
    for amendment in await rtx.amendments(ids):
        amendments[amendment.session_id].append(amendment)
    versions = defaultdict(list)
    for version in await rtx.note_versions(ids):
        versions[version.session_id].append(version)
    supervised_by = await rtx.supervised_by(ids)
    built = []
    for session in sessions:
        model = models.get(session.model_id, session.model_version)
        audience = audiences[session.owner]
        latest = versions[session.id][-1].version if versions[session.id] else 1
        views = tuple(
            SignoffView(
                "signed" if s.kind == "signed" else "agreed",
                person_ref(directory, s.actor),
                s.at,
                s.note_version,
            )
            for s in signoffs[session.id]
        )
        worker = person_ref(directory, session.owner)
        kind: SessionKind = "group" if model.audience == "group" else "individual"
        supervisor: PersonRef | None
        source: SupervisorSource | None
        if kind == "group":  # typed by its facilitator, who owns it
            supervisor, source = worker, "facilitator"
        else:
            supervisor, source = supervisor_for(
                directory, session.owner, views, supervised_by.get(session.id)
            )
        built.append(
            ExportRecord(
                note=build_note_view(session, model, audience),
                kind=kind,
                worker=worker,
                audience=audience,
                visit=visit_label(session, model),
                status=record_status(signoffs[session.id], latest),
                signoffs=views,
                amendments=tuple(
                    AmendmentView(a.note_version, person_ref(directory, a.author), a.at, a.text)
                    for a in amendments[session.id]
                ),
                versions=tuple(
                    VersionView(v.version, v.created_at, person_ref(directory, v.created_by))
                    for v in versions[session.id]
                ),
                group=group_minutes(session, model),
                closed_later=closed_later.get(session.id, frozenset()),
                supervisor=supervisor,
                supervisor_source=source,
                participants=participants_of(worker, supervisor),
                next_supervision=next_supervision.get(session.owner),
            )
        )
    return built
