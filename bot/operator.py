"""Who ran a `reflect` command: the operating-system user, beside the `--as` identity.

`reflect export --as worker-b` is checked against worker-b's roles like a chat request, but
`--as` is only what the operator typed. So every audit row a command-line process writes also
carries the login that ran it and the host, in the row's detail:
`"cli": {"os_user": "jsmith", "host": "records-01"}`. The audit module is not asked to know:
an insert hook on the audit table's rows adds it to each row written while a command runs
inside `with cli_operator():` (the records and privacy commands; never `reflect serve`).
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import socket
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from sqlalchemy import event

from storage.tables import AuditEventRow

_installed = False
_operator: ContextVar[dict[str, str] | None] = ContextVar("cli_operator", default=None)


def os_user() -> str:
    """The login running this process (getpass: LOGNAME, USER, LNAME, USERNAME, then the uid)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container's arbitrary uid)
        return f"uid:{os.getuid()}" if hasattr(os, "getuid") else "unknown"


def operator() -> dict[str, str]:
    return {"os_user": os_user(), "host": socket.gethostname()}


def _add_operator(_mapper: Any, _connection: Any, row: AuditEventRow) -> None:
    who = _operator.get()
    if who is None:
        return
    try:
        detail = json.loads(row.detail) if row.detail else {}
    except ValueError:
        detail = {"detail": row.detail}
    if not isinstance(detail, dict):
        detail = {"detail": detail}
    detail["cli"] = who
    row.detail = json.dumps(detail, sort_keys=True, default=str)


def _install() -> None:
    global _installed
    if not _installed:
        event.listen(AuditEventRow, "before_insert", _add_operator)
        _installed = True


@contextlib.contextmanager
def cli_operator() -> Iterator[dict[str, str]]:
    """While inside, every audit row written (in this context and the tasks it starts) names
    the OS user and host that ran the command."""
    _install()
    who = operator()
    token = _operator.set(who)
    try:
        yield who
    finally:
        _operator.reset(token)


__all__ = ["cli_operator", "operator", "os_user"]
