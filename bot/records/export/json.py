"""JSON: complete and machine-readable, versioned (docs/export-schema.md, schema.json).

Each session is the same `ExportRecord` the documents are made from, so the audience rule
holds here too: a supervisor's export carries no private wellbeing answer the worker kept
back. Codes sit beside their labels (status and status_label) so programs need not parse
English. Written a session at a time: memory stays flat for any number of sessions.
"""

from __future__ import annotations

import io
import json
from datetime import datetime
from typing import IO, Any

from bot.engine.flow import session_hypotheses
from bot.records.export.layout import part_of, supervision_type, when
from bot.records.export.view import ExportMeta, ExportRecord, PersonRef, SignoffView

SCHEMA_ID = "reflect-supervision-export"
SCHEMA_VERSION = (
    1  # fields added since (issue 15: supervision, sections' part, versions' signatures) are additive
)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _person(ref: PersonRef) -> dict[str, str]:
    return {"id": ref.id, "name": ref.name}


def _signoff(x: SignoffView) -> dict[str, Any]:
    return {"kind": x.kind, "by": _person(x.by), "at": _iso(x.at), "note_version": x.note_version}


def record_json(record: ExportRecord) -> dict[str, Any]:
    """One session, as the schema's `session` object."""
    s, note = record.session, record.note
    hypotheses = session_hypotheses(s)  # the same items, in the same order, as note.hypotheses
    return {
        "id": s.id,
        "kind": record.kind,
        "audience": record.audience,
        "worker": _person(record.worker),
        "model": {
            "id": s.model_id,
            "version": s.model_version,
            "title": record.model.title,
            "audience": record.model.audience,
        },
        "platform": s.platform,
        "case_ref": s.case_ref,
        "session_status": s.status,
        "record_status": record.status.code,
        "note_version": record.status.latest_version,
        "started_at": _iso(s.started_at),
        "ended_at": _iso(s.ended_at),
        "visit": record.visit,
        "risk_flagged": s.risk_flagged,
        "share_feelings": s.share_feelings,
        "private_withheld": note.private_withheld,
        "ai_summary": None
        if note.summary is None
        else {
            "text": note.summary.text,
            "drafted_by": "ai_service",
            "approved_by": _person(record.worker),
            "edited_by_worker": note.summary.edited_by_worker,
        },
        "supervision": {
            "type": s.model_id,
            "type_label": supervision_type(record),
            "local_time": when(s.started_at),
            "supervisee": None if record.kind == "group" else _person(record.worker),
            "supervisor": _person(record.supervisor) if record.supervisor else None,
            "supervisor_source": record.supervisor_source,
            "participants": list(record.participants),
            "agenda": [s.case_ref] if s.case_ref else [],
            "next_supervision": record.next_supervision.isoformat() if record.next_supervision else None,
        },
        "sections": [
            {
                "part": part_of(section.lens, section.private),
                "lens": section.lens,
                "title": section.title,
                "private": section.private,
                "entries": [
                    {
                        "step_title": entry.step_title,
                        "category": entry.category,
                        "category_label": note.category_labels.get(entry.category, entry.category),
                        "followup": entry.followup,
                        "text": entry.text,
                    }
                    for entry in section.entries
                ],
            }
            for section in note.sections
        ],
        "hypotheses": [
            {
                "id": item.id,
                "statement": view["statement"],
                "status": item.status,
                "status_label": view["status"],
                "evidence_for": view["evidence_for"],
                "evidence_against": view["evidence_against"],
            }
            for item, view in zip(hypotheses, note.hypotheses, strict=True)
        ],
        "carried_hypotheses": [{"statement": h["statement"], "now": h["now"]} for h in note.carried],
        "actions": [
            {
                "id": item.id,
                "what": item.what,
                "who": item.who,
                "due_date": item.due.isoformat() if item.due else None,
                "due_text": view["due"],
                "status": item.status,
                "status_now": record.action_status_now(item.id, item.status),
            }
            for item, view in zip(s.actions, note.actions, strict=True)
        ],
        "action_reviews": [{"what": a["what"], "now": a["now"]} for a in note.action_reviews],
        "evidence": [{"source": e["source"], "text": e["text"]} for e in note.evidence],
        "indicators": [{"name": i.name, "label": i.label, "present": i.present} for i in note.indicators],
        "group": None
        if record.group is None
        else {
            "roles_text": record.group.roles_text,
            "ground_rules_agreed": record.group.ground_rules_agreed,
            "attendance": [
                {"name": a.name, "present": a.present, "person": _person(a.person) if a.person else None}
                for a in record.group.attendance
            ],
            "roles": [{"role": r.role, "name": r.name} for r in record.group.roles],
            "contributions": [
                {
                    "who": c.who,
                    "text": c.text,
                    "step_title": c.step_title,
                    "kind": c.kind,
                    "corrected": c.corrected,
                }
                for c in record.group.contributions
            ],
            "observer_reflections": [
                {"who": c.who, "text": c.text, "corrected": c.corrected}
                for c in record.group.observer_reflections
            ],
            "review": None
            if record.group.review is None
            else {
                "requested": record.group.review.requested,
                "confirmed": list(record.group.review.confirmed),
                "corrected": [{"who": who, "corrections": n} for who, n in record.group.review.corrected],
                "not_responded": list(record.group.review.not_responded),
            },
        },
        "signoffs": [_signoff(x) for x in record.signoffs],
        "amendments": [
            {"version": a.version, "by": _person(a.by), "at": _iso(a.at), "text": a.text}
            for a in record.amendments
        ],
        "versions": [
            {
                "version": v.version,
                "created_at": _iso(v.created_at),
                "created_by": _person(v.created_by),
                "agreed": [
                    _signoff(x) for x in record.signoffs if x.kind == "agreed" and x.note_version == v.version
                ],
                "signed": [
                    _signoff(x) for x in record.signoffs if x.kind == "signed" and x.note_version == v.version
                ],
            }
            for v in record.versions
        ],
    }


def header_json(meta: ExportMeta) -> dict[str, Any]:
    return {
        "schema": SCHEMA_ID,
        "schema_version": SCHEMA_VERSION,
        "exported_at": _iso(meta.exported_at),
        "exported_by": _person(meta.requester),
        "subject": meta.subject,
        "subject_kind": meta.subject_kind,
        "copy": meta.copy,
        "protective_marking": meta.marking,
        "scope": meta.scope,
    }


class JsonWriter:
    extension = "json"
    mime = "application/json"

    def __init__(self, out: IO[bytes]) -> None:
        self.text = io.TextIOWrapper(out, encoding="utf-8", newline="\n", write_through=True)
        self.count = 0

    def begin(self, meta: ExportMeta) -> None:
        header = json.dumps(header_json(meta), ensure_ascii=False, indent=1)
        self.text.write(header[: header.rindex("}")].rstrip() + ',\n "sessions": [')

    def add(self, record: ExportRecord) -> None:
        self.text.write(
            ("," if self.count else "") + "\n  " + json.dumps(record_json(record), ensure_ascii=False)
        )
        self.count += 1

    def finish(self) -> None:
        self.text.write(f'\n ],\n "count": {self.count}\n}}\n')
        self.text.flush()
        self.text.detach()
