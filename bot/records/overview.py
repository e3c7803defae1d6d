"""A manager's overview of one team: what to act on today, and the month's supervision.

What a manager acts on, as of today: notes waiting for the worker's agreement or for a
signature, actions past their due date (whose, who owns it, when it was due), and each
supervisee's last and next supervision (the next from the supervision cadence reminders,
`supervision every 4 weeks from ...`), with supervision overdue when a scheduled date has
passed without one (or, with no cadence set, none in `SUPERVISION_WEEKS` weeks).

Seed 003 asks for standards on how often group supervision happens and how well the
reflective part of supervision is recorded: counts of sessions, group sessions and
sign-offs, and how often each quality indicator is present across the team's records.
Nothing here is about anyone's feelings, and nothing is ranked: people are listed by name,
the indicators are counted for the team as a whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from bot.records import audit
from bot.records.access import not_found, require_overview
from bot.records.export.group import as_session
from bot.records.people import Directory, Requester, load_directory
from bot.records.quality import ALL_INDICATORS, INDICATOR_LABELS, indicators
from bot.records.signoff import Waiting, record_status, statuses_of
from storage.records_repository import SessionFilter, SessionSummary
from storage.repository import Store, TurnTx
from supervision_models.registry import ModelRegistry, UnknownModelError, default_registry
from supervision_models.schema import Indicator


@dataclass(frozen=True)
class IndicatorRate:
    name: Indicator
    label: str
    present: int
    applicable: int  # sessions whose reflection could show this indicator

    @property
    def percent(self) -> int | None:
        return round(100 * self.present / self.applicable) if self.applicable else None


SUPERVISION_WEEKS = 6  # with no cadence set, supervision is overdue after this long without one
WAITING_LIMIT = 200


@dataclass(frozen=True)
class WaitingNote:
    worker: str  # the worker's name
    title: str
    session: SessionSummary
    waiting_for: Waiting
    version: int


@dataclass(frozen=True)
class OverdueAction:
    worker: str  # whose reflection the action came from
    what: str
    owner: str | None  # who is to do it, as the worker wrote it
    due: date
    case_ref: str | None


@dataclass(frozen=True)
class SupervisionLine:
    worker: str
    last: date | None
    next: date | None
    overdue: bool


@dataclass(frozen=True)
class TeamOverview:
    team_id: str
    team_name: str
    month_start: datetime
    month_end: datetime  # exclusive
    members: int
    sessions: int  # individual reflections and case supervision
    group_sessions: int  # group supervision held
    agreed: int  # notes the worker has agreed (signed or not)
    signed: int  # notes signed by a supervisor
    indicators: tuple[IndicatorRate, ...]
    waiting: tuple[WaitingNote, ...] = ()
    overdue_actions: tuple[OverdueAction, ...] = ()
    supervision: tuple[SupervisionLine, ...] = ()


def month_bounds(month: date) -> tuple[datetime, datetime]:
    start = datetime(month.year, month.month, 1, tzinfo=UTC)
    end = datetime(month.year + (month.month == 12), month.month % 12 + 1, 1, tzinfo=UTC)
    return start, end


def team_for(requester: Requester, directory: Directory, team_ref: str | None) -> str:
    """The team asked about, or the one team the requester supervises."""
    if team_ref:
        team = directory.team(team_ref)
        if team is None:
            raise not_found("no_team", team=team_ref)
        return team.id
    teams = sorted(directory.teams_supervised_by(requester.person_id)) if requester.person_id else []
    if len(teams) == 1:
        return teams[0]
    if not teams:
        raise not_found("no_team_to_overview")
    raise not_found("ambiguous_team", example=teams[0])


async def team_overview(
    store: Store,
    requester: Requester | str,
    team_ref: str | None,
    now: datetime,
    month: date | None = None,
    models: ModelRegistry | None = None,
    page_size: int = 500,
) -> TeamOverview:
    """Count one month (default: this one) of a team's records; audited as viewed."""
    models = models or default_registry()
    start, end = month_bounds(month or now.date())
    async with store.read() as tx:
        directory = await load_directory(tx.people)
    who = directory.requester(requester) if isinstance(requester, str) else requester
    asked = directory.team(team_ref) if team_ref else None
    async with audit.refusals_audited(
        store, who, "overview_viewed", "team", asked.id if asked else None, now
    ):
        team_id = team_for(who, directory, team_ref)
        require_overview(who, directory, team_id)
    team = directory.team(team_id)
    assert team is not None
    members = directory.members_of(team_id)
    group_models = frozenset(m.id for m in models.all_versions() if m.audience == "group")
    selection = SessionFilter(
        owners=directory.owners_of(members),
        group_owners=directory.owners_of(directory.supervisors_of_team(team_id)),
        group_models=group_models,
        since=start,
        until=end,
    )
    sessions = group_sessions = agreed = signed = 0
    present = dict.fromkeys(ALL_INDICATORS, 0)
    applicable = dict.fromkeys(ALL_INDICATORS, 0)
    after = None
    while True:
        async with store.read() as tx:
            page = await tx.records.session_page(selection, after, page_size)
            signoffs = await tx.records.signoffs([s.id for s in page.sessions])
            versions = await tx.records.note_versions([s.id for s in page.sessions])
        latest = {v.session_id: v.version for v in versions}
        for session in page.sessions:
            try:
                model = models.get(session.model_id, session.model_version)
            except UnknownModelError:
                continue
            if model.audience == "group":
                group_sessions += 1
            else:
                sessions += 1
            status = record_status(
                [s for s in signoffs if s.session_id == session.id], latest.get(session.id, 1)
            )
            agreed += status.agreed is not None
            signed += status.signed is not None
            for result in indicators(session, model):
                applicable[result.name] += 1
                present[result.name] += result.present
        if len(page.sessions) < page_size:
            break
        after = page.after
    group_after = None
    while True:  # facilitated group sessions, filed from a channel
        async with store.read() as tx:
            groups = await tx.records.group_session_page(selection, group_after, page_size)
        for group in groups.sessions:
            model = models.get(group.model_id, group.model_version)
            group_sessions += 1
            for result in indicators(as_session(group, model), model):
                applicable[result.name] += 1
                present[result.name] += result.present
        if len(groups.sessions) < page_size:
            break
        group_after = groups.after
    async with store.read() as tx:
        today = await _today(tx, directory, members, models, now)
        await audit.record(
            tx.audit, who, "overview_viewed", "team", team_id, {"month": start.strftime("%Y-%m")}, now
        )
    return TeamOverview(
        team_id=team_id,
        team_name=team.name,
        month_start=start,
        month_end=end,
        members=len(members),
        sessions=sessions,
        group_sessions=group_sessions,
        agreed=agreed,
        signed=signed,
        indicators=tuple(
            IndicatorRate(name, INDICATOR_LABELS[name], present[name], applicable[name])
            for name in ALL_INDICATORS
        ),
        waiting=today[0],
        overdue_actions=today[1],
        supervision=today[2],
    )


