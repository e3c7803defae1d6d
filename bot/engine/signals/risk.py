"""Words that suggest a child may be at immediate risk.

This prompts the worker to follow local safeguarding procedures; it is never a risk assessment.
It errs towards prompting: showing the message when it was not needed costs a tap.
"""

from __future__ import annotations

import re

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
