"""Who may see what, and why not.

The rules (PRACTICE.md, "What a record holds"):

- a practitioner sees their own records, all of them, including their private wellbeing
  answers;
- a supervisor sees the records of the people they supervise (named, or members of a team
  they supervise) in the *supervisor* audience: wellbeing answers the worker kept private
  are left out unless the worker chose to share them;
- an admin manages people and can export the audit trail, but an admin role alone shows
  nobody's notes;
- everyone else sees nothing, and is told why, kindly, and what would change it.

Decisions are pure functions over a `Directory` snapshot, so they are easy to test and the
same for chat, the CLI and exports. The words of every refusal are in
prompts/records/refusals.yaml and not_found.yaml.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from bot.records.directory import CONSOLE_PREFIX, Directory, Requester
from bot.records.note import Audience
from bot.records.refusals import not_found, refusal
from storage.records_repository import SessionFilter

__all__ = ["CONSOLE_PREFIX", "Directory", "Requester", "not_found", "refusal"]  # re-exported, as before


# ---------------------------------------------------------------- single decisions


def require_admin(requester: Requester, doing: str, anyone_admin: bool = True) -> None:
    if not requester.is_admin:
        raise refusal("not_admin" if anyone_admin else "no_admin_yet", doing=doing)


@dataclass(frozen=True)
class Reach:
    """The session owners (chat identities) a requester can read, and how."""

    own: frozenset[str]
    supervised: frozenset[str]

    def audience_for(self, owner: str) -> Audience | None:
        if owner in self.own:
            return "worker"
        if owner in self.supervised:
            return "supervisor"
        return None

    @property
    def owners(self) -> frozenset[str]:
        return self.own | self.supervised


def reach(requester: Requester, directory: Directory) -> Reach:
    supervised: frozenset[str] = frozenset()
    if requester.person_id is not None:
        supervised = directory.owners_of(directory.supervisees_of(requester.person_id))
    return Reach(own=requester.identities, supervised=supervised - requester.identities)


def audience_for(requester: Requester, directory: Directory, owner: str) -> Audience:
    """The copy of one session's record this requester may see; refuses otherwise."""
    audience = reach(requester, directory).audience_for(owner)
    if audience is None:
        raise refusal("cannot_view_note")
    return audience


def require_owner(requester: Requester, owner: str) -> None:
    if owner not in requester.identities:
        raise refusal("only_owner_agrees")


def require_signer(requester: Requester, directory: Directory, owner: str, ref: str) -> None:
    """Only the worker's supervisor signs, and never their own note."""
    if owner in requester.identities:
        raise refusal("own_note_sign", ref=ref)
    if reach(requester, directory).audience_for(owner) != "supervisor":
        raise refusal("only_supervisor_signs", name=directory.name_of(owner))


def require_contributor(requester: Requester, directory: Directory, owner: str) -> Audience:
    """The worker or their supervisor may append to a note; nobody else."""
    audience = reach(requester, directory).audience_for(owner)
    if audience is None:
        raise refusal("cannot_change_note")
    return audience


def require_overview(requester: Requester, directory: Directory, team_id: str) -> None:
    """A team's overview is for its supervisors and for admins (it holds no one's words)."""
    if requester.is_admin:
        return
    if requester.person_id is None or team_id not in directory.teams_supervised_by(requester.person_id):
        team = directory.team(team_id)
        raise refusal("overview_denied", team=team.name if team else team_id)


# ---------------------------------------------------------------- export scopes


@dataclass(frozen=True)
class Scope:
    """What an export covers. Worker and team are exclusive; case and dates narrow either.

    `until` is exclusive (the first moment not included); `day_range` turns inclusive dates
    as people type them into that form.
    """

    worker: str | None = None
    team: str | None = None
    case: str | None = None
    since: datetime | None = None
    until: datetime | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {
            "worker": self.worker,
            "team": self.team,
            "case": self.case,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
        }


@dataclass(frozen=True)
class Selection:
    """An allowed scope: which sessions, and in which audience each owner's are shown."""

    scope: Scope
    filter: SessionFilter
    audiences: dict[str, Audience]
    subject: str  # what the records are of, in words: a person's name, a team, a case, "your own"
    subject_kind: str  # "own" | "worker" | "team" | "case"
    subject_id: str = ""  # the same as an id, for the audit trail: person id, identity, team id, case

    def audience_of(self, owner: str) -> Audience:
        return self.audiences[owner]


