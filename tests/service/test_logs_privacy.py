"""Logs never carry what a worker typed, names or tokens: on success and on failure."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
import structlog
from microsoft_agents.activity import Activity
from pydantic import ValidationError
from sqlalchemy import text

from bot.logs import configure_logging
from bot.service import ReflectionService
from bot.turns import ConversationKey, Incoming
from storage.repository import Store
from tests.adapters.slack.driver import APP_TOKEN, BOT_TOKEN, HttpTransport, serve_slack, slack_settings
from tests.adapters.teams.activities import activity
from tests.adapters.teams.driver import serve_teams, teams_settings
from tests.support import slack_requests as sr
from tests.support.slack_mock import SlackMock

CANARY = "CANARY-91b2-blue-giraffe"
KEY = ConversationKey(platform="slack", workspace="T1", channel="D1", user="U1")


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
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


# ---------------------------------------------------------------------- libraries' own logs
#
# Bolt, slack_sdk, the Agents SDK and aiohttp log through the standard library, some of them
# with what people wrote in it. Every such record is scrubbed as it is created (bot.logs), so
# these tests turn the libraries' loggers up to DEBUG, drive the real endpoints with a canary
# in the places those libraries quote, and look for it in everything written.

LIBRARIES = ("slack_bolt", "slack_sdk", "bot.adapters.slack.bolt", "microsoft_agents", "aiohttp")


@pytest.fixture
def library_logs(captured: io.StringIO) -> Iterator[io.StringIO]:
    levels = {name: logging.getLogger(name).level for name in LIBRARIES}
    for name in LIBRARIES:
        logging.getLogger(name).setLevel(logging.DEBUG)
    root_level = logging.getLogger().level
    logging.getLogger().setLevel(logging.DEBUG)
    try:
        yield captured
    finally:
        logging.getLogger().setLevel(root_level)
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


async def test_bolt_and_slack_sdk_never_log_what_was_typed(tmp_path: Path, library_logs: io.StringIO) -> None:
    async with SlackMock(bot_token=BOT_TOKEN, app_token=APP_TOKEN) as mock:
        settings = slack_settings(mock, str(tmp_path / "slack.db"))
        async with serve_slack(mock, settings) as world:
            transport = world.transport
            assert isinstance(transport, HttpTransport)
            worker = world.worker()
            await worker.say("reflect")
            await worker.say(f"HX-1 {CANARY}")
            await worker.say(f"The child said {CANARY} twice")
            # Unhandled by our listeners: Bolt logs the command name, the action id, the view.
            assert (await transport.command(sr.slash_command(CANARY, command=f"/x-{CANARY}"))).status == 404
            click = sr.block_actions(f"other-{CANARY}", CANARY)
            assert (await transport.interaction(click)).status == 404
            closed = {**sr.view_submission(f"cb-{CANARY}", private_metadata=CANARY), "type": "view_closed"}
            assert (await transport.interaction(closed)).status == 404
            await world.settle()
    output = library_logs.getvalue()
    assert "Unhandled request" in output and "chat.postMessage" in output  # the paths ran
    assert CANARY not in output


async def test_the_agents_sdk_and_pydantic_never_log_inputs(
    tmp_path: Path, library_logs: io.StringIO
) -> None:
    async with serve_teams(teams_settings(str(tmp_path / "teams.db"))) as world:
        bad = activity(text="reflect", service_url="http://127.0.0.1:9/")
        statuses = [
            await world.post({**bad, "text": {"said": CANARY}}),
            await world.post({**bad, "localTimezone": [CANARY]}),
            await world.post({**bad, "channelId": "", "text": CANARY}),
        ]
    assert statuses == [400, 400, 400]
    try:
        Activity.model_validate({"type": "message", "text": {"said": CANARY}})
    except ValidationError as error:  # a library logging a pydantic error as it is
        logging.getLogger("some.library").exception("validation failed: %s", error)
        structlog.get_logger("adapter").error("validation.failed", error=str(error))
    output = library_logs.getvalue()
    assert "validation failed" in output and "validation.failed" in output
    assert CANARY not in output


async def test_headers_are_never_logged_not_even_a_huge_authorization(
    tmp_path: Path, library_logs: io.StringIO
) -> None:
    secured = teams_settings(
        str(tmp_path / "teams.db"),
        teams_allow_anonymous=False,
        microsoft_app_id="app-id",
        microsoft_app_password="app-secret",
        microsoft_app_tenant_id="tenant-id",
    )
    async with serve_teams(secured) as world:
        body = activity(text="reflect", service_url="http://127.0.0.1:9/")
        for size in (200, 6_000, 20_000, 200_000):
            status = await world.post(body, {"Authorization": f"Bearer {CANARY}{'x' * size}"})
            assert status in (400, 401, 431), status
        assert await world.post(body, {"Authorization": f"Basic {CANARY}", "Cookie": CANARY}) == 401
    output = library_logs.getvalue()
    assert "teams.rejected" in output or "Error handling request" in output
    assert CANARY not in output
    assert "Traceback" not in output


def test_a_library_record_keeps_its_shape_but_not_its_content(captured: io.StringIO) -> None:
    library = logging.getLogger("some.library")
    library.warning("Unhandled request (%s)", {"type": None, "command": f"/export {CANARY}"})
    library.warning("headers: %s", {"Authorization": f"Bearer {CANARY}"})
    library.warning("Authorization: Bearer %s", CANARY)
    try:
        raise KeyError(CANARY)
    except KeyError:
        library.exception("lookup failed for %r", CANARY)
    output = captured.getvalue()
    assert "Unhandled request" in output and "lookup failed" in output
    assert "Traceback" in output and "KeyError" in output  # frames and type kept for debugging
    assert CANARY not in output
