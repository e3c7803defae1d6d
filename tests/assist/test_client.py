"""The client against a local OpenAI-compatible server: retries, Retry-After, breaker, timeouts."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx2
import openai
import pytest

from bot.assist.breaker import Breaker
from bot.assist.client import CallPolicy, ModelClient, retry_after_seconds
from bot.errors import AssistUnavailable
from tests.assist.conftest import Sleeps
from tests.assist.fake_openai import FakeOpenAI, Scripted


def client(
    server: FakeOpenAI,
    sleeps: Sleeps,
    api: str = "chat",
    policy: CallPolicy | None = None,
    breaker: Breaker | None = None,
    http_client: httpx2.AsyncClient | None = None,
) -> ModelClient:
    return ModelClient(
        model="test-model",
        api_key="sk-test",
        base_url=server.base_url,
        api=api,  # type: ignore[arg-type]
        policy=policy or CallPolicy(call_budget=5.0, attempts=3),
        breaker=breaker or Breaker(failures=3, reset_after=60),
        http_client=http_client,
        sleep=sleeps,
    )


@pytest.mark.parametrize("api", ["chat", "responses"])
async def test_both_api_shapes_answer(server: FakeOpenAI, sleeps: Sleeps, api: str) -> None:
    model = client(server, sleeps, api)
    done = await model.complete("system words", "user words", max_tokens=50)
    assert done.text and done.prompt_tokens == 120 and done.completion_tokens == 30
    sent = server.received[0]
    assert sent.path == ("/v1/responses" if api == "responses" else "/v1/chat/completions")
    assert sent.system == "system words" and sent.user == "user words"
    assert "tools" not in sent.json and "functions" not in sent.json  # the model has no tools
    if api == "responses":
        assert sent.json["store"] is False
    await model.aclose()


async def test_an_injected_http_client_is_used(server: FakeOpenAI, sleeps: Sleeps) -> None:
    seen: list[str] = []

    async def note(request: httpx2.Request) -> None:
        seen.append(str(request.url))

    async with httpx2.AsyncClient(event_hooks={"request": [note]}) as http:
        await client(server, sleeps, http_client=http).complete("s", "u", max_tokens=10)
    assert seen == [f"{server.base_url}/chat/completions"]


@pytest.mark.parametrize(
    ("status", "headers", "waited"),
    [(429, {"Retry-After": "2"}, 2.0), (503, {"retry-after-ms": "1500"}, 1.5)],
)
async def test_retry_after_is_honoured_then_the_answer_arrives(
    server: FakeOpenAI, sleeps: Sleeps, status: int, headers: dict[str, str], waited: float
) -> None:
    server.script = [Scripted(status=status, headers=headers)]
    done = await client(server, sleeps).complete("s", "u", max_tokens=10)
    assert done.text
    assert len(server.received) == 2  # one refusal, one answer: the SDK's own retries are off
    assert sleeps.asked == [waited]


async def test_a_retry_after_longer_than_the_budget_falls_back_at_once(
    server: FakeOpenAI, sleeps: Sleeps
) -> None:
    server.script = [Scripted(status=429, headers={"Retry-After": "120"})]
    with pytest.raises(AssistUnavailable, match="rate_limited"):
        await client(server, sleeps).complete("s", "u", max_tokens=10)
    assert len(server.received) == 1 and sleeps.asked == []


async def test_without_retry_after_the_backoff_is_jittered_and_bounded(
    server: FakeOpenAI, sleeps: Sleeps
) -> None:
    server.script = [Scripted(status=500), Scripted(status=502)]
    done = await client(server, sleeps).complete("s", "u", max_tokens=10)
    assert done.text and len(server.received) == 3
    assert len(sleeps.asked) == 2 and all(0 <= s <= 4.0 for s in sleeps.asked)


async def test_repeated_500s_open_the_breaker_and_it_closes_after_a_good_trial(
    server: FakeOpenAI, sleeps: Sleeps
) -> None:
    now = [0.0]
    breaker = Breaker(failures=2, reset_after=30, clock=lambda: now[0])
    model = client(server, sleeps, breaker=breaker)
    server.script = [Scripted(status=500)] * 6
    for _ in range(2):
        with pytest.raises(AssistUnavailable, match="server_error"):
            await model.complete("s", "u", max_tokens=10)
    assert len(server.received) == 6 and breaker.state == "open" and not model.available
    with pytest.raises(AssistUnavailable, match="breaker_open"):
        await model.complete("s", "u", max_tokens=10)
    assert len(server.received) == 6  # not hammered
    now[0] = 31.0
    assert breaker.state == "half_open"
    assert (await model.complete("s", "u", max_tokens=10)).text  # one trial, it works
    assert breaker.state == "closed"


async def test_a_failed_trial_opens_the_breaker_again(server: FakeOpenAI, sleeps: Sleeps) -> None:
    now = [0.0]
    breaker = Breaker(failures=1, reset_after=10, clock=lambda: now[0])
    model = client(server, sleeps, policy=CallPolicy(call_budget=5.0, attempts=1), breaker=breaker)
    server.script = [Scripted(status=500), Scripted(status=500)]
    with pytest.raises(AssistUnavailable):
        await model.complete("s", "u", max_tokens=10)
    now[0] = 11.0
    with pytest.raises(AssistUnavailable, match="server_error"):
        await model.complete("s", "u", max_tokens=10)
    assert breaker.state == "open"


async def test_a_hanging_service_falls_back_within_the_budget(server: FakeOpenAI, sleeps: Sleeps) -> None:
    server.script = [Scripted(hang=True)] * 5
    policy = CallPolicy(connect_timeout=0.5, read_timeout=0.2, call_budget=0.6, attempts=5)
    started = time.monotonic()
    with pytest.raises(AssistUnavailable, match="timeout"):
        await client(server, sleeps, policy=policy).complete("s", "u", max_tokens=10)
    assert time.monotonic() - started < 3.0  # the budget (0.6 s) bounds it, with room for a slow machine


async def test_malformed_json_is_a_failure_not_a_crash(server: FakeOpenAI, sleeps: Sleeps) -> None:
    server.script = [Scripted(raw='{"choices": [ {"message": ')]
    with pytest.raises(AssistUnavailable, match="malformed"):
        await client(server, sleeps).complete("s", "u", max_tokens=10)
    assert len(server.received) == 1


async def test_an_answer_with_no_text_is_malformed(server: FakeOpenAI, sleeps: Sleeps) -> None:
    server.script = [Scripted(raw='{"id": "x", "object": "chat.completion", "choices": []}')]
    with pytest.raises(AssistUnavailable, match="malformed"):
        await client(server, sleeps).complete("s", "u", max_tokens=10)


async def test_nothing_listening_is_a_connection_failure(sleeps: Sleeps) -> None:
    down = FakeOpenAI()  # never started: port 0 is not listening
    down.port = 9  # discard port on loopback: refused
    model = client(down, sleeps, policy=CallPolicy(call_budget=2.0, attempts=2))
    with pytest.raises(AssistUnavailable, match="connection"):
        await model.complete("s", "u", max_tokens=10)


def _refusal(status: int, headers: dict[str, str]) -> openai.APIStatusError:
    request = httpx2.Request("POST", "http://127.0.0.1/v1/chat/completions")
    response = httpx2.Response(status, headers=headers, request=request)
    kind = openai.RateLimitError if status == 429 else openai.InternalServerError
    return kind("refused", response=response, body=None)


def test_retry_after_reads_seconds_milliseconds_and_dates() -> None:
    now = datetime(2026, 11, 2, 14, 30, tzinfo=UTC)
    assert retry_after_seconds(_refusal(429, {"Retry-After": "3"})) == 3.0
    assert retry_after_seconds(_refusal(503, {"retry-after-ms": "250"})) == 0.25
    date = format_datetime(now + timedelta(seconds=7), usegmt=True)
    assert retry_after_seconds(_refusal(429, {"Retry-After": date}), now=now) == 7.0
    assert retry_after_seconds(_refusal(500, {"Retry-After": "3"})) is None  # only 429 and 503
    assert retry_after_seconds(_refusal(429, {"Retry-After": "soon"})) is None
    assert retry_after_seconds(None) is None
