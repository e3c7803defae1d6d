"""Pure text checks that shape the conversation: vague words, no words from the child,
words that suggest immediate risk, and identifiers that should not be written down.

They are deliberately simple and conservative. The risk check errs towards saying the
safeguarding message: showing it when it was not needed costs a tap; missing it costs more.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stdnum.gb import nhs

_WORD = re.compile(r"[a-z']+")

# Short descriptions that say how a visit felt without saying what was there.
VAGUE_PHRASES = (
    "pretty bad",
    "not great",
    "not good",
    "not too bad",
    "not bad",
    "all right",
    "alright",
    "as usual",
    "as normal",
    "the same",
    "nothing much",
    "nothing new",
    "so so",
    "so-so",
    "fine",
    "ok",
    "okay",
    "normal",
    "usual",
    "bad",
    "good",
    "nice",
    "messy",
    "chaotic",
    "concerning",
    "poor",
    "unremarkable",
    "difficult",
    "tough",
    "hard",
)
VAGUE_MAX_WORDS = 12


def vague_words(text: str) -> list[str]:
    """The vague phrases in a short answer; a detailed answer is never vague."""
    lowered = " ".join(_WORD.findall(text.lower()))
    if not lowered or len(lowered.split()) > VAGUE_MAX_WORDS:
        return []
    found: list[str] = []
    for phrase in VAGUE_PHRASES:
        if re.search(rf"\b{re.escape(phrase)}\b", lowered) and not any(phrase in f for f in found):
            found.append(phrase)
    return found


_NO_WORDS = re.compile(
    r"^(no|none|nothing|nope|n/?a|not really|not much)\b"
    r"|\b(didn'?t|did not|wouldn'?t|would not|couldn'?t|could not) (say|speak|talk|tell|engage|see)\b"
    r"|\bno (words|voice|chance|time|opportunity)\b"
    r"|\b(asleep|sleeping|pre-?verbal|non-?verbal|too young|at school|at nursery|not (there|home|present|seen))\b"
    r"|\b(wasn'?t|was not|weren'?t) (there|home|present|seen|available)\b"
    r"|\bnothing (said|to say)\b"
)


def no_child_words(text: str) -> bool:
    """True when an answer about the child's own words records none."""
    lowered = text.lower().strip()
    if len(lowered.split()) > 25:
        return False
    return bool(_NO_WORDS.search(lowered))


# (pattern, negatable). A negatable pattern preceded by "no"/"not"/"denied" is not risk.
_RISK_PATTERNS: tuple[tuple[re.Pattern[str], bool], ...] = tuple(
    (re.compile(p, re.IGNORECASE), negatable)
    for p, negatable in (
        (
            r"\b(going to|gonna|will|threaten(ed|s|ing)?( to)?|said (he|she|they)'?d) (kill|hurt|harm|hit|beat|stab|strangle)\b",
            False,
        ),
        (r"\b(kill|hurt|harm) (him|her|them|my|her|his)sel(f|ves)\b", False),
        (r"\b(suicid\w*|self[- ]harm\w*|overdos\w*)\b", False),
        (r"\b(not safe|unsafe|in danger|at risk) (to go home|at home|tonight|right now|now)\b", False),
        (r"\b(afraid|scared|frightened) (to go|of going) home\b", False),
        (r"\b(immediate|imminent|serious) (risk|danger|harm)\b", True),
        (r"\b(sexual(ly)? abus\w*|rape[ds]?|raping|molest\w*|groom(ed|ing))\b", True),
        (
            r"\b(unexplained|non[- ]accidental|suspicious) (injur\w*|bruis\w*|burns?|marks?|fractures?)\b",
            True,
        ),
        (r"\bbruis\w* (on|to) (the |a |his |her )?(baby|infant|face|neck|head|ears?)\b", True),
        (r"\b(baby|toddler|infant|child|children|kids?) (left )?(home )?alone\b", True),
        (r"\b(knife|knives|gun|weapon)\b", True),
        (r"\b(strangl\w*|chok(ed|ing) (him|her|them))\b", True),
        (r"\b(not breathing|unconscious|unresponsive)\b", False),
        (r"\bdisclos(ed|ure) (of )?(abuse|being hit|being hurt|that)\b", False),
    )
)
_NEGATION = re.compile(r"\b(no|not|never|without|denied|denies|nor|none)\b(\W+\w+){0,3}\W*$", re.IGNORECASE)


def suggests_immediate_risk(text: str) -> bool:
    for pattern, negatable in _RISK_PATTERNS:
        for match in pattern.finditer(text):
            if negatable and _NEGATION.search(text[: match.start()]):
                continue
            return True
    return False


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


_CASE_REF = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/_.-]{1,39}$")


def case_ref_problem(text: str) -> str | None:
    """Why a typed case reference can't be used, or None when it looks like one.

    A reference has at least one digit and no spaces; a bare word or two is probably a
    name, and a valid NHS number is a personal identifier, not a case reference.
    """
    candidate = text.strip()
    if find_identifiers(candidate):
        return "identifier"
    if not any(ch.isdigit() for ch in candidate):
        return "looks_like_name"
    if not _CASE_REF.match(candidate):
        return "format"
    return None


def normalise_case_ref(text: str) -> str:
    return text.strip().upper()
