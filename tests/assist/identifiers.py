"""A reflection full of planted identifiers, and every form in which one could leak."""

from __future__ import annotations

import json
import re
import unicodedata

NHS = "943 476 5919"  # a valid NHS number (checksum)
NHS_2 = "401 023 2137"  # another valid one
assert NHS != NHS_2

PLANTED = {
    "child's name": "Kayleigh",
    "surname": "Smith",
    "sibling": "Jayden",
    "registered name": "Tyler",
    "mum's partner": "Darren",
    "nhs": NHS,
    "nhs 2": NHS_2,
    "ni": "AB 12 34 56 C",
    "postcode": "LS6 2QT",
    "street address": "14 Acacia Avenue",
    "street": "Acacia Avenue",
    "mobile": "07700 900123",
    "landline": "0113 496 0000",
    "email": "k.smith@example.com",
    "dob": "12/03/2015",
    "date": "4 May 2021",
    "flat": "Flat 3",
    "school": "Brudenell",
    # The forms a security test saw go out verbatim (issue 14), and their kin.
    "ni without spaces": "QQ123456C",
    "accented name": "Siobhán",
    "accented name, folded": "Siobhan",
    "lower-case name": "tiago",
    "hyphenated name": "jayden-lee",
    "apostrophe surname": "o'connor",
    "surname after a title": "O'Sullivan",
    "name after called": "Tyreece",
    "car registration": "AB12 CDE",
    "flat number": "flat 3b",
    "school name": "Oakfield Academy",
    "international mobile": "+44 7700 900789",
    "date of birth in words": "third of may 2019",
}


def readable(text: str) -> str:
    """`text` plus every string inside any JSON document on its lines, unescaped ("\\u00e1" is "á")."""
    found = [text]

    def walk(value: object) -> None:
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)

    for line in text.splitlines():
        try:
            walk(json.loads(line))
        except ValueError:
            continue
    return "\n".join(found)


def leaks(text: str) -> list[str]:
    """Planted identifiers (in any case, with or without spaces) that appear in `text`.

    Request bodies are JSON, where "Siobhán" may travel as "Siobh\\u00e1n": strings inside JSON
    lines are read unescaped too.
    """
    lowered = readable(text).lower()
    squashed = lowered.replace(" ", "")
    found = []
    for label, value in PLANTED.items():
        v = value.lower()
        if v in lowered or (any(c.isdigit() for c in v) and v.replace(" ", "") in squashed):
            found.append(label)
    return found


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def form_leaks(kind: str, form: str, text: str) -> bool:
    """Whether an identifier form (or, for a name, any word of it) is still in `text`.

    Compared folded (any case, no accents); numbers also without spaces, dashes or brackets.
    """
    folded, value = _fold(text), _fold(form)
    if kind == "name":  # as words: "Lee" is not in "asleep"
        words = [value, *re.split(r"[\s-]+", value)]
        return any(
            (word == value or len(word) >= 3)
            and re.search(rf"(?<![\w\[]){re.escape(word)}(?![\w\]])", folded)
            for word in words
        )
    if value in folded:
        return True
    if any(c.isdigit() for c in value):
        squash = re.compile(r"[\s\-().]")
        if squash.sub("", value) in squash.sub("", folded):
            return True
    return False
