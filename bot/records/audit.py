"""The audit trail: who viewed, exported, agreed, signed or changed what, and when.

Supervision records can be disclosed in court and sit in people's HR files, so every read
of someone else's record and every change leaves a row. The trail is append-only: this
module only ever inserts, the ORM refuses updates and deletes of audit rows, and the
database has triggers that refuse them too (storage.tables, migration 0002).

An admin can export the whole trail as CSV or JSON; the export is itself audited first, so
the file shows its own making.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from pathlib import Path
from typing import IO, Any, Literal

from bot.records.directory import Requester
from bot.records.refusals import refusal
from storage.records_repository import AuditRecord, AuditRepository, iterate_audit
from storage.repository import Store, TurnTx

AuditAction = Literal[
    "viewed",  # a note was shown (a supervisor reading a supervisee's note, or one's own)
    "listed",  # a list of notes was shown
    "exported",  # records left the system as a file
    "agreed",  # the worker agreed a note version
    "signed",  # the supervisor signed a note version
    "amended",  # text was appended to a note as a new version
    "overview_viewed",  # a team's overview was shown
    "people_changed",  # people, teams, roles or supervision links changed
    "audit_exported",  # the audit trail itself was exported
    "held",  # a legal hold was placed on a person or a case
    "hold_released",  # a legal hold was released
    "purged",  # a retention purge ran (counts only)
    "subject_access_exported",  # everything about a person or case was exported
    "erased",  # a person's or a case's records were erased
    "identity_refused",  # a request claimed someone other than the owner of its direct conversation
]
AuditFormat = Literal["csv", "json"]
AUDIT_SCHEMA_VERSION = 1
CSV_COLUMNS = ("id", "at", "actor", "action", "target_kind", "target_id", "detail")


async def record(
    rtx: AuditRepository,
    actor: Requester | str,
    action: AuditAction,
    target_kind: str,
    target_id: str | None,
    detail: dict[str, Any],
    now: datetime,
) -> int:
    """Append one event. `actor` is a person id, or a chat identity for unregistered users."""
    key = actor if isinstance(actor, str) else actor.key
    return await rtx.add_audit(now, key, action, target_kind, target_id, detail)


def _row(event: AuditRecord) -> list[str]:
    return [
        str(event.id),
        event.at.isoformat(),
        event.actor,
        event.action,
        event.target_kind,
        event.target_id or "",
        json.dumps(event.detail, sort_keys=True),
    ]


def _event_json(event: AuditRecord) -> dict[str, Any]:
    return {
        "id": event.id,
        "at": event.at.isoformat(),
        "actor": event.actor,
        "action": event.action,
        "target_kind": event.target_kind,
        "target_id": event.target_id,
        "detail": event.detail,
    }


async def export_audit(
    store: Store,
    requester: Requester,
    out: Path | IO[bytes],
    fmt: AuditFormat,
    now: datetime,
) -> int:
    """Write every audit event to `out` (streamed, one page at a time); return how many."""
    if not requester.is_admin:
        raise refusal("audit_denied")
    async with store.read() as tx:
        await record(tx.audit, requester, "audit_exported", "audit", None, {"format": fmt}, now)
    handle: IO[bytes] = out.open("wb") if isinstance(out, Path) else out
    try:
        return await _write(store.read, handle, fmt, now)
    finally:
        if isinstance(out, Path):
            handle.close()


async def _write(
    tx_factory: Callable[[], AbstractAsyncContextManager[TurnTx]],
    handle: IO[bytes],
    fmt: AuditFormat,
    now: datetime,
) -> int:
    text = io.TextIOWrapper(handle, encoding="utf-8", newline="", write_through=True)
    count = 0
    try:
        if fmt == "csv":
            writer = csv.writer(text)
            writer.writerow(CSV_COLUMNS)
            async for event in iterate_audit(tx_factory):
                writer.writerow([spreadsheet_safe(c) for c in _row(event)])
                count += 1
        else:
            exported_at = json.dumps(now.isoformat())
            text.write(
                f'{{"schema": "reflect-audit-trail", "schema_version": {AUDIT_SCHEMA_VERSION}, '
                f'"exported_at": {exported_at}, "events": ['
            )
            async for event in iterate_audit(tx_factory):
                text.write(("," if count else "") + "\n" + json.dumps(_event_json(event), sort_keys=True))
                count += 1
            text.write(f'\n], "count": {count}}}\n')
        text.flush()
    finally:
        text.detach()  # leave the caller's binary handle open
    return count


def spreadsheet_safe(cell: str) -> str:
    """Spreadsheets run cells that start with = + - @ as formulas; keep them as text."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell
