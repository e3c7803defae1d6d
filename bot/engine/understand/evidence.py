"""Pledge-review evidence labelled by its source: SR (self report), SUR (service user
report), MR (manager report), CR (colleague report).

`parse_evidence_items` reads each piece of a message on its own: labels typed anywhere
("SR i see kids alone now MR my manager said my recording is better SUR mum said visits
help" -> three pieces), before or after the piece ("(MR)", "- SUR"), and, for a piece with
no label, its source from the words ("my manager said" = MR, "mum said" = SUR, "the HV
said" = CR, "I think" / "I've" = SR). A piece with no clue stays unlabelled.
"""

from __future__ import annotations

import itertools
import re
from typing import Literal

from bot.engine.state import Evidence
from bot.engine.understand.items import split_items

Source = Literal["SR", "SUR", "MR", "CR", "unlabelled"]

_EVIDENCE_LABEL = re.compile(r"^\s*[\(\[]?(SUR|SR|MR|CR)[\)\]]?\s*[:)\-–.]?\s+", re.IGNORECASE)
# A label inside a message: upper case anywhere, any case when punctuated or at a start.
_INLINE_LABEL = re.compile(
    r"(?:(?<=\s)|^)[\(\[]?(?:(?P<upper>SUR|SR|MR|CR)|(?P<any>(?i:sur|sr|mr|cr))(?=[:)\]\-–]))[\)\]]?\s*[:\-–.]?(?=\s)"
)
_TRAILING_LABEL = re.compile(r"\s*[\(\[\-–]\s*(SUR|SR|MR|CR)\s*[\)\]]?\s*[.;,]?\s*$", re.IGNORECASE)

_SAID = (
    r"(?:said|says|told\s+me|told\s+us|tells\s+me|told|mentioned|commented|noticed|fed\s*back|feedback|gave\s+feedback|"
    r"reported|thinks|thought|observed|praised|agreed|shared|wrote|emailed|noted|highlighted|described|"
    r"feels|felt|has\s+said|has\s+noticed|has\s+commented|has\s+told\s+me|says\s+that|said\s+that|in\s+supervision)"
)
_MANAGER = r"(?:my\s+)?(?:tm|team\s+manager|manager|mgr|supervisor|line\s+manager|service\s+manager|head\s+of\s+service|atm|boss|practice\s+manager)"
_FAMILY = (
    r"(?:(?:the|a|an|one|another|this|that)\s+)?(?:mum|mom|mam|mother|dad|father|parents?|carers?|foster\s+carers?|nan|nana|gran|grandma|grandad|"
    r"step\s*dad|family|families|the\s+family|yp|young\s+person|young\s+people|child|children|kids?|"
    r"the\s+boy|the\s+girl|service\s+users?|a\s+parent|one\s+mum|one\s+dad|\w+'s\s+mum|a\s+family|teenager|"
    r"she|he|they)"
)
_COLLEAGUE = (
    r"(?:a\s+|my\s+|another\s+|one\s+)?(?:colleague|co-?worker|peer|team\s*mate|other\s+sw|another\s+sw|sw\s+colleague|"
    r"the\s+team|my\s+team|the\s+hv|hv|health\s+visitor|school|the\s+school|dsl|the\s+dsl|teacher|iro|the\s+iro|"
    r"fsw|the\s+fsw|police|gp|the\s+gp|paediatrician|midwife|nursery|camhs|other\s+professionals|professionals|"
    r"the\s+chair|conference\s+chair|senior\s+practitioner|student|advanced\s+practitioner|partner\s+agencies)"
)
_CLUES: list[tuple[Source, re.Pattern[str]]] = [
    (
        "MR",
        re.compile(
            rf"\b{_MANAGER}\s+(?:\w+\s+){{0,2}}?{_SAID}|\bfeedback\s+from\s+{_MANAGER}|\bin\s+supervision\b|\baudit",
            re.I,
        ),
    ),
    (
        "CR",
        re.compile(
            rf"\b{_COLLEAGUE}\s+(?:\w+\s+){{0,2}}?{_SAID}|\bfeedback\s+from\s+{_COLLEAGUE}|\bcolleagues?\b|\bpeers?\b",
            re.I,
        ),
    ),
    (
        "SUR",
        re.compile(
            rf"\b{_FAMILY}\s+(?:\w+\s+){{0,2}}?{_SAID}|\bfeedback\s+from\s+{_FAMILY}|\bservice\s+users?\b|\bfamily\s+feedback",
            re.I,
        ),
    ),
    (
        "SR",
        re.compile(
            r"^(?:i\b|i'm\b|im\b|i've\b|ive\b|i'd\b|my\s+own\b|myself\b|me\b)|\bi\s+(?:think|feel|now|have|always|make|do|see|find|try|am|was|noticed|reckon|know)\b|\bi've\b|\bive\b",
            re.I,
        ),
    ),
]


