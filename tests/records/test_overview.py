"""The manager's overview: a team's month in counts, never a league table or anyone's feelings."""

from __future__ import annotations

from datetime import date

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


async def test_the_overview_in_chat_names_nobody_and_no_feelings(team: Team) -> None:
    text = joined(await say(team.service, "sup-a", "overview"))
    assert "*Harbour Team: November 2026*" in text
    assert "Group supervision held: *2*" in text
    assert "Child seen alone: 3 of 3 (100%)" in text
    for private in (
        "Worker A",
        "Worker B",
        "worker-a",
        "worker-b",
        PRIVATE_FEELING,
        SHARED_FEELING,
        "SENSES",
    ):
        assert private not in text
    assert "no ranking of individuals" in text
    assert "October 2026" in joined(await say(team.service, "sup-a", "overview harbour 2026-10"))


async def test_the_overview_is_refused_kindly(team: Team) -> None:
    with pytest.raises(AccessDenied) as refused:
        await team_overview(team.store, "worker-a", "harbour", team.clock.now)
    assert "for the team's supervisors and for admins" in refused.value.user_message
    with pytest.raises(NotFound):
        await team_overview(team.store, "worker-a", None, team.clock.now)  # supervises no team
    assert "isn't" not in joined(await say(team.service, "admin-1", "overview harbour"))  # admins may
    assert "for the team's supervisors" in joined(await say(team.service, "worker-z", "overview harbour"))
