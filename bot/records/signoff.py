"""Sign-off: the worker agrees a note, then their supervisor signs it; both dated.

A note is compiled once, when the reflection ends (version 1). Nothing edits it after that:
any addition is appended as a new note version, with who and when, and the earlier
versions stay as they were. Agreement and signature name the version they were given to,
so the history shows exactly what was agreed and signed, and whether anything was added
since. Sign-off rows and amendments are append-only in storage, like the audit trail.

The order is deliberate: the record is the worker's account first, so a supervisor signs
only a version the worker has agreed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from bot.engine.state import Session
from bot.records import audit
from bot.records.access import (
    not_found,
    reach,
    refusal,
    require_contributor,
    require_owner,
    require_signer,
)
from bot.records.people import Directory, Requester
from bot.records.refusals import invalid
from bot.wording import Wording
from storage.records_repository import AmendmentRecord, NoteVersionRecord, SessionSummary, SignoffRecord
from storage.repository import TurnTx

# "filed": facilitated group minutes, reviewed by the members and filed by the facilitator.
StatusCode = Literal["complete", "agreed", "signed", "amended_after_signing", "filed"]


Waiting = Literal["agreement", "signature"]


@dataclass(frozen=True)
class RecordStatus:
    """Where a note stands: the one place that decides it (chat, CLI, overview and exports
    all ask here). Only the latest version counts: an addition after agreement or signature
    needs agreeing, then signing, again."""

    code: StatusCode
    latest_version: int
    agreed: SignoffRecord | None  # the most recent agreement, if any
    signed: SignoffRecord | None  # the most recent signature, if any

    @property
    def waiting_for(self) -> Waiting | None:
        """What the latest version waits for: the worker's agreement, a signature, or nothing."""
        if self.code in ("complete", "amended_after_signing"):
            return "agreement"
        if self.code == "agreed":
            return "signature"
        return None

    @property
    def awaits_signature(self) -> bool:
        return self.waiting_for == "signature"


def record_status(signoffs: Sequence[SignoffRecord], latest_version: int) -> RecordStatus:
    """`complete`: the latest version is not agreed yet (and nothing was ever signed);
    `agreed`: the worker agreed the latest version, a signature is awaited; `signed`: the
    latest version is signed; `amended_after_signing`: an earlier version was signed and the
    latest is not agreed yet."""

    def latest(kind: str) -> SignoffRecord | None:
        found = [s for s in signoffs if s.kind == kind]
        return max(found, key=lambda s: (s.note_version, s.at)) if found else None

    agreed, signed = latest("agreed"), latest("signed")
    code: StatusCode
    if signed is not None and signed.note_version >= latest_version:
        code = "signed"
    elif agreed is not None and agreed.note_version >= latest_version:
        code = "agreed"
    elif signed is not None:
        code = "amended_after_signing"
    else:
        code = "complete"
    return RecordStatus(code, latest_version, agreed, signed)


@dataclass(frozen=True)
class NoteHistory:
    """Everything that happened to a note after it was compiled, for display and export."""

    session_id: str
    versions: tuple[NoteVersionRecord, ...]
    signoffs: tuple[SignoffRecord, ...]
    amendments: tuple[AmendmentRecord, ...]
    status: RecordStatus


@dataclass(frozen=True)
class SignoffOutcome:
    session: Session
    version: int
    done: bool  # False when it had already been done for this version
    status: RecordStatus


async def _load(tx: TurnTx, session_id: str, ref: str) -> tuple[Session, int]:
    session = await tx.load_session(session_id)
    if session is None or session.status != "complete":
        raise not_found("no_note", ref=ref)
    version = await tx.records.latest_note_version(session_id)
    if version is None:
        raise not_found("no_note_yet")
    return session, version


async def history(tx: TurnTx, session_id: str) -> NoteHistory:
    rtx = tx.records
    versions = tuple(await rtx.note_versions([session_id]))
    signoffs = tuple(await rtx.signoffs([session_id]))
    latest = versions[-1].version if versions else 0
    return NoteHistory(
        session_id,
        versions,
        signoffs,
        tuple(await rtx.amendments([session_id])),
        record_status(signoffs, latest),
    )


async def statuses_of(tx: TurnTx, session_ids: Sequence[str]) -> dict[str, RecordStatus]:
    """Where each of these notes stands, read in two queries."""
    latest = await tx.records.latest_note_versions(session_ids)
    by_session: dict[str, list[SignoffRecord]] = {i: [] for i in session_ids}
    for s in await tx.records.signoffs(session_ids):
        by_session[s.session_id].append(s)
    return {i: record_status(by_session[i], latest.get(i, 1)) for i in session_ids}