_WORDED_LABEL = re.compile(
    r"^\s*(?P<label>self[\s-]*report(?:ed)?|service[\s-]*users?(?:[\s-]*report)?|manager'?s?[\s-]*report|"
    r"colleague'?s?[\s-]*report|peer[\s-]*report)\s*[:\-–)]?\s+",
    re.IGNORECASE,
)
_WORDED: dict[str, Source] = {
    "self": "SR",
    "service": "SUR",
    "manager": "MR",
    "colleague": "CR",
    "peer": "CR",
}


def parse_evidence(line: str) -> Evidence:
    """One piece of evidence: its label at the start (or end), else its source from its words."""
    worded = _WORDED_LABEL.match(line)
    if worded:
        key = re.match(r"[a-z]+", worded.group("label").lower())
        source = _WORDED.get(key.group(0) if key else "", "unlabelled")
        return Evidence(source=source, text=line[worded.end() :].strip())
    match = _EVIDENCE_LABEL.match(line)
    if match and not (match.group(1) == "Mr" and line[match.end() :][:1].isupper()):
        return Evidence(source=_source(match.group(1)), text=line[match.end() :].strip())
    trailing = _TRAILING_LABEL.search(line)
    if trailing and trailing.start() > 0:
        return Evidence(source=_source(trailing.group(1)), text=line[: trailing.start()].strip())
    return Evidence(source=source_from_words(line), text=line.strip())


def parse_evidence_items(text: str) -> list[Evidence]:
    """Every piece of evidence in a message, each with its own label (module docstring)."""
    pieces: list[Evidence] = []
    for item in split_items(text):
        pieces.extend(_split_labelled(item))
    return [p for p in pieces if p.text]


def source_from_words(text: str) -> Source:
    """Whose report a piece is, from its words; "unlabelled" when there is no clue."""
    for source, pattern in _CLUES:
        if pattern.search(text.strip()):
            return source
    return "unlabelled"


def _source(label: str) -> Source:
    upper = label.upper()
    if upper == "SR":
        return "SR"
    if upper == "SUR":
        return "SUR"
    if upper == "MR":
        return "MR"
    return "CR"


def _split_labelled(item: str) -> list[Evidence]:
    labels = [m for m in _INLINE_LABEL.finditer(item) if not _looks_like_title(item, m)]
    if not labels:
        return [parse_evidence(piece) for piece in _split_by_reporter(item)]
    suffix_style = all(item[m.start()] in "([" for m in labels) and _TRAILING_LABEL.search(item)
    found: list[Evidence] = []
    if suffix_style:
        start = 0
        for m in labels:
            piece = item[start : m.start()].strip(" ,;.-")
            if piece:
                found.append(Evidence(source=_source(m.group("upper") or m.group("any")), text=piece))
            start = m.end()
        tail = item[start:].strip(" ,;.-")
        if tail:
            found.append(parse_evidence(tail))
        return found
    head = item[: labels[0].start()].strip(" ,;.-")
    if head:
        found.append(parse_evidence(head))
    for m, following in zip(labels, [*labels[1:], None], strict=True):
        piece = item[m.end() : following.start() if following else len(item)].strip(" ,;.-")
        if piece:
            found.append(Evidence(source=_source(m.group("upper") or m.group("any")), text=piece))
    return found


def _looks_like_title(item: str, match: re.Match[str]) -> bool:
    """ "Mr Smith" is a name, not a manager report."""
    word = item[match.start() : match.end()].strip()
    after = item[match.end() :].lstrip()
    return word in {"Mr", "Mr."} and after[:1].isupper()


def _split_by_reporter(item: str) -> list[str]:
    """ "i see kids alone now, my manager said my recording is better and mum said visits
    help" -> three: a new piece starts where someone else's report starts."""
    cuts = [0]
    for sep in re.finditer(r"(?:[.,;]\s+|\s+(?:and|also|plus|&)\s+)", item):
        after = item[sep.end() :]
        for source, pattern in _CLUES[:3]:
            found = pattern.match(after)
            if found is not None and source != "SR" and len(item[cuts[-1] : sep.start()].split()) >= 3:
                cuts.append(sep.start())
                break
    cuts.append(len(item))
    parts = [item[a:b] for a, b in itertools.pairwise(cuts)]
    cleaned = [re.sub(r"^\s*(?:[.,;]|and|also|plus|&)\s*", "", p).strip(" ,;.") for p in parts]
    return [c for c in cleaned if c] or [item]