def select(
    requester: Requester,
    directory: Directory,
    scope: Scope,
    group_models: Iterable[str] = (),
) -> Selection:
    """Turn a requested scope into the sessions this requester may have; refuse otherwise."""
    allowed = reach(requester, directory)
    if scope.worker is not None and scope.team is not None:
        raise not_found("worker_and_team")
    if scope.worker is not None:
        return _select_worker(requester, directory, allowed, scope)
    if scope.team is not None:
        return _select_team(requester, directory, allowed, scope, frozenset(group_models))
    if scope.case is not None:
        audiences = {o: a for o in allowed.owners if (a := allowed.audience_for(o)) is not None}
        return Selection(
            scope, _filter(scope, owners=allowed.owners), audiences, scope.case, "case", scope.case
        )
    own: dict[str, Audience] = dict.fromkeys(requester.identities, "worker")
    return Selection(
        scope, _filter(scope, owners=requester.identities), own, "your own notes", "own", requester.key
    )


def _filter(
    scope: Scope,
    owners: frozenset[str],
    group_owners: frozenset[str] = frozenset(),
    group_models: frozenset[str] = frozenset(),
) -> SessionFilter:
    return SessionFilter(
        owners=owners,
        group_owners=group_owners,
        group_models=group_models,
        case_ref=scope.case,
        since=scope.since,
        until=scope.until,
    )


def _select_worker(requester: Requester, directory: Directory, allowed: Reach, scope: Scope) -> Selection:
    assert scope.worker is not None
    target = directory.resolve(scope.worker)
    if target is not None:
        owners, name = directory.identities_of(target), directory.name_of(target)
    else:  # an unregistered chat identity, or a console user name
        owner = scope.worker if scope.worker.count(":") >= 2 else CONSOLE_PREFIX + scope.worker
        owners, name = frozenset({owner}), scope.worker
    audiences: dict[str, Audience] = {}
    for owner in owners:
        audience = allowed.audience_for(owner)
        if audience is None:
            if requester.person_id is None and not owners & requester.identities:
                raise refusal("unknown_requester")
            raise refusal("not_your_supervisee", name=name)
        audiences[owner] = audience
    if not audiences:  # a registered person with no chat accounts yet
        raise refusal("not_your_supervisee", name=name)
    own = owners <= requester.identities
    subject, kind = ("your own notes", "own") if own else (name, "worker")
    subject_id = target if target is not None else next(iter(sorted(owners)))
    return Selection(scope, _filter(scope, owners=owners), audiences, subject, kind, subject_id)


def _select_team(
    requester: Requester, directory: Directory, allowed: Reach, scope: Scope, group_models: frozenset[str]
) -> Selection:
    assert scope.team is not None
    team = directory.team(scope.team)
    if team is None:
        raise not_found("no_team", team=scope.team)
    if requester.person_id is None or team.id not in directory.teams_supervised_by(requester.person_id):
        raise refusal("not_team_supervisor", team=team.name)
    members = directory.owners_of(directory.members_of(team.id))
    audiences = {o: a for o in members if (a := allowed.audience_for(o)) is not None}
    # The team's group supervision, run by this supervisor, belongs in the team's file.
    audiences.update(dict.fromkeys(requester.identities, "worker"))
    selection = _filter(scope, owners=members, group_owners=requester.identities, group_models=group_models)
    return Selection(scope, selection, audiences, team.name, "team", team.id)


def scope_target(directory: Directory, scope: Scope) -> tuple[str, str | None]:
    """What an export asked for, as ids for the audit trail: a registered person's id, a team
    id, a case reference, or nothing (never words as typed: they might be a name)."""
    if scope.worker is not None:
        # Only someone registered: an unknown handle or identity was typed, and could be a name.
        return "worker", directory.resolve(scope.worker)
    if scope.team is not None:
        team = directory.team(scope.team)
        return "team", team.id if team else None
    if scope.case is not None:
        return "case", scope.case
    return "own", None


def day_range(since: date | None, until: date | None) -> tuple[datetime | None, datetime | None]:
    """Inclusive calendar dates (as typed) to a [start, end) UTC window."""
    start = datetime.combine(since, time(), UTC) if since else None
    end = datetime.combine(until + timedelta(days=1), time(), UTC) if until else None
    return start, end
