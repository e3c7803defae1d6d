"""Actions typed in words: what, who and by when (UK dates, day first; see `dates`).

`split_actions` finds every action in a message; `parse_action` reads one. Owner and date
are read from anywhere in the line: "what / who / when" slots, "TM to book strat by fri",
"me unannounced visit next wk", "ring HV tmrw" (a role after the verb is who the worker
contacts, not the owner: who is None), "chase the GP" (no owner, no date). An action whose
owner or date cannot be read keeps its words; `due_text` keeps date words with no date
("after half term").
"""

from __future__ import annotations

import itertools
import re
from datetime import date, datetime
from typing import NamedTuple

from bot.engine.understand import dates, owners
from bot.engine.understand.items import split_items
from bot.engine.understand.owners import canonical_owner, is_worker, parse_owner
from bot.engine.understand.words import Token, tokens

__all__ = [
    "ParsedAction",
    "is_worker",
    "parse_action",
    "parse_due",
    "parse_owner",
    "parse_who_when",
    "split_actions",
]


class ParsedAction(NamedTuple):
    what: str
    who: str | None
    due: date | None
    due_text: str | None


parse_due = dates.parse_due

# Verbs that start an action ("and ask nan", ", ring school").
ACTION_VERBS = frozenset(
    [
        "ask",
        "ring",
        "call",
        "phone",
        "chase",
        "book",
        "send",
        "email",
        "e-mail",
        "visit",
        "refer",
        "check",
        "speak",
        "talk",
        "arrange",
        "complete",
        "update",
        "do",
        "write",
        "make",
        "contact",
        "follow",
        "review",
        "see",
        "meet",
        "discuss",
        "request",
        "share",
        "apply",
        "take",
        "get",
        "go",
        "attend",
        "invite",
        "convene",
        "liaise",
        "text",
        "find",
        "look",
        "agree",
        "explore",
        "tell",
        "inform",
        "offer",
        "give",
        "start",
        "set",
        "hold",
        "seek",
        "obtain",
        "escalate",
        "consult",
        "consider",
        "record",
        "upload",
        "submit",
        "organise",
        "organize",
        "sort",
        "confirm",
        "gather",
        "pass",
        "complete",
        "read",
        "ensure",
        "provide",
        "continue",
        "monitor",
        "observe",
        "do",
        "undertake",
        "carry",
        "bring",
        "collect",
        "drop",
        "pick",
        "help",
        "support",
        "chat",
        "catch",
        "tidy",
        "draft",
        "prepare",
        "plan",
        "re-refer",
        "rerefer",
        "notify",
        "alert",
        "raise",
        "flag",
        "contact",
        "fill",
        "sign",
        "print",
        "post",
        "cancel",
        "rebook",
        "reschedule",
        "add",
        "recheck",
        "revisit",
        "ringround",
        "try",
        "let",
        "keep",
        "weigh",
        "update",
    ]
)
_SUBJECT_VERBS = frozenset(
    {
        "to",
        "will",
        "ll",
        "is",
        "going",
        "needs",
        "need",
        "should",
        "can",
        "could",
        "must",
        "has",
        "have",
        "wants",
        "agreed",
        "offered",
        "plans",
        "2",
        "shall",
        "would",
        "may",
        "might",
        "happy",
        "said",
        "also",
    }
)
_SLOT_SEPARATORS = (" / ", " | ", " — ", " – ", " - ", "|", "/")


def split_actions(text: str) -> list[str]:
    """Every action in a message: lists (see `split_items`), "me: x, HV: y, TM: z", and
    two actions joined by "and" ("i'll do the referral by friday and ask nan if ...": the
    second keeps the owner of the first). "what / who / when" slots stay one action."""
    if _NO_ACTIONS.match(text.strip()):
        return []
    found: list[str] = []
    for item in split_items(text):
        item = _HEADER.sub("", item).strip()
        if not item or _NO_ACTIONS.match(item):
            continue
        for sentence in _split_sentences(item):
            for part in _split_owner_list(sentence):
                found.extend(_split_conjoined(part))
    return [f for f in (p.strip(" ,;.") for p in found) if f]