async def awaiting_signature(tx: TurnTx, owners: Sequence[str], limit: int) -> list[str]:
    """Notes of these owners whose latest version the worker agreed and nobody signed yet."""
    candidates = await tx.records.sessions_with_signoff(owners, "agreed")
    found = await statuses_of(tx, candidates)
    return [i for i in candidates if found[i].awaits_signature][:limit]


async def agree(
    tx: TurnTx, requester: Requester, session_id: str, now: datetime, ref: str = ""
) -> SignoffOutcome:
    """The worker agrees the latest version of their own note."""
    session, version = await _load(tx, session_id, ref or session_id)
    require_owner(requester, session.owner)
    done = await tx.records.add_signoff(session_id, version, "agreed", requester.key, now)
    if done:
        await audit.record(
            tx.audit, requester, "agreed", "session", session_id, {"note_version": version}, now
        )
    return SignoffOutcome(session, version, done, (await history(tx, session_id)).status)


async def sign(
    tx: TurnTx, requester: Requester, directory: Directory, session_id: str, now: datetime, ref: str = ""
) -> SignoffOutcome:
    """The supervisor signs the latest version, once the worker has agreed that version."""
    session, version = await _load(tx, session_id, ref or session_id)
    require_signer(requester, directory, session.owner, ref or session_id)
    status = (await history(tx, session_id)).status
    if status.agreed is None or status.agreed.note_version < version:
        raise refusal("not_agreed_yet", name=directory.name_of(session.owner))
    done = await tx.records.add_signoff(session_id, version, "signed", requester.key, now)
    if done:
        await audit.record(
            tx.audit,
            requester,
            "signed",
            "session",
            session_id,
            {"note_version": version, "worker": directory.id_for_owner(session.owner)},
            now,
        )
    return SignoffOutcome(session, version, done, (await history(tx, session_id)).status)


async def amend(
    tx: TurnTx,
    requester: Requester,
    directory: Directory,
    session_id: str,
    text: str,
    now: datetime,
    wording: Wording,
    ref: str = "",
) -> int:
    """Append `text` to a note as a new version; return the new version number."""
    text = text.strip()
    if not text:
        raise invalid("empty_amendment")
    session, _version = await _load(tx, session_id, ref or session_id)
    require_contributor(requester, directory, session.owner)
    previous = await tx.latest_note(session_id)
    assert previous is not None  # _load found a version
    addendum = wording.text(
        "records/amendment.md.j2",
        version=previous.version + 1,
        by=requester.name,
        at=now,
        text=text,
        signed_before=(await history(tx, session_id)).status.signed is not None,
    )
    version = await tx.save_note(
        session_id, previous.markdown.rstrip() + "\n\n" + addendum + "\n", requester.key, now
    )
    await tx.records.add_amendment(session_id, version, requester.key, now, text)
    await audit.record(tx.audit, requester, "amended", "session", session_id, {"note_version": version}, now)
    return version


@dataclass(frozen=True)
class NoteLine:
    """One line of a person's list of notes: a draft (not finished), or a finished note with
    where it stands and its latest version."""

    session: SessionSummary
    status: StatusCode | Literal["draft"]
    version: int  # 0 for a draft: no note yet


async def notes_of(
    tx: TurnTx,
    requester: Requester,
    directory: Directory,
    person_ref: str | None,
    now: datetime,
    limit: int = 500,
) -> list[NoteLine]:
    """A person's notes, newest first: one's own (drafts included), or a supervisee's finished
    ones for their supervisor. Refused otherwise; audited as listed."""
    if person_ref is None:
        owners, own, target = requester.identities, True, requester.key
    else:
        found = directory.resolve(person_ref)
        if found is None:
            raise not_found("no_person", name=person_ref)
        owners, target = directory.identities_of(found), found
        own = bool(owners) and owners <= requester.identities
        allowed = reach(requester, directory)
        if not own and (not owners or any(allowed.audience_for(o) != "supervisor" for o in owners)):
            raise refusal("not_your_supervisee", name=directory.name_of(found))
    statuses = ("complete", "paused", "active") if own else ("complete",)
    summaries = await tx.records.session_summaries(sorted(owners), statuses, limit)
    found_status = await statuses_of(tx, [s.id for s in summaries if s.status == "complete"])
    lines = [
        NoteLine(s, found_status[s.id].code, found_status[s.id].latest_version)
        if s.id in found_status
        else NoteLine(s, "draft", 0)
        for s in summaries
    ]
    await audit.record(
        tx.audit, requester, "listed", "person", target, {"count": len(lines), "own": own}, now
    )
    return lines
