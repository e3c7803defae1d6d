"""Layers point one way: every import between our packages follows an arrow of the picture.

    entry points   bot.cli  bot.server  bot.runtime  bot.records.cli  bot.reminders.loop
                      |  (compose everything below)
    surfaces       bot.adapters ---------> bot.service, bot.router, bot.turns, bot.config
                      |
    pipeline       bot.service  bot.router
                      |
    features       bot.records   bot.privacy -> bot.records   bot.reminders   bot.assist
                      |               (all of them -> storage, except assist)
    wording        bot.wording -> prompts/
                      |
    decisions      bot.engine -> supervision_models
                      |
    persistence    storage
                      |
    foundation     bot.core (values and the error tree; imports nothing of ours)
                   bot.errors (re-export of bot.core.errors)   bot.config   bot.turns

Read over the source with `ast`, like tests/engine/test_purity.py. Lazy imports inside
functions count: they are arrows all the same. `if TYPE_CHECKING:` imports count for the
arrows between layers, but not as cycles: a type hint that names its caller is how a module
below says what it is handed, and never runs.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
OURS = ("bot", "storage", "supervision_models", "prompts")
FOUNDATION = {"bot.core", "bot.errors"}

# Each package, and the packages of ours it may import (besides itself).
ALLOWED: dict[str, set[str]] = {
    "bot.core": set(),
    "supervision_models": set(),
    "prompts": set(),
    "bot.errors": {"bot.core"},
    "bot.keys": FOUNDATION,  # the key file the config falls back to
    "bot.config": FOUNDATION | {"bot.keys"},
    "bot.turns": FOUNDATION,
    "bot.logs": FOUNDATION,
    "bot.heap": set(),  # how a server's memory is collected
    "storage": {"bot.core"},
    "bot.engine": FOUNDATION | {"supervision_models"},
    "bot.wording": FOUNDATION | {"bot.engine", "bot.turns", "prompts"},
    "bot.assist": FOUNDATION
    | {"bot.config", "bot.engine", "bot.wording", "bot.turns", "supervision_models", "prompts"},
    "bot.records": FOUNDATION
    | {"bot.engine", "bot.wording", "bot.turns", "storage", "supervision_models", "prompts"},
    "bot.privacy": FOUNDATION | {"bot.records", "storage"},
    "bot.reminders": FOUNDATION | {"bot.engine", "bot.turns", "bot.wording", "storage"},
    "bot.service": FOUNDATION
    | {
        "bot.config",
        "bot.turns",
        "bot.logs",
        "bot.engine",
        "bot.wording",
        "bot.assist",
        "bot.records",
        "bot.privacy",
        "bot.reminders",
        "bot.router",
        "bot.outbox",
        "storage",
        "supervision_models",
        "prompts",
    },
    "bot.adapters": FOUNDATION
    | {"bot.config", "bot.logs", "bot.service", "bot.router", "bot.outbox", "bot.turns"},
}
ALLOWED["bot.router"] = ALLOWED["bot.service"] - {"bot.router"} | {"bot.service"}
# The outbox sends what the pipeline stored: the sending side of the pipeline layer.
ALLOWED["bot.outbox"] = FOUNDATION | {"bot.turns", "storage"}

# Composition roots: they wire everything together, so they may import anything of ours.
ENTRY_POINTS = {
    "bot",
    "bot.__main__",
    "bot.cli",
    "bot.server",
    "bot.runtime",
    "bot.records.cli",
    "bot.reminders.loop",
    "bot.operator",  # who ran a CLI command, tagged on its audit rows: used by the CLI alone
}

# Arrows that still point the wrong way, each with who is moving it. The test below fails
# when one of these is fixed and not taken off the list, so the list can only shrink.
PENDING: dict[tuple[str, str], str] = {}


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for top in ("bot", "storage", "supervision_models", "prompts"):
        for path in sorted((ROOT / top).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


MODULES = _modules()


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    """ids of the import nodes inside `if TYPE_CHECKING:` blocks."""
    inside: set[int] = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.If)
            and getattr(node.test, "id", getattr(node.test, "attr", None)) == "TYPE_CHECKING"
        ):
            for child in node.body:
                inside |= {id(n) for n in ast.walk(child)}
    return inside


def imports_of(path: Path, type_hints: bool = True) -> set[str]:
    """Every module of ours that `path` imports, anywhere in the file (with `type_hints`,
    also those only under `if TYPE_CHECKING:`)."""
    names: set[str] = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = set() if type_hints else _type_checking_nodes(tree)
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            submodules = {f"{node.module}.{alias.name}" for alias in node.names}
            real = submodules & MODULES.keys()
            names |= real
            if real != submodules:  # something other than a submodule: the module itself
                names.add(node.module)
    return {n for n in names if n.split(".")[0] in OURS}


def package_of(module: str) -> str:
    """The layer a module belongs to: `bot.X` for the bot, the top package otherwise."""
    parts = module.split(".")
    if parts[0] == "bot" and len(parts) > 1:
        return f"bot.{parts[1]}"
    return parts[0]


def violations() -> dict[tuple[str, str], str]:
    found: dict[tuple[str, str], str] = {}
    for module, path in MODULES.items():
        if module in ENTRY_POINTS:
            continue
        source = package_of(module)
        if source not in ALLOWED:
            found[(module, source)] = "a package the picture does not know: add it to ALLOWED"
            continue
        for target in imports_of(path):
            layer = package_of(target)
            if layer != source and layer not in ALLOWED[source]:
                found[(module, layer)] = target
    return found


def test_every_import_follows_an_arrow_of_the_picture() -> None:
    unexpected = {edge: target for edge, target in violations().items() if edge not in PENDING}
    assert not unexpected, "\n".join(f"{m} -> {t}" for (m, _), t in sorted(unexpected.items()))


def test_pending_arrows_are_still_real() -> None:
    """Once a pending arrow is fixed, take it off PENDING so it cannot come back."""
    fixed = set(PENDING) - set(violations())
    assert not fixed, f"fixed, remove from PENDING: {sorted(fixed)}"


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        ("bot.core", {"bot", "storage", "supervision_models", "prompts"}),
        ("storage", {"bot"}),
        ("bot.config", {"storage"}),
        ("bot.records", {"bot.service", "bot.router", "bot.adapters"}),
        ("bot.privacy", {"bot.service", "bot.adapters", "sqlalchemy", "storage.tables"}),
        ("bot.reminders", {"bot.adapters"}),
    ],
)
def test_named_arrows_of_the_issue(package: str, forbidden: set[str]) -> None:
    """The arrows issue 17 names, spelled out (storage may import only bot.core)."""
    bad = []
    for module, path in MODULES.items():
        if module in ENTRY_POINTS or not (module == package or module.startswith(package + ".")):
            continue
        for name in _all_imports(path):
            if name.startswith("bot.core") and package in {"storage", "bot.core"}:
                continue
            if any(name == f or name.startswith(f + ".") for f in forbidden):
                bad.append(f"{module} -> {name}")
    assert not bad, "\n".join(bad)


def test_only_storage_touches_the_database() -> None:
    """DESIGN.md: only `storage` touches the database (no SQLAlchemy or driver elsewhere)."""
    drivers = {"sqlalchemy", "alembic", "aiosqlite", "psycopg", "sqlite3", "asyncpg"}
    bad = [
        f"{module} -> {name}"
        for module, path in MODULES.items()
        if not module.startswith("storage")
        for name in _all_imports(path)
        if name.split(".")[0] in drivers
    ]
    assert not bad, "\n".join(bad)


def _all_imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_no_import_cycles_between_our_modules() -> None:
    graph: dict[str, set[str]] = defaultdict(set)
    for module, path in MODULES.items():
        graph[module] = {t for t in imports_of(path, type_hints=False) if t in MODULES and t != module}
    cycles = _cycles(graph)
    assert not cycles, "\n".join(" -> ".join(c) for c in cycles)


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_checks_catch_what_they_should(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from typing import TYPE_CHECKING\n"
        "from storage.repository import Store\n"
        "def f():\n    from bot.service import owner_of\n"
        "if TYPE_CHECKING:\n    from bot.records.people import Directory\n"
    )
    assert imports_of(sample) == {"storage.repository", "bot.service", "bot.records.people"}
    assert imports_of(sample, type_hints=False) == {"storage.repository", "bot.service"}
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert package_of("bot.adapters.slack.app") == "bot.adapters"
