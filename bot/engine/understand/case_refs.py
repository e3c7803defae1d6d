"""Case references: whether typed text can be one, and one canonical form to compare them."""

from __future__ import annotations

import re

from bot.engine.signals.identifiers import find_identifiers

_CASE_REF = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/_.-]{1,39}$")


def case_ref_problem(text: str) -> str | None:
    """Why a typed case reference can't be used, or None when it looks like one.

    A reference has at least one digit and no spaces; a bare word or two is probably a
    name, and a valid NHS number is a personal identifier, not a case reference.
    """
    candidate = text.strip()
    hits = find_identifiers(candidate)
    if any(hit.kind != "name" for hit in hits):
        return "identifier"
    if hits:
        return "looks_like_name"
    if not any(ch.isdigit() for ch in candidate):
        return "looks_like_name"
    if not _CASE_REF.match(candidate):
        return "format"
    return None


def normalise_case_ref(text: str) -> str:
    return text.strip().upper()
