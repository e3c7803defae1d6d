"""Replace identifying details with placeholders before anything is sent; put them back after.

Everything sent to an AI service passes through `Pseudonymiser.redact`. What it replaces:

* names the worker registered for the case (or the session's known names, e.g. group members),
  and every part of them ("Kayleigh Smith", "Kayleigh", "Smith" are one person);
* everything the chat-time detector `bot.engine.signals.identifiers.find_identifiers` finds:
  NHS numbers with a valid checksum, National Insurance numbers with or without spaces,
  postcodes, every UK phone format, e-mail addresses, dates of birth in figures or words,
  street addresses, flat and house numbers, school and nursery names, car registrations,
  and names in any case, with accents, hyphens and apostrophes, after a title or "called";
* plus phone numbers found by `phonenumbers`, any other calendar date, street names
  without a house number, flat numbers and long numbers;
* person names more widely than the chat warning dares: a surname-like word after a name
  even when it is also an everyday word ("gary marsh"), capitalised words in mid-sentence
  that are not everyday words, and, at the start of a sentence, words in the name lists
  (`bot.assist.names`).

Placeholders are consistent within a session ([PERSON_1] is always the same person) because
the mapping is learned from the whole session, in order, before any text is redacted. The
mapping lives only in memory on our side, is never logged and never stored: the service
rebuilds it from the session for each call. `reidentify` turns placeholders in the model's
answer back into the worker's own words, for the worker's eyes only.

When in doubt this replaces too much rather than too little: a place mistaken for a name
costs the model a little context; a name sent to a third party cannot be taken back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import phonenumbers

from bot.assist.names import NOT_NAMES, NameIndex, words
from bot.engine.signals.identifiers import NEVER_NAMES, TEXT_SPEAK, find_identifiers, fold, is_typo
from bot.engine.signals.name_data import ENGLISH_WORDS, EVERYDAY_WORDS, FIRST_NAMES, SURNAMES

PLACEHOLDER = re.compile(
    r"\[(?:PERSON|NAME|NHS_NUMBER|NI_NUMBER|POSTCODE|PHONE|EMAIL|DATE|ADDRESS|SCHOOL|CAR_REG|NUMBER)_\d+\]"
)

_DETECT_KINDS = {
    "nhs_number": "NHS_NUMBER",
    "ni_number": "NI_NUMBER",
    "postcode": "POSTCODE",
    "phone": "PHONE",
    "email": "EMAIL",
    "date_of_birth": "DATE",
    "address": "ADDRESS",
    "name": "PERSON",
    "school": "SCHOOL",
    "car_registration": "CAR_REG",
}
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_DATE = re.compile(
    rf"\b(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}"
    rf"|\d{{4}}-\d{{2}}-\d{{2}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?(?: of)? {_MONTH}\b(?:,? \d{{4}})?"
    rf"|{_MONTH} \d{{1,2}}(?:st|nd|rd|th)?\b(?:,? \d{{4}})?"
    rf"|{_MONTH} \d{{4}})",
    re.IGNORECASE,
)
_STREET = (
    r"(?:Street|St|Road|Rd|Lane|Ln|Avenue|Ave|Close|Drive|Dr|Way|Crescent|Court|Place|Gardens|Terrace"
    r"|Grove|Row|Walk|Mews|Square|Hill|Park|Estate|House|Towers)"
)
_EXTRA: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("DATE", _DATE),
    ("ADDRESS", re.compile(r"\b(?:Flat|Apartment|Apt|Unit) \d+[A-Za-z]?\b")),
    (
        "ADDRESS",
        re.compile(
            rf"\b(?!(?:The )?(?:Family|Crown|County|Magistrates|Youth|High) Court\b)[A-Z][a-z]+(?: [A-Z][a-z]+)? {_STREET}\b"
        ),
    ),
    ("NUMBER", re.compile(r"(?<![\w\[])\d[\d ]{4,}\d(?![\w\]])")),
)
# Words, in any script: Kayleigh, O'Neill, McDonald, Mary-Jane, Siobhán, Zsófia. A word is
# "capitalised" when it starts upper case and is not all capitals (TM, DSL, CP are not names).
_WORD = re.compile(r"(?<![\w'’-])[^\W\d_]+(?:['’-][^\W\d_]+)*")


def _capitalised_words(text: str, start: int = 0, end: int | None = None) -> list[re.Match[str]]:
    found = _WORD.finditer(text, start, len(text) if end is None else end)
    return [m for m in found if m.group(0)[:1].isupper() and not m.group(0).isupper()]


# After a name, these are never a surname, so a name span does not swallow them.
_NOT_SURNAMES = words(
    """
    will may can might must shall should would could did does do has had is was were are be been
    the a an and or but so to of in on at for with from by up down out over off about as into then
    too also just now not never always very really still again ever here there all both each more
    most some any no much many well back even only said says told came went got gets left stayed
    """
)
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\n]|^\s*(?:[-*•]|\d{1,2}[.)]))[\s\"'“‘(]*$")
_SENTENCE_START_INSIDE = re.compile(r"(?:[.!?:;\n]|\n\s*(?:[-*•]|\d{1,2}[.)]))[\s\"'“‘(]*$")


def _at_sentence_start(text: str, index: int) -> bool:
    """Whether `index` opens a sentence, reading only the few characters before it."""
    if index <= 12:
        return _SENTENCE_START.search(text[:index]) is not None
    return _SENTENCE_START_INSIDE.search(text[index - 12 : index]) is not None


# Capitalised words that are not people either: abbreviated days and months, the field's roles.
_ALSO_NOT_NAMES = words(
    """
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed weds thu thur thurs fri sat sun
    paediatrician paed senco dsl iro sw tm hv fsw cp cin yp lac cla ehcp camhs mash
    cousin cousins foster little early long lad lads
    """
)


# Words that open a sentence far more often than they name someone.
_SENTENCE_STARTERS = words(
    "will hope can did does do so have had may must might shall should would could grace joy"
)
# First names that are also everyday words: replaced only when capitalised.
_WORD_NAMES = words(
    """
    will may grace hope rose mark bill jack joy faith amber summer april june dawn eve ruby pearl
    jade holly ivy daisy lily sky rob pat sue art frank earl guy gene max ray rich don drew chase
    hunter mason miles lee page penny brook dale glen wood bob sunny star honey ginger crystal river
    storm autumn heather robin sandy rusty destiny harmony melody angel precious patience charity
    king prince duke dean christian august chance rocky ace sonny
    """
)


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    kind: str


def _overlaps(span: _Span, taken: Iterable[_Span]) -> bool:
    return any(span.start < t.end and t.start < span.end for t in taken)


def _fold_in_place(text: str) -> str:
    """`fold`, one character for one, so offsets in the result are offsets in `text`."""
    out = []
    for char in text:
        folded = fold(char)
        out.append(folded if len(folded) == 1 else char.lower()[:1] or char)
    return "".join(out)


def _key(text: str) -> str:
    return " ".join(fold(text).split())


_WORD_ENDINGS = re.compile(
    r"(?:ing|ed|ly|ness|tion|sion|ment|able|ible|ful|less|ish|ise|ize|ised|ized|ism|ist|ity|ous|ive"
    r"|er|ers|est|al|ally|ic|ics|ology|ologist)$"
)


def _compound(key: str) -> bool:
    """Two English words run together: "lockdown", "hayfever", "bathtime"."""
    return any(
        key[:i] in _EVERYDAY_OR_ENGLISH and key[i:] in _EVERYDAY_OR_ENGLISH for i in range(3, len(key) - 2)
    )


_EVERYDAY_OR_ENGLISH = ENGLISH_WORDS | EVERYDAY_WORDS
_PREFIXES = words("pre post non re co ex anti multi semi sub over under self mid inter intra")


def _unlisted_words(text: str) -> list[_Span]:
    """Lower-case words in no word list and no name list: probably a name nobody listed.

    The chat warning cannot afford these ("calpol", "knackered"); the AI path can: a word
    replaced costs the model a little context, a name sent cannot be taken back. Typos one
    slip from a word, run-together words and words with an English ending are kept.
    """
    found: list[_Span] = []
    for match in _WORD.finditer(text):
        word = match.group(0)
        key = fold(word)
        if not word.islower() or len(key) < 4 or not key.replace("-", "").isalpha():
            continue
        parts = key.split("-")
        if all(p in _EVERYDAY_OR_ENGLISH or p in NEVER_NAMES or p in _PREFIXES for p in parts):
            continue
        if key in NEVER_NAMES or key in NOT_NAMES or key in _ALSO_NOT_NAMES or key in TEXT_SPEAK:
            continue
        if key.endswith("s") and (key[:-1] in _EVERYDAY_OR_ENGLISH or key[:-1] in NEVER_NAMES):
            continue
        if _WORD_ENDINGS.search(key) or _compound(key) or is_typo(key):
            continue
        found.append(_Span(match.start(), match.end(), "NAME"))
    return found


class Pseudonymiser:
    """Placeholders for one session. Build it, `learn` the session's texts, then `redact`."""

    def __init__(self, names: NameIndex, known_names: Sequence[str] = ()) -> None:
        self.names = names
        self._known = [n.strip() for n in known_names if n and n.strip()]
        self._by_key: dict[str, str] = {}  # normalised original -> placeholder
        self._originals: dict[str, str] = {}  # placeholder -> the worker's own words
        self._counts: dict[str, int] = {}
        self._case_free: set[str] = set()  # keys also replaced when typed in lower case
        for name in self._known:
            self._assign(name, "PERSON", case_free=True)

    # ------------------------------------------------------------------ learning

    def learn(self, texts: Iterable[str]) -> None:
        for text in texts:
            for span in self._find(text):
                self._assign(text[span.start : span.end], span.kind)

    def _assign(self, original: str, kind: str, case_free: bool = False) -> str:
        key = _key(original)
        if key in self._by_key:
            return self._by_key[key]
        placeholder: str | None = None
        parts = [p for p in re.split(r"[\s]+", original) if p]
        if kind in ("PERSON", "NAME") and len(parts) > 1:
            # "Kayleigh Smith" is the person already known as "Kayleigh" or "Smith".
            placeholder = next((self._by_key[_key(p)] for p in parts if _key(p) in self._by_key), None)
        if placeholder is None:
            self._counts[kind] = self._counts.get(kind, 0) + 1
            placeholder = f"[{kind}_{self._counts[kind]}]"
            self._originals[placeholder] = original
        self._by_key[key] = placeholder
        if case_free and " " not in key:
            self._case_free.add(key)
        if kind in ("PERSON", "NAME"):
            for part in parts:
                part_key = _key(part)
                if len(part_key) > 1 and part_key not in NOT_NAMES and part_key not in self._by_key:
                    self._by_key[part_key] = placeholder
                    if case_free or part_key not in _WORD_NAMES:
                        self._case_free.add(part_key)
            if " " not in key and (case_free or key not in _WORD_NAMES):
                self._case_free.add(key)
        return placeholder

    # ------------------------------------------------------------------ detecting

    def _find(self, text: str) -> list[_Span]:
        taken: list[_Span] = []

        def add(start: int, end: int, kind: str) -> None:
            span = _Span(start, end, kind)
            if end > start and not _overlaps(span, taken):
                taken.append(span)

        for hit in find_identifiers(text):
            kind = _DETECT_KINDS.get(hit.kind, "NUMBER")
            start, end = hit.start, hit.end
            if kind == "DATE":  # "born 12/03/2015": keep the words, replace the date
                inner = _DATE.search(text, start, end)
                if inner is not None:
                    start, end = inner.start(), inner.end()
            elif kind == "PERSON":  # "gary marsh": a surname after a name, even an everyday word
                end = self._surname_after(text, end)
            add(start, end, kind)
        for match in phonenumbers.PhoneNumberMatcher(text, "GB"):
            add(match.start, match.end, "PHONE")
        for kind, pattern in _EXTRA:
            for found in pattern.finditer(text):
                add(found.start(), found.end(), kind)
        folded = _fold_in_place(text)
        for name in sorted(self._by_key, key=len, reverse=True):
            for found in re.finditer(rf"(?<![\w\[]){re.escape(name)}(?![\w\]])", folded):
                if name in self._case_free or text[found.start()].isupper():
                    add(found.start(), found.end(), "PERSON")
        for span in self._names_in(text):
            add(span.start, span.end, span.kind)
        for span in _unlisted_words(text):
            add(span.start, span.end, span.kind)
        return sorted(taken, key=lambda s: s.start)

    @staticmethod
    def _surname_after(text: str, end: int) -> int:
        """The end of a name, taking in up to two name-list words after it (any case)."""
        for _ in range(2):
            following = re.match(r" ([^\W\d_]+(?:['’-][^\W\d_]+)*)", text[end:])
            if following is None:
                break
            key = fold(following.group(1))
            if key in _NOT_SURNAMES or key in NOT_NAMES or not (key in SURNAMES or key in FIRST_NAMES):
                break
            end += following.end()
        return end

    def _names_in(self, text: str) -> list[_Span]:
        """Capitalised words that are probably people, joined into full names."""
        found: list[_Span] = []
        for match in _capitalised_words(text):
            word = match.group(0)
            lowered = fold(word)
            base = re.sub(r"'(?:s|m|ll|d|ve|re)$", "", lowered)  # "Dad's", "I'm", "Children's"
            if (
                base in NOT_NAMES
                or base in _ALSO_NOT_NAMES
                or (base.endswith("s") and base[:-1] in NOT_NAMES)
            ):
                continue
            at_start = _at_sentence_start(text, match.start())
            if at_start:
                # "Mark down that...", "Little one is...": a name that is also a word opens a
                # sentence as the word (the chat detector has already taken the clear names).
                if lowered in _SENTENCE_STARTERS or base in EVERYDAY_WORDS or not self.names.is_name(word):
                    continue
                kind = "PERSON"
            else:
                kind = "PERSON" if self.names.is_name(word) else "NAME"
            previous = found[-1] if found else None
            if previous is not None and text[previous.end : match.start()] == " ":
                merged = "PERSON" if "PERSON" in (previous.kind, kind) else "NAME"
                found[-1] = _Span(previous.start, match.end(), merged)
            else:
                found.append(_Span(match.start(), match.end(), kind))
        return found

    # ------------------------------------------------------------------ using

    def redact(self, text: str) -> str:
        """The text with every identifying detail replaced; learns anything new it meets."""
        text = PLACEHOLDER.sub(lambda m: "(" + m.group(0)[1:-1] + ")", text)  # typed look-alikes
        spans = self._find(text)
        out: list[str] = []
        last = 0
        for span in spans:
            out.append(text[last : span.start])
            original = text[span.start : span.end]
            out.append(self._by_key.get(_key(original)) or self._assign(original, span.kind))
            last = span.end
        out.append(text[last:])
        return "".join(out)

    def reidentify(self, text: str) -> str:
        """Placeholders back to the worker's words. Unknown placeholders are left for the guard."""
        return PLACEHOLDER.sub(lambda m: self._originals.get(m.group(0), m.group(0)), text)

    def known(self, placeholder: str) -> bool:
        return placeholder in self._originals

    @property
    def placeholders(self) -> list[str]:
        return list(self._originals)
