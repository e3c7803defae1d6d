"""Encryption at rest is always on: with no key configured the first start writes one to the
data folder (mode 0600), says so without saying the key, and nothing reaches the database in
plaintext. Production needs a key it was given."""

from __future__ import annotations

import io
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import structlog
from sqlalchemy import text

from bot import keys
from bot.config import Settings, load_settings
from bot.errors import ConfigError
from bot.logs import configure_logging
from bot.runtime import open_runtime
from bot.turns import ConversationKey, Incoming
from storage.crypto import FieldCipher, cipher_of

CANARY = "CANARY-7d1e-orange-heron"


def settings(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture
def log_stream() -> io.StringIO:
    stream = io.StringIO()
    configure_logging("INFO", "json", stream=stream)
    yield stream
    structlog.reset_defaults()


async def test_the_first_start_creates_a_private_key_file_and_nothing_is_stored_in_plaintext(
    tmp_path: Path, log_stream: io.StringIO
) -> None:
    s = settings(database_url=f"sqlite:///{tmp_path}/reflect.db")
    async with open_runtime(s) as runtime:
        key_file = tmp_path / keys.KEY_FILE_NAME
        assert key_file.exists()
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
        key = key_file.read_text().strip()
        assert cipher_of(runtime.store.engine.sync_engine.dialect).enabled
        who = ConversationKey("console", "local", "console", "worker-1")
        for line in ("reflect", "HX-4242", "1", f"The kitchen: {CANARY}, and the smell of damp."):
            await runtime.service.handle(Incoming(key=who, text=line))
        async with runtime.store.connection() as conn:
            stored = list((await conn.execute(text("SELECT text FROM answers"))).scalars())
        assert stored and all(value.startswith("enc:v1:") for value in stored)
    for path in tmp_path.glob("reflect.db*"):
        assert CANARY.encode() not in path.read_bytes(), path.name
    output = log_stream.getvalue()
    assert "encryption.key_created" in output and str(key_file) in output
    assert key not in output

    # The next start reads the same key: what was stored stays readable.
    log_stream.truncate(0)
    async with open_runtime(s) as runtime:
        assert key_file.read_text().strip() == key
        async with runtime.store.read() as tx:
            conversation = await tx.load_conversation(who.as_str())
            assert conversation is not None and conversation.active_session_id is not None
            session = await tx.load_session(conversation.active_session_id)
        assert session is not None and any(CANARY in a.text for a in session.answers)
    assert "encryption.key_created" not in log_stream.getvalue()


def test_processes_starting_together_agree_on_one_key(tmp_path: Path) -> None:
    s = settings(database_url=f"sqlite:///{tmp_path}/data/reflect.db")
    found: list[str] = []
    threads = [threading.Thread(target=lambda: found.append(s.encryption_keys())) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(found) == 12 and len(set(found)) == 1
    assert [p.name for p in (tmp_path / "data").iterdir()] == [keys.KEY_FILE_NAME]  # no temporary left
    assert stat.S_IMODE((tmp_path / "data").stat().st_mode) == 0o700


def test_where_the_key_comes_from(tmp_path: Path) -> None:
    given = FieldCipher.generate_key()
    assert (
        settings(database_url=f"sqlite:///{tmp_path}/a.db", encryption_key=given).encryption_keys() == given
    )
    assert not (tmp_path / keys.KEY_FILE_NAME).exists()

    secret = tmp_path / "secret"
    secret.write_text(given + "\n")
    secret.chmod(0o600)
    from_file = settings(database_url=f"sqlite:///{tmp_path}/b.db", encryption_key_file=str(secret))
    assert from_file.encryption_keys() == given and from_file.problems() == []

    elsewhere = settings(
        database_url="postgresql://u@db/reflect", data_dir=str(tmp_path / "volume")
    ).encryption_keys()
    assert (tmp_path / "volume" / keys.KEY_FILE_NAME).read_text().strip() == elsewhere

    memory = settings(database_url="sqlite+aiosqlite://")
    assert keys.data_dir(memory) is None and FieldCipher.from_setting(memory.encryption_keys()).enabled
    assert keys.data_dir(settings()) == Path("data")


def test_a_broken_key_file_is_a_configuration_problem(tmp_path: Path) -> None:
    bad = tmp_path / "secret"
    bad.write_text("not-a-key")
    s = settings(database_url=f"sqlite:///{tmp_path}/a.db", encryption_key_file=str(bad))
    assert any("does not hold a valid key" in p for p in s.problems())
    with pytest.raises(ConfigError):
        s.encryption_keys()
    (tmp_path / keys.KEY_FILE_NAME).write_text("garbage")
    with pytest.raises(ConfigError):
        settings(database_url=f"sqlite:///{tmp_path}/a.db").encryption_keys()


def test_production_needs_a_key_it_was_given_and_https_endpoints(tmp_path: Path) -> None:
    base = {
        "env": "production",
        "database_url": "postgresql://u@db/reflect",
        "slack_bot_token": "xoxb-test",
        "slack_signing_secret": "s",
    }
    problems = settings(**base).problems()
    assert any("REFLECT_ENCRYPTION_KEY is required in production" in p for p in problems)
    secret = tmp_path / "secret"
    secret.write_text(FieldCipher.generate_key())
    assert settings(**base, encryption_key_file=str(secret)).problems() == []
    key = FieldCipher.generate_key()
    for url in ["http://ai.internal/v1", "HTTP://ai.internal/v1", " http://ai.internal/v1", "ai.internal/v1"]:
        found = settings(**base, encryption_key=key, llm_model="m", openai_base_url=url).problems()
        assert any("OPENAI_BASE_URL must use https" in p for p in found), url
    assert (
        settings(
            **base, encryption_key=key, llm_model="m", openai_base_url="https://ai.internal/v1"
        ).problems()
        == []
    )
    found = settings(**base, encryption_key=key, slack_api_url="http://127.0.0.1:9/api/").problems()
    assert any("SLACK_API_URL must use https" in p for p in found)


def test_a_malformed_setting_is_named_but_its_value_never_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REFLECT_MAX_ANSWER_CHARS", "sk-live-0123456789abcdef")
    monkeypatch.setenv("REFLECT_TEAMS_ALLOW_ANONYMOUS", "Kayden Marsh")
    with pytest.raises(ConfigError) as raised:
        load_settings()
    message = str(raised.value)
    assert "REFLECT_MAX_ANSWER_CHARS" in message and "REFLECT_TEAMS_ALLOW_ANONYMOUS" in message
    assert "sk-live" not in message and "Kayden" not in message


def test_reflect_chat_on_a_fresh_folder_encrypts(tmp_path: Path) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "MICROSOFT_", "OPENAI_", "REFLECT_"))
    }
    env["REFLECT_DATABASE_URL"] = f"sqlite:///{tmp_path}/data/reflect.db"
    done = subprocess.run(
        [sys.executable, "-m", "bot", "chat", "--user", "worker-1"],
        input=f"reflect\nHX-5151\n1\nThe child said {CANARY}\ncancel\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    key_file = tmp_path / "data" / keys.KEY_FILE_NAME
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert key_file.read_text().strip() not in done.stderr + done.stdout
    for path in (tmp_path / "data").glob("reflect.db*"):
        assert CANARY.encode() not in path.read_bytes(), path.name


def test_text_stored_before_a_key_existed_is_encrypted_by_rotate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import asyncio
    import sqlite3

    from typer.testing import CliRunner

    from bot.cli import app

    db = tmp_path / "old.db"

    async def before_this_change() -> None:  # no key: plaintext, as an older release stored it
        from bot.service import ReflectionService
        from storage.database import create_engine
        from storage.migrate import upgrade
        from storage.repository import Store

        engine = create_engine(f"sqlite:///{db}")
        await upgrade(engine)
        store = Store(engine)
        service = ReflectionService(store)
        who = ConversationKey("console", "local", "console", "worker-1")
        for line in ("reflect", "HX-4343", "1", f"Old words: {CANARY}"):
            await service.handle(Incoming(key=who, text=line))
        await store.close()

    asyncio.run(before_this_change())
    with sqlite3.connect(db) as conn:
        assert any(CANARY in row[0] for row in conn.execute("SELECT text FROM answers"))
    monkeypatch.setenv("REFLECT_DATABASE_URL", f"sqlite:///{db}")
    monkeypatch.setenv("REFLECT_LOG_LEVEL", "WARNING")
    result = CliRunner().invoke(app, ["keys", "rotate"])
    assert result.exit_code == 0, result.output
    with sqlite3.connect(db) as conn:
        stored = [row[0] for row in conn.execute("SELECT text FROM answers")]
    assert stored and all(value.startswith("enc:v1:") for value in stored)
