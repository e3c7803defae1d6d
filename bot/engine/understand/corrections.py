"""What a worker types at a read-back ("I have 3 actions: 1 ... 2 ... 3 ... Is that right?").

`read_corrections` returns one `Correction` per thing asked for:

- confirm: "yes", "thats right", "yep all good";
- none: a bare "no" / "thats wrong" / "not quite": not right, but not said how (ask what
  to change);
- drop: "drop 3", "remove the third", "delete 3", "3 not needed", "get rid of the last one";
  `value` "all" for "drop them all";
- set: a field of one item: "2: owner is my manager", "2 owner TM", "3 is by fri not mon",
  "3 due friday", "move 3 to next week", "change 1 to friday" (a date: the due date);
  `value` holds the worker's words for the new owner or date ("my manager", "by fri");
- replace: new wording: "change 1 to ring the GP", "1 should be ring the GP";
- add: "also ring the school tmrw", "add: ...", "and ...", "one more: ...".

Several in one message are read in order ("drop 3, 2 owner is TM"). `[]` when the text is
none of these: the engine then treats it as a fresh answer. With the items being read back
(`items`), "the last one" and a description ("drop the medical") find their number, and a
number past the end ("4. ring school" with three items) is an addition.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from rapidfuzz import fuzz, process

from bot.engine.understand import dates
from bot.engine.understand.owners import canonical_owner
from bot.engine.understand.words import NUMBER_WORDS, ORDINAL_WORDS, clean

Op = Literal["confirm", "drop", "set", "replace", "add", "none"]
Field = Literal["what", "owner", "due"]


@dataclass(frozen=True)
class Correction:
    op: Op
    index: int | None = None
    field: Field | None = None
    value: str = ""


_ORDINALS = {**ORDINAL_WORDS, **NUMBER_WORDS}
_NUM = (
    r"(?:#|no\.?\s*|number\s+|num\s+|item\s+|action\s+|point\s+|hypothesis\s+)?(?P<n>\d{1,2})(?:st|nd|rd|th)?"
)
_ORD = (
    r"(?:the\s+)?(?P<o>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|1st|2nd|3rd|4th|5th|6th|"
    r"7th|8th|last|final)(?:\s+one)?"
)
_REF = rf"(?:{_NUM}|{_ORD})"
_REF_PLAIN = _REF.replace("?P<n>", "?:").replace("?P<o>", "?:")

_CONFIRM = re.compile(
    r"^(?:(?:yes|yeah|yea|yep|yup|yh|y|ok|okay|k|sure|correct|right|perfect|great|lovely|fine|spot\s+on|"
    r"all\s+good|all\s+correct|all\s+right|alright|looks\s+good|looks\s+right|looks\s+fine|sounds\s+right|"
    r"sounds\s+good|that'?s\s+right|that'?s\s+correct|that'?s\s+it|that'?s\s+fine|that\s+is\s+right|thats\s+all|"
    r"spot\s+on|bang\s+on|exactly|yes\s+please|confirmed|confirm|good|nice|brill|brilliant|cheers|thanks|"
    r"ta|all\s+of\s+them|those\s+are\s+right|they'?re\s+right|theyre\s+all\s+right|all\s+fine|lgtm|"
    r"yes\s+that'?s\s+right|yep\s+all\s+good|100%|👍|✅)[\s,.!]*)+$",
    re.IGNORECASE,
)
_REJECT = re.compile(
    r"^(?:(?:no|nope|nah|not\s+quite|not\s+really|not\s+right|that'?s\s+wrong|thats\s+not\s+right|"
    r"that'?s\s+not\s+right|wrong|not\s+exactly|almost|nearly|some\s+of\s+it|one\s+is\s+wrong|"
    r"a\s+couple\s+are\s+wrong|not\s+all|not\s+all\s+of\s+it|some\s+are\s+wrong|its\s+wrong|it'?s\s+wrong|"
    r"that'?s\s+not\s+it|not\s+correct|incorrect)[\s,.!]*)+$",
    re.IGNORECASE,
)
_DROP_VERB = (
    r"(?:drop|remove|delete|del|bin|scrap|ditch|lose|cut|strike|scratch|cross\s+out|cross\s+off|take\s+out|"
    r"take\s+off|get\s+rid\s+of|forget|no\s+need\s+for|don'?t\s+need|do\s+not\s+need|leave\s+out|lose)"
)
_DROP_AFTER = (
    r"(?:not\s+needed|isn'?t\s+needed|is\s+not\s+needed|can\s+go|can\s+be\s+dropped|should\s+go|"
    r"needs\s+to\s+go|is\s+a\s+duplicate|is\s+repeated|is\s+the\s+same\s+as\s+\d|is\s+wrong\s+remove\s+it|"
    r"shouldn'?t\s+be\s+there|doesn'?t\s+belong|remove|delete|drop|out|gone|not\s+an\s+action|"
    r"is\s+done\s+already|already\s+done)"
)
_OWNER_WORD = r"(?:owner|who|person|whos|who's|lead|by\s+whom|responsible|doing\s+it|doer|owned\s+by)"
_DUE_WORD = r"(?:due|date|deadline|when|by\s+when|due\s+date|timescale|time\s*frame|day)"
_ADD = re.compile(
    r"^(?:also|add|plus|and\s+also|and|another(?:\s+one)?|one\s+more|extra|new(?:\s+one)?|oh\s+and|"
    r"forgot(?:\s+one)?|i\s+forgot(?:\s+one)?|missed(?:\s+one)?|you\s+missed(?:\s+one)?|you\s+forgot(?:\s+one)?|add\s+another|add\s+one|and\s+add|"
    r"also\s+add|need\s+to\s+add|can\s+you\s+add|please\s+add|pls\s+add)\b\s*[:,\-–]?\s*(?P<rest>.+)$",
    re.IGNORECASE,
)


def read_corrections(text: str, items: Sequence[str] = ()) -> list[Correction]:
    """Every correction typed at a read-back (see the module docstring)."""
    stripped = text.strip()
    if not stripped:
        return []
    if _CONFIRM.match(stripped):
        return [Correction("confirm")]
    if _REJECT.match(stripped):
        return [Correction("none")]
    body = re.sub(
        r"^(?:(?:yes|yeah|yep|ok|okay|nearly|almost|mostly|no|nope|not\s+quite|close|all\s+good|looks\s+good|"
        r"fine|that'?s\s+right|that'?s\s+fine|mostly\s+right|nearly\s+right|good)\b[\s,.!:-]*)*"
        r"(?:(?:but|except|apart\s+from|just|only|can\s+you|could\s+you|please|pls)\b\s*)*",
        "",
        stripped,
        flags=re.IGNORECASE,
    )
    found: list[Correction] = []
    for segment in _segments(body):
        correction = _read_one(segment, items)
        if correction is None:
            if found and found[-1].op in {"replace", "add"}:
                last = found[-1]
                found[-1] = Correction(last.op, last.index, last.field, f"{last.value}, {segment}")
                continue
            return []
        found.extend(correction if isinstance(correction, list) else [correction])
    return found


def _segments(text: str) -> list[str]:
    """Split before each new correction: ", drop 2", "; 3 due fri", " and 2 owner TM"."""
    starts = rf"(?:{_DROP_VERB}|change|edit|make|move|set|swap|also|add|plus|reword|rename|owner\s+of|date\s+for|{_REF_PLAIN}\s*(?:[:=\-–)]|is\b|should\b|owner\b|due\b|by\b|date\b|who\b|needs\b|not\b|isn|can\b|to\b|-))"
    pattern = re.compile(
        rf"(?:\s*[,;\n]\s*|\s*\.\s+|\s+and\s+(?={starts})|\s+then\s+)(?={starts})", re.IGNORECASE
    )
    parts = [p.strip(" ,;.") for p in pattern.split(text)]
    return [p for p in parts if p]


def _index(match: re.Match[str], items: Sequence[str]) -> int | None:
    number = match.groupdict().get("n")
    if number:
        return int(number)
    word = (match.groupdict().get("o") or "").lower()
    if word in {"last", "final"}:
        return len(items) if items else -1
    return _ORDINALS.get(word)


def _read_one(segment: str, items: Sequence[str]) -> Correction | list[Correction] | None:
    s = segment.strip()
    # drop
    m = re.match(rf"^{_DROP_VERB}\s+(?:action\s+|item\s+)?{_REF}\s*$", s, re.I)
    if m:
        return Correction("drop", _index(m, items))
    m = re.match(
        rf"^{_DROP_VERB}\s+(?:numbers?\s+|items?\s+)?(?P<list>{_REF_PLAIN}(?:\s*(?:,|and|&|\+)\s*{_REF_PLAIN})+)\s*$",
        s,
        re.I,
    )
    if m:
        return [Correction("drop", n) for n in read_numbers(m.group("list"))]
    m = re.match(rf"^(?:take|cross|strike|knock|scratch)\s+{_REF}\s+(?:off|out)\s*$", s, re.I)
    if m:
        return Correction("drop", _index(m, items))
    m = re.match(rf"^{_DROP_VERB}\s+(?:them\s+all|all(?:\s+of\s+them)?|everything|the\s+lot)\s*$", s, re.I)
    if m:
        return Correction("drop", None, None, "all")
    m = re.match(rf"^{_REF}\s*(?:[:\-–)]\s*)?(?:is\s+)?{_DROP_AFTER}\b.*$", s, re.I)
    if m:
        return Correction("drop", _index(m, items))
    m = re.match(
        rf"^{_DROP_VERB}\s+(?:the\s+)?(?:one\s+about\s+|bit\s+about\s+)?(?P<desc>.{{3,60}})$", s, re.I
    )
    if m and items:
        index = _find_item(m.group("desc"), items)
        if index is not None:
            return Correction("drop", index)
    # owner: "2: owner is my manager", "owner of 2 is TM", "2 owner TM", "make 2 TM's"
    m = re.match(
        rf"^(?:change\s+|set\s+|make\s+)?(?:the\s+)?{_OWNER_WORD}\s+(?:of|for|on)\s+{_REF}\s*(?:is|=|:|to|should\s+be|-)?\s*(?P<v>.+)$",
        s,
        re.I,
    )
    if m:
        return Correction(
            "set",
            _index(m, items),
            "owner",
            re.sub(r"^(?:for|by)\s+", "", _clean_value(m.group("v")), flags=re.I),
        )
    m = re.match(
        rf"^(?:change\s+|set\s+)?{_REF}(?:'s)?\s*[:\-–)=]?\s*(?:the\s+)?{_OWNER_WORD}\s*(?:is|=|:|to|should\s+be|-|will\s+be)?\s*(?:actually\s+)?(?P<v>.+)$",
        s,
        re.I,
    )
    if m:
        return Correction(
            "set",
            _index(m, items),
            "owner",
            re.sub(r"^(?:for|by)\s+", "", _clean_value(m.group("v")), flags=re.I),
        )
    # due: "date for 3 is 14/12", "3 due friday", "3 is by fri not mon", "move 3 to next week"
    m = re.match(
        rf"^(?:change\s+|set\s+)?(?:the\s+)?{_DUE_WORD}\s+(?:of|for|on)\s+{_REF}\s*(?:is|=|:|to|should\s+be|-)?\s*(?P<v>.+)$",
        s,
        re.I,
    )
    if m:
        return Correction("set", _index(m, items), "due", _clean_value(m.group("v")))
    m = re.match(
        rf"^(?:change\s+|set\s+)?{_REF}(?:'s)?\s*[:\-–)=]?\s*(?:the\s+)?{_DUE_WORD}\s*(?:is|=|:|to|should\s+be|-|will\s+be)?\s*(?P<v>.+)$",
        s,
        re.I,
    )
    if m:
        return Correction("set", _index(m, items), "due", _clean_value(m.group("v")))
    m = re.match(
        rf"^(?:move|push|bring\s+forward|put\s+back|shift)\s+{_REF}\s+(?:to|until|till|back\s+to)\s+(?P<v>.+)$",
        s,
        re.I,
    )
    if m:
        return Correction("set", _index(m, items), "due", _clean_value(m.group("v")))
    m = re.match(rf"^{_REF}\s+(?P<v>(?:by|on|for|due|before|until|till)\s+.+)$", s, re.I)
    if m:
        return _classify(_index(m, items), m.group("v"))
    m = re.match(rf"^make\s+{_REF}\s+(?P<v>.+)$", s, re.I)
    if m:
        return _classify(_index(m, items), m.group("v"))
    # "change 1 to ...", "1 should be ...", "1 is ...", "1: ..."
    m = re.match(
        rf"^(?:change|edit|amend|make|reword|rename|alter|update|correct|fix|swap)\s+{_REF}\s*(?:to|so\s+it\s+says|to\s+say|into|as|:|-|=|with)\s*(?P<v>.+)$",
        s,
        re.I,
    )
    if m is None:
        m = re.match(
            rf"^{_REF}\s*(?:should\s+(?:be|say|read)|is\s+actually|is\s+meant\s+to\s+be|needs\s+to\s+(?:be|say)|"
            rf"is\s+supposed\s+to\s+be|means|which\s+is|that\s+is|thats|is|[:=\-–).]|->|→)\s*(?P<v>.+)$",
            s,
            re.I,
        )
    if m:
        index = _index(m, items)
        value = m.group("v").strip()
        if items and index is not None and index > len(items):
            return Correction("add", None, None, value)
        return _classify(index, value)
    # add
    m = _ADD.match(s)
    if m:
        return Correction("add", None, None, m.group("rest").strip(" ,.;"))
    return None


def _classify(index: int | None, value: str) -> Correction | list[Correction]:
    """New words for an item: a date alone sets the due date, an owner alone sets the owner,
    an owner and a date set both ("me by fri"); anything else is new wording."""
    cleaned = _clean_value(value)
    plain = re.sub(r"^(?:by|due|on|for|to|till|until)\s+", "", cleaned, flags=re.I)
    found = dates.find_date(plain, _ANY_NOW)
    if found is not None:
        leftover = (plain[: found.start] + plain[found.end :]).strip(" ,.-")
        if not leftover or leftover.lower() in {"instead", "actually", "please", "pls"}:
            return Correction("set", index, "due", cleaned)
        if _owner_words(leftover) is not None:
            return [
                Correction("set", index, "owner", _owner_words(leftover) or leftover),
                Correction("set", index, "due", found.text),
            ]
    owner = _owner_words(plain)
    if owner is not None:
        return Correction("set", index, "owner", owner)
    wording = re.sub(r"\s+(?:instead|please|pls|thanks|ta)$", "", value.strip(" ,.;:"), flags=re.I)
    return Correction("replace", index, "what", wording)


def _owner_words(text: str) -> str | None:
    """The worker's words for an owner when `text` is only that ("the paed", "TM's"), else None."""
    words = re.sub(r"^(?:for|by|with)\s+", "", text.strip(" ,.;:-"), flags=re.I)
    bare = re.sub(r"'s\b|s'(?=\s|$)", "", words)
    bare = re.sub(r"^(?:the|my|our)\s+", "", bare, flags=re.I)
    if canonical_owner(bare) is not None or canonical_owner(words) is not None:
        return words
    return None


def _clean_value(value: str) -> str:
    """The new value without the old one it corrects ("by fri not mon" -> "by fri")."""
    value = value.strip(" ,.;:")
    value = re.split(
        r"\s*,?\s+(?:not|instead\s+of|rather\s+than|as\s+opposed\s+to)\s+", value, maxsplit=1, flags=re.I
    )[0]
    value = re.sub(r"\s+(?:instead|actually|please|pls|thanks|ta)$", "", value, flags=re.I)
    value = re.sub(r"^(?:actually|really|now)\s+", "", value, flags=re.I)
    return value.strip(" ,.;:")


def _find_item(description: str, items: Sequence[str]) -> int | None:
    words = clean(description)
    if not words:
        return None
    result = process.extractOne(words, [clean(i) for i in items], scorer=fuzz.partial_token_set_ratio)
    if result is None or result[1] < 80:
        return None
    scores = [fuzz.partial_token_set_ratio(words, clean(i)) for i in items]
    if sum(1 for sc in scores if sc >= result[1] - 3) > 1:
        return None
    return int(result[2]) + 1


# A fixed reference day: only whether the words are a date matters here.
_ANY_NOW = datetime(2026, 1, 5, 12, 0)


# ----------------------------------------------------------------- editing a finished note


_EDIT_VERB = (
    r"(?:change|edit|amend|update|fix|redo|re-do|correct|alter|rewrite|re-write|revise|tweak|add\s+to|"
    r"add\s+(?:something|a\s+bit|more|a\s+line|a\s+note)\s+to|"
    r"go\s+back\s+to|back\s+to|return\s+to|look\s+again\s+at|redo|re\s+do|reword|adjust)"
)
_EDIT = re.compile(
    rf"^(?:(?:can|could|may)\s+i\s+|(?:can|could)\s+(?:you|we)\s+|go\s+back\s+and\s+|i'?ll\s+|ill\s+|i\s+(?:want|need|would\s+like|'d\s+like|d\s+like)\s+to\s+|i'd\s+like\s+to\s+|id\s+like\s+to\s+|"
    rf"let\s+me\s+|lets\s+|let's\s+|please\s+|pls\s+|actually\s+|oh\s+|wait\s+|ok\s+|just\s+|i\s+wanna\s+)*"
    rf"{_EDIT_VERB}\s+(?:(?:my\s+)?(?:answer|bit|part|section|step|question)\s+(?:to|about|on|for)?\s*|what\s+i\s+(?:said|wrote|put)\s+(?:about|for|on|in|under)?\s*|"
    rf"the\s+(?:bit|part|answer|section)\s+(?:about|on|for)\s+|(?:step|question|section|answer|number|no\.?|#)\s*)?"
    rf"(?P<target>.+?)[\s?.!]*$",
    re.IGNORECASE,
)


