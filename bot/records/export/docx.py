"""Word (.docx) with python-docx: real heading styles, real tables, page numbers.

Managers upload these into a worker's supervision file, so the document must open cleanly
in Word and LibreOffice, navigate by its headings, and print: A4, the built-in "Heading"
and "Table Grid" styles, table header rows that repeat across pages, and a footer with
"Supervision record — confidential" and the page number.

python-docx builds the whole document in memory; for very large selections CSV or JSON
stream instead.
"""

from __future__ import annotations

from typing import IO, Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph

from bot.records.export.layout import (
    Block,
    Heading,
    PageBreak,
    Para,
    Table,
    front_blocks,
    labels,
    session_blocks,
    xml_safe,
)
from bot.records.export.view import ExportMeta, ExportRecord

CONTENT_WIDTH_MM = 170.0
FONT = "Arial"  # in every Word; LibreOffice substitutes the metric-compatible Liberation Sans
HEADER_FILL = "DCE6F0"
KEY_FILL = "F2F2F2"


class DocxWriter:
    extension = "docx"
    mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

    def __init__(self, out: IO[bytes]) -> None:
        self.out = out
        self.doc: DocxDocument = Document()
        self._first = True
        self._break_before_next = False

    # ------------------------------------------------------------ writer protocol

    def begin(self, meta: ExportMeta) -> None:
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(20)
        section.top_margin, section.bottom_margin = Mm(20), Mm(20)
        # Look styles up once: python-docx searches every style by name on each use, which
        # made a worker's year of notes take seconds.
        self._styles = {
            name: self.doc.styles[name]
            for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "Quote", "Table Grid")
        }
        for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "Quote"):
            _font(self._styles[name], FONT)
        self.doc.styles["Normal"].font.size = Pt(10.5)
        props = self.doc.core_properties
        props.title = f"{labels()['document_title']}: {meta.subject}"
        props.subject = labels()["footer"]
        props.author = "Reflective supervision"
        self._footer()
        for block in front_blocks(meta):
            self._block(block)

    def add(self, record: ExportRecord) -> None:
        for block in session_blocks(record, first=self._first):
            self._block(block)
        self._first = False

    def finish(self) -> None:
        self.doc.save(self.out)

    # ------------------------------------------------------------ blocks

    def _block(self, block: Block) -> None:
        if isinstance(block, PageBreak):
            self._break_before_next = True
        elif isinstance(block, Heading):
            style = self._styles["Title" if block.level == 0 else f"Heading {block.level}"]
            paragraph = self.doc.add_paragraph(xml_safe(block.text))
            paragraph._p.style = style.style_id  # by id: python-docx rescans styles for each name
            self._maybe_break(paragraph)
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
        elif block.style == "quote":
            fmt.left_indent = Mm(6)
        for piece in block.runs:
            for n, line in enumerate(xml_safe(piece.text).split("\n")):
                run = paragraph.add_run()
                if n:
                    run.add_break()
                run.add_text(line)
                run.bold = piece.bold or block.style == "notice" or None
                run.italic = piece.italic or block.style == "note" or None
                if block.style == "note":
                    run.font.size = Pt(9)
                    run.font.color.rgb = RGBColor(0x55, 0x55, 0x55)
        if block.style == "notice":
            _shade(paragraph, "FDE9D9")

    def _table(self, block: Table) -> None:
        columns = len(block.widths)
        table = self.doc.add_table(rows=0, cols=columns)
        table.style = self._styles["Table Grid"]
        table.autofit = False
        _cell_margins(table, top=40, bottom=40, left=90, right=90)
        if block.header is not None:
            cells = table.add_row().cells
            for cell, text in zip(cells, block.header, strict=True):
                cell.text = ""
                cell.paragraphs[0].add_run(xml_safe(text)).bold = True
                _shade_cell(cell, HEADER_FILL)
            _repeat_header(table)
        for row in block.rows:
            cells = table.add_row().cells
            for n, (cell, text) in enumerate(zip(cells, row, strict=True)):
                _cell_text(cell.paragraphs[0], text, bold=block.header is None and n == 0)
                if block.header is None and n == 0:
                    _shade_cell(cell, KEY_FILL)
        for table_row in table.rows:  # a row never splits across pages
            table_row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        for n, column in enumerate(table.columns):
            width = Mm(CONTENT_WIDTH_MM * block.widths[n])
            column.width = width
            for cell in column.cells:
                cell.width = width
        spacer = self.doc.add_paragraph()
        spacer.paragraph_format.space_after = Pt(2)

    def _footer(self) -> None:
        footer = self.doc.sections[0].footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        footer.add_run(labels()["footer"] + "    ·    Page ")
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
        run.bold = bold or None


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


def _field(paragraph: Paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice fill in when laying out."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    placeholder = OxmlElement("w:t")
    placeholder.text = "1"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, text, separate, placeholder, end):
        run._r.append(element)
