"""PDF with reportlab's platypus: headings (also as PDF bookmarks), wrapped tables, and on
every page the protective marking, whose record it is (worker and case) and "Page n of N".

Text is set in DejaVu Sans when the system has it, else reportlab's bundled Vera, embedded
as subsets, so the worker's words print as typed (curly quotes, accents, em dashes) rather
than as boxes, and the file prints the same on any machine. Everything is escaped before
it reaches platypus' paragraph markup.

Archiving: PDF/A-2b. reportlab lays the record out (fonts embedded, document language
en-GB, title, author, subject, keywords and creation date set, the title shown in the
viewer's window, a bookmark per session and section); pikepdf then makes it PDF/A-2b
(`archival`): the sRGB output intent, XMP metadata agreeing with the document information
and the pdfaid conformance claim, object streams. pikepdf's own PDF/A validator
(`pikepdf.pdfa.validate_written`) passes the result; the tests run it, an export does not
(it costs ten times the conversion).

Accessibility: not tagged. reportlab's open-source version writes no marked content, so a
structure tree (PDF/UA) can't be added afterwards honestly; screen readers get the text in
reading order, the language and the bookmarks, and the HTML export is the accessible format.
WeasyPrint (pdf_variant "pdf/ua-1" with pdf_tags, from our HTML export) would tag it, but
took 20 s for a worker's year; marked content written through the canvas with a structure
tree from pikepdf took the year from 1.1 s to 1.6 s before artifacts and table structure
(docs/export-schema.md).

Speed (a worker's year, about 400 pages: 2.0 s before, 1.3 to 1.4 s now): paragraphs
break their lines once per width, KeepTogether measures without copying the frame, and the
garbage collector's automatic runs are paused while laying out (`_no_cycle_collection`).
"""

from __future__ import annotations

import contextlib
import gc
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
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
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageBreakIfNotEmpty,
    PageTemplate,
    Spacer,
    TableStyle,
)
from reportlab.platypus import Paragraph as PdfParagraph
from reportlab.platypus import Table as PdfTable

from bot.records.export.layout import (
    Block,
    ContentsEntry,
    Heading,
    PageBreak,
    Para,
    Run,
    Table,
    Together,
    contents_blocks,
    contents_entry,
    front_blocks,
    labels,
    running_header,
    session_blocks,
    xml_safe,
)
from bot.records.export.view import ExportMeta, ExportRecord

