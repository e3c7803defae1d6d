"""Markdown: the same layout as the other documents, as plain text a person can read.

Rendered with the macros in prompts/exports/record.md.j2 and written a session at a time.
"""

from __future__ import annotations

import io
from typing import IO

from bot.records.export.layout import flat, front_blocks, session_blocks
from bot.records.export.templating import macros, markdown_environment
from bot.records.export.view import ExportMeta, ExportRecord


class MarkdownWriter:
    extension = "md"
    mime = "text/markdown"

    def __init__(self, out: IO[bytes]) -> None:
        self.text = io.TextIOWrapper(out, encoding="utf-8", newline="\n", write_through=True)
        self.page = macros(markdown_environment(), "exports/record.md.j2")
        self._first = True

    def _write(self, rendered: str) -> None:
        self.text.write(rendered.strip("\n") + "\n\n")

    def begin(self, meta: ExportMeta) -> None:
        self._write(str(self.page.blocks(flat(front_blocks(meta)))))

    def add(self, record: ExportRecord) -> None:
        self._write(str(self.page.blocks(flat(session_blocks(record, first=self._first)))))
        self._first = False

    def finish(self) -> None:
        self.text.flush()
        self.text.detach()
