"""`Outgoing` in, Slack messages (Block Kit plus a plain `text` fallback) out. Pure functions.

Three jobs, each a place where a careless adapter hurts someone:

* Escaping. A worker's words (and, later, AI text) are quoted back inside our messages and
  notes. Slack reads `<!channel>`, `<@U123>` and `<https://x|click>` in mrkdwn and in the
  `text` fallback as a mention or a disguised link, so `&`, `<`, `>` always become entities.
  We cannot tell template words from quoted words inside one string, so everything is
  escaped; our templates never need Slack markup.
* Our light markdown to Slack's mrkdwn: `**bold**` and `*bold*`, `_italic_`, `# headings`,
  `- bullets`, `- [x] checks`, `> quotes`, markdown tables (mrkdwn has none: each row becomes
  a bullet) and `---` rules.
* Slack's limits, which reject a whole message when one part is too long: 3,000 characters a
  section, 150 a header, 50 blocks a message, 25 elements an actions block, 75 characters of
  button text, 2,000 of button value. A long note is split across messages in order without
  losing a character (only the newlines and spaces at a split point move to the end of the
  part before).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import structlog

from bot.adapters.slack import texts
from bot.adapters.slack.translate import BUTTON_PREFIX, LONG_ANSWER_ACTION
from bot.turns import Outgoing

log = structlog.get_logger(__name__)

SECTION_LIMIT = 3000
HEADER_LIMIT = 150
BLOCKS_PER_MESSAGE = 50
ELEMENTS_PER_ACTIONS = 25
BUTTON_TEXT_LIMIT = 75
BUTTON_VALUE_LIMIT = 2000
# Below any hard limit: a message this long is already a lot to read on a phone.
MESSAGE_CHARS = 12_000
FALLBACK_CHARS = 1_000

Block = dict[str, Any]


@dataclass(frozen=True)
class SlackMessage:
    """One chat.postMessage: `text` is the notification and accessibility fallback."""

    text: str
    blocks: list[Block] = field(default_factory=list)


# ---------------------------------------------------------------------- escaping and length


def escape(text: str) -> str:
    """Slack's three control characters as entities, so no text becomes a mention or a link."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def units(text: str) -> int:
    """Length as Slack counts it (UTF-16 code units: an emoji counts twice)."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _fit(text: str, limit: int) -> int:
    """The largest prefix length (in code points) of `text` within `limit` units."""
    end = min(len(text), limit)
    while end > 1 and (excess := units(text[:end]) - limit) > 0:
        end -= (excess + 1) // 2  # a code point is at most two units: never cut too much
    return end


_ENTITY = re.compile(r"&(?:amp|lt|gt);")


def _safe_cut(text: str, cut: int) -> int:
    """Move a cut back so it never falls inside an entity such as `&amp;`."""
    for match in _ENTITY.finditer(text, max(0, cut - 4), min(len(text), cut + 4)):
        if match.start() < cut < match.end():
            return match.start()
    return cut


def split_text(text: str, limit: int = SECTION_LIMIT) -> list[str]:
    """Split into parts of at most `limit` units with `"".join(parts) == text`.

    Cuts prefer a line break, then a space, in the second half of the window, so paragraphs
    and words stay whole where they can; a single unbroken run is cut where it must be.
    """
    parts: list[str] = []
    start, length = 0, len(text)
    while True:
        window = start + _fit(text[start : start + limit], limit)
        if window >= length:
            parts.append(text[start:])
            return parts
        half = start + (window - start) // 2
        cut = text.rfind("\n", start, window) + 1
        if cut < half:
            space = text.rfind(" ", start, window) + 1
            cut = space if space >= half else cut
        if cut <= start:
            cut = window
        cut = _safe_cut(text, cut)
        if cut <= start:
            cut = window
        parts.append(text[start:cut])
        start = cut


# ---------------------------------------------------------------------- markdown -> pieces


@dataclass(frozen=True)
class Piece:
    kind: Literal["text", "header", "divider"]
    text: str = ""


_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_CHECK = re.compile(r"^(\s*)[-*]\s+\[([ xX])\]\s+(.*)$")
_BULLET = re.compile(r"^(\s*)[-*•]\s+(.*)$")
_QUOTE = re.compile(r"^\s{0,3}>\s?(.*)$")
_RULE = re.compile(r"^\s{0,3}(?:-{3,}|\*{3,}|_{3,})\s*$")
_TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_EMPHASIS_MARKS = re.compile(r"\*\*|__|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)")


def inline(text: str) -> str:
    """One line of light markdown as escaped mrkdwn (`**bold**` becomes `*bold*`)."""
    return _BOLD.sub(r"*\1*", escape(text))


def _plain_heading(text: str) -> str:
    return _EMPHASIS_MARKS.sub("", text).strip()


def _cells(row: str) -> list[str]:
    row = row.strip()
    row = row.removeprefix("|").removesuffix("|")
    return [cell.strip() for cell in row.split("|")]


def _table(rows: Sequence[str]) -> list[str]:
    """A markdown table as bullets: "• first cell · Header: cell · Header: cell"."""
    headers = _cells(rows[0])
    lines = []
    for row in rows[2:]:
        cells = _cells(row)
        parts = [inline(cells[0])] if cells else []
        for name, cell in zip(headers[1:], cells[1:], strict=False):
            if cell:
                parts.append(f"_{inline(name)}:_ {inline(cell)}" if name else inline(cell))
        lines.append("• " + " · ".join(p for p in parts if p))
    return lines


def to_pieces(markdown: str, headers: bool = True) -> list[Piece]:
    """Light markdown to escaped mrkdwn text, header and divider pieces, in order.

    `headers=False` keeps `#` headings as bold lines (chat messages); notes get header blocks.
    """
    pieces: list[Piece] = []
    buffer: list[str] = []

    def flush() -> None:
        text = re.sub(r"\n{3,}", "\n\n", "\n".join(buffer)).strip("\n")
        if text.strip():
            pieces.append(Piece("text", text))
        buffer.clear()

    lines = markdown.replace("\r\n", "\n").split("\n")
    i = 0
    while i < len(lines):
        line = lines[i].rstrip()
        heading = _HEADING.match(line)
        if heading:
            title = _plain_heading(heading.group(2))
            if headers and len(heading.group(1)) <= 2 and title and units(title) <= HEADER_LIMIT:
                flush()
                pieces.append(Piece("header", title))
            else:
                buffer.append(f"*{inline(heading.group(2))}*" if heading.group(2) else "")
        elif line.lstrip().startswith("|") and i + 1 < len(lines) and _TABLE_SEPARATOR.match(lines[i + 1]):
            rows = [line, lines[i + 1]]
            i += 2
            while i < len(lines) and lines[i].lstrip().startswith("|"):
                rows.append(lines[i].rstrip())
                i += 1
            buffer.extend(_table(rows))
            continue
        elif _RULE.match(line):
            if headers:
                flush()
                pieces.append(Piece("divider"))
            else:
                buffer.append("")
        elif check := _CHECK.match(line):
            mark = "☐" if check.group(2) == " " else "☑"
            buffer.append(f"{check.group(1)}{mark} {inline(check.group(3))}")
        elif bullet := _BULLET.match(line):
            buffer.append(f"{bullet.group(1)}• {inline(bullet.group(2))}")
        elif quote := _QUOTE.match(line):
            buffer.append(f">{inline(quote.group(1))}")
        else:
            buffer.append(inline(line))
        i += 1
    flush()
    return pieces


# ---------------------------------------------------------------------- blocks


def section(text: str) -> Block:
    """A mrkdwn section; `text` must already be escaped and within SECTION_LIMIT."""
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def header(text: str) -> Block:
    """A plain-text header (never parsed, so nothing to escape), shortened to fit."""
    if units(text) > HEADER_LIMIT:
        text = text[: _fit(text, HEADER_LIMIT - 1)] + "…"
    return {"type": "header", "text": {"type": "plain_text", "text": text, "emoji": True}}


def piece_blocks(pieces: Iterable[Piece]) -> list[Block]:
    blocks: list[Block] = []
    for piece in pieces:
        if piece.kind == "header":
            blocks.append(header(piece.text))
        elif piece.kind == "divider":
            blocks.append({"type": "divider"})
        else:
            blocks.extend(section(part) for part in split_text(piece.text) if part.strip())
    return blocks


def button_label(label: str) -> str:
    label = " ".join(label.split()) or "…"
    return label if units(label) <= BUTTON_TEXT_LIMIT else label[: _fit(label, BUTTON_TEXT_LIMIT - 1)] + "…"


def button_element(label: str, value: str, action_id: str, style: str = "default") -> Block:
    element: Block = {
        "type": "button",
        "action_id": action_id,
        "text": {"type": "plain_text", "text": button_label(label), "emoji": True},
        "value": value,
    }
    if style in ("primary", "danger"):
        element["style"] = style
    return element


def step_mark(message: Outgoing) -> str:
    """The engine's position mark on this message's buttons ("senses.0."), or the step id."""
    for b in message.buttons:
        if "@" in b.value:
            return b.value.partition("@")[2]
    return message.step_id or ""


def action_blocks(message: Outgoing) -> list[Block]:
    """The message's buttons (plus "Write a longer answer" on a free-text question)."""
    elements: list[Block] = []
    if message.free_text:
        elements.append(button_element(texts.LONG_ANSWER_BUTTON, step_mark(message), LONG_ANSWER_ACTION))
    for n, b in enumerate(message.buttons):
        if len(b.value) > BUTTON_VALUE_LIMIT:
            log.warning("slack.button_dropped", reason="value too long", length=len(b.value))
            continue
        elements.append(button_element(b.label, b.value, f"{BUTTON_PREFIX}{n}", b.style))
    tag = f"reflect:{message.kind}:{message.step_id or '-'}"
    return [
        {"type": "actions", "block_id": f"{tag}:{n}", "elements": elements[i : i + ELEMENTS_PER_ACTIONS]}
        for n, i in enumerate(range(0, len(elements), ELEMENTS_PER_ACTIONS))
    ]


