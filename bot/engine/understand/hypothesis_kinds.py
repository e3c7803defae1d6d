"""What kind of explanation a hypothesis is, so a challenge can fit it."""

from __future__ import annotations

from typing import Literal

HypothesisKind = Literal[
    "physical_harm",
    "neglect",
    "parent_mental_health",
    "new_partner",
    "disguised_compliance",
    "over_optimism",
    "substance",
    "domestic_abuse",
    "other",
]


def classify_hypothesis(statement: str) -> HypothesisKind:
    return "other"