# "Actions:", "next steps are:" before a list: a heading, not an action.
_HEADER = re.compile(
    r"^\s*(?:my\s+|the\s+)?(?:actions?|next\s+steps?|plan|to\s*do|todo|tasks?|what\s+next|agreed\s+actions?)"
    r"(?:\s+(?:are|is|agreed))?\s*[:\-–]\s*(?=\S|$)|^\s*(?:actions?|next\s+steps?|plan|to\s*do|tasks?)\s*:?\s*$",
    re.IGNORECASE,
)
# "none", "nothing for now", "n/a": no actions at all.
_NO_ACTIONS = re.compile(
    r"^\s*(?:none|nothing|nil|n/?a|no\s+actions?|no\s+more|nothing\s+else|none\s+yet|nothing\s+yet|not\s+yet|"
    r"no\s+actions?\s+(?:yet|for\s+now|today)|nothing\s+(?:else\s+)?(?:for\s+now|today|at\s+the\s+moment|atm)|"
    r"none\s+(?:for\s+now|today|at\s+the\s+moment))\s*[.!]*\s*$",
    re.IGNORECASE,
)


def _split_sentences(item: str) -> list[str]:
    """ "i'll visit next week. TM to decide about ICPC. HV to weigh the baby." -> three,
    when each sentence starts with an action or its owner."""
    pieces = re.split(r"(?<=[.!?])\s+(?=[A-Za-z])", item)
    if len(pieces) == 1:
        return pieces
    merged = [pieces[0]]
    for piece in pieces[1:]:
        word = re.match(r"[a-z'-]+", piece.lower())
        if (word and word.group(0) in ACTION_VERBS) or _subject_follows(piece):
            merged.append(piece)
        else:
            merged[-1] = f"{merged[-1]} {piece}"
    return merged


def _split_owner_list(item: str) -> list[str]:
    """ "me: home visit thurs, HV: weigh baby this wk, TM: legal gateway meeting asap" """
    cuts = [0]
    for match in re.finditer(r",\s*|\s+and\s+|\s*&\s*", item):
        after = item[match.end() :]
        toks = tokens(after)
        found = owners.owner_at(toks, 0) if toks else None
        if found is None:
            continue
        rest = after[toks[found.end - 1].end :] if found.end <= len(toks) else ""
        glued = re.match(r"\s*(?::|-|–|to\b|will\b|'ll\b|is\s+going\s+to\b|needs\s+to\b|2\b)", rest)
        before = item[cuts[-1] : match.start()]
        worker_subject = (
            found.owner == "me" and toks[0].word in {"ill", "i", "im"} and _is_subject(after, toks, found)
        )
        role_list = (
            match.group(0).strip() == ","
            and found.owner not in _FAMILY
            and _starts_with_owner(item)
            and toks[0].word not in {"i", "im", "ill"}
        )
        by_and = match.group(0).strip() != ","
        if glued and by_and and (len(before.split()) < 3 or found.owner in _FAMILY):
            glued = None  # "ask nan and mum to help": one action
        if glued or role_list or (worker_subject and len(before.split()) >= 3):
            cuts.append(match.start())
    cuts.append(len(item))
    parts = [item[a:b] for a, b in itertools.pairwise(cuts)]
    return [re.sub(r"^\s*(?:,|and\b|&)\s*", "", p) for p in parts if p.strip(" ,")]


_FAMILY = frozenset({"mum", "dad", "parents", "nan", "family", "young person", "step-dad", "foster carer"})


def _starts_with_owner(item: str) -> bool:
    toks = tokens(item)
    return bool(toks) and owners.owner_at(toks, 0) is not None


def _split_conjoined(part: str) -> list[str]:
    """ "do the referral by friday and ask nan ..." -> two; "ring mum and dad" stays one."""
    if _is_slotted(part):
        return [part]
    pieces: list[str] = []
    prefix = _owner_prefix(part)
    last = 0
    for match in re.finditer(
        r"\s*,?\s+(?:and\s+then|and\s+also|and|then|&|\+)\s+|\s*,\s*(?:then\s+|also\s+|and\s+also\s+|plus\s+)?|\s+also\s+",
        part,
    ):
        after = part[match.end() :]
        word = re.match(r"[a-z'-]+", after.lower())
        first_word = word.group(0) if word else ""
        before = part[last : match.start()]
        if len(before.split()) < 2 or len(after.split()) < 2:
            continue
        if first_word not in ACTION_VERBS and not _owner_subject(after, before):
            continue
        pieces.append(before)
        last = match.end()
    pieces.append(part[last:])
    if len(pieces) == 1:
        return pieces
    carried = [pieces[0]]
    for piece in pieces[1:]:
        toks = tokens(piece)
        has_owner = bool(toks) and _subject_follows(piece)
        carried.append(piece if has_owner or not prefix else f"{prefix}{piece}")
    return carried


