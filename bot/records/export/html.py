"""HTML: one self-contained, printable page (A4 print styles, a confidential footer).

Rendered with the macros in prompts/exports/record.html.j2, autoescaped, and written a
session at a time so memory stays flat however many sessions are exported.
"""

from __future__ import annotations

import base64
import io
from typing import IO

from bot.records.export.layout import flat, front_blocks, labels, session_blocks
from bot.records.export.templating import html_environment, macros
from bot.records.export.view import ExportMeta, ExportRecord


class HtmlWriter:
    extension = "html"
    mime = "text/html"

    def __init__(self, out: IO[bytes]) -> None:
        self.text = io.TextIOWrapper(out, encoding="utf-8", newline="\n", write_through=True)
        self.page = macros(html_environment(), "exports/record.html.j2")
        self._first = True

    def begin(self, meta: ExportMeta) -> None:
        words = labels()
        logo = base64.b64encode(meta.logo.read_bytes()).decode("ascii") if meta.logo else ""
        title = f"{words['document_title']}: {meta.subject}"
        self.text.write(self.page.start(meta, title, words["footer"], logo))
        self.text.write(self.page.blocks(flat(front_blocks(meta))))

    def add(self, record: ExportRecord) -> None:
        self.text.write(self.page.blocks(flat(session_blocks(record, first=self._first))))
        self._first = False

    def finish(self) -> None:
        self.text.write(self.page.end())
        self.text.flush()
        self.text.detach()
