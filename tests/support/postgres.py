"""A throwaway PostgreSQL server for the test session.

``start_postgres()`` is a context manager that yields a URL of the form
``postgresql://USER@127.0.0.1:PORT/DBNAME`` and removes every trace of the server on exit.

* If ``REFLECT_TEST_DATABASE_URL_PG`` is set, that server is used as is (nothing is started or
  stopped).
* Otherwise ``initdb`` and ``pg_ctl`` are looked up on ``PATH`` and in
  ``/usr/lib/postgresql/*/bin`` (newest first), a cluster is created in a temporary directory,
  and a server is started that listens on 127.0.0.1 only (its Unix socket lives in the temporary
  directory), trusts local connections and skips fsync for speed.
* ``initdb`` refuses to run as root, so when the tests run as root the server runs as the
  ``postgres`` system user, or as a ``reflecttest`` system user created with ``useradd``.

Anything that prevents the server from starting raises ``PostgresUnavailable``; the
``postgres_url`` fixture in ``tests/conftest.py`` turns that into a skip locally and a failure in
CI (see ``tests/support/services.py``).
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

EXTERNAL_URL_ENV = "REFLECT_TEST_DATABASE_URL_PG"
DB_SUPERUSER = "reflect"
DB_NAME = "reflect_test"
FALLBACK_OS_USER = "reflecttest"
START_TIMEOUT_S = 60
START_ATTEMPTS = 3


class PostgresUnavailable(RuntimeError):
    """PostgreSQL could not be found or started; the message says why."""


@dataclass(frozen=True)
class _Binaries:
    initdb: str
    pg_ctl: str


@dataclass(frozen=True)
class _RunAs:
    """The OS account that owns and runs the server (``None`` fields: the current user)."""

    name: str | None = None
    uid: int | None = None
    gid: int | None = None

    @property
    def switches(self) -> bool:
        return self.uid is not None


def find_binaries() -> _Binaries:
    """Find ``initdb`` and ``pg_ctl`` from one installation, or raise ``PostgresUnavailable``."""
    candidates: list[Path] = []
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(on_path).resolve().parent)
        candidates.append(Path(on_path).parent)

    def version_key(path: str) -> tuple[int, ...]:
        match = re.search(r"/postgresql/(\d+)(?:\.(\d+))?/", path + "/")
        return tuple(int(g) for g in match.groups() if g) if match else (0,)

    installed = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=version_key, reverse=True)
    candidates.extend(Path(found) for found in installed)
    for bindir in candidates:
        initdb, pg_ctl = bindir / "initdb", bindir / "pg_ctl"
        if os.access(initdb, os.X_OK) and os.access(pg_ctl, os.X_OK):
            return _Binaries(str(initdb), str(pg_ctl))
    raise PostgresUnavailable(
        "PostgreSQL server binaries (initdb, pg_ctl) not found on PATH or in /usr/lib/postgresql/*/bin; "
        "install them (Debian: apt-get install -y postgresql) or set "
        f"{EXTERNAL_URL_ENV}=postgresql://USER@HOST:PORT/DB"
    )


def _run_as_account() -> _RunAs:
    """Pick the account the server runs as: the current one, unless we are root."""
    if os.geteuid() != 0:
        return _RunAs()
    for name in ("postgres", FALLBACK_OS_USER):
        with contextlib.suppress(KeyError):
            entry = pwd.getpwnam(name)
            if entry.pw_uid != 0:
                return _RunAs(entry.pw_name, entry.pw_uid, entry.pw_gid)
    useradd = shutil.which("useradd") or "/usr/sbin/useradd"
    result = subprocess.run(
        [
            useradd,
            "--system",
            "--user-group",
            "--no-create-home",
            "--home-dir",
            "/nonexistent",
            "--shell",
            "/usr/sbin/nologin",
            FALLBACK_OS_USER,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    try:  # another session may have created it at the same moment, so look it up either way
        entry = pwd.getpwnam(FALLBACK_OS_USER)
    except KeyError:
        raise PostgresUnavailable(
            "running as root, no 'postgres' user, and could not create "
            f"'{FALLBACK_OS_USER}' with useradd: {result.stderr.strip() or result.returncode}"
        ) from None
    return _RunAs(entry.pw_name, entry.pw_uid, entry.pw_gid)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run(cmd: list[str], account: _RunAs, cwd: Path, timeout: float) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin"),
        "HOME": str(cwd),
        "LC_ALL": "C",
        "LANG": "C",
        "TZ": "UTC",
    }
    try:
        return subprocess.run(
            cmd,
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            stdin=subprocess.DEVNULL,
            user=account.uid,
            group=account.gid,
            extra_groups=[] if account.switches else None,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise PostgresUnavailable(f"could not run {cmd[0]}: {exc}") from exc


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no server log)"


def _server_conf(port: int, socket_dir: Path) -> str:
    return "\n".join(
        [
            "# written by tests/support/postgres.py",
            "listen_addresses = '127.0.0.1'",
            f"port = {port}",
            f"unix_socket_directories = '{socket_dir}'",
            "fsync = off",
            "synchronous_commit = off",
            "full_page_writes = off",
            "max_connections = 100",
            "shared_buffers = 64MB",
            "logging_collector = off",
            "log_min_messages = warning",
            "timezone = 'UTC'",
            "",
        ]
    )


HBA_CONF = """\
# written by tests/support/postgres.py: a throwaway loopback-only test server
local   all   all                  trust
host    all   all   127.0.0.1/32   trust
"""


def _create_database(admin_url: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(admin_url, autocommit=True, connect_timeout=10) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _drop_database(admin_url: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(admin_url, autocommit=True, connect_timeout=10) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _with_dbname(url: str, dbname: str) -> str:
    """Replace the database name of a ``postgresql://`` URL (keeping any query string)."""
    head, sep, query = url.partition("?")
    base = head.rsplit("/", 1)[0] if head.count("/") >= 3 else head
    return f"{base}/{dbname}{sep}{query}"