async def _today(
    tx: TurnTx, directory: Directory, members: frozenset[str], models: ModelRegistry, now: datetime
) -> tuple[tuple[WaitingNote, ...], tuple[OverdueAction, ...], tuple[SupervisionLine, ...]]:
    """What the team's supervisor acts on as of `now`: waiting notes, overdue actions, and
    each member's last and next supervision. People by name; nothing ranked."""
    owners = sorted(directory.owners_of(members))
    summaries = await tx.records.session_summaries(owners, ("complete",), WAITING_LIMIT)
    found = await statuses_of(tx, [s.id for s in summaries])
    waiting = []
    for summary in reversed(summaries):  # oldest waiting first
        status = found[summary.id]
        if status.waiting_for is None:
            continue
        try:
            model = models.get(summary.model_id, summary.model_version)
        except UnknownModelError:
            continue
        if model.audience == "group":
            continue
        name = directory.name_of(summary.owner)
        waiting.append(WaitingNote(name, model.title, summary, status.waiting_for, status.latest_version))
    overdue = tuple(
        OverdueAction(directory.name_of(owner), a.what, a.who, a.due, a.case_ref)
        for owner, a in await tx.records.overdue_actions(owners, now.date())
        if a.due is not None
    )
    supervision_models = [m.id for m in models.all_versions() if m.audience == "supervision"]
    last = await tx.records.last_started(owners, supervision_models)
    days = await tx.records.supervision_days(owners)
    lines = []
    for person in members:
        mine = directory.identities_of(person)
        last_at = max((last[o] for o in mine if o in last), default=None)
        last_day = last_at.date() if last_at else None
        planned = sorted(day for owner, day in days if owner in mine)
        upcoming = next((d for d in planned if d >= now.date()), None)
        passed = [d for d in planned if d < now.date()]
        if passed:
            overdue_now = last_day is None or last_day < passed[-1]
        else:
            limit = now.date() - timedelta(weeks=SUPERVISION_WEEKS)
            overdue_now = (last_day is None or last_day < limit) and upcoming is None
        lines.append(SupervisionLine(directory.name_of(person), last_day, upcoming, overdue_now))
    lines.sort(key=lambda line: line.worker.lower())
    return tuple(waiting), overdue, tuple(lines)
