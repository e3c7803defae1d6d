"""PDF through Typst (the `typst` package: the compiler, in Rust, with no other program to
install): the blocks of layout.py, passed as JSON data to one template,
prompts/exports/record.typ, which holds the layout and no words.

Why Typst: it writes a tagged PDF that is PDF/A-2a and PDF/UA-1 at once, in one pass, and
fast (a worker's year, about 300 pages, in about 1.15 s against the 1.5 s target:
benchmarks/exports.py).
reportlab's open-source version writes no marked content, so its PDF could be archival
(PDF/A-2b) but never tagged for screen readers (docs/export-schema.md has what was tried).

What the file holds: the structure tree (headings H1 to H3 under the document's title,
paragraphs, tables with real header cells), the running header and footer as artifacts
outside the tree (the protective marking top and bottom, whose record it is, "Page n of N",
the council's logo, which carries its alt text all the same), a bookmark per session and section, a contents page with each
session's first page for a multi-session export, and the document properties (title,
author, subject, keywords, creation date = the export's moment, language en-GB).

The worker's words never become markup: the template reads them with
`json(bytes(sys.inputs.data))`, as strings. Text is set in DejaVu Sans when the system has
it (embedded as subsets, no other font looked at, so the file is the same on any machine
that has it), else in Typst's own bundled fonts. PDF/A refuses a character no embedded font
can show, so one DejaVu Sans lacks (a CJK ideograph, some emoji, a private-use character)
prints as U+FFFD rather than failing the export; control characters are dropped, as are
those XML cannot hold in every other format. (With Typst's bundled fonts, whose coverage
can't be read from here, such a character fails the export as below.)

Typst reads nothing but the template, the fonts and the council's logo (REFLECT_EXPORT_LOGO:
the compile's root is the logo's folder). A compile that fails (an unreadable logo) is an
InvalidRequest whose message names the setting; Typst's own message, which may quote the
text it could not set, is kept as the cause and never shown or logged. The document is
compiled once per export, with a compiler made for it: nothing holding a worker's words is
kept between exports.
"""

from __future__ import annotations

import json
import math
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

import typst

