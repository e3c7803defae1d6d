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
import importlib
import os
import socket
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from storage.audit_tags import tag_audit_rows

_operator: ContextVar[dict[str, str] | None] = ContextVar("cli_operator", default=None)


def os_user() -> str:
    """The login running this process (getpass: LOGNAME, USER, LNAME, USERNAME, then the uid)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container's arbitrary uid)
        return f"uid:{os.getuid()}" if hasattr(os, "getuid") else "unknown"


def operator() -> dict[str, str]:
    return {"os_user": os_user(), "host": socket.gethostname()}


def _current() -> tuple[str, dict[str, str]] | None:
    who = _operator.get()
    return None if who is None else ("cli", who)


@contextlib.contextmanager
def cli_operator() -> Iterator[dict[str, str]]:
    """While inside, every audit row written (in this context and the tasks it starts) names
    the OS user and host that ran the command."""
    tag_audit_rows(_current)
    who = operator()
    token = _operator.set(who)
    try:
        yield who
    finally:
        _operator.reset(token)


# ---------------------------------------------------------------- registered operators


def operator_identity() -> str:
    """The chat-style identity of the OS user, to register with `reflect people add-identity`."""
    return f"cli:local:{os_user()}"


def _claimed_as() -> str | None:
    """The running command's --as value, from click's context stack (Typer's; newer Typer
    versions ship click inside as typer._click)."""
    for name in ("click", "typer._click.globals"):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        context = module.get_current_context(silent=True)
        value = context.params.get("as_") if context is not None else None
        return value if isinstance(value, str) else None
    return None


async def require_registered_operator(runtime: Any) -> None:
    """With REFLECT_CLI_REQUIRE_REGISTERED=true, a records or privacy command runs only for an
    OS user registered as a person (`reflect people add-identity PERSON cli:local:LOGIN`), and
    `--as`, when given, must be that same person. Until anyone is registered (bootstrapping
    the first admin) the rule cannot apply and commands run as before."""
    if not runtime.settings.cli_require_registered:
        return
    from bot.errors import AccessDenied
    from bot.records.people import load_directory

    claimed = _claimed_as()
    async with runtime.store.read() as tx:
        directory = await load_directory(tx.people)
    if not directory.snapshot.people:
        return
    identity = operator_identity()
    person = directory.resolve(identity)
    if person is None:
        raise AccessDenied(
            "operator not registered",
            user_message=f"This council requires command-line operators to be registered people: "
            f"ask an admin to run `reflect people add-identity <you> {identity}`.",
        )
    if claimed and directory.resolve(claimed) != person:
        raise AccessDenied(
            "operator is not --as",
            user_message=f"--as {claimed} is not you: the login {os_user()} is registered as {person}.",
        )


__all__ = ["cli_operator", "operator", "operator_identity", "os_user", "require_registered_operator"]
