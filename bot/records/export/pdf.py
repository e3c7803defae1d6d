"""PDF with reportlab's platypus: headings (also as PDF bookmarks), wrapped tables, and a
footer on every page with "Supervision record — confidential" and "Page n of N".

Text is set in DejaVu Sans when the system has it, else reportlab's bundled Vera, so the
worker's words print as typed (curly quotes, accents, em dashes) rather than as boxes.
Everything is escaped before it reaches platypus' paragraph markup.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import escape

import reportlab
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Spacer, TableStyle
from reportlab.platypus import PageBreak as PdfPageBreak
from reportlab.platypus import Paragraph as PdfParagraph
from reportlab.platypus import Table as PdfTable

from bot.records.export.layout import (
    Block,
    Heading,
    PageBreak,
    Para,
    Run,
    Table,
    front_blocks,
    labels,
    session_blocks,
    xml_safe,
)
from bot.records.export.view import ExportMeta, ExportRecord

MARGIN = 18 * mm
FRAME_WIDTH = A4[0] - 2 * MARGIN
_FONT_CANDIDATES = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path(reportlab.__file__).parent / "fonts",
)
_FACES = {
    "DejaVuSans": (
        "DejaVuSans.ttf",
        "DejaVuSans-Bold.ttf",
        "DejaVuSans-Oblique.ttf",
        "DejaVuSans-BoldOblique.ttf",
    ),
    "Vera": ("Vera.ttf", "VeraBd.ttf", "VeraIt.ttf", "VeraBI.ttf"),
}


def _font_family() -> str:
    """Register a Unicode TrueType family once; fall back to Helvetica if none is found."""
    for family, files in _FACES.items():
        if family in pdfmetrics.getRegisteredFontNames():
            return family
        for folder in _FONT_CANDIDATES:
            paths = [folder / f for f in files]
            if all(p.exists() for p in paths):
                names = (family, f"{family}-Bold", f"{family}-Italic", f"{family}-BoldItalic")
                for name, path in zip(names, paths, strict=True):
                    pdfmetrics.registerFont(TTFont(name, str(path)))
                pdfmetrics.registerFontFamily(
                    family, normal=names[0], bold=names[1], italic=names[2], boldItalic=names[3]
                )
                return family
    return "Helvetica"


def _styles(font: str) -> dict[str, ParagraphStyle]:
    grey = colors.HexColor("#555555")
    ink = colors.HexColor("#1F2937")
    accent = colors.HexColor("#1F3A5F")
    base = ParagraphStyle("body", fontName=font, fontSize=10, leading=13.5, textColor=ink, alignment=TA_LEFT)
    return {
        "title": ParagraphStyle(
            "title", parent=base, fontSize=20, leading=24, spaceAfter=10, textColor=accent
        ),
        "h1": ParagraphStyle(
            "h1", parent=base, fontSize=15, leading=19, spaceBefore=4, spaceAfter=8, textColor=accent
        ),
        "h2": ParagraphStyle(
            "h2", parent=base, fontSize=12, leading=15, spaceBefore=10, spaceAfter=4, textColor=accent
        ),
        "h3": ParagraphStyle("h3", parent=base, fontSize=10.5, leading=13, spaceBefore=6, spaceAfter=2),
        "body": ParagraphStyle("body2", parent=base, spaceAfter=4),
        "label": ParagraphStyle("label", parent=base, spaceBefore=4, spaceAfter=1, keepWithNext=1),
        "quote": ParagraphStyle(
            "quote", parent=base, leftIndent=10, spaceAfter=6, textColor=colors.HexColor("#111111")
        ),
        "note": ParagraphStyle("note", parent=base, fontSize=8.5, leading=11, textColor=grey, spaceAfter=6),
        "notice": ParagraphStyle(
            "notice",
            parent=base,
            backColor=colors.HexColor("#FDE9D9"),
            borderPadding=5,
            spaceBefore=4,
            spaceAfter=8,
        ),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9, leading=11.5),
        "cell_bold": ParagraphStyle("cell_bold", parent=base, fontSize=9, leading=11.5, fontName=_bold(font)),
    }


def _bold(font: str) -> str:
    return "Helvetica-Bold" if font == "Helvetica" else f"{font}-Bold"


def markup(text: str) -> str:
    """Escaped text for platypus' paragraph markup, line breaks kept."""
    return escape(xml_safe(text)).replace("\n", "<br/>")


