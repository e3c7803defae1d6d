"""Our light markdown as Teams message markdown, escaped. Pure functions.

Two jobs:

* Escaping. A worker's words are quoted back in prompts, minutes and notes. Teams renders a
  subset of markdown *and* of HTML in message text, so `<at>Name</at>` could look like a
  mention, `<a href>` or `[innocent](https://elsewhere)` a disguised link, `![](...)` an
  image that calls out. We cannot tell template words from quoted words inside one string,
  so every `& < > [ ]` becomes an HTML character reference. References never form markdown
  structure (CommonMark), and Teams shows them as the characters they stand for. Our
  templates need none of these characters as markup.
* Shape. Teams' text messages have no tables and no headings, and clients differ on single
  line breaks. Headings become bold lines, tables become bullets ("first cell · Header:
  cell"), rules disappear, and every line that is not a list item is its own paragraph, so
  a worker's line breaks survive on every client. Numbered lines stay as written: minutes
  items are numbered for `correct 12`, and a markdown ordered list would renumber them.

`blocks()` returns the paragraphs and lists in order (render.py packs them into messages
under Teams' size limit); `to_teams()` joins them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "[": "&#91;", "]": "&#93;"}
_TO_ESCAPE = re.compile(r"[&<>\[\]]")
ENTITY = re.compile(r"&(?:amp|lt|gt|#91|#93|#46);")

_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_RULE = re.compile(r"^\s{0,3}(?:-{3,}|\*{3,}|_{3,})\s*$")
_CHECK = re.compile(r"^(\s*)[-*+]\s+\[([ xX])\]\s+(.*)$")
_BULLET = re.compile(r"^(\s*)[-*+•]\s+(.*)$")
_NUMBERED = re.compile(r"^(\s*)(\d{1,9})([.)])(\s+.*)$")
_QUOTE = re.compile(r"^\s{0,3}>\s?(.*)$")
_TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_EMPHASIS_MARKS = re.compile(r"\*\*|__|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)")


def escape(text: str) -> str:
    """`& < > [ ]` as character references: no mention, tag, link or image can form."""
    return _TO_ESCAPE.sub(lambda m: _ENTITIES[m.group(0)], text)


def unescape(text: str) -> str:
    """The inverse of `escape` (tests and size checks)."""
    for char, entity in (("<", "&lt;"), (">", "&gt;"), ("[", "&#91;"), ("]", "&#93;"), (".", "&#46;")):
        text = text.replace(entity, char)
    return text.replace("&amp;", "&")


@dataclass(frozen=True)
class Block:
    """A paragraph (one source line) or a run of list items, already escaped.

    `heading` marks where a section of a note starts: render.py prefers to split there."""

    text: str
    kind: Literal["paragraph", "list", "heading"] = "paragraph"


def _cells(row: str) -> list[str]:
    return [cell.strip() for cell in row.strip().removeprefix("|").removesuffix("|").split("|")]


def _table(rows: list[str]) -> list[str]:
    headers = _cells(rows[0])
    lines = []
    for row in rows[2:]:
        cells = _cells(row)
        parts = [escape(cells[0])] if cells and cells[0] else []
        for name, cell in zip(headers[1:], cells[1:], strict=False):
            if cell:
                parts.append(f"_{escape(name)}:_ {escape(cell)}" if name else escape(cell))
        lines.append("- " + " · ".join(parts))
    return lines


def blocks(markdown: str) -> list[Block]:
    """Light markdown to escaped Teams markdown blocks, in order, nothing dropped but markup."""
    out: list[Block] = []
    items: list[str] = []

    def flush_list() -> None:
        if items:
            out.append(Block("\n".join(items), "list"))
            items.clear()

    lines = markdown.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    i = 0
    while i < len(lines):
        line = lines[i].rstrip()
        if line.lstrip().startswith("|") and i + 1 < len(lines) and _TABLE_SEPARATOR.match(lines[i + 1]):
            rows = [line, lines[i + 1]]
            i += 2
            while i < len(lines) and lines[i].lstrip().startswith("|"):
                rows.append(lines[i].rstrip())
                i += 1
            items.extend(_table(rows))
            continue
        i += 1
        if check := _CHECK.match(line):
            mark = "☐" if check.group(2) == " " else "☑"
            items.append(f"{check.group(1)}- {mark} {escape(check.group(3))}")
            continue
        if bullet := _BULLET.match(line):
            items.append(f"{bullet.group(1)}- {escape(bullet.group(2))}")
            continue
        flush_list()
        if not line.strip() or _RULE.match(line):
            continue
        if heading := _HEADING.match(line):
            title = _EMPHASIS_MARKS.sub("", heading.group(2)).strip()
            if title:
                out.append(Block(f"**{escape(title)}**", "heading"))
        elif numbered := _NUMBERED.match(line):
            # "12." would start an ordered list that renumbers; "12&#46;" reads the same and doesn't.
            dot = "&#46;" if numbered.group(3) == "." else numbered.group(3)
            out.append(Block(f"{numbered.group(1)}{numbered.group(2)}{dot}{escape(numbered.group(4))}"))
        elif quote := _QUOTE.match(line):
            out.append(Block(f"> {escape(quote.group(1))}"))
        else:
            out.append(Block(escape(line.strip())))
    flush_list()
    return out


def join(parts: list[Block]) -> str:
    return "\n\n".join(b.text for b in parts)


def to_teams(markdown: str) -> str:
    return join(blocks(markdown))


__all__ = ["ENTITY", "Block", "blocks", "escape", "join", "to_teams", "unescape"]
