"""Pledge-review evidence labelled by its source: SR, SUR, MR, CR."""

from __future__ import annotations

import re

from bot.engine.state import Evidence

_EVIDENCE_LABEL = re.compile(r"^\s*\(?(SUR|SR|MR|CR)\)?\s*[:)\-–]?\s+", re.IGNORECASE)


def parse_evidence(line: str) -> Evidence:
    match = _EVIDENCE_LABEL.match(line)
    if not match:
        return Evidence(source="unlabelled", text=line.strip())
    source = match.group(1).upper()
    assert source in ("SR", "SUR", "MR", "CR")
    return Evidence(source=source, text=line[match.end() :].strip())


def parse_evidence_items(text: str) -> list[Evidence]:
    from bot.engine.understand.items import split_items

    return [parse_evidence(line) for line in split_items(text)]
