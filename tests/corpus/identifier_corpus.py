"""The identifier corpus (identifiers.yaml), read once for the chat and pseudonymiser checks."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

HERE = Path(__file__).parent


@dataclass(frozen=True)
class Form:
    kind: str
    text: str  # exactly as it appears in the case


@dataclass(frozen=True)
class Case:
    text: str
    forms: tuple[Form, ...]


@dataclass(frozen=True)
class Corpus:
    positives: tuple[Case, ...]
    negatives: tuple[str, ...]

    @property
    def forms(self) -> list[tuple[Case, Form]]:
        return [(case, form) for case in self.positives for form in case.forms]


@cache
def corpus() -> Corpus:
    data = yaml.safe_load((HERE / "identifiers.yaml").read_text(encoding="utf-8"))
    positives = tuple(
        Case(str(item["text"]), tuple(Form(str(kind), str(text)) for kind, text in item["forms"]))
        for item in data["positives"]
    )
    for case in positives:
        for form in case.forms:
            assert form.text in case.text, f"{form.text!r} is not in {case.text!r}"
    return Corpus(positives, tuple(str(t) for t in data["negatives"]))
