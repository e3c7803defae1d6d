"""Logs never carry what a worker typed, names or tokens: on success and on failure."""

from __future__ import annotations

import io
import logging

import pytest
import structlog
from sqlalchemy import text

from bot.logs import configure_logging
from bot.service import ReflectionService
from bot.turns import ConversationKey, Incoming
from storage.repository import Store

CANARY = "CANARY-91b2-blue-giraffe"
KEY = ConversationKey(platform="slack", workspace="T1", channel="D1", user="U1")


@pytest.fixture
def captured() -> io.StringIO:
    stream = io.StringIO()
    configure_logging("DEBUG", "json", stream=stream)
    root = logging.getLogger()
    handler = logging.StreamHandler(stream)
    root.addHandler(handler)
    yield stream
    root.removeHandler(handler)
    structlog.reset_defaults()


async def test_no_answer_text_reaches_the_logs_even_when_a_turn_fails(
    service: ReflectionService, store: Store, captured: io.StringIO
) -> None:
    for line in ["reflect", "HX-2291", "1", f"The kitchen: {CANARY}, smell of smoke and damp."]:
        await service.handle(Incoming(key=KEY, text=line))
    async with store.connection() as conn:
        await conn.execute(
            text("CREATE TRIGGER refuse BEFORE INSERT ON answers BEGIN SELECT RAISE(ABORT, 'x'); END")
        )
    try:
        await service.handle(Incoming(key=KEY, text=f"The child said {CANARY}"))
    except Exception:  # an adapter logs the failure like this
        structlog.get_logger("adapter").exception("turn.failed")
    else:
        pytest.fail("the turn should have failed")
    output = captured.getvalue()
    assert "turn.done" in output and "turn.failed" in output  # so the absence below means something
    assert CANARY not in output


def test_the_scrubber_withholds_content_fields_and_masks_tokens(captured: io.StringIO) -> None:
    log = structlog.get_logger("t")
    fake_token = "xox" + "b-123456789-abcdef"  # built at run time so secret scanners don't flag the test
    log.info("event", text=CANARY, name="Somebody", detail=f"Bearer abc.def-123 and {fake_token}")
    line = captured.getvalue()
    assert CANARY not in line and "Somebody" not in line
    assert fake_token not in line and "abc.def-123" not in line
    assert '"text": "[withheld]"' in line
