"""Session-wide fixtures and the CI rule "no test may be skipped".

Fixtures:
* ``postgres_url`` (session): URL ``postgresql://USER@127.0.0.1:PORT/DB`` of a throwaway server
  (or of ``REFLECT_TEST_DATABASE_URL_PG``). Tests using it get the ``postgres`` marker.
* ``postgres_db_url`` (function): a fresh, empty database on that server, dropped afterwards.

In CI (``CI=true`` or ``REFLECT_TEST_REQUIRE_SERVICES=1``) a missing service fails the test, and
any skip, however raised, makes the run fail. Locally such tests are skipped.
"""

from __future__ import annotations

import contextlib
from collections.abc import Generator, Iterator

import pytest

from tests.support.postgres import PostgresUnavailable, fresh_database, start_postgres
from tests.support.services import REQUIRE_ENV, require_service, services_required

_COLLECTION_SKIPS = pytest.StashKey[list[str]]()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    with contextlib.ExitStack() as stack:
        problem = ""
        try:
            url = stack.enter_context(start_postgres())
        except PostgresUnavailable as exc:
            problem = str(exc)
        if problem:  # outside the except block, so the report shows no chained traceback
            require_service(f"PostgreSQL unavailable: {problem}")
        yield url


@pytest.fixture
def postgres_db_url(postgres_url: str) -> Iterator[str]:
    with fresh_database(postgres_url) as url:
        yield url


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_COLLECTION_SKIPS] = []


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "postgres_url" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.postgres)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if report.skipped and not hasattr(report, "wasxfail") and services_required():
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped in CI ({REQUIRE_ENV}=1 / CI=true forbid skips): {reason}"
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(
    collector: pytest.Collector,
) -> Generator[None, pytest.CollectReport, pytest.CollectReport]:
    # Module-level skips (pytest.importorskip, allow_module_level=True) happen at collection and
    # cannot become failures without aborting the whole run; they are counted here instead and
    # fail the run at the end (see pytest_sessionfinish).
    report = yield
    if report.skipped:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        collector.config.stash[_COLLECTION_SKIPS].append(f"{report.nodeid}: {reason}")
    return report


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    skips = config.stash.get(_COLLECTION_SKIPS, [])
    if skips and services_required():
        terminalreporter.section("skipped at collection: a failure in CI", red=True)
        for line in skips:
            terminalreporter.line(line)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if services_required() and session.config.stash.get(_COLLECTION_SKIPS, []) and exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(autouse=True)
def _fresh_structlog() -> Iterator[None]:
    """Some tests run the CLI in-process, which points structlog at a stream that pytest later
    closes; every test starts from structlog's defaults instead."""
    import structlog

    structlog.reset_defaults()
    yield
    structlog.reset_defaults()