from bot.records.export.layout import (
    Block,
    ContentsEntry,
    Heading,
    Para,
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
from bot.records.refusals import invalid
from bot.wording import PROMPTS_DIR

AUTHOR = "Reflective supervision bot"
TEMPLATE = PROMPTS_DIR / "exports" / "record.typ"
PDF_STANDARDS = ["a-2a", "ua-1"]  # the strictest PDF/A Typst writes together with PDF/UA-1
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
DEJAVU_SANS = (
    "DejaVuSans.ttf",
    "DejaVuSans-Bold.ttf",
    "DejaVuSans-Oblique.ttf",
    "DejaVuSans-BoldOblique.ttf",
)
BUNDLED_FONT = "Libertinus Serif"  # Typst's own, when the system has no DejaVu Sans
MISSING = "\ufffd"


@dataclass(frozen=True)
class _Fonts:
    family: str
    fonts: typst.Fonts
    covered: frozenset[int] | None  # the characters the fonts can show; None: not known


@lru_cache(maxsize=1)
def _fonts() -> _Fonts:
    """DejaVu Sans when the system has its four faces (and only that folder, never other
    system fonts), else Typst's bundled fonts: so a file comes out the same on any machine
    with the same fonts, italics included. Read once a process: fonts hold no one's words."""
    faces = [DEJAVU / name for name in DEJAVU_SANS]
    if all(face.exists() for face in faces):  # all four (Debian: fonts-dejavu-core and -extra)
        from fontTools.ttLib import TTFont

        covered: set[int] = set()
        for face in faces:
            with TTFont(str(face), lazy=True) as font:
                covered.update(font["cmap"].getBestCmap())
        fonts = typst.Fonts(
            include_system_fonts=False, include_embedded_fonts=False, font_paths=[str(DEJAVU)]
        )
        return _Fonts("DejaVu Sans", fonts, frozenset(covered))
    return _Fonts(BUNDLED_FONT, typst.Fonts(include_system_fonts=False, include_embedded_fonts=True), None)


def _shown(text: str, covered: frozenset[int] | None) -> str:
    """Text as the embedded fonts can print it: characters XML cannot hold dropped, control
    and private-use characters dropped, and any other the fonts lack as U+FFFD."""
    text = xml_safe(text)
    out = []
    for char in text:
        code = ord(char)
        if char in "\n\t":
            out.append(" " if char == "\t" else char)
        elif code < 0x20 or 0x7F <= code < 0xA0 or 0xE000 <= code <= 0xF8FF or code >= 0xF0000:
            continue  # controls (\r included: "\r\n" is one line break) and private use
        elif covered is None or code in covered or _ignorable(code):
            out.append(char)
        else:
            out.append(MISSING)
    return "".join(out)


def _ignorable(code: int) -> bool:
    """Format characters a font need not have (Unicode's default ignorables): joiners, marks
    and isolates of direction, soft hyphen, BOM, variation selectors, emoji tags."""
    return (
        code in (0x00AD, 0x034F, 0xFEFF)
        or 0x200B <= code <= 0x200F
        or 0x2028 <= code <= 0x202E
        or 0x2060 <= code <= 0x206F
        or 0xFE00 <= code <= 0xFE0F
        or 0xE0000 <= code <= 0xE0FFF
    )


FORGET_AFTER = 11  # compiles: typst-py evicts memo entries not used in its last 10


def forget() -> None:
    """Drop what Typst remembers of the last export. Typst memoises a compile's evaluation
    and layout process-wide (the worker's words within), and typst-py evicts only entries
    unused in its last ten compiles: so a year's export left some 200 MB in memory, and ten
    exports 2 GB. Eleven compiles of an empty document, with no fonts (a tenth of a
    millisecond each), leave none of it; the eviction itself costs about 0.15 s after a
    year's export (the memory freed)."""
    blank = typst.Compiler(font_paths=_no_fonts(), ignore_system_fonts=True)
    for _ in range(FORGET_AFTER):
        blank.compile(b"", format="pdf")


@lru_cache(maxsize=1)
def _no_fonts() -> typst.Fonts:
    return typst.Fonts(include_system_fonts=False, include_embedded_fonts=False, font_paths=[])


PAGE_BODY = 711.0  # points: A4 less the margins the template sets (24 mm top, 22 mm bottom)
MEASURE_FROM = 0.7 * PAGE_BODY  # a kept-together block reckoned taller is measured by Typst


def _reckoned(block: Together) -> float:
    """A guess at a kept-together block's height in points, on the high side (fewer
    characters to a line than DejaVu Sans sets, whole lines, the largest spacing), so that
    only blocks that may be taller than a page are measured by the template: those it lets
    break rather than run off the foot of the page."""
    height = 0.0
    for inner in block.blocks:
        if isinstance(inner, Heading):
            height += 30
        elif isinstance(inner, Para):
            height += _lines(inner.text, 85) * 14 + 10
        else:
            rows = [inner.header or ("",), *inner.rows]  # a PDF's table always has a header row
            for row in rows:
                cells = zip(row, inner.widths, strict=False)
                height += max(_lines(cell, width * 90 - 2) for cell, width in cells) * 12 + 8
            height += 12
    return height


def _lines(text: str, per_line: float) -> int:
    return sum(max(1, math.ceil(len(line) / max(per_line, 1.0))) for line in text.split("\n"))


@dataclass
class _Part:
    whose: str
    blocks: list[Block]
    session: bool = False
    entry: ContentsEntry | None = None
    label: str | None = None


class PdfWriter:
    extension = "pdf"
    mime = "application/pdf"
    lays_out_in_a_thread = True  # export() calls finish() in a worker thread (Typst frees the GIL)

    def __init__(self, out: IO[bytes]) -> None:
        self.out = out
        self.fonts = _fonts()
        self.meta: ExportMeta | None = None
        self.parts: list[_Part] = []

    def begin(self, meta: ExportMeta) -> None:
        self.meta = meta
        self.parts.append(_Part(running_header(meta, None)[1], list(front_blocks(meta))))

    def add(self, record: ExportRecord) -> None:
        assert self.meta is not None
        blocks = list(session_blocks(record, first=True))  # no break: the template starts a page
        label = f"session-{len(self.parts)}"
        whose = running_header(self.meta, record)[1]
        self.parts.append(_Part(whose, blocks, session=True, entry=contents_entry(record), label=label))

    def finish(self) -> None:
        self.out.write(self.render())

    # ------------------------------------------------------------ the document as data

    def data(self) -> dict[str, Any]:
        """Everything the template prints, as JSON-ready values."""
        meta = self.meta
        assert meta is not None
        words = labels()
        page = words["header"]["page"].format(page="\0", total="\0").split("\0")
        sessions = [p for p in self.parts if p.entry is not None]
        parts = [self._part(p) for p in self.parts]
        if len(sessions) > 1:  # a contents page, after the front page
            entries = [p.entry for p in sessions if p.entry is not None]
            blocks = [self._block(b) for b in contents_blocks(entries, [""] * len(entries))]
            for block in blocks:
                if block["kind"] == "table":
                    block["refs"] = [p.label for p in sessions]
                elif block["kind"] == "heading":
                    block["bookmarked"] = False
            parts.insert(
                1,
                {
                    "whose": parts[0]["whose"],
                    "session": False,
                    "label": None,
                    "blocks": [{"kind": "page_break"}, *blocks],
                },
            )
        return {
            "title": self._text(f"{words['document_title']}: {meta.subject}"),
            "author": AUTHOR,
            "subject": self._text(f"{meta.marking}: {words['footer']}"),
            "keywords": [self._text(k) for k in (meta.marking, words["properties"]["keyword"], meta.subject)],
            "font": self.fonts.family,
            "marking": self._text(meta.marking),
            "footer": self._text(words["footer"]),
            "page": [self._text(piece) for piece in page],
            "whose": parts[0]["whose"],
            "logo": f"/{meta.logo.name}" if meta.logo is not None else None,
            "logo_alt": words["properties"]["logo_alt"],
            "parts": parts,
        }

    def render(self) -> bytes:
        """Compile the document once, with a compiler of its own."""
        meta = self.meta
        assert meta is not None
        root = meta.logo.resolve().parent if meta.logo is not None else TEMPLATE.parent
        compiler = typst.Compiler(root=str(root), font_paths=self.fonts.fonts, ignore_system_fonts=True)
        payload = json.dumps(self.data(), ensure_ascii=False)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # Typst's warnings may quote the text
                pdf = compiler.compile(
                    TEMPLATE.read_bytes(),
                    format="pdf",
                    sys_inputs={"data": payload},
                    pdf_standards=PDF_STANDARDS,  # type: ignore[arg-type]
                    timestamp=meta.exported_at.replace(microsecond=0),  # whole seconds, as PDF dates are
                    pdf_tags=True,
                )
        except (typst.TypstError, RuntimeError, OSError) as error:
            raise invalid("pdf_not_laid_out", problem=type(error).__name__) from error
        finally:
            del compiler, payload
            forget()
        assert isinstance(pdf, bytes)
        return pdf

    def _text(self, text: str) -> str:
        return _shown(text, self.fonts.covered)

    def _part(self, part: _Part) -> dict[str, Any]:
        return {
            "whose": self._text(part.whose),
            "session": part.session,
            "label": part.label,
            "blocks": [self._block(b) for b in part.blocks],
        }

    def _block(self, block: Block) -> dict[str, Any]:
        text = self._text
        if isinstance(block, Heading):
            return {
                "kind": "heading",
                "level": block.level,
                "text": text(block.text),
                "bookmarked": 1 <= block.level <= 2,
            }
        if isinstance(block, Para):
            runs = [{"text": text(r.text), "bold": r.bold, "italic": r.italic} for r in block.runs]
            return {"kind": "para", "style": block.style, "runs": runs}
        if isinstance(block, Table):
            header = block.header
            if header is None:  # a key/value table: a header row names its columns
                words = labels()["properties"]
                header = (words["key_header"], words["value_header"])
            return {
                "kind": "table",
                "keyed": block.header is None,
                "header": [text(h) for h in header],
                "rows": [[text(cell) for cell in row] for row in block.rows],
                "widths": list(block.widths),
                "refs": None,
            }
        if isinstance(block, Together):
            blocks = [self._block(b) for b in block.blocks]
            return {"kind": "together", "may_not_fit": _reckoned(block) > MEASURE_FROM, "blocks": blocks}
        return {"kind": "page_break"}
