"""No 500s on POST /api/messages: a thousand mutated Teams activities, and broken tokens.

The real server (`bot.server.build_app`) on SQLite with the real Agents SDK adapter, and a
local connector standing in for Teams' serviceUrl. Anonymous mode (the Playground's) lets
every activity past authentication, so only the adapter's own checks stand between a
malformed activity and a 500. Asserted for every request: a status below 500; at the end, no
log record at ERROR or above, none with a traceback, no "Traceback" in the log output.

REFLECT_FUZZ_SCALE multiplies the count (`make fuzz` runs ten times as many);
REFLECT_FUZZ_SEED picks another sequence.
"""

from __future__ import annotations

import asyncio
import base64
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.adapters.teams.activities import BOT, GROUP_CHAT, activity, execute, group_message, invoke, submit
from tests.adapters.teams.driver import Connector, TeamsWorld, serve_teams, teams_settings
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

TEAMS_ACTIVITIES = 1_000
CONCURRENCY = 8


@pytest.fixture
def logs() -> Iterator[tuple[io.StringIO, Records]]:
    with captured_logs() as captured:
        yield captured


def bases(service_url: str) -> list[dict[str, Any]]:
    url = {"service_url": service_url}
    return [
        activity(text="reflect", **url),
        activity(text="help", **url),
        submit("m:1:choose:0", service_url=service_url),
        group_message("start group", service_url=service_url),
        activity(
            "invoke",
            name="adaptiveCard/action",
            value={"action": {"type": "Action.Execute", "data": {"action": "x"}}},
            **url,
        ),
        execute({"action": "cmd:pause", "label": "Pause"}, **url),
        invoke(
            "task/fetch",
            {"data": {"msteams": {"type": "task/fetch"}, "dialog": "answer", "mark": "x"}},
            **url,
        ),
        invoke("task/submit", {"data": {"dialog": "answer", "mark": "x", "answer": "a long\nanswer"}}, **url),
        invoke(
            "fileConsent/invoke",
            {
                "type": "fileUpload",
                "action": "accept",
                "context": {"held": "no-such-token"},
                "uploadInfo": {
                    "name": "x.docx",
                    "uploadUrl": "http://127.0.0.1:9/x",
                    "contentUrl": "https://x",
                },
            },
            **url,
        ),
        invoke(
            "composeExtension/fetchTask",
            {"commandId": "reflectOnMessage", "messagePayload": {"body": {"content": "<p>hx 2291</p>"}}},
            conversation=GROUP_CHAT,
            conversation_type="groupChat",
            **url,
        ),
        invoke(
            "composeExtension/submitAction",
            {"commandId": "reflectOnMessage", "data": {"reflect": "start", "case": "HX-2291"}},
            conversation=GROUP_CHAT,
            conversation_type="groupChat",
            **url,
        ),
        activity("conversationUpdate", membersAdded=[dict(BOT)], **url),
        activity("installationUpdate", action="add", **url),
        activity(
            "installationUpdate",
            action="remove",
            conversation=GROUP_CHAT,
            conversation_type="groupChat",
            **url,
        ),
        activity("messageReaction", reactionsAdded=[{"type": "like"}], replyToId="x", **url),
        activity("typing", **url),
        activity("endOfConversation", **url),
    ]


def named_cases(service_url: str) -> list[tuple[str, Any]]:
    message = activity(text="reflect", service_url=service_url)
    invoke = activity("invoke", name="adaptiveCard/action", value={"action": {}}, service_url=service_url)
    return [
        ("no serviceUrl", set_path(message, ("serviceUrl",), ...)),
        ('channelId ""', {**message, "channelId": ""}),
        ("channelId a number", {**message, "channelId": 7}),
        ("an invoke without a value", set_path(invoke, ("value",), ...)),
        ("an invoke with a string value", {**invoke, "value": "x"}),
        ("no conversation", set_path(message, ("conversation",), ...)),
        ("conversation id empty", set_path(message, ("conversation", "id"), "")),
        ("conversation a string", {**message, "conversation": "a:1"}),
        ("no from", set_path(message, ("from",), ...)),
        ("from id a number", set_path(message, ("from", "id"), 5)),
        ("text a list", {**message, "text": ["reflect"]}),
        ("a lone surrogate in text", {**message, "text": f"hi{LONE_SURROGATE}"}),
        ("type a number", {**message, "type": 3}),
        ("no type", set_path(message, ("type",), ...)),
        ("entities not a list", {**message, "entities": "mention"}),
        ("a JSON list", [message]),
        ("a JSON string", "message"),
    ]


async def post_raw(world: TeamsWorld, body: bytes, headers: dict[str, str] | None = None) -> int:
    async with world.http.post(
        f"{world.url}/api/messages",
        data=body,
        headers={"Content-Type": "application/json", **(headers or {})},
    ) as response:
        await response.read()
        return response.status


def encode(data: Any) -> bytes:
    return json.dumps(data).encode()


async def stored_rows(world: TeamsWorld) -> dict[str, int]:
    return await count_rows(world.runtime.store)


async def test_the_named_malformed_activities_get_400_and_store_nothing(
    world: TeamsWorld, connector: Connector, logs: tuple[io.StringIO, Records]
) -> None:
    before = await stored_rows(world)
    cases = named_cases(connector.service_url)
    statuses = {name: await post_raw(world, encode(data)) for name, data in cases}
    statuses["not JSON"] = await post_raw(world, b'{"type": "message", ')
    statuses["not UTF-8"] = await post_raw(world, b'{"type": "message", "text": "\xff"}')
    statuses["text/plain"] = await post_raw(world, encode(cases[0][1]), {"Content-Type": "text/plain"})
    statuses["empty"] = await post_raw(world, b"")
    statuses["deeply nested"] = await post_raw(world, b"[" * 100_000 + b"]" * 100_000)
    assert statuses == {name: 400 for name in statuses}
    assert await stored_rows(world) == before
    assert connector.posted == []
    stream, records = logs
    assert records.bad() == []
    assert "Traceback" not in stream.getvalue()


async def test_a_thousand_mutated_activities_never_get_a_5xx(
    world: TeamsWorld, connector: Connector, logs: tuple[io.StringIO, Records]
) -> None:
    seed, count = fuzz_seed(), fuzz_count(TEAMS_ACTIVITIES)
    mutator = Mutator(seed)
    kinds = bases(connector.service_url)
    bodies: list[bytes] = []
    for n in range(count):
        base = {**kinds[n % len(kinds)], "id": f"fuzz-{n}"}
        bodies.append(encode(mutator.mutate(base)))
    statuses: dict[int, int] = {}
    failures: list[str] = []
    gate = asyncio.Semaphore(CONCURRENCY)

    async def one(n: int, body: bytes) -> None:
        async with gate:
            status = await post_raw(world, body)
        statuses[status] = statuses.get(status, 0) + 1
        if status >= 500:
            failures.append(f"#{n} {status}: {body[:400]!r}")

    await asyncio.gather(*(one(n, body) for n, body in enumerate(bodies)))
    print(f"teams fuzz: seed={seed} activities={count} statuses={dict(sorted(statuses.items()))}")
    assert failures == [], f"seed {seed}: {len(failures)} 5xx, first: {failures[:5]}"
    assert statuses.get(400, 0) > count // 10, statuses
    assert sum(v for k, v in statuses.items() if k < 300) > count // 10, statuses
    stream, records = logs
    assert records.bad() == [], records.bad()[:5]
    assert "Traceback" not in stream.getvalue()


def _jwt(header: dict[str, Any], claims: dict[str, Any]) -> str:
    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return f"{part(header)}.{part(claims)}.c2lnbmF0dXJl"


async def test_anything_wrong_with_a_token_is_a_401(
    tmp_path: Path, connector: Connector, logs: tuple[io.StringIO, Records]
) -> None:
    settings = teams_settings(
        str(tmp_path / "jwt.db"),
        teams_allow_anonymous=False,
        microsoft_app_id="app-id",
        microsoft_app_password="app-secret",
        microsoft_app_tenant_id="tenant-id",
    )
    claims = {"aud": "app-id", "iss": "https://api.botframework.com", "exp": 4_000_000_000}
    tokens = [
        _jwt({"alg": "RS256", "typ": "JWT"}, claims),  # no kid: the SDK raised KeyError (a 500)
        _jwt({"alg": "none"}, claims),
        _jwt({"alg": "RS256", "kid": 7}, claims),
        _jwt({"alg": "RS256", "kid": ["a"]}, claims),
        "a.b.c",
        "not-a-jwt",
        "e30.e30.",
        "x" * 6000,
    ]
    data = encode(activity(text="reflect", service_url=connector.service_url))
    async with serve_teams(settings) as world:
        before = await stored_rows(world)
        statuses = [await post_raw(world, data, {"Authorization": f"Bearer {t}"}) for t in tokens]
        statuses.append(await post_raw(world, data))
        statuses.append(await post_raw(world, data, {"Authorization": "Basic dXNlcjpwYXNz"}))
        statuses.append(await post_raw(world, data, {"Authorization": "Bearer"}))
        assert statuses == [401] * len(statuses)
        assert await stored_rows(world) == before
    assert connector.posted == []
    stream, records = logs
    assert records.bad() == []
    assert "Traceback" not in stream.getvalue()
