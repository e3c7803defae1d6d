"""The audit trail: who viewed, exported, agreed, signed or changed what, and when.

Supervision records can be disclosed in court and sit in people's HR files, so every read
of someone else's record and every change leaves a row. The trail is append-only: this
module only ever inserts, the ORM refuses updates and deletes of audit rows, and the
database has triggers that refuse them too (storage.tables, migration 0002).

An admin can export the whole trail as CSV or JSON; the export is itself audited first, so
the file shows its own making.

Refused attempts are audited too (`refused`, `refusals_audited`): an action "refused" whose
detail says what was attempted, `outcome: refused` and a reason code, on every surface.

No names: rows hold ids (person ids, team ids, chat identities, session ids, case
references), codes and counts, never a person's or a team's name. Names live only in the
people and teams tables, encrypted, so erasing a person deletes the one place their name
could be read beside these rows, while the rows themselves stay (`export_audit` shows a
name beside each id while the person exists, and "erased" after).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import IO, Any, Literal

from bot.errors import AccessDenied, InvalidRequest, NotFound
from bot.records.directory import Directory, Requester
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
    "audit_rewritten",  # migration 0140 replaced names in old export rows by ids (a count)
    "refused",  # any other attempt refused: detail names what was attempted and why (a code)
]
Refusal = AccessDenied | InvalidRequest | NotFound
REFUSALS = (AccessDenied, InvalidRequest, NotFound)
_CODE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
AuditFormat = Literal["csv", "json"]
AUDIT_SCHEMA_VERSION = 2  # 2: actor_name and target_name, read from the people tables at export
CSV_COLUMNS = (
    "id",
    "at",
    "actor",
    "actor_name",
    "action",
    "target_kind",
    "target_id",
    "target_name",
    "detail",
)
Names = Callable[[str | None], str]


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


def reason_code(error: Exception) -> str:
    """The code a refusal was raised with (refusals.yaml keys), never its words."""
    message = str(error.args[0]) if error.args else ""
    if _CODE.fullmatch(message):
        return message
    if isinstance(error, AccessDenied):
        return "access_denied"
    return "not_found" if isinstance(error, NotFound) else "invalid_request"


async def refused(
    rtx: AuditRepository,
    actor: Requester | str,
    attempted: AuditAction,
    target_kind: str,
    target_id: str | None,
    error: Exception,
    now: datetime,
    **detail: str | int | None,
) -> int:
    """Append the row for a refused attempt: who, what was attempted, when, and why (a code)."""
    return await record(
        rtx,
        actor,
        "refused",
        target_kind,
        target_id,
        {"attempted": attempted, "outcome": "refused", "reason": reason_code(error), **detail},
        now,
    )


@asynccontextmanager
async def refusals_audited(
    store: Store,
    actor: Requester | str,
    attempted: AuditAction,
    target_kind: str,
    target_id: str | None,
    now: datetime,
    **detail: str | int | None,
) -> AsyncIterator[None]:
    """Run the block; if it is refused, audit that in a transaction of its own (the block's
    own transaction is rolled back by the refusal) and let the refusal go on to the surface.

    `actor` as typed (`--as`, a chat identity) is turned into the key the audit uses."""
    try:
        yield
    except REFUSALS as error:
        async with store.read() as tx:
            if isinstance(actor, str):
                actor = Directory(await tx.people.people_snapshot()).requester(actor)
            await refused(tx.audit, actor, attempted, target_kind, target_id, error, now, **detail)
        raise


def names_from(directory: Directory) -> Names:
    """The name behind an id as the people and teams tables hold it now: a registered
    person's or team's name, else "" (never registered, or erased since)."""

    def name(key: str | None) -> str:
        if not key:
            return ""
        person = directory.person(key) or (
            directory.person(found) if (found := directory.person_of(key)) else None
        )
        if person is not None:
            return person.display_name
        team = directory.team(key) if ":" not in key else None
        return team.name if team is not None else ""

    return name


def _row(event: AuditRecord, names: Names) -> list[str]:
    return [
        str(event.id),
        event.at.isoformat(),
        event.actor,
        names(event.actor),
        event.action,
        event.target_kind,
        event.target_id or "",
        names(event.target_id),
        json.dumps(event.detail, sort_keys=True),
    ]


def _event_json(event: AuditRecord, names: Names) -> dict[str, Any]:
    return {
        "id": event.id,
        "at": event.at.isoformat(),
        "actor": event.actor,
        "actor_name": names(event.actor) or None,
        "action": event.action,
        "target_kind": event.target_kind,
        "target_id": event.target_id,
        "target_name": names(event.target_id) or None,
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
    async with refusals_audited(store, requester, "audit_exported", "audit", None, now):
        if not requester.is_admin:
            raise refusal("audit_denied")
    async with store.read() as tx:
        await record(tx.audit, requester, "audit_exported", "audit", None, {"format": fmt}, now)
        names = names_from(Directory(await tx.people.people_snapshot()))
    handle: IO[bytes] = out.open("wb") if isinstance(out, Path) else out
    try:
        return await _write(store.read, handle, fmt, now, names)
    finally:
        if isinstance(out, Path):
            handle.close()


async def _write(
    tx_factory: Callable[[], AbstractAsyncContextManager[TurnTx]],
    handle: IO[bytes],
    fmt: AuditFormat,
    now: datetime,
    names: Names,
) -> int:
    text = io.TextIOWrapper(handle, encoding="utf-8", newline="", write_through=True)
    count = 0
    try:
        if fmt == "csv":
            writer = csv.writer(text)
            writer.writerow(CSV_COLUMNS)
            async for event in iterate_audit(tx_factory):
                writer.writerow([spreadsheet_safe(c) for c in _row(event, names)])
                count += 1
        else:
            exported_at = json.dumps(now.isoformat())
            text.write(
                f'{{"schema": "reflect-audit-trail", "schema_version": {AUDIT_SCHEMA_VERSION}, '
                f'"exported_at": {exported_at}, "events": ['
            )
            async for event in iterate_audit(tx_factory):
                text.write(
                    ("," if count else "") + "\n" + json.dumps(_event_json(event, names), sort_keys=True)
                )
                count += 1
            text.write(f'\n], "count": {count}}}\n')
        text.flush()
    finally:
        text.detach()  # leave the caller's binary handle open
    return count


def spreadsheet_safe(cell: str) -> str:
    """Spreadsheets run cells that start with = + - @ as formulas; keep them as text."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell
