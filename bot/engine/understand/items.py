"""Several items in one message: hypotheses, actions, evidence typed as a list or a sentence.

`split_items` reads lists as workers type them: one per line; bullets ("-", "*", "•");
numbering ("1.", "1)", "(1)", "1:"), also inline ("1) chase GP 2) ring DSL"); ordinal words
("First: ... Second: ...", "firstly ... secondly ...", "first thought: money. second: ...");
and semicolons. A numbered line's wrapped continuation stays with its item.
`split_hypotheses` also splits "or" between two explanations and drops "or both".
`unique_items` drops repeats and near-repeats (rapidfuzz).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rapidfuzz import fuzz

from bot.engine.understand.words import NUMBER_WORDS, clean, is_negator

_BULLET = re.compile(r"^\s*(?:[-*•·▪◦–—>]+|\(?\d{1,2}[.):]|\(?[a-h][.)])\s*")
_NUMBER_MARK = re.compile(r"(?:(?<=\s)|(?<=^)|(?<=[,.;]))\(?(?P<n>\d{1,2})(?:[.):]|\s*-)(?=\s|$)")
_ORDINAL_WORDS = {
    "first": 1,
    "firstly": 1,
    "1st": 1,
    "second": 2,
    "secondly": 2,
    "2nd": 2,
    "third": 3,
    "thirdly": 3,
    "3rd": 3,
    "fourth": 4,
    "fourthly": 4,
    "4th": 4,
    "fifth": 5,
    "fifthly": 5,
    "5th": 5,
    "sixth": 6,
    "6th": 6,
    "lastly": 0,
    "finally": 0,
}
_ORDINAL_MARK = re.compile(
    r"(?:(?<=\s)|(?<=^)|(?<=[,.;]))(?:and\s+)?(?:the\s+|my\s+|our\s+)?(first(?:ly)?|second(?:ly)?|third(?:ly)?|fourth(?:ly)?|"
    r"fifth(?:ly)?|sixth|1st|2nd|3rd|4th|5th|6th|lastly|finally)"
    r"(?:\s+(?:of\s+all|thought|one|idea|hypothesis|explanation|possibility|option|theory|thing|action|"
    r"point|reason|worry|guess|bit))?\s*(?:[:,\-–—)]|\s+(?:is|was|would\s+be)\b|(?<=ly)\s+|(?<=of\sall)\s+)\s*",
    re.IGNORECASE,
)
_HEDGE_START = re.compile(
    r"^(?:(?:and|or|also|plus|then)\s+)*(?:(?:i\s+)?(?:think|wonder\s+if|reckon|guess)\s+)?"
    r"(?:(?:it\s+)?(?:could|might|may)\s+(?:also\s+)?(?:be|just\s+be)\s+|maybe\s+(?:its\s+|it's\s+)?|"
    r"perhaps\s+|possibly\s+|either\s+|its\s+either\s+|it's\s+either\s+|(?:i\s+)?think\s+(?:it'?s\s+)?|"
    r"(?:my\s+)?(?:guess|hunch)\s+is\s+(?:that\s+)?|that\s+)",
    re.IGNORECASE,
)
_NOT_AN_EXPLANATION = re.compile(
    r"^(?:both|neither|all|all of them|all three|all of the above|a bit of both|bit of both|a mix|a mixture|"
    r"a combination|combination|something else|something|anything|not|none|a bit of everything|"
    r"everything|whatever|who knows|nothing)\b(?:\s+(?:really|honestly|tbh|probably|maybe|i think|"
    r"of them|of those|of the above|lol|idk|i guess|to be honest|ha|haha|tbf|even))*\s*[.!?]*$",
    re.IGNORECASE,
)
_CLAUSE_VERB = re.compile(
    r"\b(?:is|was|are|were|has|had|have|does|did|doesnt|doesn't|didnt|didn't|isnt|isn't|wasnt|wasn't|"
    r"cant|can't|wont|won't|could|might|may|will|would|shes|she's|hes|he's|theyre|they're|its|it's|"
    r"feels|seems|wants|needs|drinks|uses|hits|lies|knows|thinks|gets|goes|keeps|struggles|"
    r"struggling|using|drinking|hiding|scared|frightened|afraid|controlling|trying)\b",
    re.IGNORECASE,
)


def split_items(text: str) -> list[str]:
    """The items of a list typed in any of the usual ways (see the module docstring)."""
    items: list[str] = []
    for block in _lines(text):
        for part in _split_inline(block):
            for piece in _split_semicolons(part):
                cleaned = _tidy(piece)
                if cleaned:
                    items.append(cleaned)
    return items


def split_hypotheses(text: str) -> list[str]:
    """Explanations: `split_items`, then "or" between explanations ("could be mum's mental
    health or could be the new partner, or both honestly" -> two); "or both" is dropped."""
    found: list[str] = []
    for item in split_items(text):
        for sentence in _split_hedged_sentences(item):
            for part in _split_or(sentence):
                part = _strip_hedge(part)
                if part and not _NOT_AN_EXPLANATION.match(part):
                    found.append(part)
    return found


def unique_items(items: list[str], existing: Sequence[str] = ()) -> list[str]:
    """`items` without repeats or near-repeats of each other or of `existing` (case,
    punctuation and small typing differences ignored)."""
    kept: list[str] = []
    seen = [clean(e) for e in existing if clean(e)]
    for item in items:
        key = clean(item)
        if not key:
            continue
        if any(_near(key, other) for other in seen):
            continue
        kept.append(item)
        seen.append(key)
    return kept


_LIGHT = frozenset(
    {"the", "a", "an", "is", "are", "was", "were", "be", "been", "being", "that", "just", "really"}
)


def _near(a: str, b: str) -> bool:
    if a == b:
        return True
    content_a = [w for w in a.split() if w not in _LIGHT]
    content_b = [w for w in b.split() if w not in _LIGHT]
    if content_a and content_a == content_b:
        return True  # "new partner controlling mum" = "the new partner is controlling mum"
    if min(len(a), len(b)) < 8:
        return False
    if {w for w in a.split() if is_negator(w)} != {w for w in b.split() if is_negator(w)}:
        return False  # "not fed enough" is the opposite of "fed enough"
    return fuzz.ratio(a, b) >= 92 or (fuzz.token_sort_ratio(a, b) >= 96)


# ----------------------------------------------------------------- lines and markers


def _lines(text: str) -> list[str]:
    """Lines, with a wrapped continuation joined to the numbered/bulleted item above it."""
    raw = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    raw = [line for line in raw if line.strip()]
    marked = [bool(_BULLET.match(line)) for line in raw]
    if not any(marked) or all(marked):
        return raw
    joined: list[str] = []
    for line, is_marked in zip(raw, marked, strict=True):
        if is_marked or not joined:
            joined.append(line)
        elif line[:1].isspace() or line.strip()[:1].islower():
            joined[-1] = f"{joined[-1]} {line.strip()}"
        else:
            joined.append(line)
    return joined


def _split_inline(line: str) -> list[str]:
    for splitter in (_split_numbered, _split_ordinals, _split_inline_bullets):
        parts = splitter(line)
        if len(parts) > 1:
            return parts
    return [line]


_WORD_NUMBERS = {w: n for w, n in NUMBER_WORDS.items() if n <= 10}
_NUMBER_WORD = r"(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten)"
_LABEL = r"(?:hypothesis|hyp|idea|thought|theory|option|possibility|explanation|number|no\.?|item|action|point|reason)"
# Ways of numbering a list inline, tried in turn: "1)", "hypothesis 2:", "two:", "b)", "1 x 2 y".
_MARKERS = (
    re.compile(rf"(?:(?<=\s)|(?<=^)|(?<=[,.;]))(?i:{_LABEL})\s*(?P<n>{_NUMBER_WORD})\b\s*[.):\-–—]?(?=\s)"),
    _NUMBER_MARK,
    re.compile(
        r"(?:(?<=\s)|(?<=^)|(?<=[,.;]))(?P<n>(?i:one|two|three|four|five|six|seven|eight|nine|ten))\s*[:\-–—)](?=\s)"
    ),
    re.compile(r"(?:(?<=\s)|(?<=^)|(?<=[,.;]))\(?(?P<n>[a-hA-H])[.)](?=\s)"),
    re.compile(r"(?:(?<=\s)|(?<=^))(?P<n>\d)\s+(?=[a-zA-Z])"),
)


def _mark_number(mark: re.Match[str]) -> int:
    raw = mark.group(1).lower()
    if raw.isdigit():
        return int(raw)
    if raw in _WORD_NUMBERS:
        return _WORD_NUMBERS[raw]
    return ord(raw) - ord("a") + 1


def _split_numbered(line: str) -> list[str]:
    """ "1) chase GP 2) ring DSL 3) TM to book strat": numbers that count up from 1 (or on
    from the first), so a stray "at 3." inside an item is not a marker. Also "hypothesis 1:
    ... hypothesis 2: ...", "one: ... two: ...", "a) ... b) ...", and bare "1 x 2 y" from
    the start of the message."""
    for index, marker in enumerate(_MARKERS):
        chain: list[re.Match[str]] = []
        for mark in marker.finditer(line):
            number = _mark_number(mark)
            if not chain:
                at_start = mark.start() == len(line) - len(line.lstrip())
                if number == 1 or (at_start and marker is _NUMBER_MARK):
                    chain.append(mark)
            elif number == _mark_number(chain[-1]) + 1:
                chain.append(mark)
        bare = index == len(_MARKERS) - 1
        if bare and chain and chain[0].start() != len(line) - len(line.lstrip()):
            continue
        if len(chain) < (3 if bare else 2):
            continue
        parts = []
        head = line[: chain[0].start()].strip()
        if head and not re.fullmatch(r"[\W_]*", head) and not head.endswith(":"):
            parts.append(head)
        for mark, following in zip(chain, [*chain[1:], None], strict=True):
            parts.append(line[mark.end() : following.start() if following else len(line)])
        return parts
    return [line]


def _split_ordinals(line: str) -> list[str]:
    marks = list(_ORDINAL_MARK.finditer(line))
    numbers = [_ORDINAL_WORDS[m.group(1).lower()] for m in marks]
    if len(marks) < 2 or 1 not in numbers or not ({2, 0} & set(numbers)):
        return [line]
    first = numbers.index(1)
    marks = marks[first:]
    parts = []
    head = line[: marks[0].start()].strip()
    if head and not head.endswith(":"):
        parts.append(head)
    for mark, following in zip(marks, [*marks[1:], None], strict=True):
        parts.append(line[mark.end() : following.start() if following else len(line)])
    return parts


def _split_inline_bullets(line: str) -> list[str]:
    stripped = line.strip()
    for bullet in ("•", "·", "▪", "*"):
        if stripped.count(bullet) >= 2 or (stripped.startswith(bullet) and stripped.count(bullet) >= 2):
            return [p for p in stripped.split(bullet) if p.strip()]
    if stripped.startswith("- ") and stripped.count(" - ") >= 1:
        return [p for p in stripped[2:].split(" - ") if p.strip()]
    return [line]


def _split_semicolons(text: str) -> list[str]:
    return [p for p in re.split(r"\s*;\s*", text) if p.strip()]


def _tidy(item: str) -> str:
    item = _BULLET.sub("", item, count=1).strip()
    leading = _ORDINAL_MARK.match(item)
    if leading is not None and leading.start() == 0 and leading.end() < len(item):
        item = item[leading.end() :]
    labelled = re.match(rf"(?i:{_LABEL})\s*{_NUMBER_WORD}\s*[.):\-–—]\s*", item)
    if labelled is not None and labelled.end() < len(item):
        item = item[labelled.end() :]
    item = re.sub(r"^(?:and|also|plus|then|and then|&)\s+", "", item, flags=re.IGNORECASE)
    return item.strip(" \t,;.").strip()


# ----------------------------------------------------------------- hypotheses


def _strip_hedge(text: str) -> str:
    text = text.strip(" ,.;")
    previous = None
    while previous != text:
        previous = text
        text = _HEDGE_START.sub("", text).strip(" ,.;")
        text = re.sub(r"^(?:or|and|also)\s+", "", text, flags=re.IGNORECASE).strip(" ,.;")
    return text


def _split_hedged_sentences(item: str) -> list[str]:
    """ "Could be neglect. Could be DV." -> two, when at least two sentences are hedged."""
    sentences = [
        s
        for s in re.split(
            r"(?<=[.!?])\s+|[,;]\s+(?=(?:or\s+)?(?:could|might|may)\s+(?:also\s+)?be\b|(?:or\s+)?maybe\b|(?:or\s+)?perhaps\b|(?:or\s+)?possibly\b)",
            item,
        )
        if s.strip()
    ]
    if len(sentences) > 1 and sum(bool(_HEDGE_START.match(s)) for s in sentences) >= 2:
        return sentences
    return [item]


def _split_or(sentence: str) -> list[str]:
    """ "or" between explanations, never inside one ("two or three nights a week")."""
    pieces = re.split(r"(\s*,?\s+or\s+)", sentence, flags=re.IGNORECASE)
    if len(pieces) == 1:
        return [sentence]
    parts = [pieces[0]]
    for sep, piece in zip(pieces[1::2], pieces[2::2], strict=True):
        left = parts[-1]
        if _is_alternative(left, piece, parts):
            parts.append(piece)
        else:
            parts[-1] = left + sep + piece
    return parts


def _is_alternative(left: str, right: str, parts: list[str]) -> bool:
    right_clean = right.strip()
    if _NOT_AN_EXPLANATION.match(right_clean):
        return True  # "or both": split off, then dropped
    left_words = left.split()
    right_words = right_clean.split()
    if not left_words or not right_words:
        return False
    if re.fullmatch(r"\d+|one|two|three|four|five|six|seven|eight|nine|ten", left_words[-1], re.I):
        return False
    if re.match(
        r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|so|not|other|else)\b", right_clean, re.I
    ):
        return False
    if (
        re.match(r"(?:something|someone|somebody)\s+(?:else\s+)?\w+", right_clean, re.I)
        and len(left_words) >= 2
    ):
        return True  # "or something else medical": another explanation
    hedged = bool(_HEDGE_START.match(right_clean)) or bool(_HEDGE_START.match(parts[0].strip()))
    if hedged and len(right_words) >= 1 and len(left_words) >= 1:
        return True
    return bool(
        len(left_words) >= 3
        and len(right_words) >= 3
        and _CLAUSE_VERB.search(left)
        and _CLAUSE_VERB.search(" ".join(right_words[:5]))
    )
