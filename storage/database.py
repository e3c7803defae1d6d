"""Opening the database: URL normalisation, SQLite pragmas, and the async engine."""

from __future__ import annotations

import collections
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

import aiosqlite
from sqlalchemy import event
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.engine import CursorResult, make_url
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.sql import Executable
from sqlalchemy.util import immutabledict
from sqlalchemy.util.concurrency import await_, in_greenlet

from bot.core.defaults import DEFAULT_DATABASE_URL
from bot.core.errors import StorageError
from storage.crypto import FieldCipher, bind_cipher

__all__ = [
    "DEFAULT_DATABASE_URL",
    "CoreConnection",
    "create_engine",
    "is_sqlite",
    "normalise_url",
    "storage_errors",
]


def normalise_url(url: str) -> str:
    """Give plain `sqlite://` and `postgresql://` URLs their async drivers."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    parsed = make_url(url)
    driver = parsed.drivername
    if driver == "sqlite":
        parsed = parsed.set(drivername="sqlite+aiosqlite")
    elif driver == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def is_sqlite(url: str) -> bool:
    return make_url(normalise_url(url)).get_backend_name() == "sqlite"


def create_engine(url: str, *, cipher: FieldCipher | None = None, **kwargs: Any) -> AsyncEngine:
    """An async engine, with `cipher` for its encrypted columns (none: text stored as written).
    Bound parameters are hidden from errors and logs: they hold what workers wrote."""
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        database = parsed.database or ":memory:"
        engine = create_async_engine(
            url,
            async_creator=partial(_inline_sqlite, database),
            module=_InlineDBAPI(aiosqlite, sqlite3),
            hide_parameters=True,
            **kwargs,
        )
        _configure_sqlite(engine)
    else:
        engine = create_async_engine(url, pool_pre_ping=True, hide_parameters=True, **kwargs)
    if cipher is not None:
        bind_cipher(engine, cipher)
    return engine


class InlineConnection(aiosqlite.Connection):
    """An aiosqlite connection that runs each call at once on the event loop's thread.

    aiosqlite hands every call (cursor, execute, fetch, commit) to a worker thread and back,
    two thread switches each, which cost more than the call itself: SQLite answers a turn's
    small indexed statements in microseconds, and a commit in WAL mode with
    synchronous=NORMAL writes to the WAL without an fsync. Running them inline makes a turn
    several times cheaper. The thread stays only to open and close the connection.

    The price: a statement that waits blocks the loop. Within one process writers queue on
    the store's own lock before they reach SQLite, so only another process holding the write
    lock (a long `reflect export` beside a running server) makes a turn wait, and then the
    acknowledgement waits either way, since it must follow the inbox insert."""

    async def _execute(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        _ = self._conn  # closed: aiosqlite's own error, which SQLAlchemy maps
        return fn(*args, **kwargs)


class _InlineCursor(AsyncAdapt_aiosqlite_cursor):
    """SQLAlchemy's aiosqlite cursor, run on the sqlite3 cursor itself.

    SQLAlchemy drives an async driver from its synchronous core by switching greenlets for
    every awaited call (the cursor, each execute, the fetch, the close: four round trips a
    statement). On an InlineConnection none of those calls ever waits, so the switches are
    all the cost: these call sqlite3 directly, in the same order, on the same thread. Errors
    are sqlite3's own, as aiosqlite's are, mapped by SQLAlchemy as before."""

    __slots__ = ()
    _awaitable_cursor_close = False  # sqlite3's close() is plain

    def __init__(self, adapt_connection: _InlineAdapted) -> None:
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        try:
            self._cursor = adapt_connection._connection._conn.cursor()
        except Exception as error:  # closed: aiosqlite's ValueError, mapped by the adapter
            adapt_connection._handle_exception(error)
        self._soft_closed_memoized = immutabledict()
        self._rows = collections.deque()

    def execute(self, operation: Any, parameters: Any = None) -> Any:
        if in_greenlet():  # SQLAlchemy's async API, which insists on one await a statement
            return super().execute(operation, parameters)
        return self._execute(operation, parameters)  # CoreConnection: straight from the loop

    def executemany(self, operation: Any, seq_of_parameters: Sequence[Any]) -> Any:
        if in_greenlet():
            return super().executemany(operation, seq_of_parameters)
        return self._executemany(operation, seq_of_parameters)

    async def _execute_async(self, operation: Any, parameters: Any) -> Any:
        return self._execute(operation, parameters)  # awaited, but nothing inside waits

    async def _executemany_async(self, operation: Any, seq_of_parameters: Sequence[Any]) -> Any:
        return self._executemany(operation, seq_of_parameters)

    def _execute(self, operation: Any, parameters: Any) -> Any:
        cursor: Any = self._cursor
        result = cursor.execute(operation) if parameters is None else cursor.execute(operation, parameters)
        if cursor.description:
            self._rows = collections.deque(cursor.fetchall())
        return result

    def _executemany(self, operation: Any, seq_of_parameters: Sequence[Any]) -> Any:
        cursor: Any = self._cursor
        return cursor.executemany(operation, seq_of_parameters)


class _InlineAdapted(AsyncAdapt_aiosqlite_connection):
    """The adapted connection, committing and rolling back on sqlite3 directly (see above)."""

    __slots__ = ()
    _cursor_cls = _InlineCursor  # type: ignore[assignment]

    def commit(self) -> None:
        self._on_sqlite("commit")

    def rollback(self) -> None:
        self._on_sqlite("rollback")

    def begin_immediate(self) -> None:
        if self._connection._connection:
            try:
                self._connection._conn.execute("BEGIN IMMEDIATE")
            except Exception as error:
                self._handle_exception(error)

    def _on_sqlite(self, method: str) -> None:
        if self._connection._connection:  # closed: nothing to end, as aiosqlite's adapter
            try:
                getattr(self._connection._conn, method)()
            except Exception as error:
                self._handle_exception(error)


class _InlineDBAPI(AsyncAdapt_aiosqlite_dbapi):
    def connect(self, *arg: Any, **kw: Any) -> _InlineAdapted:
        creator_fn = kw.pop("async_creator_fn")
        return _InlineAdapted(self, await_(creator_fn(*arg, **kw)))


class CoreConnection:
    """A transaction's connection, for the Core statements of every turn.

    On SQLite, where nothing a statement does ever waits (InlineConnection), it runs on
    SQLAlchemy's synchronous connection straight from the coroutine, without the greenlet
    SQLAlchemy's async API starts for each statement and the switches in and out of it (half
    of a small statement's cost). On PostgreSQL it is the AsyncConnection's own execute. The
    same compiled statements, parameters, type processing (encryption) and errors either way."""

    __slots__ = ("_async", "_sync")

    def __init__(self, connection: AsyncConnection) -> None:
        self._async = connection
        self._sync = connection.sync_connection if connection.dialect.name == "sqlite" else None

    async def execute(self, statement: Executable, parameters: Any = None) -> CursorResult[Any]:
        if self._sync is not None:
            return self._sync.execute(statement, parameters)
        return await self._async.execute(statement, parameters)


def _inline_sqlite(database: str) -> InlineConnection:
    def connector() -> sqlite3.Connection:
        # Opened on aiosqlite's thread, then used on the loop's (never both at once).
        return sqlite3.connect(database, timeout=30, check_same_thread=False)

    connection = InlineConnection(connector, iter_chunk_size=64)
    connection._thread.daemon = True
    return connection


def _configure_sqlite(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let us issue BEGIN ourselves (below), and make SQLite a good concurrent citizen.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        # Durability, chosen: in WAL mode synchronous=NORMAL writes every commit to the WAL
        # file before COMMIT returns, and fsyncs only at checkpoints. A commit survives the
        # process being killed (kill -9, a crash: the operating system still has the WAL
        # pages and the next open replays them), which is what "the ack follows a durable
        # insert" needs here; only a power cut or kernel panic may lose the last commits.
        # FULL would fsync on every commit (three per turn). PostgreSQL keeps its own
        # synchronous_commit setting, the deployment's choice.
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    # IMMEDIATE takes the write lock up front, so two writers queue on busy_timeout instead
    # of failing when a read transaction tries to upgrade. It is sent where the dialect
    # begins a transaction (a no-op by default, since pysqlite begins implicitly), straight
    # to sqlite3: as a statement it went through SQLAlchemy's whole execution path three
    # times a turn, and there a "database is locked" is still mapped like any driver error.
    engine.sync_engine.dialect.do_begin = _begin_immediate  # type: ignore[method-assign]


def _begin_immediate(dbapi_connection: Any) -> None:
    dbapi_connection.begin_immediate()


@contextmanager
def storage_errors() -> Iterator[None]:
    """The boundary: a SQLAlchemy or driver error becomes a `StorageError` (the original is
    its `__cause__`). The message is the driver's own, never the statement or its values."""
    try:
        yield
    except SQLAlchemyError as error:
        cause = error.orig if isinstance(error, DBAPIError) else error
        first = next(iter(str(cause).splitlines()), "")
        raise StorageError(f"{type(error).__name__}: {first}") from error
