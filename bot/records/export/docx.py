"""Word (.docx) with python-docx: real heading styles, real tables, page numbers.

Managers upload these into a worker's supervision file, so the document must open cleanly
in Word and LibreOffice, navigate by its headings, and print: A4, the built-in "Heading"
and "Table Grid" styles, table header rows that repeat across pages, each session in its
own section whose header gives the protective marking, the worker and the case, a footer
with the marking and "Page n of N", a contents page (page numbers as PAGEREF fields) when
there are several sessions, and document properties that say what the file is, who made
it (the bot) and when.

python-docx builds the whole document in memory; for very large selections CSV or JSON
stream instead.
"""

from __future__ import annotations

from datetime import UTC
from typing import IO, Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph

from bot.records.export.layout import (
    Block,
    ContentsEntry,
    Heading,
    PageBreak,
    Para,
    Table,
    Together,
    contents_blocks,
    contents_entry,
    front_blocks,
    labels,
    running_header,
    session_blocks,
    when,
    xml_safe,
)
from bot.records.export.view import ExportMeta, ExportRecord

AUTHOR = "Reflective supervision bot"

CONTENT_WIDTH_MM = 170.0
FONT = "Arial"  # in every Word; LibreOffice substitutes the metric-compatible Liberation Sans
HEADER_FILL = "DCE6F0"
KEY_FILL = "F2F2F2"
CELL_SIZE = Pt(9.5)


