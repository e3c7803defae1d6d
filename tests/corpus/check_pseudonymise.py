"""Pseudonymisation: every identifier form in the corpus is gone from what would be sent.

Each case is pseudonymised on its own (a fresh session that has learned only that answer, no
registered names), the strictest setting. A form counts as replaced when neither it nor, for a
name, any of its words (three letters or more, in any case or accents) is left in the text.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.assist.names import shared_index
from bot.assist.pseudonymise import Pseudonymiser
from tests.assist.identifiers import form_leaks
from tests.corpus.framework import Result
from tests.corpus.identifier_corpus import corpus

CATEGORY = "pseudonymisation"
TARGET_RECALL = 1.0
TARGET_PRECISION = 1.0
MINIMUM_FORMS = 300


def results() -> Iterable[Result]:
    names = shared_index()
    names.load_now()
    data = corpus()
    assert len(data.forms) >= MINIMUM_FORMS, f"only {len(data.forms)} identifier forms in the corpus"
    for case in data.positives:
        pseudonymiser = Pseudonymiser(names)
        pseudonymiser.learn([case.text])
        redacted = pseudonymiser.redact(case.text)
        for form in case.forms:
            leaked = form_leaks(form.kind, form.text, redacted)
            got = None if leaked else "replaced"
            yield Result(
                CATEGORY, f"{form.text} in {case.text!r} -> {redacted!r}", "replaced", got, form.kind
            )