@contextlib.contextmanager
def _local_server() -> Iterator[str]:
    binaries = find_binaries()
    account = _run_as_account()
    # /tmp rather than $TMPDIR: the server account must be able to reach the directory.
    parent = "/tmp" if account.switches and os.path.isdir("/tmp") else None
    base = Path(tempfile.mkdtemp(prefix="reflect-pg-", dir=parent))
    data, sockets, log = base / "data", base / "sock", base / "postgres.log"
    started = False
    try:
        sockets.mkdir()
        if account.switches:
            assert account.uid is not None and account.gid is not None
            for path in (base, sockets):
                os.chown(path, account.uid, account.gid)
        os.chmod(base, 0o700)

        result = _run(
            [
                binaries.initdb,
                "-D",
                str(data),
                "-U",
                DB_SUPERUSER,
                "--auth=trust",
                "--encoding=UTF8",
                "--no-locale",
                "--no-sync",
            ],
            account,
            base,
            timeout=120,
        )
        if result.returncode != 0:
            raise PostgresUnavailable(
                f"initdb failed ({result.returncode}): {(result.stderr or result.stdout).strip()}"
            )
        (data / "pg_hba.conf").write_text(HBA_CONF)

        port = 0
        error = ""
        for _attempt in range(START_ATTEMPTS):  # the free port can be taken before we bind it
            port = _free_port()
            (data / "postgresql.auto.conf").write_text(_server_conf(port, sockets))
            if account.switches:
                assert account.uid is not None and account.gid is not None
                for name in ("pg_hba.conf", "postgresql.auto.conf"):
                    os.chown(data / name, account.uid, account.gid)
            result = _run(
                [
                    binaries.pg_ctl,
                    "-D",
                    str(data),
                    "-l",
                    str(log),
                    "-w",
                    "-t",
                    str(START_TIMEOUT_S),
                    "start",
                ],
                account,
                base,
                timeout=START_TIMEOUT_S + 30,
            )
            if result.returncode == 0:
                started = True
                break
            error = f"pg_ctl start failed ({result.returncode}): {result.stderr.strip()}\n{_tail(log)}"
        if not started:
            raise PostgresUnavailable(error)

        admin_url = f"postgresql://{DB_SUPERUSER}@127.0.0.1:{port}/postgres"
        try:
            _create_database(admin_url, DB_NAME)
        except Exception as exc:
            raise PostgresUnavailable(f"server started but CREATE DATABASE failed: {exc}") from exc
        yield f"postgresql://{DB_SUPERUSER}@127.0.0.1:{port}/{DB_NAME}"
    finally:
        if started:
            _run(
                [binaries.pg_ctl, "-D", str(data), "-m", "immediate", "-w", "-t", "30", "stop"],
                account,
                base,
                timeout=60,
            )
        shutil.rmtree(base, ignore_errors=True)


@contextlib.contextmanager
def start_postgres() -> Iterator[str]:
    """Yield the URL of a PostgreSQL database for the test session.

    Uses ``REFLECT_TEST_DATABASE_URL_PG`` when set; otherwise starts (and afterwards stops and
    deletes) a private server on 127.0.0.1. Raises ``PostgresUnavailable`` when neither works.
    """
    external = os.environ.get(EXTERNAL_URL_ENV, "").strip()
    if external:
        yield external
        return
    with _local_server() as url:
        yield url


@contextlib.contextmanager
def fresh_database(server_url: str, prefix: str = "reflect_t") -> Iterator[str]:
    """Create an empty database on the server behind ``server_url``; drop it on exit.

    Needs CREATEDB rights (always true for the private server). Yields the new database's URL.
    """
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin_url = _with_dbname(server_url, "postgres")
    _create_database(admin_url, name)
    try:
        yield _with_dbname(server_url, name)
    finally:
        _drop_database(admin_url, name)
