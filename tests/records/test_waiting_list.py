"""The waiting-for-signature list is always true: signed notes leave it, an addition after
signing is waiting again only once the worker has agreed it, and chat, CLI and history agree."""

from __future__ import annotations

from bot.records import signoff
from tests.records.conftest import Team, joined, say

WAITING = "*Waiting for your signature*"


async def waiting(team: Team) -> list[str]:
    async with team.store.read() as tx:
        owners = ["console:local:worker-a", "teams:tenant-1:t-worker-a", "console:local:worker-b"]
        return await signoff.awaiting_signature(tx, owners, 10)


async def test_a_signed_note_is_never_listed_as_waiting_and_an_addition_waits_again(team: Team) -> None:
    session = team.sessions["a_first"]
    await say(team.service, "worker-a", f"agree {session}")
    assert WAITING in joined(await say(team.service, "sup-a", "notes"))
    assert await waiting(team) == [session]
    signed = joined(await say(team.service, "sup-a", f"sign {session}"))
    assert "version 1" in signed
    listing = joined(await say(team.service, "sup-a", "notes"))
    assert WAITING not in listing and "Worker A" not in listing
    assert await waiting(team) == []

    # the worker adds something: version 2 waits for *their* agreement, not a signature
    await say(team.service, "worker-a", f"amend {session} forgot to say the school nurse rang back")
    assert WAITING not in joined(await say(team.service, "sup-a", "notes"))
    mine = joined(await say(team.service, "worker-a", "notes"))
    assert "added to after signing, awaiting your agreement, version 2" in mine
    refused = joined(await say(team.service, "sup-a", f"sign {session}"))
    assert "hasn't marked this note agreed yet" in refused

    await say(team.service, "worker-a", f"agree {session}")
    listing = joined(await say(team.service, "sup-a", "notes"))
    assert WAITING in listing and "version 2" in listing.split(WAITING)[1]
    assert await waiting(team) == [session]
    assert "version 2" in joined(await say(team.service, "sup-a", f"sign {session}"))
    assert WAITING not in joined(await say(team.service, "sup-a", "notes"))
    shown = await say(team.service, "worker-a", f"show {session}")
    assert "*Where this note stands:* version 2, signed." in shown.messages[1].text


async def test_the_supervisor_adding_to_a_signed_note_waits_for_the_workers_agreement(team: Team) -> None:
    session = team.sessions["b_first"]
    await say(team.service, "worker-b", f"agree {session}")
    assert await waiting(team) == [session]
    await say(team.service, "sup-a", f"sign {session}")
    await say(team.service, "sup-a", f"amend {session} discussed at supervision, plan agreed")
    assert await waiting(team) == []
    mine = joined(await say(team.service, "worker-b", "notes"))
    assert "awaiting your agreement, version 2" in mine
    assert WAITING not in joined(await say(team.service, "sup-a", "notes"))


async def test_a_signed_note_stays_off_the_list_when_another_note_has_more_versions(team: Team) -> None:
    """The bug behind "notes keeps listing signed notes": the old query compared a signature
    with the highest note version in the whole database, not this note's."""
    october, second = team.sessions["a_october"], team.sessions["a_second"]
    await say(team.service, "worker-a", f"amend {october} added later: school called")  # now v2
    await say(team.service, "worker-a", f"agree {second}")
    assert "version 1" in joined(await say(team.service, "sup-a", f"sign {second}"))
    assert await waiting(team) == []
    assert WAITING not in joined(await say(team.service, "sup-a", "notes"))
