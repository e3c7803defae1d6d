"""CSV: one row per session, with the quality indicators as columns.

For counting and charts, not for reading: no free text, so a spreadsheet of a team's year
holds no worker's words. Indicator cells are "yes", "no", or empty when the session's
reflection model cannot evidence that indicator. Rows are written as they come, so memory
stays flat for tens of thousands of sessions.

A session's quality indicators, visit type and item counts are stored with it when it
completes (`session_facts`, the sessions.facts column), so a CSV row is made from plain
columns and sign-offs without decrypting anything (`facts_row`). Sessions completed before
that column existed, and group sessions, are read whole and made into rows by `row`.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import IO, Any

from bot.engine.state import Session
from bot.records.audit import spreadsheet_safe
from bot.records.export.view import ExportMeta, ExportRecord, PersonRef
from bot.records.note import Audience, build_note_view
from bot.records.quality import ALL_INDICATORS
from bot.records.signoff import record_status
from storage.records_repository import SessionFacts, SignoffRecord
from supervision_models.schema import ReflectionModel

FACTS_VERSION = 1

BASE_COLUMNS = (
    "session_id",
    "kind",
    "worker_id",
    "worker_name",
    "case_ref",
    "model_id",
    "model_version",
    "model_title",
    "started_at",
    "ended_at",
    "visit",
    "record_status",
    "note_version",
    "agreed_at",
    "agreed_by",
    "signed_at",
    "signed_by",
    "hypotheses",
    "actions",
    "risk_flagged",
    "private_withheld",
)
INDICATOR_COLUMNS = tuple(f"indicator_{name}" for name in ALL_INDICATORS)
COLUMNS = BASE_COLUMNS + INDICATOR_COLUMNS


def row(record: ExportRecord) -> list[str]:
    s = record.session
    agreed, signed = record.latest("agreed"), record.latest("signed")
    present = {i.name: i.present for i in record.note.indicators}
    values = [
        s.id,
        record.kind,
        record.worker.id,
        record.worker.name,
        s.case_ref or "",
        s.model_id,
        str(s.model_version),
        record.model.title,
        s.started_at.isoformat(),
        s.ended_at.isoformat() if s.ended_at else "",
        record.visit or "",
        record.status.code,
        str(record.status.latest_version),
        agreed.at.isoformat() if agreed else "",
        agreed.by.name if agreed else "",
        signed.at.isoformat() if signed else "",
        signed.by.name if signed else "",
        str(len(record.note.hypotheses)),
        str(len(record.note.actions)),
        "yes" if s.risk_flagged else "no",
        "yes" if record.note.private_withheld else "no",
    ]
    values += ["" if name not in present else ("yes" if present[name] else "no") for name in ALL_INDICATORS]
    return [spreadsheet_safe(v) for v in values]


def session_facts(session: Session, model: ReflectionModel) -> str:
    """What a CSV row needs of a completed session beyond its plain columns, as stored JSON:
    codes, counts and yes/no only, never a worker's words."""
    note = build_note_view(session, model, "supervisor")
    return json.dumps(
        {
            "v": FACTS_VERSION,
            "indicators": {i.name: i.present for i in note.indicators},
            "visit": session.choices.get("visit_type"),
            "hypotheses": len(note.hypotheses),
            "actions": len(note.actions),
            "private_withheld": note.private_withheld,  # in a supervisor's copy
        },
        separators=(",", ":"),
    )


def readable_facts(stored: str | None) -> dict[str, Any] | None:
    """Stored facts this version can use, or None (then the session is read whole)."""
    if stored is None:
        return None
    facts: dict[str, Any] = json.loads(stored)
    return facts if facts.get("v") == FACTS_VERSION else None


def facts_row(
    row_: SessionFacts,
    facts: dict[str, Any],
    model: ReflectionModel,
    worker: PersonRef,
    audience: Audience,
    signoffs: Sequence[SignoffRecord],
    latest_version: int,
    name_of: Any,
) -> list[str]:
    """The same row as `row`, from the stored facts and plain columns (nothing decrypted)."""
    status = record_status(signoffs, latest_version)
    agreed, signed = status.agreed, status.signed
    present: dict[str, bool] = facts["indicators"]
    visit = None
    if facts.get("visit") is not None and any(s.id == "visit_type" for s in model.steps):
        labels = {c.value: c.label for c in model.step("visit_type").choices}
        visit = labels.get(facts["visit"], facts["visit"])
    values = [
        row_.id,
        "group" if model.audience == "group" else "individual",
        worker.id,
        worker.name,
        row_.case_ref or "",
        row_.model_id,
        str(row_.model_version),
        model.title,
        row_.started_at.isoformat(),
        row_.ended_at.isoformat() if row_.ended_at else "",
        visit or "",
        status.code,
        str(latest_version),
        agreed.at.isoformat() if agreed else "",
        name_of(agreed.actor) if agreed else "",
        signed.at.isoformat() if signed else "",
        name_of(signed.actor) if signed else "",
        str(facts["hypotheses"]),
        str(facts["actions"]),
        "yes" if row_.risk_flagged else "no",
        "yes" if audience != "worker" and facts["private_withheld"] else "no",
    ]
    values += ["" if name not in present else ("yes" if present[name] else "no") for name in ALL_INDICATORS]
    return [spreadsheet_safe(v) for v in values]


class CsvWriter:
    extension = "csv"
    mime = "text/csv"

    def __init__(self, out: IO[bytes]) -> None:
        # utf-8-sig: Excel then reads accents and curly quotes correctly.
        self.text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
        self.writer = csv.writer(self.text)

    def begin(self, meta: ExportMeta) -> None:
        self.writer.writerow(COLUMNS)

    def add(self, record: ExportRecord) -> None:
        self.writer.writerow(row(record))

    def add_row(self, values: list[str]) -> None:
        """A row already made (see `facts_row`)."""
        self.writer.writerow(values)

    def finish(self) -> None:
        self.text.flush()
        self.text.detach()
