"""Seeded mutation of JSON-shaped payloads, for the fuzz tests of the Slack and Teams endpoints.

`Mutator(seed).mutate(payload)` returns a deep copy with one to three changes anywhere in the
tree: a field removed, a value of the wrong type, an extra field, a lone surrogate in a
string, a huge string, a list where an object was (and the reverse). The same seed gives the
same sequence, so a failure is reproduced by rerunning with the seed the test prints.

Counts: `fuzz_count(default)` reads REFLECT_FUZZ_SCALE (default 1; `make fuzz` sets 10) and
REFLECT_FUZZ_SEED (default fixed), so the suite stays fast and `make fuzz` goes ten times as far.
"""

from __future__ import annotations

import contextlib
import copy
import io
import logging
import os
import random
from collections.abc import Iterator
from typing import Any

import structlog
from sqlalchemy import text

from bot.logs import configure_logging
from storage.repository import Store

LONE_SURROGATE = "\ud800"
HUGE = 300_000  # characters: well under the server's 1 MiB body limit
Path = tuple[Any, ...]


def fuzz_scale() -> int:
    try:
        return max(1, int(os.environ.get("REFLECT_FUZZ_SCALE", "1")))
    except ValueError:
        return 1


def fuzz_count(default: int) -> int:
    return default * fuzz_scale()


def fuzz_seed(default: int = 14) -> int:
    try:
        return int(os.environ.get("REFLECT_FUZZ_SEED", str(default)))
    except ValueError:
        return default


def paths(tree: Any, prefix: Path = ()) -> list[Path]:
    """Every path to a value inside `tree` (dict keys and list indexes), depth first."""
    found: list[Path] = []
    if isinstance(tree, dict):
        for key, value in tree.items():
            found.append((*prefix, key))
            found.extend(paths(value, (*prefix, key)))
    elif isinstance(tree, list):
        for index, value in enumerate(tree):
            found.append((*prefix, index))
            found.extend(paths(value, (*prefix, index)))
    return found


def _parent(tree: Any, path: Path) -> Any:
    for step in path[:-1]:
        tree = tree[step]
    return tree


class Mutator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def junk(self) -> Any:
        rng = self.rng
        choice = rng.randrange(16)
        return [
            None,
            0,
            -1,
            2**63,
            1.5,
            True,
            "",
            " ",
            LONE_SURROGATE,
            f"a{LONE_SURROGATE}b",
            "x" * rng.choice([1, 300, HUGE]),
            [],
            [None],
            {},
            {"id": 7, "type": ["x"]},
            "<@U0OTHER01> &amp; <https://x.test|x>",
        ][choice]

    def swap_type(self, value: Any) -> Any:
        if isinstance(value, dict):
            return list(value.values()) if self.rng.random() < 0.5 else str(value)
        if isinstance(value, list):
            return {str(i): v for i, v in enumerate(value)} if self.rng.random() < 0.5 else len(value)
        if isinstance(value, str):
            return self.rng.choice(
                [len(value), [value], {"text": value}, None, value.encode("utf-8", "surrogatepass").hex()]
            )
        if isinstance(value, bool | int | float):
            return str(value)
        return self.junk()

    def mutate(self, payload: Any, changes: int | None = None) -> Any:
        tree = copy.deepcopy(payload)
        for _ in range(changes or self.rng.choice([1, 1, 2, 3])):
            tree = self._one(tree)
        return tree

    def _one(self, tree: Any) -> Any:
        rng = self.rng
        where = paths(tree)
        if not where:
            return self.junk() if rng.random() < 0.5 else tree
        path = rng.choice(where)
        parent = _parent(tree, path)
        key = path[-1]
        op = rng.randrange(6)
        if op == 0:  # remove
            if isinstance(parent, dict):
                del parent[key]
            else:
                parent.pop(key)
        elif op == 1:  # wrong type
            parent[key] = self.swap_type(parent[key])
        elif op == 2:  # junk value
            parent[key] = self.junk()
        elif op == 3:  # an extra field beside it
            if isinstance(parent, dict):
                parent[rng.choice(["extra", "type", "id", "user", "channel", "view", "team"]) + "_x"] = (
                    self.junk()
                )
            else:
                parent.append(self.junk())
        elif op == 4:  # a lone surrogate or a huge string inside a string
            value = parent[key]
            if isinstance(value, str):
                parent[key] = value + (LONE_SURROGATE if rng.random() < 0.6 else "y" * HUGE)
            else:
                parent[key] = LONE_SURROGATE
        else:  # an empty container, or null
            parent[key] = rng.choice([None, {}, [], ""])
        return tree


def set_path(tree: Any, path: Path, value: Any) -> Any:
    """A deep copy of `tree` with the value at `path` replaced (or removed when value is ...)."""
    tree = copy.deepcopy(tree)
    parent = _parent(tree, path)
    if value is ...:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return tree


class Records(logging.Handler):
    """Every standard-library log record, before any formatting."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def bad(self) -> list[str]:
        return [
            f"{r.name} {r.levelname} {r.getMessage()[:200]}"
            for r in self.records
            if r.levelno >= logging.ERROR or r.exc_info or r.exc_text
        ]


@contextlib.contextmanager
def captured_logs() -> Iterator[tuple[io.StringIO, Records]]:
    """Our JSON logs in a stream, and every standard-library record, while a fuzz run lasts."""
    stream = io.StringIO()
    configure_logging("INFO", "json", stream=stream)
    records = Records()
    root = logging.getLogger()
    root.addHandler(records)
    try:
        yield stream, records
    finally:
        root.removeHandler(records)
        structlog.reset_defaults()


async def stored_rows(store: Store) -> dict[str, int]:
    """Rows per table, to show a request stored nothing (the start-up purge's own audit aside)."""
    counts: dict[str, int] = {}
    async with store.connection() as conn:
        names = (await conn.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))).scalars()
        for name in list(names):
            if name.startswith(("sqlite_", "alembic")):
                continue
            where = " WHERE action != 'purged'" if name == "audit_events" else ""
            query = text(f'SELECT count(*) FROM "{name}"{where}')
            counts[name] = (await conn.execute(query)).scalar_one()
    return counts
