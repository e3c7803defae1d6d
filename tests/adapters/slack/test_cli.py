"""`reflect serve` and `reflect slack-socket` as an operator runs them: real processes."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp
import pytest

from tests.adapters.slack.driver import APP_TOKEN, BOT_TOKEN, SECRET
from tests.support import slack_requests as sr
from tests.support.slack_mock import SlackMock

pytestmark = pytest.mark.timeout(120)


def _env(tmp_path: Path, **values: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "MICROSOFT_", "REFLECT_", "OPENAI_"))
    }
    env.update(REFLECT_DATABASE_URL=f"sqlite:///{tmp_path}/cli.db", REFLECT_LOG_FORMAT="console", **values)
    return env


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@asynccontextmanager
async def reflect(*args: str, env: dict[str, str]) -> AsyncIterator[asyncio.subprocess.Process]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        yield process
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def _wait_until_serving(url: str, process: asyncio.subprocess.Process) -> None:
    async with aiohttp.ClientSession() as http:
        for _ in range(300):  # readiness poll: the process needs a moment to migrate and bind
            assert process.returncode is None, (
                (await process.stderr.read()).decode() if process.stderr else ""
            )
            try:
                async with http.get(url) as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientConnectionError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError("reflect serve did not start")


async def test_serve_without_a_platform_serves_healthz_and_warns(tmp_path: Path) -> None:
    port = _free_port()
    async with reflect("serve", "--port", str(port), env=_env(tmp_path)) as process:
        await _wait_until_serving(f"http://127.0.0.1:{port}/healthz", process)
        process.send_signal(signal.SIGTERM)
        _, err = await process.communicate()
    assert process.returncode == 0
    assert "no chat platform is configured" in err.decode()


async def test_serve_mounts_slack_on_one_url(tmp_path: Path) -> None:
    port = _free_port()
    async with SlackMock(bot_token=BOT_TOKEN, app_token=APP_TOKEN) as mock:
        env = _env(
            tmp_path, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=mock.base_url
        )
        async with reflect("serve", "--port", str(port), env=env) as process:
            await _wait_until_serving(f"http://127.0.0.1:{port}/healthz", process)
            body, headers = sr.signed_event(sr.message_event("reflect"), SECRET)
            async with aiohttp.ClientSession() as http:
                async with http.post(
                    f"http://127.0.0.1:{port}/slack/events", data=body, headers=headers
                ) as r:
                    assert r.status == 200
                forged = sr.signed_event(sr.message_event("reflect"), SECRET, forged=True)
                async with http.post(
                    f"http://127.0.0.1:{port}/slack/events", data=forged.body, headers=forged.headers
                ) as r:
                    assert r.status == 401
            [posted, _] = await mock.wait_for_calls("chat.postMessage", 2, timeout=20)
            assert posted.params["channel"] == sr.DM_CHANNEL_ID
            process.send_signal(signal.SIGTERM)
            await process.communicate()
        assert process.returncode == 0


async def test_slack_socket_connects_and_stops_cleanly(tmp_path: Path) -> None:
    async with SlackMock(bot_token=BOT_TOKEN, app_token=APP_TOKEN) as mock:
        env = _env(
            tmp_path, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_APP_TOKEN=APP_TOKEN, SLACK_API_URL=mock.base_url
        )
        async with reflect("slack-socket", env=env) as process:
            await mock.wait_for_socket(timeout=30)
            envelope = await mock.push_envelope("events_api", sr.message_event("reflect"))
            await mock.wait_for_ack(envelope, timeout=20)
            await mock.wait_for_calls("chat.postMessage", 2, timeout=20)
            process.send_signal(signal.SIGTERM)
            _, err = await process.communicate()
        assert process.returncode == 0, err.decode()


def _run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # A real process: the CLI configures logging for the whole interpreter.
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], env=env, capture_output=True, text=True, timeout=60, check=False
    )


def test_slack_socket_refuses_kindly_without_an_app_token(tmp_path: Path) -> None:
    result = _run("slack-socket", env=_env(tmp_path, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SECRET))
    assert result.returncode == 2
    assert "SLACK_APP_TOKEN" in result.stderr and "xapp-" in result.stderr
    assert BOT_TOKEN not in result.stderr + result.stdout


def test_serve_refuses_unsafe_settings(tmp_path: Path) -> None:
    result = _run("serve", env=_env(tmp_path, SLACK_BOT_TOKEN=BOT_TOKEN))
    assert result.returncode == 2 and "SLACK_SIGNING_SECRET" in result.stderr