def _owner_prefix(part: str) -> str:
    """The owner words an action starts with ("i'll ", "me: ", "TM to "), or ""."""
    toks = tokens(part)
    if not toks:
        return ""
    found = owners.owner_at(toks, 0)
    if found is None or not _is_subject(part, toks, found):
        return ""
    end = toks[found.end - 1].end
    glue = re.match(r"\s*(?::|-|–|\s+to\b|\s+will\b|'ll\b)?\s*", part[end:])
    return part[: end + (glue.end() if glue else 0)]


def _owner_subject(after: str, before: str) -> bool:
    """ "..., and TM wants a strat": a new action with its own owner (not "ask nan and mum to")."""
    toks = tokens(after)
    found = owners.owner_at(toks, 0) if toks else None
    if found is None or found.owner in _FAMILY or len(before.split()) < 3:
        return False
    return _is_subject(after, toks, found)


def _subject_follows(text: str) -> bool:
    toks = tokens(text)
    found = owners.owner_at(toks, 0) if toks else None
    return found is not None and _is_subject(text, toks, found)


def _is_subject(text: str, toks: list[Token], found: owners.OwnerMatch) -> bool:
    """Whether an owner at the start of a line is who does the action ("TM to book strat",
    "HV: weigh baby", "me unannounced visit", "i'll ring"), not its object."""
    last = toks[found.end - 1]
    following = text[last.end :]
    if found.owner == "me" and toks[0].word in {"me", "ill", "myself", "im"}:
        return True
    if found.owner == "me" and toks[0].word == "i":
        return True
    if re.match(r"\s*(?::|-|–|—|\(|=|>)", following) or re.match(r"'ll\b", following):
        return True
    if found.end >= len(toks):
        return True
    nxt = toks[found.end].word
    if nxt in _SUBJECT_VERBS or nxt in ACTION_VERBS:
        return True
    typed = text[toks[found.end].start : toks[found.end].end]
    descriptor = nxt in {
        "worker",
        "team",
        "officer",
        "manager",
        "lead",
        "staff",
        "service",
        "services",
        "nurse",
    } or (typed.isupper() and len(typed) <= 5)
    if descriptor and found.end + 1 < len(toks):
        after = toks[found.end + 1].word
        return after in _SUBJECT_VERBS or after in ACTION_VERBS
    return False


_WEEK_OF = re.compile(r"\bw/[cb]\b", re.IGNORECASE)


def _is_slotted(line: str) -> bool:
    line = _WEEK_OF.sub("week commencing", line)
    return any(sep in line for sep in (" / ", " | ", "|")) or bool(re.search(r"(?<!\d)/(?!\d)", line))


def parse_action(line: str, now: datetime) -> ParsedAction:
    """What, who and by when, from anywhere in the line (see the module docstring)."""
    # "w/c 14th" and "w/b" are a date's words, not "what / who" slots.
    line = _WEEK_OF.sub("week commencing", line.strip())
    pair = re.match(r"^\s*([\w']+)\s*/\s*([\w']+)\b", line)
    if pair and canonical_owner(pair.group(1)) and canonical_owner(pair.group(2)):
        line = f"{pair.group(1)} and {pair.group(2)}{line[pair.end() :]}"  # "TM/me strat today"
    slots = _slots(line)
    if len(slots) > 1:
        return _from_slots(slots, now)
    return _from_words(line, now)


def _slots(line: str) -> list[str]:
    for separator in _SLOT_SEPARATORS:
        if separator not in line:
            continue
        parts = re.split(r"(?<!\d)/|/(?!\d)", line) if separator == "/" else line.split(separator)
        parts = [p.strip() for p in parts if p.strip()]
        if len(parts) > 1:
            return parts
    return [line]


def _from_slots(parts: list[str], now: datetime) -> ParsedAction:
    what_parts: list[str] = []
    who: str | None = None
    due: date | None = None
    due_text: str | None = None
    for index, part in enumerate(parts):
        found = dates.find_date(part, now)
        date_only = found is not None and not _leftover(part, found)
        if date_only and found is not None and due is None and due_text is None:
            due, due_text = found.due, found.text
            continue
        owner = canonical_owner(part)
        if owner is not None and who is None and (index > 0 or len(parts) > 2):
            who = owner
            continue
        if index == 0 or (who is not None and due is None and found is None):
            inner = _from_words(part, now)
            what_parts.append(inner.what)
            who = who or (inner.who if index == 0 else None)
            if inner.due is not None or inner.due_text:
                due, due_text = due or inner.due, due_text or inner.due_text
            continue
        if who is None and index == 1 and found is None:
            who = parse_owner(part) or part
            continue
        if found is not None and due is None:
            inner = _from_words(part, now)
            due, due_text = found.due, found.text
            if inner.who and who is None:
                who = inner.who
            continue
        what_parts.append(part)
    what = " - ".join(p for p in what_parts if p) or parts[0]
    return ParsedAction(what, who, due, due_text)


def _leftover(part: str, found: dates.DateMatch) -> str:
    rest = (part[: found.start] + " " + part[found.end :]).strip(" ,.;:-")
    return (
        ""
        if all(w in {"by", "on", "the", "at", "due", "latest", "pls", "please"} for w in rest.lower().split())
        else rest
    )


def _from_words(line: str, now: datetime) -> ParsedAction:
    text = line
    due: date | None = None
    due_text: str | None = None
    found = dates.find_date(text, now)
    if found is not None:
        due, due_text = found.due, found.text or None
        text = (text[: found.start] + " " + text[found.end :]).strip()
    who, text = _take_owner(text)
    if who is None:
        implied = re.match(
            r"^\s*(?:need\s+to|needs\s+to|must|have\s+to|got\s+to|gotta|going\s+to|gonna|will)\s+", text, re.I
        )
        if implied is not None:  # the worker's own note to self: "need to ring the GP"
            who, text = "me", text[implied.end() :]
    what = _tidy_what(text) or line.strip()
    return ParsedAction(what, who, due, due_text)


def _take_owner(text: str) -> tuple[str | None, str]:
    """The owner as subject (start of the line) or as a trailing slot ("- me", "(TM)",
    "by HV"), and the text without it."""
    stripped = text.strip()
    toks = tokens(stripped)
    if not toks:
        return None, stripped
    named = re.match(r"^\s*[\w&' ]{1,30}?\s*\((?P<who>[^)]{1,30})\)\s*", stripped)
    if named is not None and canonical_owner(named.group("who")) is not None:
        head_owner = canonical_owner(stripped[: stripped.index("(")])
        if head_owner is not None:  # "SW (me) to visit": the worker names themself
            inside = canonical_owner(named.group("who")) or head_owner
            return inside, _strip_subject_glue(stripped[named.end() :])
    found = _leading_owner(toks)
    joint = re.match(r"\s*(?:\+|&|and|with|/)\s*", stripped[toks[found.end - 1].end :]) if found else None
    if found is not None and joint is not None and found.end < len(toks):
        after = found.end + (1 if toks[found.end].word in {"and", "with"} else 0)
        second = owners.owner_at(toks, after) if after < len(toks) else None
        if second is not None:
            owner = "we" if "me" in {found.owner, second.owner} else found.owner
            return owner, _strip_subject_glue(stripped[toks[second.end - 1].end :])
    if found is not None and (_is_subject(stripped, toks, found) or _person_first(toks, found)):
        rest = stripped[toks[found.end - 1].end :]
        rest = re.sub(
            r"^\s*(?::|-|–|—|=|>|'ll\b|\bwill\b|\bto\b|\bis\s+going\s+to\b|\bneeds?\s+to\b|\bshould\b|\bcan\b|"
            r"\bmust\b|\bhas\s+to\b|\bhave\s+to\b|\b2\b|\bgoing\s+to\b|\bam\s+going\s+to\b|\bagreed\s+to\b)+\s*",
            "",
            rest,
        )
        rest = re.sub(r"^(?:\s*(?:will|to|going\s+to|also)\b)+\s*", "", rest)
        descriptor = re.match(
            r"^\s*(?:worker|team|officer|manager|lead|staff|services?|nurse|[A-Z]{2,5})\s+(?:to|will|'ll)\s+",
            rest,
        )
        if descriptor is not None:
            rest = rest[descriptor.end() :]
        return found.owner, rest
    tail = re.search(
        r"(?:\(|\[|\s[-–—/,:]\s*|\s(?:by|for|owner|who)[:\s]\s*)\s*(?P<who>[a-z&' ]{1,40}?)\s*[)\]]?\s*$",
        stripped,
        re.IGNORECASE,
    )
    if tail is not None:
        trailing = canonical_owner(tail.group("who"))
        if trailing is not None:
            return trailing, stripped[: tail.start()]
    paren = re.search(r"\((?P<who>[^)]{1,30})\)", stripped)
    if paren is not None and (bracketed := canonical_owner(paren.group("who"))) is not None:
        return bracketed, (stripped[: paren.start()] + stripped[paren.end() :]).strip()
    return None, stripped


def _leading_owner(toks: list[Token]) -> owners.OwnerMatch | None:
    """The owner a line starts with, past a "the"/"my" ("the gp surgery to send records")."""
    found = owners.owner_at(toks, 0)
    if toks and toks[0].word in {"the", "my", "our"} and len(toks) > 1:
        later = owners.owner_at(toks, 1)
        if later is not None and (found is None or later.end > found.end):
            return owners.OwnerMatch(later.owner, 0, later.end)
    return found


def _person_first(toks: list[Token], found: owners.OwnerMatch) -> bool:
    """A person's role first and more words after: "TM legal gateway", "school nurse weight check"."""
    if (
        found.owner not in owners.PEOPLE
        or found.start != 0
        or len(toks) - found.end < 2
        or found.owner == "me"
    ):
        return False
    return toks[found.end].word not in _OBJECT_NOUNS


# A role followed by one of these is what the action is about ("LADO referral", "GP letter").
_OBJECT_NOUNS = frozenset(
    {"referral", "referrals", "consultation", "meeting", "report", "reports", "letter", "records", "notification",
     "involvement", "appointment", "appt", "assessment", "checks", "case", "file", "minutes", "feedback", "form"}
)  # fmt: skip


def _strip_subject_glue(rest: str) -> str:
    rest = re.sub(
        r"^\s*(?::|-|–|—|=|>|'ll\b|\bwill\b|\bto\b|\bneed\s+to\b|\bare\s+going\s+to\b|\bgoing\s+to\b|\b2\b)+\s*",
        "",
        rest,
    )
    return rest


def _tidy_what(text: str) -> str:
    text = re.sub(r"\(\s*[,;]?\s*\)|\[\s*\]", " ", text)
    text = re.sub(r"\s+", " ", text).strip().strip(".")
    text = re.sub(
        r"^(?:[-–—:;,./]|\bto\b|\band\b|\bthen\b|\bplease\b|\bpls\b)\s*", "", text, flags=re.I
    ).strip()
    text = re.sub(
        r"\s*(?:[-–—:;,/]|\bby\b|\bon\b|\bfor\b|\bat\b|\bdue\b|\band\b|\bpls\b|\bplease\b)\s*$",
        "",
        text,
        flags=re.I,
    )
    return text.strip(" ,;:-–—/").strip()


def parse_who_when(text: str, now: datetime) -> tuple[str | None, date | None, str | None]:
    """A follow-up answer to "who and by when?": "me, by Friday", "health visitor / 3 March",
    "my manager tmrw". The owner is canonical; an unknown owner keeps the worker's words."""
    found = dates.find_date(text, now)
    due = found.due if found else None
    due_text = found.text if found else None
    rest = text if found is None else text[: found.start] + " " + text[found.end :]
    rest = rest.strip(" ,;/-.")
    who = parse_owner(rest)
    if who is None:
        cleaned = re.sub(r"^(?:and|it's|its|it|by|owner|who)\b[:\s]*", "", rest.strip(), flags=re.I).strip(
            " ,;/-."
        )
        if (
            cleaned
            and len(cleaned.split()) <= 4
            and not re.search(r"\b(?:not sure|dunno|unsure|tbc|idk)\b", cleaned, re.I)
        ):
            who = cleaned
    return who, due, due_text
