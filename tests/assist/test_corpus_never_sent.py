"""The identifier corpus through the real assistant to the local server: no form is received."""

from __future__ import annotations

import pytest

from bot.assist.budget import MemoryLedger
from bot.assist.names import NameIndex
from tests.assist.conftest import Sleeps
from tests.assist.fake_openai import FakeOpenAI
from tests.assist.identifiers import form_leaks, readable
from tests.assist.test_assistant import assistant, request
from tests.corpus.identifier_corpus import corpus

CASES = corpus().positives
BATCH = 30  # answers per request, as one session's observations


@pytest.mark.parametrize("first", range(0, len(CASES), BATCH))
async def test_no_identifier_form_in_the_corpus_reaches_the_server(
    server: FakeOpenAI, sleeps: Sleeps, names: NameIndex, first: int
) -> None:
    batch = CASES[first : first + BATCH]
    await assistant(server, sleeps, names).run(
        request([c.text for c in batch], session=f"corpus-{first}"), MemoryLedger()
    )
    assert len(server.received) == 1
    sent = readable(server.bodies)
    leaked = [f.text for c in batch for f in c.forms if form_leaks(f.kind, f.text, sent)]
    assert leaked == []


def test_the_corpus_holds_at_least_300_identifier_forms() -> None:
    assert sum(len(c.forms) for c in CASES) >= 300