class DocxWriter:
    extension = "docx"
    mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

    def __init__(self, out: IO[bytes]) -> None:
        self.out = out
        self.doc: DocxDocument = Document()
        self._first = True
        self._break_before_next = False
        self._keep = False  # inside a Together: every paragraph keeps with the next
        self._entries: list[tuple[ContentsEntry, str]] = []  # and its bookmark
        self._contents_at: Paragraph | None = None
        self._bookmark_next: str | None = None
        self.meta: ExportMeta | None = None

    # ------------------------------------------------------------ writer protocol

    def begin(self, meta: ExportMeta) -> None:
        self.meta = meta
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(20)
        section.top_margin, section.bottom_margin = Mm(22), Mm(20)
        section.header_distance = section.footer_distance = Mm(8)
        # Look styles up once: python-docx searches every style by name on each use, which
        # made a worker's year of notes take seconds.
        self._styles = {
            name: self.doc.styles[name]
            for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "Quote", "Table Grid")
        }
        for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "Quote"):
            _font(self._styles[name], FONT)
        self.doc.styles["Normal"].font.size = Pt(10.5)
        self.doc.styles["Footer"].font.size = Pt(8.5)  # the page fields too
        self._properties(meta)
        self._footer(meta)
        self._header(section, running_header(meta, None))
        for block in front_blocks(meta):
            self._block(block)
        self._contents_at = self.doc.add_paragraph()  # the contents go here, once all are known

    def add(self, record: ExportRecord) -> None:
        assert self.meta is not None
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)  # its own header: worker and case
        self._header(section, running_header(self.meta, record))
        bookmark = f"session_{len(self._entries) + 1}"
        self._entries.append((contents_entry(record), bookmark))
        self._bookmark_next = bookmark
        for block in session_blocks(record, first=True):  # the section break is the page break
            self._block(block)
        self._first = False

    def finish(self) -> None:
        if len(self._entries) > 1:
            self._contents()
        self.doc.save(self.out)

    # ------------------------------------------------------------ the record's furniture

    def _properties(self, meta: ExportMeta) -> None:
        props = self.doc.core_properties
        words = labels()
        created = meta.exported_at.astimezone(UTC).replace(tzinfo=None)  # stored as UTC ("Z")
        props.title = f"{words['document_title']}: {meta.subject}"
        props.subject = f"{meta.marking}: {words['footer']}"
        props.author = props.last_modified_by = AUTHOR
        props.created = props.modified = created
        props.revision = 1
        props.comments = words["properties"]["comments"].format(author=AUTHOR, at=when(meta.exported_at))
        props.category = words["document_title"]
        props.keywords = f"{meta.marking}; supervision record; {meta.subject}"
        props.content_status = meta.marking
        props.language = "en-GB"

    def _header(self, section: Any, running: tuple[str, str]) -> None:
        marking, whose = running
        header = section.header
        header.is_linked_to_previous = False
        first = header.paragraphs[0]
        first.text = ""
        first.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = first.add_run(xml_safe(marking))
        run.bold = True
        run.font.size = Pt(9.5)
        line = header.add_paragraph()
        small = line.add_run(xml_safe(whose))
        small.font.size = Pt(8.5)
        small.font.color.rgb = RGBColor(0x55, 0x55, 0x55)
        _bottom_border(line)

    def _contents(self) -> None:
        """The contents page, before the first session: each session with its first page."""
        assert self._contents_at is not None
        anchor = self._contents_at
        self._break_before_next = True
        entries = [e for e, _ in self._entries]
        before = set(self.doc.element.body)
        for block in contents_blocks(entries, ["" for _ in entries]):
            self._block(block)
        table = self.doc.tables[-1]
        for row, (_, bookmark) in zip(table.rows[1:], self._entries, strict=True):
            run = _field(row.cells[-1].paragraphs[0], f"PAGEREF {bookmark} \\h", placeholder="")
            run.font.size = CELL_SIZE
        added = [e for e in self.doc.element.body if e not in before]
        heading = Paragraph(added[0], self.doc._body)
        heading._p.style = self.doc.styles["TOC Heading"].style_id  # Word's own, not a session's
        for element in added:
            anchor._p.addprevious(element)  # moved up, before the first session

    # ------------------------------------------------------------ blocks

    def _block(self, block: Block) -> None:
        if isinstance(block, PageBreak):
            self._break_before_next = True
        elif isinstance(block, Together):
            self._keep = True
            for n, inner in enumerate(block.blocks):
                self._keep = n < len(block.blocks) - 1
                self._block(inner)
            self._keep = False
        elif isinstance(block, Heading):
            style = self._styles["Title" if block.level == 0 else f"Heading {block.level}"]
            paragraph = self.doc.add_paragraph(xml_safe(block.text))
            paragraph._p.style = style.style_id  # by id: python-docx rescans styles for each name
            paragraph.paragraph_format.keep_with_next = True
            self._maybe_break(paragraph)
            if block.level == 1 and self._bookmark_next:
                _bookmark(paragraph, self._bookmark_next, len(self._entries))
                self._bookmark_next = None
        elif isinstance(block, Para):
            self._para(block)
        else:
            self._table(block)

    def _maybe_break(self, paragraph: Paragraph) -> None:
        if self._break_before_next:
            paragraph.paragraph_format.page_break_before = True
            self._break_before_next = False

    def _para(self, block: Para) -> None:
        paragraph = self.doc.add_paragraph()
        if block.style == "quote":
            paragraph._p.style = self._styles["Quote"].style_id
        self._maybe_break(paragraph)
        fmt = paragraph.paragraph_format
        if block.style == "label":
            fmt.keep_with_next = True
            fmt.space_after = Pt(2)
        elif block.style in ("quote", "summary"):
            fmt.left_indent = Mm(6)
        elif block.style == "marking":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if self._keep:
            fmt.keep_with_next = True
        for piece in block.runs:
            for n, line in enumerate(xml_safe(piece.text).split("\n")):
                run = paragraph.add_run()
                if n:
                    run.add_break()
                run.add_text(line)
                if piece.bold or block.style in ("notice", "marking"):
                    run.bold = True
                if piece.italic or block.style == "note":
                    run.italic = True
                if block.style == "note":
                    run.font.size = Pt(9)
                    run.font.color.rgb = RGBColor(0x55, 0x55, 0x55)
        if block.style == "notice":
            _shade(paragraph, "FDE9D9")
        elif block.style == "summary":
            _shade(paragraph, "EEF2F7")

    def _table(self, block: Table) -> None:
        columns = len(block.widths)
        # Straight to the body with a known width, the style by id: python-docx would otherwise
        # search every section and every style for each table.
        table: Any = self.doc._body.add_table(0, columns, Mm(CONTENT_WIDTH_MM))
        table._tbl.tblStyle_val = self._styles["Table Grid"].style_id
        table.autofit = False
        _cell_margins(table, top=40, bottom=40, left=90, right=90)
        # Each row's cells are read once: python-docx rebuilds the cell grid on every access.
        keep_all = self._keep  # Word keeps a table with what follows through keep-with-next
        if block.header is not None:
            row_element = table.add_row()
            for cell, text in zip(row_element.cells, block.header, strict=True):
                paragraph = cell.paragraphs[0]
                _cell_text(paragraph, text, bold=True)
                paragraph.paragraph_format.keep_with_next = True  # the header stays with a row
                _shade_cell(cell, HEADER_FILL)
            _cant_split(row_element)
            _repeat_header(table)
        for row in block.rows:
            row_element = table.add_row()
            for n, (cell, text) in enumerate(zip(row_element.cells, row, strict=True)):
                paragraph = cell.paragraphs[0]
                _cell_text(paragraph, text, bold=block.header is None and n == 0)
                if keep_all:
                    paragraph.paragraph_format.keep_with_next = True
                if block.header is None and n == 0:
                    _shade_cell(cell, KEY_FILL)
            _cant_split(row_element)
        for n, column in enumerate(table.columns):
            width = Mm(CONTENT_WIDTH_MM * block.widths[n])
            column.width = width
            for cell in column.cells:
                cell.width = width
        spacer = self.doc.add_paragraph()
        spacer.paragraph_format.space_after = Pt(2)
        if self._keep:
            spacer.paragraph_format.keep_with_next = True

    def _footer(self, meta: ExportMeta) -> None:
        footer = self.doc.sections[0].footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        footer.add_run(f"{xml_safe(meta.marking)}    ·    {labels()['footer']}    ·    Page ")
        _field(footer, "PAGE")
        footer.add_run(" of ")
        _field(footer, "NUMPAGES")
        for run in footer.runs:
            run.font.size = Pt(8.5)


