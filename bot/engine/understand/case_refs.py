"""Case references: whether typed text can be one, and one canonical form to compare them.

Workers type the same reference many ways: "hx3107", "HX 3107", "HX-3107", "hx_3107". They
are one case: `case_key` ignores case, spaces, hyphens and other separators ("HX3107"), and
`normalise_case_ref` shows every spelling in one display form: upper case, with a hyphen
wherever letters meet digits ("HX-3107"; "cp/2024/118" -> "CP-2024118"; "123456" -> "123456").
The display form is a function of the key alone, so equal keys always display alike.
"""

from __future__ import annotations

import re

from bot.engine.signals.identifiers import find_identifiers

_CASE_REF = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/_. -]{1,39}$")
_IN_TEXT = re.compile(r"\b([A-Za-z]{1,5})[\s_/-]?(\d{2,10})\b|\b(\d{4,10})\b")


def case_ref_problem(text: str) -> str | None:
    """Why a typed case reference can't be used, or None when it looks like one.

    A reference has at least one digit; spaces and hyphens inside it are fine ("hx 3107").
    A bare word or two is probably a name, and a valid NHS number is a personal identifier,
    not a case reference.
    """
    candidate = text.strip()
    hits = find_identifiers(candidate)
    if any(hit.kind != "name" for hit in hits):
        return "identifier"
    if hits:
        return "looks_like_name"
    if not any(ch.isdigit() for ch in candidate):
        return "looks_like_name"
    if not _CASE_REF.match(candidate) or len(candidate.split()) > 3:
        return "format"
    return None


def case_key(text: str) -> str:
    """The form two references are compared in: "hx 3107" = "HX-3107" = "HX3107"."""
    return re.sub(r"[^0-9A-Z]", "", text.upper())


def normalise_case_ref(text: str) -> str:
    """The one display form for every spelling of a reference (see the module docstring)."""
    key = case_key(text)
    if not key:
        return text.strip().upper()
    return "-".join(re.findall(r"[A-Z]+|[0-9]+", key))


def same_case(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and case_key(a or "") == case_key(b or "")


def find_case_ref(text: str) -> str | None:
    """A reference typed inside a sentence ("case hx 3107 again"), normalised, or None."""
    for match in _IN_TEXT.finditer(text):
        candidate = match.group(0)
        if find_identifiers(candidate):
            continue
        return normalise_case_ref(candidate)
    return None