def read_edit_request(text: str, steps: Sequence[tuple[str, str]]) -> str | None:
    """The step a worker asks to change after the note is shown ("change the child's day",
    "edit 3": the 3rd step listed, "i want to change what i said about feelings"), as its id
    from the (id, title) pairs; None when it is not a request to edit one of them."""
    match = _EDIT.match(text.strip())
    if match is None or not steps:
        return None
    target = re.sub(
        r"(?:\s+(?:answer|answers|bit|part|section|question|step|one|please|pls|plz|again|quickly|now|thanks))+$",
        "",
        match.group("target").strip(),
        flags=re.I,
    )
    if re.fullmatch(
        r"(?:something|anything|it|that|this|a\s+thing|an?\s+answer|my\s+answer|stuff|things|a\s+bit|one|some\s+things?)",
        target,
        re.I,
    ):
        return None
    number = re.fullmatch(
        r"(?:step\s+|question\s+|number\s+|no\.?\s*|#)?(\d{1,2})(?:st|nd|rd|th)?", target, re.I
    )
    if number:
        index = int(number.group(1))
        return steps[index - 1][0] if 1 <= index <= len(steps) else None
    words = clean(re.sub(r"^(?:the|my|a|an|bit\s+about|part\s+about)\s+", "", target, flags=re.I))
    if not words:
        return None
    choices = [f"{clean(title)} {step_id.replace('_', ' ')}" for step_id, title in steps]
    scored = [
        max(fuzz.token_set_ratio(words, c), fuzz.partial_ratio(words, c) if len(words) >= 5 else 0)
        for c in choices
    ]
    best = max(scored)
    if best < 75:
        return None
    leaders = [i for i, sc in enumerate(scored) if sc >= best - 2]
    if len(leaders) > 1:
        exact = [i for i in leaders if steps[i][0].replace("_", " ") == words]
        if len(exact) != 1:
            exact = [i for i in leaders if words in choices[i]]
        leaders = exact if len(exact) == 1 else leaders
    return steps[leaders[0]][0] if len(leaders) == 1 else None