AUTHOR = "Reflective supervision bot"
MARGIN = 18 * mm
TOP_MARGIN = 24 * mm  # room for the marking and whose record it is
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
        "h3": ParagraphStyle(
            "h3",
            parent=base,
            fontName=_bold(font),
            fontSize=10.5,
            leading=13,
            spaceBefore=7,
            spaceAfter=2,
            textColor=colors.HexColor("#35557F"),
        ),
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
        "marking": ParagraphStyle(
            "marking", parent=base, fontSize=11, leading=14, alignment=1, fontName=_bold(font), spaceAfter=6
        ),
        "summary": ParagraphStyle(
            "summary",
            parent=base,
            leftIndent=10,
            backColor=colors.HexColor("#F5F7FA"),
            borderColor=colors.HexColor("#1F3A5F"),
            borderWidth=0.5,
            borderPadding=5,
            spaceBefore=4,
            spaceAfter=10,
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


class _Stamp:
    """reportlab's TimeStamp for a given moment, so the PDF's creation date is the export's."""

    def __init__(self, moment: datetime) -> None:
        utc = moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
        self.t = utc.timestamp()
        self.lt = utc.timetuple()
        self.YMDhms = tuple(self.lt)[:6]
        self.dhh = self.dmm = 0
        self.tzname = "UTC"


class _NumberedCanvas(Canvas):  # type: ignore[misc]
    """Draws the running header and footer after layout, when the page count is known."""

    meta: ExportMeta | None = None  # set per build by PdfWriter

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []
        self._running: tuple[str, str] = ("", "")
        if self.meta is not None:
            self._doc._timeStamp = _Stamp(self.meta.exported_at)
            self._running = running_header(self.meta, None)
        self.setViewerPreference("DisplayDocTitle", "true")

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()
        gc.collect(0)  # a page's own garbage, while collection is paused (_no_cycle_collection)

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._furniture(total)
            super().showPage()
        super().save()

    def _furniture(self, total: int) -> None:
        marking, whose = self._running
        font = _font_family()
        self.saveState()
        self.setFillColor(colors.HexColor("#111111"))
        self.setFont(_bold(font), 9)
        self.drawCentredString(A4[0] / 2, A4[1] - 11 * mm, marking)
        self.setFont(font, 8)
        self.setFillColor(colors.HexColor("#555555"))
        self.drawString(MARGIN, A4[1] - 16 * mm, whose)
        logo = self.meta.logo if self.meta is not None else None
        if logo is not None:  # a council's logo, top right (drawn once, reused per page)
            self.drawImage(
                str(logo),
                A4[0] - MARGIN - 30 * mm,
                A4[1] - 17.5 * mm,
                width=30 * mm,
                height=10 * mm,
                preserveAspectRatio=True,
                anchor="ne",
                mask="auto",
            )
        self.setStrokeColor(colors.HexColor("#B8C4D6"))
        self.line(MARGIN, A4[1] - 18 * mm, A4[0] - MARGIN, A4[1] - 18 * mm)
        self.line(MARGIN, 14 * mm, A4[0] - MARGIN, 14 * mm)
        self.drawString(MARGIN, 10 * mm, f"{marking} · {labels()['footer']}")
        page = labels()["header"]["page"].format(page=self._pageNumber, total=total)
        self.drawRightString(A4[0] - MARGIN, 10 * mm, page)
        self.setFont(_bold(font), 9)
        self.setFillColor(colors.HexColor("#111111"))
        self.drawCentredString(A4[0] / 2, 5 * mm, marking)
        self.restoreState()


PDFA_FLAVOUR = "2b"
SHORT_TEXT = 120  # characters: texts up to this long are parsed once per document


def archival(laid_out: bytes) -> bytes:
    """reportlab's PDF as PDF/A-2b (see the module's note), with pikepdf."""
    import pikepdf
    from pikepdf import pdfa

    with pikepdf.open(io.BytesIO(laid_out)) as pdf:
        for page in pdf.pages:  # reportlab's empty page transitions: not allowed in PDF/A
            if "/Trans" in page.obj:
                del page.obj["/Trans"]
        pdfa.prepare(pdf, PDFA_FLAVOUR)
        out = io.BytesIO()
        pdf.save(out, **pdfa.resolve_save_kwargs(pdfa.Flavour(PDFA_FLAVOUR)))
    return out.getvalue()


class _Running(Flowable):  # type: ignore[misc]
    """Invisible: from here on, pages are headed with this session's worker and case."""

    def __init__(self, running: tuple[str, str]) -> None:
        super().__init__()
        self.running = running
        self.width = self.height = 0

    def wrap(self, *args: Any) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv._running = self.running


class _KeepTogether(KeepTogether):  # type: ignore[misc]
    """platypus' KeepTogether without its per-measure deep copy of the frame, which is there
    for content that adds frame breaks while it is measured; ours never does (paragraphs and
    tables only), and the copies were an eighth of a year's layout."""

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        doc: Any = getattr(self.canv, "_doctemplate", None)
        frame = getattr(doc, "frame", None)
        if frame is not None:
            doc.frame = None
        try:
            width, height = super().wrap(available_width, available_height)
        finally:
            if frame is not None:
                doc.frame = frame
        return float(width), float(height)


class _Document(BaseDocTemplate):  # type: ignore[misc]
    """Adds each session and section heading to the PDF outline (the bookmarks pane), and
    notes the page each session starts on, for the contents page."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.session_pages: list[int] = []
        self.page_font = "Helvetica"

    def afterFlowable(self, flowable: Flowable) -> None:
        if getattr(flowable, "session_start", False):
            self.session_pages.append(self.page)
            canvas = self.canv  # the contents page's number for this session (see _PageRef)
            canvas.beginForm(f"session_page_{len(self.session_pages)}")
            canvas.setFont(self.page_font, 9)
            canvas.setFillColor(colors.HexColor("#1F2937"))
            canvas.drawString(0, 0, str(self.page))
            canvas.endForm()
        level = getattr(flowable, "outline_level", None)
        if level is None:
            return
        key = f"h{id(flowable)}"
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(flowable.getPlainText(), key, level=level, closed=level > 0)


class _Paragraph(PdfParagraph):  # type: ignore[misc]
    """A platypus paragraph that breaks its lines once per width: a frame, a KeepTogether
    and a table each ask for its size (a year's paragraphs were wrapped 2.4 times each)."""

    _wrapped_at: float | None = None

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        if self._wrapped_at == available_width:
            return self.width, self.height
        width, height = super().wrap(available_width, available_height)
        self._wrapped_at = available_width
        return float(width), float(height)


class _PageRef(Flowable):  # type: ignore[misc]
    """A page number not known yet: the form of that name, defined when the page is."""

    def __init__(self, name: str, font: str) -> None:
        super().__init__()
        self.name = name
        self.font = font

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return available_width, 11.5

    def draw(self) -> None:
        self.canv.saveState()
        self.canv.translate(0, 2.5)
        self.canv.doForm(self.name)
        self.canv.restoreState()


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """The cyclic garbage collector's automatic runs paused while a document is laid out: the
    layout holds tens of thousands of live flowables and fragments, which every full
    collection walked again (a quarter of a year's layout) to find almost nothing. Only the
    youngest objects are collected, once a page (`_NumberedCanvas.showPage`), so a page's
    garbage doesn't pile up (peak memory stays as it was); it resumes afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass
class _Part:
    blocks: list[Block]
    running: tuple[str, str]
    entry: ContentsEntry | None = None


class PdfWriter:
    extension = "pdf"
    mime = "application/pdf"

    def __init__(self, out: IO[bytes]) -> None:
        self.out = out
        with _no_cycle_collection():  # the first time, four font files are read
            self.font = _font_family()
        self.styles = _styles(self.font)
        self.story: list[Flowable] = []
        self.title = labels()["document_title"]
        self.meta: ExportMeta | None = None
        self.parts: list[_Part] = []
        self._first = True
        self._outline_open = False
        self._frags: dict[tuple[str, str], Any] = {}

    def begin(self, meta: ExportMeta) -> None:
        self.meta = meta
        self.title = f"{labels()['document_title']}: {meta.subject}"
        self.parts.append(_Part(list(front_blocks(meta)), running_header(meta, None)))

    def add(self, record: ExportRecord) -> None:
        assert self.meta is not None
        blocks = list(session_blocks(record, first=self._first))
        self.parts.append(_Part(blocks, running_header(self.meta, record), contents_entry(record)))
        self._first = False

    def finish(self) -> None:
        with _no_cycle_collection():
            self._lay_out()

    def _lay_out(self) -> None:
        """Lay the document out once. The contents page's page numbers are PDF forms drawn
        where the page number goes and defined when each session's heading is placed (a
        forward reference the PDF allows), so the record isn't laid out twice."""
        meta = self.meta
        assert meta is not None
        entries = [p.entry for p in self.parts if p.entry is not None]
        for n, part in enumerate(self.parts):
            blocks = part.blocks
            if part.entry is not None:  # a session starts a page, headed with its worker and case
                self.story.append(PageBreakIfNotEmpty())
                blocks = [b for b in blocks if not isinstance(b, PageBreak)]
            self.story.append(_Running(part.running))
            for block in blocks:
                self._block(block, session_start=part.entry is not None and isinstance(block, Heading))
            if n == 0 and len(entries) > 1:
                self.story.append(PageBreakIfNotEmpty())
                refs = [_PageRef(f"session_page_{i}", self.font) for i in range(1, len(entries) + 1)]
                for block in contents_blocks(entries, [""] * len(entries)):
                    if isinstance(block, Table):
                        self.story.append(self._table(block, last_column=refs))
                    else:
                        self._block(block, outline=False)
        laid_out = io.BytesIO()
        doc = _Document(
            laid_out,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=TOP_MARGIN,
            bottomMargin=22 * mm,
            title=self.title,
            subject=f"{meta.marking}: {labels()['footer']}",
            author=AUTHOR,
            creator=AUTHOR,
            keywords=[meta.marking, "supervision record", meta.subject],
            lang="en-GB",
            initialFontName=self.font,  # else every page names an unembedded Helvetica
            keepTogetherClass=_KeepTogether,  # for headings kept with what follows
        )
        doc.page_font = self.font
        frame = Frame(MARGIN, 22 * mm, FRAME_WIDTH, A4[1] - TOP_MARGIN - 22 * mm, id="body")
        doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
        canvas = type("_Canvas", (_NumberedCanvas,), {"meta": meta})
        doc.build(self.story, canvasmaker=canvas)
        self.out.write(archival(laid_out.getvalue()))

    # ------------------------------------------------------------ blocks

    def _block(self, block: Block, session_start: bool = False, outline: bool = True) -> None:
        if isinstance(block, PageBreak):
            self.story.append(PageBreakIfNotEmpty())  # never a blank page
        elif isinstance(block, Together):
            kept: list[Flowable] = []
            story, self.story = self.story, kept
            for inner in block.blocks:
                self._block(inner)
            self.story = story
            self.story.append(_KeepTogether(kept))
        elif isinstance(block, Heading):
            style = {0: "title", 1: "h1", 2: "h2"}.get(block.level, "h3")
            heading = self._paragraph(markup(block.text), self.styles[style])
            if block.level == 1 and not outline:
                self._outline_open = False
            elif block.level == 1:
                heading.outline_level = 0
                heading.session_start = session_start
                self._outline_open = True
            elif block.level == 2 and self._outline_open:
                heading.outline_level = 1
            heading.keepWithNext = 1
            self.story.append(heading)
        elif isinstance(block, Para):
            self.story.append(self._paragraph(_runs(block.runs), self.styles[block.style]))
        else:
            self.story.append(self._table(block))
            self.story.append(Spacer(1, 5))

    def _paragraph(self, text: str, style: ParagraphStyle) -> _Paragraph:
        """A platypus paragraph; the markup of a short text (a label, a heading, a table
        header, "Yes") is parsed once per document and its fragments reused, since parsing
        was a fifth of a year's layout. Fragments are only read when laying out."""
        if len(text) > SHORT_TEXT:
            return _Paragraph(text, style)
        key = (text, style.name)
        frags = self._frags.get(key)
        if frags is None:
            paragraph = _Paragraph(text, style)
            self._frags[key] = paragraph.frags
            return paragraph
        return _Paragraph(text, style, frags=frags)

    def _table(self, block: Table, last_column: list[Flowable] | None = None) -> PdfTable:
        cell, bold = self.styles["cell"], self.styles["cell_bold"]
        widths = [FRAME_WIDTH * w for w in block.widths]
        bold_cells: list[tuple[int, int]] = []

        def content(text: str, column: int, row: int, strong: bool) -> Any:
            """A short one-line cell as plain text (platypus draws it without wrapping it, a
            fraction of a paragraph's cost); anything longer as a wrapping paragraph."""
            plain = xml_safe(text)
            font = _bold(self.font) if strong else self.font
            if "\n" not in plain and stringWidth(plain, font, 9) <= widths[column] - 13:
                if strong:
                    bold_cells.append((column, row))
                return plain
            return self._paragraph(markup(text), bold if strong else cell)

        rows: list[list[Any]] = []
        if block.header is not None:
            rows.append([content(h, n, 0, True) for n, h in enumerate(block.header)])
        for number, row in enumerate(block.rows):
            r = len(rows)
            rows.append([content(text, n, r, block.header is None and n == 0) for n, text in enumerate(row)])
            if last_column is not None:
                rows[-1][-1] = last_column[number]
        table = PdfTable(
            rows,
            colWidths=widths,
            repeatRows=1 if block.header is not None else 0,
            hAlign="LEFT",
        )
        commands: list[tuple[Any, ...]] = [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#9AA5B1")),
            ("FONTNAME", (0, 0), (-1, -1), self.font),  # the cell default: no unembedded Helvetica
            ("FONTSIZE", (0, 0), (-1, -1), 9),
            ("LEADING", (0, 0), (-1, -1), 11.5),
            ("TEXTCOLOR", (0, 0), (-1, -1), colors.HexColor("#1F2937")),
            *(("FONTNAME", at, at, _bold(self.font)) for at in bold_cells),
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
