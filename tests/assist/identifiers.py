"""A reflection full of planted identifiers, and every form in which one could leak."""

from __future__ import annotations

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
}


def leaks(text: str) -> list[str]:
    """Planted identifiers (in any case, with or without spaces) that appear in `text`."""
    lowered = text.lower()
    squashed = lowered.replace(" ", "")
    found = []
    for label, value in PLANTED.items():
        v = value.lower()
        if v in lowered or (any(c.isdigit() for c in v) and v.replace(" ", "") in squashed):
            found.append(label)
    return found
