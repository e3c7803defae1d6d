"""Which option a typed answer means, in the worker's own words."""

from __future__ import annotations

import re
from dataclasses import dataclass

from supervision_models.schema import Choice

_YES = {"yes", "y", "yeah", "yep", "yes please", "i did", "did"}
_NO = {"no", "n", "nope", "not really", "no i didn't", "didn't"}


def match_choice(text: str, choices: tuple[Choice, ...]) -> str | None:
    """The choice a typed answer means: its number, value, label, or a unique start of it."""
    typed = " ".join(text.lower().strip().strip(".!").split())
    if not typed:
        return None
    if typed.isdigit() and 1 <= int(typed) <= len(choices):
        return choices[int(typed) - 1].value
    values = {c.value: c for c in choices}
    if typed.replace(" ", "_") in values:
        return typed.replace(" ", "_")
    if typed in _YES and "yes" in values:
        return "yes"
    if typed in _NO and "no" in values:
        return "no"
    for choice in choices:
        label = choice.label.lower()
        if typed == label or typed == re.sub(r"^\d+\.\s*", "", label):
            return choice.value
    starts = [c.value for c in choices if re.sub(r"^\d+\.\s*", "", c.label.lower()).startswith(typed)]
    if len(starts) == 1 and len(typed) >= 3:
        return starts[0]
    return None


@dataclass(frozen=True)
class ChoiceReading:
    """What a typed answer to a choice question means.

    `value`: the option clearly meant; `candidates`: the options it could be when tied;
    `rest`: the worker's words beyond the choice itself, kept as their comment.
    """

    value: str | None
    candidates: tuple[str, ...] = ()
    rest: str = ""


def read_choice(text: str, choices: tuple[Choice, ...]) -> ChoiceReading:
    value = match_choice(text, choices)
    if value is not None:
        return ChoiceReading(value)
    first, _, rest = text.strip().partition(" ")
    value = match_choice(first.strip(",.;:"), choices)
    return ChoiceReading(value, rest=rest.strip(" ,.;:-") if value else "")
