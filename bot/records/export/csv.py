"""CSV: one row per session, with the quality indicators as columns.

For counting and charts, not for reading: no free text, so a spreadsheet of a team's year
holds no worker's words. Indicator cells are "yes", "no", or empty when the session's
reflection model cannot evidence that indicator. Rows are written as they come, so memory
stays flat for tens of thousands of sessions.
"""

from __future__ import annotations

import csv
import io
from typing import IO

from bot.records.audit import spreadsheet_safe
from bot.records.export.view import ExportMeta, ExportRecord
from bot.records.quality import ALL_INDICATORS

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

    def finish(self) -> None:
        self.text.flush()
        self.text.detach()
