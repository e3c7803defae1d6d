"""Several items in one message: hypotheses, actions, evidence typed as a list or a sentence."""

from __future__ import annotations

import re

_BULLET = re.compile(r"^\s*(?:[-*•·]|\(?\d{1,2}[.):]|\(?[a-h][.)])\s*")
_INLINE_NUMBERED = re.compile(r"(?:^|\s)\(?\d{1,2}[.)]\s+")


def split_items(text: str) -> list[str]:
    """One item per line; a single line may also be numbered inline ("1) ... 2) ...")."""
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) == 1 and len(_INLINE_NUMBERED.findall(lines[0])) >= 2:
        lines = [part for part in _INLINE_NUMBERED.split(lines[0]) if part.strip()]
    items = [_BULLET.sub("", line).strip() for line in lines]
    return [item for item in items if item]


def split_hypotheses(text: str) -> list[str]:
    return split_items(text)


def unique_items(found: list[str], existing: list[str] | tuple[str, ...] = ()) -> list[str]:
    """Items not already held, compared without case or punctuation."""
    seen = {_key(item) for item in existing}
    kept: list[str] = []
    for item in found:
        if _key(item) not in seen:
            seen.add(_key(item))
            kept.append(item)
    return kept


def _key(item: str) -> str:
    return " ".join(re.findall(r"[a-z0-9']+", item.lower()))