def _block_chars(block: Block) -> int:
    text = block.get("text")
    return units(text["text"]) if isinstance(text, dict) else 0


def _fallback(blocks: Sequence[Block]) -> str:
    text = "\n".join(b["text"]["text"] for b in blocks if b["type"] in ("section", "header"))
    if units(text) > FALLBACK_CHARS:
        text = text[: _safe_cut(text, _fit(text, FALLBACK_CHARS - 1))] + "…"
    return text or " "


def paginate(blocks: Sequence[Block], tail: Sequence[Block] = ()) -> list[list[Block]]:
    """Blocks into messages of at most 50 blocks and about MESSAGE_CHARS characters;
    `tail` (the buttons) stays together at the end of the last message."""
    pages: list[list[Block]] = [[]]
    chars = 0
    for block in blocks:
        size = _block_chars(block)
        page = pages[-1]
        if page and (len(page) >= BLOCKS_PER_MESSAGE or chars + size > MESSAGE_CHARS):
            pages.append([])
            chars = 0
        pages[-1].append(block)
        chars += size
    if tail:
        if len(pages[-1]) + len(tail) > BLOCKS_PER_MESSAGE:
            pages.append([])
        pages[-1].extend(tail)
    return [page for page in pages if page]


def render(message: Outgoing) -> list[SlackMessage]:
    """One engine message as one or more Slack messages, in order."""
    note = message.kind == "note"
    pages = paginate(piece_blocks(to_pieces(message.text, headers=note)), action_blocks(message))
    if not pages:
        pages = [[section(" ")]]
    total = len(pages)
    rendered = []
    for n, page in enumerate(pages, start=1):
        if note:
            # A note holds the worker's own words: keep them off phone lock screens.
            fallback = (
                texts.NOTE_FALLBACK if total == 1 else texts.NOTE_FALLBACK_PART.format(n=n, total=total)
            )
        else:
            fallback = _fallback(page)
        rendered.append(SlackMessage(text=fallback, blocks=page))
    return rendered


def render_all(messages: Iterable[Outgoing]) -> list[SlackMessage]:
    return [part for message in messages for part in render(message)]


def plain(text: str) -> SlackMessage:
    """A short message of our own (an error, a notice) rendered like any other."""
    return render(Outgoing(text=text))[0]


__all__ = [
    "Piece",
    "SlackMessage",
    "action_blocks",
    "button_element",
    "escape",
    "header",
    "inline",
    "paginate",
    "plain",
    "render",
    "render_all",
    "section",
    "split_text",
    "to_pieces",
]
