"""Turning a typed answer into structured items: hypotheses, actions, evidence, choices."""

from __future__ import annotations

import re
from datetime import date, datetime

import dateparser

from bot.engine.state import Evidence
from supervision_models.schema import Choice

_BULLET = re.compile(r"^\s*(?:[-*•·]|\(?\d{1,2}[.):]|\(?[a-h][.)])\s*")
_INLINE_NUMBERED = re.compile(r"(?:^|\s)\(?\d{1,2}[.)]\s+")


def split_items(text: str) -> list[str]:
    """One item per line; a single line may also be numbered inline ("1) ... 2) ...")."""
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) == 1 and len(_INLINE_NUMBERED.findall(lines[0])) >= 2:
        lines = [part for part in _INLINE_NUMBERED.split(lines[0]) if part.strip()]
    items = [_BULLET.sub("", line).strip() for line in lines]
    return [item for item in items if item]


_ACTION_SEPARATORS = (" / ", " | ", " — ", " – ", " - ", "; ", "|", "/")


def parse_action(line: str, now: datetime) -> tuple[str, str | None, date | None, str | None]:
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
    return what, who, due, due_text


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


_EVIDENCE_LABEL = re.compile(r"^\s*\(?(SUR|SR|MR|CR)\)?\s*[:)\-–]?\s+", re.IGNORECASE)


def parse_evidence(line: str) -> Evidence:
    match = _EVIDENCE_LABEL.match(line)
    if not match:
        return Evidence(source="unlabelled", text=line.strip())
    source = match.group(1).upper()
    assert source in ("SR", "SUR", "MR", "CR")
    return Evidence(source=source, text=line[match.end() :].strip())


_YES = {"yes", "y", "yeah", "yep", "yes please", "i did", "did"}
_NO = {"no", "n", "nope", "not really", "no i didn't", "didn't"}


def match_choice(text: str, choices: tuple[Choice, ...]) -> str | None:
    """The choice a typed answer means: its number, value, label, or a unique start of it."""
    typed = " ".join(text.lower().strip().strip(".!").split())
    if not typed:
        return None
    if typed.isdigit() and 1 <= int(typed) <= len(choices):
        return choices[int(typed) - 1].value
    values = {c.value: c for c in choices}
    if typed.replace(" ", "_") in values:
        return typed.replace(" ", "_")
    if typed in _YES and "yes" in values:
        return "yes"
    if typed in _NO and "no" in values:
        return "no"
    for choice in choices:
        label = choice.label.lower()
        if typed == label or typed == re.sub(r"^\d+\.\s*", "", label):
            return choice.value
    starts = [c.value for c in choices if re.sub(r"^\d+\.\s*", "", c.label.lower()).startswith(typed)]
    if len(starts) == 1 and len(typed) >= 3:
        return starts[0]
    return None
