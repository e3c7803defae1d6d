"""An action typed in words: what, who and by when (UK dates, day first)."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import NamedTuple

import dateparser

_ACTION_SEPARATORS = (" / ", " | ", " — ", " – ", " - ", "; ", "|", "/")


class ParsedAction(NamedTuple):
    what: str
    who: str | None
    due: date | None
    due_text: str | None


def parse_action(line: str, now: datetime) -> ParsedAction:
    """Split "what / who / by when" into parts; the date is read relative to `now`."""
    parts = [line]
    for separator in _ACTION_SEPARATORS:
        if separator in line:
            candidate = [p.strip() for p in line.split(separator)]
            if separator == "/" and any(_looks_like_numeric_date(p) for p in candidate):
                continue
            parts = [p for p in candidate if p]
            break
    what = parts[0]
    who: str | None = None
    due: date | None = None
    due_text: str | None = None
    for part in parts[1:]:
        parsed = parse_due(part, now)
        if parsed is not None and due is None:
            due, due_text = parsed, part
        elif who is None:
            who = part
        else:
            due_text = part
    if len(parts) == 1:
        # "Ring school by Friday": a trailing "by ..." is a date.
        match = re.search(r"\bby (.+)$", line, re.IGNORECASE)
        if match and (parsed := parse_due(match.group(1), now)) is not None:
            what, due, due_text = line[: match.start()].strip(" ,"), parsed, match.group(1)
    return ParsedAction(what, who, due, due_text)


def _looks_like_numeric_date(part: str) -> bool:
    return bool(re.fullmatch(r"\d{1,2}", part.strip()))


def parse_due(text: str, now: datetime) -> date | None:
    cleaned = re.sub(r"^(by|before|on|due)\s+", "", text.strip(), flags=re.IGNORECASE)
    if not cleaned or not re.search(r"\d|day|week|month|tomorrow|tonight|today|end|next", cleaned, re.I):
        return None
    parsed = dateparser.parse(
        cleaned,
        languages=["en"],
        settings={
            "RELATIVE_BASE": now.replace(tzinfo=None),
            "PREFER_DATES_FROM": "future",
            "DATE_ORDER": "DMY",
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )
    return parsed.date() if parsed else None


def parse_who_when(text: str, now: datetime) -> tuple[str | None, date | None, str | None]:
    """A follow-up answer such as "me, by Friday" or "health visitor / 3 March"."""
    parts = [p.strip() for p in re.split(r"\s*(?:/|,|;| by | - )\s*", text) if p.strip()]
    who: str | None = None
    due: date | None = None
    due_text: str | None = None
    for part in parts:
        parsed = parse_due(part, now)
        if parsed is not None and due is None:
            due, due_text = parsed, part
        elif who is None:
            who = part
    return who, due, due_text


def split_actions(text: str) -> list[str]:
    from bot.engine.understand.items import split_items

    return [part.strip() for item in split_items(text) for part in item.split(";") if part.strip()]


def is_worker(owner: str | None) -> bool:
    return owner is not None and owner.strip().lower() in {"me", "i", "myself", "i'll", "i will"}


def parse_owner(text: str) -> str | None:
    cleaned = text.strip()
    return cleaned or None
