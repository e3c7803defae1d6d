"""The manager's overview: a team's month in counts, never a league table or anyone's feelings."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.errors import AccessDenied, NotFound
from bot.records.overview import team_overview
from tests.records.conftest import PRIVATE_FEELING, SHARED_FEELING, Team, agree_and_sign, joined, say


async def test_a_teams_month_in_numbers(team: Team) -> None:
    await agree_and_sign(team, "a_first")
    result = await team_overview(team.store, "sup-a", "harbour", team.clock.now)
    assert (result.team_name, result.members) == ("Harbour Team", 2)
    assert result.sessions == 3  # worker-a twice and worker-b once in November (not October)
    assert result.group_sessions == 2  # one typed by the facilitator, one facilitated in Teams
    assert (result.agreed, result.signed) == (1, 1)
    rates = {r.name: r for r in result.indicators}
    assert (rates["child_seen_alone"].present, rates["child_seen_alone"].applicable) == (3, 3)
    assert rates["two_hypotheses"].applicable == 5 and rates["two_hypotheses"].present == 5
    assert rates["action_with_owner_and_date"].present == 4  # the Teams session agreed no action
    october = await team_overview(team.store, "sup-a", "harbour", team.clock.now, month=date(2026, 10, 1))
    assert october.sessions == 1 and october.group_sessions == 0


async def test_the_overview_in_chat_shows_no_feelings_and_ranks_nobody(team: Team) -> None:
    text = joined(await say(team.service, "sup-a", "overveiw"))  # a slip still finds it
    assert "*Harbour Team: November 2026*" in text
    assert "Group supervision held: *2*" in text
    assert "Child seen alone: 3 of 3 (100%)" in text
    for private in (PRIVATE_FEELING, SHARED_FEELING, "SENSES", "WRECK-COMMENT", "feelings:"):
        assert private not in text
    # people are named only beside what to act on, in name order, never scored
    supervision = text.split("*Supervision*, by name:")[1].split("*The month*")[0]
    assert supervision.index("Worker A") < supervision.index("Worker B")
    assert "%" not in supervision and "rank" not in supervision
    assert "no ranking of individuals" in text
    assert "October 2026" in joined(await say(team.service, "sup-a", "overview harbour 2026-10"))


async def test_the_overview_shows_what_a_manager_acts_on(team: Team) -> None:
    await say(team.service, "worker-a", f"agree {team.sessions['a_second']}")
    await agree_and_sign(team, "a_first")
    await say(team.service, "worker-a", f"amend {team.sessions['a_first']} the gp rang back")
    cadence = joined(
        await say(team.service, "sup-a", "supervision every 4 weeks from 2026-11-20 with @worker-a")
    )
    assert "4 weeks" in cadence, cadence
    december = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    result = await team_overview(team.store, "sup-a", "harbour", december)

    waiting = {(w.session.id, w.waiting_for, w.version) for w in result.waiting}
    assert (team.sessions["a_second"], "signature", 1) in waiting
    assert (team.sessions["a_first"], "agreement", 2) in waiting  # added to after signing
    assert (team.sessions["b_first"], "agreement", 1) in waiting
    assert all(w.session.id != team.sessions["group"] for w in result.waiting)

    overdue = [(a.worker, a.owner, a.due) for a in result.overdue_actions]
    assert overdue and all(due < december.date() for _, _, due in overdue)
    assert ("Worker B", "me", date(2026, 11, 27)) in overdue
    assert all(a.due != date(2026, 12, 4) for a in result.overdue_actions)  # not due yet

    lines = {s.worker: s for s in result.supervision}
    assert set(lines) == {"Worker A", "Worker B"}
    assert lines["Worker A"].next == date(2026, 12, 18)  # 20 Nov passed, next is four weeks on
    assert lines["Worker A"].overdue and lines["Worker A"].last is None  # 20 Nov went by without one
    assert lines["Worker B"].next is None and lines["Worker B"].overdue  # none in six weeks, none set

    team.clock.set(december)
    text = joined(await say(team.service, "sup-a", "overview"))
    assert "Notes waiting for a signature: *1*" in text
    assert "owner: me · due 27 Nov 2026" in text
    assert "Worker A: last none recorded; next not set" not in text


async def test_the_overview_is_refused_kindly(team: Team) -> None:
    with pytest.raises(AccessDenied) as refused:
        await team_overview(team.store, "worker-a", "harbour", team.clock.now)
    assert "for the team's supervisors and for admins" in refused.value.user_message
    with pytest.raises(NotFound):
        await team_overview(team.store, "worker-a", None, team.clock.now)  # supervises no team
    assert "isn't" not in joined(await say(team.service, "admin-1", "overview harbour"))  # admins may
    assert "for the team's supervisors" in joined(await say(team.service, "worker-z", "overview harbour"))
