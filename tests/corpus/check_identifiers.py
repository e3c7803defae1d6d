"""Identifiers in chat: every form in an answer found with its kind; no warning on answers without.

A positive case is read right when every labelled form is covered by a hit of its kind and
no other kind is reported; a negative when nothing is found. So recall is the share of
answers with identifiers that get a complete, correct warning, and precision the share of
warnings that were right (a false warning on an ordinary answer counts against it).
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.engine.signals.identifiers import IdentifierHit, find_identifiers
from tests.corpus.framework import Result
from tests.corpus.identifier_corpus import Case, corpus

CATEGORY = "identifiers"
TARGET_RECALL = 0.95
TARGET_PRECISION = 0.95


def _covered(case: Case, kind: str, text: str, hits: list[IdentifierHit]) -> bool:
    start = case.text.index(text)
    end = start + len(text)
    return any(h.kind == kind and h.start < end and start < h.end for h in hits)


def results() -> Iterable[Result]:
    data = corpus()
    for case in data.positives:
        hits = find_identifiers(case.text)
        expected = tuple(sorted({f.kind for f in case.forms}))
        missed = [f.text for f in case.forms if not _covered(case, f.kind, f.text, hits)]
        kinds = tuple(sorted({h.kind for h in hits}))
        got: tuple[str, ...] | None = kinds or None
        if missed and kinds:
            got = (*kinds, "missed " + ", ".join(missed))
        yield Result(CATEGORY, case.text, expected, got, subcategory=expected[0])
    for text in data.negatives:
        found = find_identifiers(text)
        got_kinds = tuple(f"{h.kind}: {text[h.start : h.end]}" for h in found) or None
        yield Result(CATEGORY, text, None, got_kinds, subcategory="no identifier")
