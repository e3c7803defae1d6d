"""No 500s on POST /slack/events: thousands of mutated, validly signed Slack payloads.

The real Bolt app behind the real aiohttp server, the real runtime on SQLite, and the Slack
Web API mock through the real slack_sdk client. Every request is signed with the app's own
secret (a tester who holds it, or a bug in Slack), so the signature check lets each one in and
only the adapter's own checks stand between a malformed payload and a 500.

Asserted for every request: a status below 500. Asserted at the end: no log record at ERROR or
above, none with a traceback, and no "Traceback" in the structured log output. The named
cases from issue 14 also must get exactly 400 and leave the database as it was.

REFLECT_FUZZ_SCALE multiplies the count (`make fuzz` runs ten times as many);
REFLECT_FUZZ_SEED picks another sequence. Both are printed when a request fails.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import io
import json
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest

from tests.adapters.slack.driver import SECRET, HttpTransport, SlackWorld
from tests.support import slack_requests as sr
from tests.support.fuzz import (
    LONE_SURROGATE,
    Mutator,
    Records,
    captured_logs,
    fuzz_count,
    fuzz_seed,
    set_path,
)
from tests.support.fuzz import stored_rows as count_rows

SLACK_PAYLOADS = 2_000  # in the suite; make fuzz: ten times as many
CONCURRENCY = 16
FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def logs() -> Iterator[tuple[io.StringIO, Records]]:
    with captured_logs() as captured:
        yield captured


# ---------------------------------------------------------------------- what gets posted


def _form(fields: dict[str, Any]) -> bytes:
    """Form-encode like Slack, but let anything through: non-strings as text, lone
    surrogates as the (invalid) UTF-8 bytes they would be."""
    return "&".join(
        f"{quote(str(k), errors='surrogatepass')}={quote(str(v), errors='surrogatepass')}"
        for k, v in fields.items()
    ).encode()


def event_body(payload: Any) -> tuple[bytes, str]:
    return json.dumps(payload, separators=(",", ":")).encode(), "application/json"


def interaction_body(payload: Any) -> tuple[bytes, str]:
    return _form({"payload": json.dumps(payload, separators=(",", ":"))}), FORM


def command_body(fields: Any) -> tuple[bytes, str]:
    if isinstance(fields, dict):
        return _form(fields), FORM
    return _form({"payload": json.dumps(fields)}), FORM


def bases() -> list[tuple[str, dict[str, Any]]]:
    """Well-formed payloads of every kind the endpoint serves, to mutate."""
    dm = sr.DM_CHANNEL_ID
    engine_button = sr.block_actions("reflect_btn_0", "m:1:choose:0", block_id="reflect:choice:s1:1")
    return [
        ("event", sr.message_event("reflect")),
        ("event", sr.message_event("I felt the visit went badly", thread_ts="1.000001")),
        ("event", sr.app_home_opened_event()),
        ("event", sr.url_verification()),
        ("event", {"type": "app_rate_limited", "team_id": sr.TEAM_ID, "minute_rate_limited": 1}),
        ("command", sr.slash_command("help")),
        ("command", sr.slash_command("", channel_name="general", channel_id="C0GENERAL1")),
        ("interaction", engine_button),
        ("interaction", sr.block_actions("reflect_long_answer", "mark-1", block_id="b")),
        ("interaction", sr.block_actions("reflect_note", "s-1", view={"id": "V0HOME0001", "type": "home"})),
        (
            "interaction",
            sr.view_submission(
                "reflect_long_answer",
                {"answer": {"text": "A long answer"}},
                private_metadata=json.dumps({"c": dm, "t": None, "m": "mark"}),
            ),
        ),
        ("interaction", {**sr.view_submission("reflect_long_answer"), "type": "view_closed"}),
    ]


def named_cases() -> list[tuple[str, str, bytes, str]]:
    """The malformed payloads issue 14 names: each must be refused with 400, nothing stored."""
    message = sr.message_event("reflect")
    submission = sr.view_submission(
        "reflect_long_answer",
        {"answer": {"text": "x"}},
        private_metadata=json.dumps({"c": sr.DM_CHANNEL_ID}),
    )
    return [
        ("authorizations as an object", *event_body({**message, "authorizations": {"team_id": sr.TEAM_ID}})),
        ("authorizations of numbers", *event_body({**message, "authorizations": [1, 2]})),
        ("event as a number", *event_body({**message, "event": 7})),
        ("event without a type", *event_body(set_path(message, ("event", "type"), ...))),
        (
            "a lone surrogate in text",
            *event_body(set_path(message, ("event", "text"), f"hi{LONE_SURROGATE}")),
        ),
        ("view_submission without view.type", *interaction_body(set_path(submission, ("view", "type"), ...))),
        ("view as a list", *interaction_body({**submission, "view": [1]})),
        ("team as a number", *interaction_body({**submission, "team": 5})),
        ("user as a list", *interaction_body({**submission, "user": ["U1"]})),
        ("response_urls of strings", *interaction_body({**submission, "response_urls": ["x"]})),
        ("actions empty", *interaction_body({**sr.block_actions("reflect_btn_0", "v"), "actions": []})),
        (
            "enterprise as a number",
            *interaction_body({**sr.block_actions("reflect_btn_0", "v"), "enterprise": 3}),
        ),
        ("a command of a number", *command_body({**sr.slash_command("help"), "command": 7})),
        ("not JSON", b'{"type": "event_callback", "event": ', "application/json"),
        ("a JSON list", b"[1, 2, 3]", "application/json"),
        ("a JSON string", b'"event_callback"', "application/json"),
        ("invalid UTF-8", b'{"type": "event_callback", "x": "\xff\xfe"}', "application/json"),
        ("payload not JSON", b"payload=%7Bnot-json", FORM),
        ("payload a JSON list", b"payload=%5B1%5D", FORM),
    ]


def signed(body: bytes, content_type: str) -> dict[str, str]:
    """Slack's v0 signature over the raw bytes (any bytes: slack_sdk's signer needs UTF-8)."""
    timestamp = str(int(time.time()))
    mac = hmac.new(SECRET.encode(), b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256)
    return {
        "Content-Type": content_type,
        "User-Agent": sr.SLACK_USER_AGENT,
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": "v0=" + mac.hexdigest(),
    }


async def post(world: SlackWorld, body: bytes, content_type: str) -> int:
    transport = world.transport
    assert isinstance(transport, HttpTransport)
    async with transport.http.post(transport.url, data=body, headers=signed(body, content_type)) as response:
        await response.read()
        return response.status


async def stored_rows(world: SlackWorld) -> dict[str, int]:
    return await count_rows(world.runtime.store)


# ---------------------------------------------------------------------- the tests


async def test_the_named_malformed_payloads_get_400_and_store_nothing(
    world: SlackWorld, logs: tuple[io.StringIO, Records]
) -> None:
    before = await stored_rows(world)
    statuses = {name: await post(world, body, kind) for name, body, kind in named_cases()}
    await world.settle()
    assert statuses == {name: 400 for name, *_ in named_cases()}
    assert await stored_rows(world) == before
    assert world.mock.calls_for("chat.postMessage") == []
    stream, records = logs
    assert records.bad() == []
    assert "Traceback" not in stream.getvalue()


async def test_thousands_of_mutated_signed_payloads_never_get_a_5xx(
    world: SlackWorld, logs: tuple[io.StringIO, Records]
) -> None:
    seed, count = fuzz_seed(), fuzz_count(SLACK_PAYLOADS)
    mutator = Mutator(seed)
    kinds = bases()
    encode = {"event": event_body, "interaction": interaction_body, "command": command_body}
    requests: list[tuple[int, str, bytes, str]] = []
    for n in range(count):
        kind, base = kinds[n % len(kinds)]
        if isinstance(base.get("event"), dict) and "event_id" in base:
            base = {**base, "event_id": sr.new_event_id()}
        requests.append((n, kind, *encode[kind](mutator.mutate(base))))

    statuses: dict[int, int] = {}
    failures: list[str] = []
    gate = asyncio.Semaphore(CONCURRENCY)

    async def one(n: int, kind: str, body: bytes, content_type: str) -> None:
        async with gate:
            status = await post(world, body, content_type)
        statuses[status] = statuses.get(status, 0) + 1
        if status >= 500:
            failures.append(f"#{n} {kind} {status}: {body[:300]!r}")

    await asyncio.gather(*(one(*r) for r in requests))
    await world.settle()
    print(f"slack fuzz: seed={seed} payloads={count} statuses={dict(sorted(statuses.items()))}")
    assert failures == [], f"seed {seed}: {len(failures)} 5xx, first: {failures[:5]}"
    assert sum(statuses.values()) == count
    assert statuses.get(200, 0) > count // 10, statuses  # the mutations left many payloads valid
    assert statuses.get(400, 0) > count // 10, statuses  # and refused many
    stream, records = logs
    assert records.bad() == [], records.bad()[:5]
    assert "Traceback" not in stream.getvalue()
