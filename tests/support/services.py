"""One rule for tests that need an outside service (PostgreSQL, Slack mock, Teams Playground,
Chromium, LibreOffice, ...): locally a missing service skips the test; in CI it fails it.

CI means ``CI=true`` (or ``1``/``yes``) or ``REFLECT_TEST_REQUIRE_SERVICES=1``. ``.ci/run`` sets
both. ``tests/conftest.py`` also turns any other skip into a failure in CI.

Use it from a test or fixture::

    from tests.support.services import require_command, require_service

    soffice = require_command("soffice", "libreoffice", reason="LibreOffice renders .docx to PDF")
    if not playground_ready:
        require_service("Microsoft 365 Agents Playground did not start: ...")
"""

from __future__ import annotations

import os
import shutil
from typing import NoReturn

import pytest

REQUIRE_ENV = "REFLECT_TEST_REQUIRE_SERVICES"
_TRUTHY = {"1", "true", "yes", "on"}


def services_required() -> bool:
    """True in CI, where a missing service is a failure, not a skip."""
    ci = os.environ.get("CI", "").strip().lower() in _TRUTHY
    forced = os.environ.get(REQUIRE_ENV, "").strip().lower() in _TRUTHY
    return ci or forced


def require_service(reason: str) -> NoReturn:
    """Stop the current test because a service is missing: skip locally, fail in CI."""
    if services_required():
        pytest.fail(
            f"required service unavailable (CI / {REQUIRE_ENV}=1 forbids skipping): {reason}",
            pytrace=False,
        )
    pytest.skip(reason)


def require_command(*names: str, reason: str) -> str:
    """Return the path of the first of ``names`` found on PATH, or ``require_service(...)``."""
    for name in names:
        path = shutil.which(name)
        if path:
            return path
    require_service(f"{reason} (none of {', '.join(names)} on PATH)")
