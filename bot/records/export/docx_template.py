"""Word from a council's own template (docxtpl): REFLECT_EXPORT_WORD_TEMPLATE.

A council designs its supervision record in Word with Jinja tags where the record goes
(docs/export-schema.md lists every variable; docs/examples/council-word-template.docx is an
example to start from). The template is rendered once with the whole export:

    marking, title, subject, exported_at (UK local time), prepared_for, copy, logo,
    count, sessions: each session exactly as in the JSON export (schema.json) plus
    `title`, `when`, `status_label` and `next_supervision_text`, already worded.

Each session is the same `ExportRecord` every other format is made from, so the audience
rule holds here too: the template can only show what the record holds. Values are escaped
by docxtpl (autoescape), so nothing a worker typed becomes Word markup. The document's
properties are set as in our own layout (title, author = the bot, created = export time).
"""

from __future__ import annotations

import io
from datetime import UTC
from pathlib import Path
from typing import IO, Any

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import TemplateError

from bot.records.export.docx import AUTHOR
from bot.records.export.json import header_json, record_json
from bot.records.export.layout import labels, session_title, supervisor_text, when
from bot.records.export.view import ExportMeta, ExportRecord
from bot.records.refusals import invalid


def session_context(record: ExportRecord) -> dict[str, Any]:
    """One session for a template: the JSON export's object, and the same words our own
    layout uses for its title, time and status."""
    words = labels()
    values = record_json(record)
    values["title"] = session_title(record)
    values["when"] = when(record.session.started_at)
    values["status_label"] = words["status"][record.status.code]
    values["supervisor_text"] = supervisor_text(record)
    values["next_supervision_text"] = (
        record.next_supervision.strftime("%d %b %Y")
        if record.next_supervision
        else words["council"]["not_set"]
    )
    return values


class TemplateWriter:
    extension = "docx"
    mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

    def __init__(self, out: IO[bytes], template: Path) -> None:
        self.out = out
        self.template = DocxTemplate(str(template))
        self.meta: ExportMeta | None = None
        self.sessions: list[dict[str, Any]] = []

    def begin(self, meta: ExportMeta) -> None:
        self.meta = meta

    def add(self, record: ExportRecord) -> None:
        self.sessions.append(session_context(record))

    def finish(self) -> None:
        meta = self.meta
        assert meta is not None
        words = labels()
        context: dict[str, Any] = {
            **header_json(meta),
            "marking": meta.marking,
            "title": words["document_title"],
            "subject": meta.subject,
            "exported_at": when(meta.exported_at),
            "prepared_for": meta.requester.name,
            "copy": words["copy"][meta.copy],
            "logo": InlineImage(self.template, str(meta.logo), height=Mm(14)) if meta.logo else "",
            "count": len(self.sessions),
            "sessions": self.sessions,
        }
        try:
            self.template.render(context, autoescape=True)
        except TemplateError as error:  # a council's template with a broken tag
            raise invalid("bad_word_template", problem=type(error).__name__) from error
        props = self.template.docx.core_properties
        props.title = f"{words['document_title']}: {meta.subject}"
        props.author = props.last_modified_by = AUTHOR
        props.created = props.modified = meta.exported_at.astimezone(UTC).replace(tzinfo=None)
        props.revision = 1
        props.keywords = f"{meta.marking}; supervision record; {meta.subject}"
        buffer = io.BytesIO()
        self.template.save(buffer)
        self.out.write(buffer.getvalue())