def _cell_text(paragraph: Paragraph, text: str, bold: bool) -> None:
    for n, line in enumerate(xml_safe(text).split("\n")):
        run = paragraph.add_run()
        if n:
            run.add_break()
        run.add_text(line)
        if bold:
            run.bold = True
        run.font.size = CELL_SIZE


def _cant_split(row: Any) -> None:
    """A row never splits across pages."""
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _font(style: Any, name: str) -> None:
    """Set a style's font for every script, so Word doesn't fall back to the theme font."""
    style.font.name = name
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), name)
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(attribute), None)


def _cell_margins(table: DocxTable, **twips: int) -> None:
    """Inner cell padding (in twentieths of a point), so text doesn't touch the grid."""
    tbl_pr = table._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for side, value in twips.items():
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:w"), str(value))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    tbl_pr.append(margins)


def _shade_cell(cell: object, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()  # type: ignore[attr-defined]
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    tc_pr.append(shading)


def _shade(paragraph: Paragraph, fill: str) -> None:
    p_pr = paragraph._p.get_or_add_pPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    p_pr.append(shading)


def _repeat_header(table: DocxTable) -> None:
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _field(paragraph: Paragraph, instruction: str, placeholder: str = "1") -> Any:
    """A Word field (PAGE, NUMPAGES, PAGEREF) that Word and LibreOffice fill in when laying out."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    if instruction.startswith("PAGEREF"):
        begin.set(qn("w:dirty"), "true")  # Word recomputes it on opening (PAGE it always does)
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    shown = OxmlElement("w:t")
    shown.text = placeholder
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, text, separate, shown, end):
        run._r.append(element)
    return run


def _bookmark(paragraph: Paragraph, name: str, number: int) -> None:
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(number))
    paragraph._p.insert(1 if paragraph._p.pPr is not None else 0, start)
    paragraph._p.append(end)


def _bottom_border(paragraph: Paragraph) -> None:
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "4"), ("w:space", "1"), ("w:color", "B8C4D6")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    p_pr.append(borders)