# ----------------------------------------------------------------- numbers to keep

_NUMBER_WORD = re.compile(
    r"\b(?:\d{1,2}(?:st|nd|rd|th)?|one|two|three|four|five|six|seven|eight|nine|ten|first|second|third|fourth|"
    r"fifth|sixth|seventh|eighth|ninth|tenth)\b",
    re.IGNORECASE,
)


def read_numbers(text: str) -> list[int]:
    """The item numbers named, in order, once each: "keep 2 and 3 from last time" -> [2, 3];
    ranges count ("1-3", "1 to 3" -> [1, 2, 3])."""
    found: list[int] = []
    for m in re.finditer(r"\b(\d{1,2})\s*(?:-|–|to)\s*(\d{1,2})\b", text):
        a, b = int(m.group(1)), int(m.group(2))
        if a < b <= a + 20:
            for n in range(a, b + 1):
                if n not in found:
                    found.append(n)
    rest = re.sub(r"\b\d{1,2}\s*(?:-|–|to)\s*\d{1,2}\b", " ", text) if found else text
    for m in _NUMBER_WORD.finditer(rest):
        word = m.group(0).lower()
        digits = re.match(r"\d+", word)
        value = int(digits.group(0)) if digits else _ORDINALS.get(word)
        if word == "one" and (
            re.match(r"\s+(?:of|more|about|with|where|that)\b", rest[m.end() :], re.I)
            or re.search(r"(?:^|\s)(?!(?:number|no|item|point)\b)[a-z']+\s*$", rest[: m.start()], re.I)
        ):
            continue  # "the second one", "the dad one", "one of them": not the number one
        if value is not None and value not in found:
            found.append(value)
    return found


