"""The session PostgreSQL server really works: connect, write, read back."""

from __future__ import annotations

import psycopg
import pytest

from tests.support.postgres import _with_dbname


def test_postgres_round_trip(postgres_url: str) -> None:
    assert postgres_url.startswith("postgresql://")
    with psycopg.connect(postgres_url, connect_timeout=10) as conn:
        conn.execute("DROP TABLE IF EXISTS fixture_probe")
        conn.execute("CREATE TABLE fixture_probe (id serial PRIMARY KEY, note text NOT NULL)")
        conn.execute("INSERT INTO fixture_probe (note) VALUES (%s)", ("reflective supervision £ ✓",))
        rows = conn.execute("SELECT id, note FROM fixture_probe").fetchall()
        conn.execute("DROP TABLE fixture_probe")
    assert rows == [(1, "reflective supervision £ ✓")]


def test_server_is_postgres_on_loopback(postgres_url: str) -> None:
    with psycopg.connect(postgres_url, connect_timeout=10) as conn:
        version = conn.execute("SHOW server_version_num").fetchone()
        encoding = conn.execute("SHOW server_encoding").fetchone()
    assert version is not None and int(version[0]) >= 130000
    assert encoding == ("UTF8",)


def test_fresh_database_is_empty_and_separate(postgres_url: str, postgres_db_url: str) -> None:
    assert postgres_db_url != postgres_url
    with psycopg.connect(postgres_db_url, connect_timeout=10) as conn:
        conn.execute("CREATE TABLE only_here (x int)")
    with psycopg.connect(postgres_url, connect_timeout=10) as conn:
        found = conn.execute("SELECT to_regclass('public.only_here')").fetchone()
    assert found == (None,)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://u@127.0.0.1:5432/db", "postgresql://u@127.0.0.1:5432/other"),
        ("postgresql://u@h:1/db?sslmode=disable", "postgresql://u@h:1/other?sslmode=disable"),
        ("postgresql://u@h:1", "postgresql://u@h:1/other"),
    ],
)
def test_with_dbname(url: str, expected: str) -> None:
    assert _with_dbname(url, "other") == expected
