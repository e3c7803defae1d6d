"""Purge deletes exactly what expired, everywhere it lives, spares legal holds, and is audited."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import func, select

from bot.privacy.holds import add_hold, list_holds, release_hold
from bot.privacy.retention import purge
from bot.privacy.settings import RetentionSettings
from storage.repository import Store
from storage.tables import (
    ActionRow,
    AiUsageRow,
    AnswerRow,
    AuditEventRow,
    GroupSessionRow,
    HypothesisRow,
    NoteRow,
    ProcessedEventRow,
    ReminderRow,
    SessionRow,
    SignoffRow,
)
from tests.privacy.conftest import (
    NOW,
    OLD,
    RECENT,
    add_event_and_usage,
    add_group,
    add_person,
    add_reminder,
    add_session,
)

A = "slack:T1:UA"  # worker-a
B = "slack:T1:UB"  # worker-b (held)


async def seed(store: Store) -> None:
    async with store.turn("seed") as tx:
        await add_person(tx, "worker-b", B)
        await add_session(tx, "old-a", A, "HX-0001", OLD, signed=True)
        await add_session(tx, "new-a", A, "HX-0001", RECENT)
        await add_session(tx, "old-b", B, "HX-0002", OLD)  # held: person
        await add_session(tx, "old-c", A, "HX-0003", OLD)  # held: case
        await add_group(tx, "g-old", "UA", ["UC"], "HX-0001", OLD)
        await add_group(tx, "g-held", "UA", ["UB"], "HX-0001", OLD)  # a held person attended
        await add_group(tx, "g-new", "UA", ["UC"], "HX-0001", RECENT)
        await add_reminder(tx, "r-old", A, "delivered", OLD)
        await add_reminder(tx, "r-pending", A, "pending", OLD)  # pending: never purged
        await add_reminder(tx, "r-new", A, "delivered", RECENT)
        await add_reminder(tx, "r-held", B, "cancelled", OLD)
        await add_event_and_usage(tx, "e-old", A, NOW - timedelta(days=400))
        await add_event_and_usage(tx, "e-new", A, NOW - timedelta(days=5))
        await add_hold(tx, "person", "worker-b", "Employment tribunal", "admin-a", OLD)
        await add_hold(tx, "case", "HX-0003", "Care proceedings", "admin-a", OLD)


async def ids(store: Store, column: object) -> set[str]:
    async with store.read() as tx:
        return {str(v) for v in (await tx.db.scalars(select(column))).all()}  # type: ignore[call-overload]


async def count(store: Store, row: object) -> int:
    async with store.read() as tx:
        return int(await tx.db.scalar(select(func.count()).select_from(row)) or 0)  # type: ignore[arg-type]


async def test_purge_deletes_exactly_what_expired_and_spares_holds(store: Store) -> None:
    await seed(store)

    dry = await purge(store, NOW, dry_run=True)
    assert dry.counts["sessions"] == 1 and await count(store, SessionRow) == 4  # nothing deleted

    report = await purge(store, NOW)
    assert report.counts == dry.counts
    assert report.counts["sessions"] == 1
    assert report.counts["answers"] == report.counts["notes"] == report.counts["signoffs"] == 1
    assert report.held["sessions"] == 2 and report.held["group_sessions"] == 1
    assert await ids(store, SessionRow.id) == {"new-a", "old-b", "old-c"}
    for row in (AnswerRow, HypothesisRow, ActionRow, NoteRow):
        assert await count(store, row) == 3  # the expired session's children went with it
    assert await count(store, SignoffRow) == 0
    assert await ids(store, GroupSessionRow.id) == {"g-held", "g-new"}
    assert await ids(store, ReminderRow.id) == {"r-pending", "r-new", "r-held"}
    assert await ids(store, ProcessedEventRow.event_key) == {"e-new"}
    assert await count(store, AiUsageRow) == 1

    async with store.read() as tx:
        events = (await tx.db.scalars(select(AuditEventRow).where(AuditEventRow.action == "purged"))).all()
    assert len(events) == 2  # the dry run is audited too
    detail = json.loads(events[-1].detail)
    assert detail["dry_run"] is False and detail["deleted"]["sessions"] == 1
    assert "Curtains" not in events[-1].detail  # counts, never content

    again = await purge(store, NOW)
    assert again.total == 0  # idempotent


async def test_a_released_hold_no_longer_protects_and_periods_are_configurable(store: Store) -> None:
    await seed(store)
    async with store.turn("t") as tx:
        case_hold = next(h for h in await list_holds(tx) if h.kind == "case")
        await release_hold(tx, case_hold.id, "admin-a", NOW)
        assert [h.kind for h in await list_holds(tx, include_released=False)] == ["person"]
    await purge(store, NOW)
    assert await ids(store, SessionRow.id) == {"new-a", "old-b"}

    short = RetentionSettings(sessions_days=5, group_sessions_days=5, reminders_days=5)
    await purge(store, NOW, settings=short)
    assert await ids(store, SessionRow.id) == {"old-b"}  # still held
    assert await ids(store, GroupSessionRow.id) == {"g-held"}
    assert await ids(store, ReminderRow.id) == {"r-pending", "r-held"}


def test_retention_periods_come_from_the_environment(monkeypatch: object) -> None:
    import pytest

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    monkeypatch.setenv("REFLECT_RETENTION_SESSIONS_DAYS", "3650")
    monkeypatch.setenv("REFLECT_RETENTION_PROCESSED_EVENTS_DAYS", "7")
    settings = RetentionSettings()
    assert settings.period("sessions") == timedelta(days=3650)
    assert settings.period("processed_events") == timedelta(days=7)
    assert settings.period("reminders") == timedelta(days=90)


async def test_an_export_left_waiting_for_teams_file_consent_goes_after_a_day(store: Store) -> None:
    from storage.tables import TeamsHeldFileRow
    from storage.teams_repository import HeldFile

    async with store.turn("files") as tx:
        for token, age in (("t-new", timedelta(hours=2)), ("t-old", timedelta(days=2))):
            await tx.teams.hold_file(
                HeldFile(
                    token, "tenant:a:p", "u1", "r.pdf", "application/pdf", "Record", "JVBERi0=", NOW - age
                )
            )
    dry = await purge(store, NOW, dry_run=True)
    assert dry.counts["teams_held_files"] == 1 and await count(store, TeamsHeldFileRow) == 2
    report = await purge(store, NOW)
    assert report.counts["teams_held_files"] == 1
    assert await ids(store, TeamsHeldFileRow.token) == {"t-new"}
