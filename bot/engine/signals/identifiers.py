"""Identifiers that should not be written down or sent anywhere: UK numbers, names, addresses."""

from __future__ import annotations

import re
from dataclasses import dataclass

from stdnum.gb import nhs


@dataclass(frozen=True)
class IdentifierHit:
    kind: str  # "nhs_number", "ni_number", "postcode", "date_of_birth", "phone", "email", "address", "name"
    start: int
    end: int


_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("email", re.compile(r"\b[\w.+-]+@[\w-]+(\.[\w-]+)+\b")),
    (
        "ni_number",
        re.compile(
            r"\b(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b",
            re.IGNORECASE,
        ),
    ),
    (
        "postcode",
        re.compile(r"\b(GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})\b", re.IGNORECASE),
    ),
    (
        "phone",
        re.compile(r"(?<!\d)(\+44\s?\(?0?\)?\s?\d{2,4}|\(?0\d{2,4}\)?)[\s-]?\d{3,4}[\s-]?\d{3,4}(?!\d)"),
    ),
    (
        "date_of_birth",
        re.compile(
            r"\b(d\.?o\.?b\.?|date of birth|born( on)?)\W{0,3}(\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{1,2}(st|nd|rd|th)? \w+ \d{4})",
            re.IGNORECASE,
        ),
    ),
    (
        "address",
        re.compile(
            r"\b\d{1,4}[a-z]?,? [A-Z][a-z]+( [A-Z][a-z]+)? (Street|St|Road|Rd|Lane|Ln|Avenue|Ave|Close|Drive|Dr"
            r"|Way|Crescent|Court|Place|Gardens|Terrace|Grove|Row|Walk|Mews|Square|Hill|Park)\b"
        ),
    ),
    ("name", re.compile(r"\b(Mr|Mrs|Ms|Miss|Mx|Dr)\.? [A-Z][a-z]+\b")),
    ("name", re.compile(r"\b(called|named|name is|named as)\s+[A-Z][a-z]+\b")),
)
_NHS_CANDIDATE = re.compile(r"(?<!\d)(\d{3}[\s-]?\d{3}[\s-]?\d{4})(?!\d)")


def find_identifiers(text: str) -> list[IdentifierHit]:
    """UK identifiers and obvious names in free text, for a warning (never for a decision)."""
    hits: list[IdentifierHit] = []
    for match in _NHS_CANDIDATE.finditer(text):
        if nhs.is_valid(re.sub(r"\D", "", match.group(1))):
            hits.append(IdentifierHit("nhs_number", match.start(), match.end()))
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            overlaps = any(h.start < match.end() and match.start() < h.end for h in hits)
            if not overlaps:
                hits.append(IdentifierHit(kind, match.start(), match.end()))
    return sorted(hits, key=lambda h: h.start)


_ROLES = {"name": "[name]", "address": "[address]", "school": "the school"}


def replace_with_roles(text: str, hits: list[IdentifierHit]) -> str:
    """The text with each identifier replaced by a role or a placeholder."""
    out = text
    for hit in sorted(hits, key=lambda h: h.start, reverse=True):
        out = out[: hit.start] + _ROLES.get(hit.kind, f"[{hit.kind.replace('_', ' ')}]") + out[hit.end :]
    return out