_DROP_WORDS = re.compile(
    r"\b(?:drop|dropped|lose|remove|bin|scrap|ditch|delete|get\s+rid\s+of|not|isnt|isn't|no\s+longer|set\s+aside|"
    r"park|parked|except|without|apart\s+from|but|bar|other\s+than|irrelevant|gone|ruled\s+out)\b",
    re.IGNORECASE,
)
_EVERY = re.compile(
    r"\b(?:all|both|every(?:one|thing)?|the\s+lot|each|them|they|those|keep\s+them|still\s+relevant)\b", re.I
)


def read_keep(text: str, count: int) -> list[int] | None:
    """Which of `count` earlier items to keep: "keep 2 and 3" -> [2, 3]; "all of them",
    "both", "yes keep them" -> every number; "none", "start fresh", "get rid of all" -> [];
    "all but 2", "drop 1", "keep 1 and 3, the 2nd isnt relevant now" -> the others kept.
    "the first two", "the last one" count from either end. None when the text says none
    of these."""
    lowered = " ".join(re.sub(r"[^\w,;'\s-]", " ", text.lower()).split())
    every = list(range(1, count + 1))
    if not clean(text):
        return None
    if re.search(
        r"\b(?:none|neither|no\s+thanks|nope|start\s+(?:fresh|again|afresh|from\s+scratch)|new\s+ones|fresh\s+start|"
        r"clean\s+slate|(?:drop|bin|scrap|lose|ditch|remove|delete|get\s+rid\s+of)\s+(?:them\s+)?(?:all|the\s+lot|everything)"
        r"(?:\s+of\s+them)?)\b",
        lowered,
    ) and not re.search(r"\b(?:all|everything)\s+(?:but|except|apart)", lowered):
        return []
    lowered = _ends(lowered, count)
    keep: list[int] = []
    drop: list[int] = []
    everything = False
    for clause in re.split(
        r"\s*(?:,|;|\bthough\b|\b(?:and|but)\s+(?=drop|lose|remove|bin|not|keep|no\s+longer))\s*", lowered
    ):
        numbers = [n for n in read_numbers(clause) if 1 <= n <= count]
        excluding = re.search(
            r"\b(?:all|every\w*|them|the\s+rest)\s+(?:but|except|apart\s+from|bar|other\s+than)\b", clause
        )
        if excluding:
            everything = True
            drop.extend(numbers)
        elif (
            re.search(r"\bkeep\b", clause) and numbers and re.search(r"\b(?:drop|lose|remove|bin)\b", clause)
        ):
            # "drop 1 keep 3": split at the second verb
            parts = re.split(r"\b(?=keep|drop|lose|remove|bin)\b", clause)
            for part in parts:
                found = [n for n in read_numbers(part) if 1 <= n <= count]
                (keep if part.startswith("keep") else drop).extend(found)
        elif _DROP_WORDS.search(clause) and not re.search(r"\bstill\b", clause):
            drop.extend(numbers)
        elif numbers:
            keep.extend(numbers)
        elif _EVERY.search(clause):
            everything = True
    if re.search(r"\bkeep\s+(?:the\s+)?(?:rest|others|other\s+ones)\b", lowered):
        everything = True
    if keep and not everything:
        return sorted({n for n in keep if n not in drop})
    if drop or everything or keep:
        return [n for n in every if n not in drop]
    if clean(text) in {"no", "nah", "n"}:
        return []
    return None


def _ends(text: str, count: int) -> str:
    """ "the first two" -> "1 2"; "the last one" / "the last" -> its number."""

    def first(m: re.Match[str]) -> str:
        word = m.group(1)
        n = int(word) if word.isdigit() else _ORDINALS.get(word, 1)
        return " ".join(str(i) for i in range(1, min(n, count) + 1))

    def last(m: re.Match[str]) -> str:
        word = m.group(1)
        n = 1 if not word else (int(word) if word.isdigit() else _ORDINALS.get(word, 1))
        return " ".join(str(i) for i in range(max(1, count - n + 1), count + 1))

    text = re.sub(r"\b(?:the\s+)?first\s+(two|three|four|five|\d)\b", first, text)
    text = re.sub(r"\b(?:the\s+)?last\s*(two|three|four|five|\d)?(?:\s+ones?)?\b", last, text)
    return text
