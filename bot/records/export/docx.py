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
from xml.sax.saxutils import escape as xml_escape

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor
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
CELL_HALF_POINTS = 19
CONTENT_TWIPS = 170 * 1440 / 25.4  # the content width, 170 mm, in twentieths of a point


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
        self._sect_pr = self.doc.element.body.sectPr  # the last section's; body XML goes before it
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
        if self.meta is not None and self.meta.logo is not None:  # a council's logo, then the marking
            first.add_run().add_picture(str(self.meta.logo), height=Mm(9))
            first.add_run("    ")
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
            bookmark = ""
            if block.level == 1 and self._bookmark_next:
                number, name = len(self._entries), self._bookmark_next
                bookmark = (
                    f'<w:bookmarkStart w:id="{number}" w:name="{name}"/><w:bookmarkEnd w:id="{number}"/>'
                )
                self._bookmark_next = None
            p_pr = _p_pr(style=style.style_id, keep_next=True, page_break=self._take_break())
            self._append(f"<w:p>{p_pr}{bookmark}{_run_xml(block.text)}</w:p>")
        elif isinstance(block, Para):
            self._para(block)
        else:
            self._table(block)

    def _take_break(self) -> bool:
        """Whether the next paragraph starts a page (once)."""
        taken, self._break_before_next = self._break_before_next, False
        return taken

    def _append(self, xml: str) -> None:
        """Body XML made as text and parsed once: python-docx's element API searches every
        child in schema order for each property set, which made a year of notes take seconds."""
        self._sect_pr.addprevious(parse_xml(f"<w:x {nsdecls('w')}>{xml}</w:x>")[0])

    def _para(self, block: Para) -> None:
        style = self._styles["Quote"].style_id if block.style == "quote" else None
        keep = self._keep or block.style == "label"
        p_pr = _p_pr(
            style=style,
            keep_next=keep,
            page_break=self._take_break(),
            shade={"notice": "FDE9D9", "summary": "EEF2F7"}.get(block.style),
            space_after=40 if block.style == "label" else None,
            indent=340 if block.style in ("quote", "summary") else None,
            centre=block.style == "marking",
        )
        runs = "".join(
            _run_xml(
                piece.text,
                bold=piece.bold or block.style in ("notice", "marking"),
                italic=piece.italic or block.style == "note",
                size=18 if block.style == "note" else None,
                colour="555555" if block.style == "note" else None,
            )
            for piece in block.runs
        )
        self._append(f"<w:p>{p_pr}{runs}</w:p>")

    def _table(self, block: Table) -> None:
        """A grid table, A4 content width, rows that never split, a header row that repeats."""
        widths = [round(CONTENT_TWIPS * w) for w in block.widths]
        keep_all = self._keep  # Word keeps a table with what follows through keep-with-next
        parts = [
            f'<w:tbl><w:tblPr><w:tblStyle w:val="{self._styles["Table Grid"].style_id}"/>'
            f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
            '<w:tblCellMar><w:top w:w="40" w:type="dxa"/><w:left w:w="90" w:type="dxa"/>'
            '<w:bottom w:w="40" w:type="dxa"/><w:right w:w="90" w:type="dxa"/></w:tblCellMar>'
            '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0"'
            ' w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>'
        ]
        parts += [f'<w:gridCol w:w="{w}"/>' for w in widths]
        parts.append("</w:tblGrid>")
        if block.header is not None:
            parts.append('<w:tr><w:trPr><w:cantSplit/><w:tblHeader w:val="true"/></w:trPr>')
            for width, text in zip(widths, block.header, strict=True):
                parts.append(_cell_xml(text, width, bold=True, keep=True, fill=HEADER_FILL))
            parts.append("</w:tr>")
        for row in block.rows:
            parts.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
            for n, (width, text) in enumerate(zip(widths, row, strict=True)):
                key = block.header is None and n == 0
                parts.append(_cell_xml(text, width, bold=key, keep=keep_all, fill=KEY_FILL if key else None))
            parts.append("</w:tr>")
        parts.append("</w:tbl>")
        self._append("".join(parts))
        self._append(f"<w:p>{_p_pr(keep_next=self._keep, space_after=40)}</w:p>")  # a spacer

    def _footer(self, meta: ExportMeta) -> None:
        footer = self.doc.sections[0].footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        footer.add_run(f"{xml_safe(meta.marking)}    ·    {labels()['footer']}    ·    Page ")
        _field(footer, "PAGE")
        footer.add_run(" of ")
        _field(footer, "NUMPAGES")
        for run in footer.runs:
            run.font.size = Pt(8.5)


def _p_pr(
    *,
    style: str | None = None,
    keep_next: bool = False,
    page_break: bool = False,
    shade: str | None = None,
    space_after: int | None = None,
    indent: int | None = None,
    centre: bool = False,
) -> str:
    """A paragraph's properties, in the order the schema wants them."""
    parts = []
    if style:
        parts.append(f'<w:pStyle w:val="{style}"/>')
    if keep_next:
        parts.append("<w:keepNext/>")
    if page_break:
        parts.append("<w:pageBreakBefore/>")
    if shade:
        parts.append(f'<w:shd w:val="clear" w:color="auto" w:fill="{shade}"/>')
    if space_after is not None:
        parts.append(f'<w:spacing w:after="{space_after}"/>')
    if indent is not None:
        parts.append(f'<w:ind w:left="{indent}"/>')
    if centre:
        parts.append('<w:jc w:val="center"/>')
    return f"<w:pPr>{''.join(parts)}</w:pPr>" if parts else ""


def _run_xml(
    text: str, *, bold: bool = False, italic: bool = False, size: int | None = None, colour: str | None = None
) -> str:
    """One run (`size` in half-points); the writer's line breaks kept as breaks."""
    props = ""
    if bold:
        props += "<w:b/>"
    if italic:
        props += "<w:i/>"
    if colour:
        props += f'<w:color w:val="{colour}"/>'
    if size:
        props += f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>'
    lines = "<w:br/>".join(
        f'<w:t xml:space="preserve">{xml_escape(line)}</w:t>' for line in xml_safe(text).split("\n")
    )
    return f"<w:r>{f'<w:rPr>{props}</w:rPr>' if props else ''}{lines}</w:r>"


def _cell_xml(text: str, width: int, *, bold: bool, keep: bool, fill: str | None) -> str:
    shade = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
    p_pr = _p_pr(keep_next=keep)
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{shade}</w:tcPr>'
        f"<w:p>{p_pr}{_run_xml(text, bold=bold, size=CELL_HALF_POINTS)}</w:p></w:tc>"
    )


def _font(style: Any, name: str) -> None:
    """Set a style's font for every script, so Word doesn't fall back to the theme font."""
    style.font.name = name
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), name)
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(attribute), None)


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


def _bottom_border(paragraph: Paragraph) -> None:
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "4"), ("w:space", "1"), ("w:color", "B8C4D6")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    p_pr.append(borders)
