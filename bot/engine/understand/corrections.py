"""What a worker types at a read-back: "yes", or a correction such as "drop 3"."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

CorrectionOp = Literal["confirm", "drop", "set", "replace", "add", "none"]


@dataclass(frozen=True)
class Correction:
    op: CorrectionOp
    index: int | None = None
    field: Literal["what", "owner", "due"] | None = None
    value: str = ""


_YES = {"yes", "y", "yep", "yeah", "thats right", "that's right", "correct", "right", "ok", "all good"}


def read_corrections(text: str) -> list[Correction]:
    typed = " ".join(text.lower().strip().strip(".!").split())
    if typed in _YES or (typed.split()[:1] in (["yes"], ["yep"], ["yeah"]) and not re.search(r"\d", typed)):
        return [Correction("confirm")]
    found: list[Correction] = []
    for part in re.split(r"\s*[,;]\s*", typed):
        if m := re.fullmatch(r"(?:drop|remove|delete)\s+(\d+)", part):
            found.append(Correction("drop", int(m.group(1))))
        elif m := re.fullmatch(r"(\d+)\s*:?\s*(owner|who|due|date|when)\s*(?:is|:)?\s*(.+)", part):
            field: Literal["owner", "due"] = "owner" if m.group(2) in {"owner", "who"} else "due"
            found.append(Correction("set", int(m.group(1)), field, m.group(3)))
    return found


def read_edit_request(text: str, steps: Sequence[tuple[str, str]]) -> str | None:
    return None
