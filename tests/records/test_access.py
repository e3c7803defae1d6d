"""The access rules as pure decisions over a directory snapshot (no database)."""

from __future__ import annotations

import pytest

from bot.errors import AccessDenied, NotFound
from bot.records.access import (
    Scope,
    audience_for,
    reach,
    require_admin,
    require_overview,
    require_signer,
    select,
)
from bot.records.people import Directory
from storage.records_repository import LinkRecord, PeopleSnapshot, PersonRecord, TeamRecord

SNAPSHOT = PeopleSnapshot(
    people=tuple(
        PersonRecord(i, n)
        for i, n in [
            ("admin-1", "Admin One"),
            ("sup-a", "Supervisor A"),
            ("sup-b", "Supervisor B"),
            ("worker-a", "Worker A"),
            ("worker-b", "Worker B"),
            ("worker-z", "Worker Z"),
        ]
    ),
    identities=(
        ("slack:T1:UADMIN", "admin-1"),
        ("slack:T1:USUPA", "sup-a"),
        ("teams:tn:sup-a-teams", "sup-a"),
        ("slack:T1:USUPB", "sup-b"),
        ("slack:T1:UWA", "worker-a"),
        ("teams:tn:worker-a-teams", "worker-a"),
        ("slack:T1:UWB", "worker-b"),
        ("slack:T1:UWZ", "worker-z"),
    ),
    teams=(TeamRecord("harbour", "Harbour Team"), TeamRecord("lighthouse", "Lighthouse Team")),
    members=(("harbour", "worker-a"), ("harbour", "worker-b"), ("lighthouse", "worker-z")),
    roles=(("admin-1", "admin"), ("sup-a", "supervisor"), ("sup-b", "supervisor")),
    links=(LinkRecord("sup-a", None, "harbour"), LinkRecord("sup-b", "worker-b", None)),
)
DIRECTORY = Directory(SNAPSHOT)


def who(ref: str):  # type: ignore[no-untyped-def]
    return DIRECTORY.requester(ref)


def test_a_person_is_the_same_person_on_slack_and_teams() -> None:
    assert who("slack:T1:UWA").key == who("teams:tn:worker-a-teams").key == "worker-a"
    assert who("worker-a").identities == {"slack:T1:UWA", "teams:tn:worker-a-teams"}


def test_practitioners_see_their_own_in_full_and_nobody_elses() -> None:
    worker = who("worker-a")
    assert audience_for(worker, DIRECTORY, "teams:tn:worker-a-teams") == "worker"
    with pytest.raises(AccessDenied, match="cannot_view_note"):
        audience_for(worker, DIRECTORY, "slack:T1:UWB")


def test_supervisors_see_supervisees_in_the_supervisor_audience() -> None:
    assert audience_for(who("sup-a"), DIRECTORY, "slack:T1:UWA") == "supervisor"  # via the team
    assert audience_for(who("sup-b"), DIRECTORY, "slack:T1:UWB") == "supervisor"  # named
    with pytest.raises(AccessDenied):
        audience_for(who("sup-b"), DIRECTORY, "slack:T1:UWA")
    assert reach(who("sup-a"), DIRECTORY).supervised == {
        "slack:T1:UWA",
        "teams:tn:worker-a-teams",
        "slack:T1:UWB",
    }


def test_a_supervisor_link_counts_only_with_the_supervisor_role() -> None:
    demoted = Directory(
        PeopleSnapshot(**{**SNAPSHOT.__dict__, "roles": (("admin-1", "admin"), ("sup-b", "supervisor"))})
    )
    assert reach(demoted.requester("sup-a"), demoted).supervised == frozenset()


def test_an_admin_alone_sees_no_notes() -> None:
    with pytest.raises(AccessDenied):
        audience_for(who("admin-1"), DIRECTORY, "slack:T1:UWA")
    require_admin(who("admin-1"), "add people")
    with pytest.raises(AccessDenied) as refused:
        require_admin(who("sup-a"), "add people")
    assert refused.value.user_message.startswith("Only an admin can add people.")


def test_signing_is_for_the_workers_supervisor_and_never_ones_own() -> None:
    require_signer(who("sup-a"), DIRECTORY, "slack:T1:UWA", "1")
    with pytest.raises(AccessDenied, match="own_note_sign"):
        require_signer(who("worker-a"), DIRECTORY, "slack:T1:UWA", "1")
    with pytest.raises(AccessDenied, match="only_supervisor_signs") as refused:
        require_signer(who("worker-z"), DIRECTORY, "slack:T1:UWA", "1")
    assert "Worker A" in refused.value.user_message


def test_export_scopes() -> None:
    own = select(who("worker-a"), DIRECTORY, Scope())
    assert own.subject_kind == "own" and set(own.audiences.values()) == {"worker"}
    worker = select(who("sup-a"), DIRECTORY, Scope(worker="worker-a"))
    assert worker.filter.owners == {"slack:T1:UWA", "teams:tn:worker-a-teams"}
    assert set(worker.audiences.values()) == {"supervisor"}
    team = select(who("sup-a"), DIRECTORY, Scope(team="harbour"), group_models=["group_supervision"])
    assert team.filter.owners == {"slack:T1:UWA", "teams:tn:worker-a-teams", "slack:T1:UWB"}
    assert team.filter.group_owners == who("sup-a").identities  # the group supervision they ran
    case = select(who("sup-b"), DIRECTORY, Scope(case="HX-2291"))
    assert case.filter.owners == {"slack:T1:USUPB", "slack:T1:UWB"} and case.filter.case_ref == "HX-2291"
    with pytest.raises(AccessDenied, match="not_team_supervisor"):
        select(who("sup-b"), DIRECTORY, Scope(team="harbour"))
    with pytest.raises(AccessDenied, match="not_your_supervisee"):
        select(who("worker-z"), DIRECTORY, Scope(worker="worker-a"))
    with pytest.raises(NotFound, match="no_team"):
        select(who("sup-a"), DIRECTORY, Scope(team="nowhere"))


def test_unregistered_chat_users_still_own_their_notes() -> None:
    newcomer = who("slack:T1:UNEW")
    assert newcomer.person_id is None and newcomer.identities == {"slack:T1:UNEW"}
    assert select(newcomer, DIRECTORY, Scope()).filter.owners == {"slack:T1:UNEW"}
    with pytest.raises(AccessDenied, match="unknown_requester"):
        select(newcomer, DIRECTORY, Scope(worker="worker-a"))


def test_the_overview_is_for_the_teams_supervisors_and_admins() -> None:
    require_overview(who("sup-a"), DIRECTORY, "harbour")
    require_overview(who("admin-1"), DIRECTORY, "harbour")
    with pytest.raises(AccessDenied) as refused:
        require_overview(who("sup-b"), DIRECTORY, "harbour")
    assert "Harbour Team" in refused.value.user_message
