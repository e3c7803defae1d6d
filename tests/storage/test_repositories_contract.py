"""The storage contract, one area at a time: every repository hangs off an open transaction
(`tx.people`, `tx.records`, `tx.audit`, `tx.reminders`, `tx.groups`, `tx.privacy`,
`tx.teams`, `tx.ai_usage`; sessions are `tx` itself), opens none of its own, and behaves the
same on a SQLite file and on a real PostgreSQL (the `store` fixture runs each test on both).
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot.core.errors import AppendOnlyViolation, InvalidRequest, StorageError
from bot.core.group import GroupSession, Participant
from bot.core.session import Answer, Session
from bot.core.usage import UsageRecord
from storage.ai_usage import StoreLedger
from storage.reminders_repository import MAX_ATTEMPTS
from storage.repository import Store

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
OWNER = "slack:T1:U1"


def _session(session_id: str = "s1", owner: str = OWNER, case_ref: str | None = "HX-2291") -> Session:
    session = Session(
        id=session_id, owner=owner, model_id="post_visit", model_version=1, platform="slack",
        case_ref=case_ref, status="complete", started_at=NOW, updated_at=NOW, ended_at=NOW,
    )  # fmt: skip
    session.answers.append(
        Answer(seq=1, step_id="senses", lens="senses", category="observation", text="A cold flat.", at=NOW)
    )
    return session


async def test_every_area_has_its_repository_on_the_transaction(store: Store) -> None:
    async with store.read() as tx:
        areas = {
            name: type(getattr(tx, name)).__name__
            for name in ("sessions", "people", "records", "audit", "reminders", "groups", "privacy", "teams")
        } | {"ai_usage": type(tx.ai_usage).__name__}
        assert all(getattr(tx, name).db is tx.db for name in areas)  # one transaction for all
    assert areas == {
        "sessions": "TurnTx",
        "people": "PeopleRepository",
        "records": "RecordsRepository",
        "audit": "AuditRepository",
        "reminders": "RemindersRepository",
        "groups": "GroupRepository",
        "privacy": "PrivacyRepository",
        "teams": "TeamsRepository",
        "ai_usage": "AiUsageRepository",
    }


async def test_work_in_every_area_commits_together_or_not_at_all(store: Store) -> None:
    with pytest.raises(RuntimeError):
        async with store.turn("k") as tx:
            await tx.sessions.save_session(_session())
            await tx.people.add_person("worker-a", "Sam Worker", "admin", NOW)
            await tx.audit.add_audit(NOW, "admin", "people_changed", "person", "worker-a", {})
            await tx.reminders.schedule(
                reminder_id="r1", owner=OWNER, platform="slack", channel=None, kind="after_visit",
                due_at=NOW, tz=None, payload={}, now=NOW,
            )  # fmt: skip
            await tx.ai_usage.record(UsageRecord("s1", OWNER, "challenge", "ok", NOW, 10, 5))
            raise RuntimeError("the turn fails after all of it")
    async with store.read() as tx:
        assert await tx.load_session("s1") is None
        assert await tx.people.person("worker-a") is None
        assert await tx.audit.count_audit() == 0
        assert await tx.reminders.get("r1") is None
        assert await tx.ai_usage.tokens_used("s1") == 0


async def test_people_teams_roles_and_links(store: Store) -> None:
    async with store.turn("admin") as tx:
        people = tx.people
        await people.add_person("worker-a", "Sam Worker", "admin", NOW)
        await people.add_person("sup-a", "Alex Supervisor", "admin", NOW)
        await people.add_identity(OWNER, "worker-a", "slack", NOW)
        await people.add_team("harbour", "Harbour Team", "admin", NOW)
        assert await people.add_member("harbour", "worker-a", "admin", NOW)
        assert not await people.add_member("harbour", "worker-a", "admin", NOW)  # once
        assert await people.grant_role("sup-a", "supervisor", "admin", NOW)
        assert await people.add_link("sup-a", None, "harbour", "admin", NOW)
        assert not await people.add_link("sup-a", None, "harbour", "admin", NOW)
        with pytest.raises(InvalidRequest):
            await people.add_link("sup-a", "worker-a", "harbour", "admin", NOW)
    async with store.read() as tx:
        snapshot = await tx.people.people_snapshot()
        assert await tx.people.person_for_owner(OWNER) == "worker-a"
        assert not await tx.people.any_admin()
    assert [p.display_name for p in snapshot.people] == ["Alex Supervisor", "Sam Worker"]
    assert snapshot.identities == ((OWNER, "worker-a"),)
    assert snapshot.members == (("harbour", "worker-a"),)
    assert snapshot.roles == (("sup-a", "supervisor"),)
    assert [(link.supervisor_id, link.team_id) for link in snapshot.links] == [("sup-a", "harbour")]


async def test_note_versions_sign_off_and_amendments(store: Store) -> None:
    async with store.turn("k") as tx:
        await tx.save_session(_session())
        assert await tx.save_note("s1", "# Note v1", OWNER, NOW) == 1
        assert await tx.records.add_signoff("s1", 1, "agreed", "worker-a", NOW)
        assert not await tx.records.add_signoff("s1", 1, "agreed", "worker-a", NOW)  # once per version
        await tx.records.add_amendment("s1", 2, "worker-a", NOW, "Added later.")
        assert await tx.save_note("s1", "# Note v2", OWNER, NOW) == 2
    async with store.read() as tx:
        assert await tx.records.latest_note_version("s1") == 2
        signoffs = await tx.records.signoffs(["s1"])
        amendments = await tx.records.amendments(["s1"])
        versions = await tx.records.note_versions(["s1"])
    assert [(s.kind, s.note_version) for s in signoffs] == [("agreed", 1)]
    assert [a.text for a in amendments] == ["Added later."]
    assert [v.version for v in versions] == [1, 2]


async def test_the_audit_trail_appends_pages_and_refuses_change(store: Store) -> None:
    async with store.turn("k") as tx:
        ids = [
            await tx.audit.add_audit(NOW, "sup-a", "viewed", "session", f"s{n}", {"n": n}) for n in range(5)
        ]
    async with store.read() as tx:
        first = await tx.audit.audit_page(0, 3)
        rest = await tx.audit.audit_page(first[-1].id, 3)
        assert await tx.audit.count_audit() == 5
    assert [r.id for r in first + rest] == ids
    assert rest[-1].detail == {"n": 4}
    with pytest.raises(AppendOnlyViolation):
        async with store.turn("k") as tx:
            pages = await tx.audit.audit_page(0, 1)
            from storage.tables import AuditEventRow

            row = await tx.db.get(AuditEventRow, pages[0].id)
            assert row is not None
            row.actor = "someone-else"
            await tx.db.flush()


async def test_reminders_dedupe_claim_once_and_back_off(store: Store) -> None:
    async with store.turn("k") as tx:
        for n in range(4):
            added = await tx.reminders.schedule(
                reminder_id=f"r{n}", owner=OWNER, platform="slack", channel="D1", kind="action_due",
                due_at=NOW - timedelta(minutes=n), tz=None, payload={"case_ref": "HX-2291"}, now=NOW,
                dedupe_key="same" if n == 3 else None,
            )  # fmt: skip
            assert added
        assert not await tx.reminders.schedule(
            reminder_id="r9", owner=OWNER, platform="slack", channel="D1", kind="action_due",
            due_at=NOW, tz=None, payload={}, now=NOW, dedupe_key="same",
        )  # fmt: skip
        assert [r.id for r in await tx.reminders.pending_for(OWNER)] == ["r3", "r2", "r1", "r0"]

    async def claim(worker: str) -> list[str]:
        async with store.read() as tx:
            return [r.id for r in await tx.reminders.claim_due(NOW, worker)]

    claims = await asyncio.gather(claim("w1"), claim("w2"))
    assert sorted(claims[0] + claims[1]) == ["r0", "r1", "r2", "r3"]  # each taken exactly once

    for attempt in range(1, MAX_ATTEMPTS + 1):
        async with store.read() as tx:
            await tx.reminders.release("r0", "timeout", NOW, permanent=False)
            reminder = await tx.reminders.get("r0")
        assert reminder is not None and reminder.attempts == attempt
        assert reminder.status == ("failed" if attempt == MAX_ATTEMPTS else "pending")
    async with store.read() as tx:
        await tx.reminders.release("r1", "gone", NOW, permanent=True)
        assert (await tx.reminders.get("r1")).status == "failed"  # type: ignore[union-attr]
        assert await tx.reminders.move("r2", OWNER, NOW + timedelta(days=1))
        assert not await tx.reminders.move("r2", "slack:T1:someone-else", NOW)
        assert await tx.reminders.set_status("r2", OWNER, "cancelled")


async def test_group_sessions_open_filed_and_roles(store: Store) -> None:
    facilitator = Participant(id="U1", name="Alex")
    channel = "slack:T1:C1"
    for n, status in enumerate(["filed", "filed", "in_progress"]):
        group = GroupSession(
            id=f"g{n}", channel_key=channel, model_id="group_supervision", model_version=1,
            status=status,  # type: ignore[arg-type]
            facilitator=facilitator, observer_id=f"U{n + 2}",
            started_at=NOW + timedelta(days=n), updated_at=NOW + timedelta(days=n),
        )  # fmt: skip
        async with store.turn(channel) as tx:
            await tx.groups.save(group, minutes=f"minutes {n}" if status == "filed" else None)
    async with store.read() as tx:
        open_group = await tx.groups.load_open(channel)
        roles = await tx.groups.previous_roles(channel)
        loaded = await tx.groups.load("g0")
        assert await tx.groups.load_open("slack:T1:other") is None
    assert open_group is not None and open_group.id == "g2"
    assert roles == ({"U3": "observer"}, {"U2": "observer"})  # newest filed first
    assert loaded is not None and loaded[1] == "minutes 0"


async def test_privacy_holds_and_deletes_a_session_with_everything_under_it(store: Store) -> None:
    async with store.turn("k") as tx:
        await tx.save_session(_session("s1"))
        await tx.save_session(_session("s2", owner="slack:T1:U2", case_ref="HX-1"))
        await tx.save_note("s1", "# Note", OWNER, NOW)
        await tx.records.add_signoff("s1", 1, "signed", "sup-a", NOW)
        hold = await tx.privacy.add_hold("case", "HX-1", "proceedings", "dpo", NOW)
    async with store.turn("k") as tx:
        privacy = tx.privacy
        assert [h.active for h in await privacy.holds()] == [True]
        await privacy.release_hold(hold, "dpo", NOW)
        assert [h.active for h in await privacy.holds()] == [False]
        assert {s.id for s in await privacy.sessions_of(frozenset({OWNER}), None)} == {"s1"}
        assert {s.id for s in await privacy.sessions_of(frozenset(), "HX-1")} == {"s2"}
        assert await privacy.signed_sessions(["s1", "s2"]) == {"s1"}
        assert await privacy.count_session_children(["s1"]) == {
            "answers": 1, "hypotheses": 0, "actions": 0, "notes": 1, "signoffs": 1, "note_amendments": 0,
        }  # fmt: skip
        await privacy.delete_sessions(["s1"])
    async with store.read() as tx:
        assert await tx.load_session("s1") is None
        assert await tx.privacy.count_session_children(["s1"]) == dict.fromkeys(
            ("answers", "hypotheses", "actions", "notes", "signoffs", "note_amendments"), 0
        )
        documents = await tx.privacy.session_documents(frozenset({"slack:T1:U2"}), None)
    assert [d["id"] for d in documents] == ["s2"]
    assert [a["text"] for a in documents[0]["answers"]] == ["A cold flat."]
    assert "answers" not in documents[0]["engine_state"]  # one home for answers


async def test_teams_references_upsert_find_deactivate_and_greet_once(store: Store) -> None:
    async with store.turn("teams") as tx:
        for n in range(2):
            await tx.teams.remember(
                key="tenant:a:personal", tenant_id="tenant", conversation_type="personal", user_id="u1",
                reference_json=f'{{"n": {n}}}', now=NOW + timedelta(minutes=n),
            )  # fmt: skip
        found = await tx.teams.for_user("tenant", "u1")
        assert found is not None and found.reference_json == '{"n": 1}'
        assert await tx.teams.claim_greeting("tenant:a:personal", NOW)
        assert not await tx.teams.claim_greeting("tenant:a:personal", NOW)
        await tx.teams.deactivate("tenant:a:personal", "forbidden", NOW)
    async with store.read() as tx:
        gone = await tx.teams.load("tenant:a:personal")
    assert gone is not None and not gone.active and gone.inactive_reason == "forbidden"


async def test_a_held_teams_file_is_taken_once_by_its_owner_and_lapses_after_a_day(store: Store) -> None:
    from storage.teams_repository import HELD_FOR, HeldFile

    def held(token: str, at: datetime) -> HeldFile:
        return HeldFile(
            token, "tenant:a:personal", "u1", "r.docx", "application/x", "Record: HX-2291", "UEsDBA==", at
        )

    async with store.turn("files") as tx:
        await tx.teams.hold_file(held("t-old", NOW))
        await tx.teams.hold_file(held("t-1", NOW + timedelta(minutes=1)))
    async with store.turn("files") as tx:
        assert await tx.teams.take_file("t-1", "tenant:a:personal", "u2", NOW) is None  # not theirs
        assert await tx.teams.take_file("t-1", "tenant:b:personal", "u1", NOW) is None  # not this chat
        taken = await tx.teams.take_file("t-1", "tenant:a:personal", "u1", NOW + timedelta(minutes=2))
        assert taken is not None and taken.title == "Record: HX-2291" and taken.data == "UEsDBA=="
        assert await tx.teams.take_file("t-1", "tenant:a:personal", "u1", NOW) is None  # once
        late = NOW + HELD_FOR + timedelta(minutes=1)
        assert await tx.teams.take_file("t-old", "tenant:a:personal", "u1", late) is None  # lapsed
        # and holding a new one sweeps what lapsed
        await tx.teams.hold_file(held("t-2", NOW))
        await tx.teams.hold_file(held("t-3", late + HELD_FOR))
        assert await tx.teams.take_file("t-2", "tenant:a:personal", "u1", NOW) is None


async def test_ai_usage_in_a_turn_and_outside_one(store: Store) -> None:
    async with store.turn("k") as tx:
        await tx.ai_usage.record(UsageRecord("s1", OWNER, "challenge", "ok", NOW, 100, 20))
        await tx.ai_usage.record(UsageRecord("s1", OWNER, "summary", "timeout", NOW))
    ledger = StoreLedger(store)
    await ledger.record(UsageRecord("s1", OWNER, "followup", "ok", NOW + timedelta(minutes=1), 30, 10))
    assert await ledger.tokens_used("s1") == 160
    assert await ledger.calls_since(OWNER, NOW) == 2  # calls that sent tokens
    assert await ledger.calls_since(OWNER, NOW + timedelta(seconds=30)) == 1
    assert await ledger.unavailable_count("s1") == 1
    async with store.read() as tx:
        assert await tx.ai_usage.tokens_used("s1") == 160


async def test_an_error_in_any_repository_is_a_storage_error(store: Store) -> None:
    with pytest.raises(StorageError):
        async with store.turn("k") as tx:
            await tx.records.add_amendment("no-such-session", 1, "worker-a", NOW, "text")