def _runs(runs: tuple[Run, ...], italic_all: bool = False) -> str:
    out = []
    for run in runs:
        text = markup(run.text)
        if run.bold:
            text = f"<b>{text}</b>"
        if run.italic or italic_all:
            text = f"<i>{text}</i>"
        out.append(text)
    return "".join(out)


class _NumberedCanvas(Canvas):  # type: ignore[misc]
    """Draws the footer after layout, when the total page count is known."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._footer(total)
            super().showPage()
        super().save()

    def _footer(self, total: int) -> None:
        self.saveState()
        self.setFont(_font_family(), 8)
        self.setFillColor(colors.HexColor("#555555"))
        self.setStrokeColor(colors.HexColor("#B8C4D6"))
        self.line(MARGIN, 14 * mm, A4[0] - MARGIN, 14 * mm)
        self.drawString(MARGIN, 10 * mm, labels()["footer"])
        self.drawRightString(A4[0] - MARGIN, 10 * mm, f"Page {self._pageNumber} of {total}")
        self.restoreState()


class _Document(BaseDocTemplate):  # type: ignore[misc]
    """Adds each session and section heading to the PDF outline (the bookmarks pane)."""

    def afterFlowable(self, flowable: Flowable) -> None:
        level = getattr(flowable, "outline_level", None)
        if level is None:
            return
        key = f"h{id(flowable)}"
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(flowable.getPlainText(), key, level=level, closed=level > 0)


class PdfWriter:
    extension = "pdf"
    mime = "application/pdf"

    def __init__(self, out: IO[bytes]) -> None:
        self.out = out
        self.font = _font_family()
        self.styles = _styles(self.font)
        self.story: list[Flowable] = []
        self.title = labels()["document_title"]
        self._first = True
        self._outline_open = False

    def begin(self, meta: ExportMeta) -> None:
        self.title = f"{labels()['document_title']}: {meta.subject}"
        for block in front_blocks(meta):
            self._block(block)

    def add(self, record: ExportRecord) -> None:
        for block in session_blocks(record, first=self._first):
            self._block(block)
        self._first = False

    def finish(self) -> None:
        doc = _Document(
            self.out,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=22 * mm,
            title=self.title,
            subject=labels()["footer"],
            author="Reflective supervision",
        )
        frame = Frame(MARGIN, 22 * mm, FRAME_WIDTH, A4[1] - MARGIN - 22 * mm, id="body")
        doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
        doc.build(self.story, canvasmaker=_NumberedCanvas)

    # ------------------------------------------------------------ blocks

    def _block(self, block: Block) -> None:
        if isinstance(block, PageBreak):
            self.story.append(PdfPageBreak())
        elif isinstance(block, Heading):
            style = {0: "title", 1: "h1", 2: "h2"}.get(block.level, "h3")
            heading = PdfParagraph(markup(block.text), self.styles[style])
            if block.level == 1:
                heading.outline_level = 0
                self._outline_open = True
            elif block.level == 2 and self._outline_open:
                heading.outline_level = 1
            heading.keepWithNext = 1
            self.story.append(heading)
        elif isinstance(block, Para):
            self.story.append(PdfParagraph(_runs(block.runs), self.styles[block.style]))
        else:
            self.story.append(self._table(block))
            self.story.append(Spacer(1, 5))

    def _table(self, block: Table) -> PdfTable:
        cell, bold = self.styles["cell"], self.styles["cell_bold"]
        rows: list[list[Any]] = []
        if block.header is not None:
            rows.append([PdfParagraph(markup(h), bold) for h in block.header])
        for row in block.rows:
            rows.append(
                [
                    PdfParagraph(markup(text), bold if block.header is None and n == 0 else cell)
                    for n, text in enumerate(row)
                ]
            )
        table = PdfTable(
            rows,
            colWidths=[FRAME_WIDTH * w for w in block.widths],
            repeatRows=1 if block.header is not None else 0,
            hAlign="LEFT",
        )
        commands: list[tuple[Any, ...]] = [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#9AA5B1")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ]
        if block.header is not None:
            commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DCE6F0")))
        else:
            commands.append(("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#F2F2F2")))
        table.setStyle(TableStyle(commands))
        return table
