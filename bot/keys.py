"""The encryption key for free text at rest: always one, so nothing is stored in plaintext.

Where the key comes from, first match wins:

1. REFLECT_ENCRYPTION_KEY: one key, or several comma-separated, newest first (rotation).
2. REFLECT_ENCRYPTION_KEY_FILE: a file holding the same (a Docker or Kubernetes secret).
3. Otherwise (development only: production refuses to start without 1 or 2) the key file in
   the data folder, `encryption.key`, created with mode 0600 on the first start. The start-up
   log says that it was created and where, never the key. The data folder is
   REFLECT_DATA_DIR, else the folder of the SQLite database file, else ./data.
   An in-memory SQLite database gets a key that lives as long as the process, as its data do.

Creating the file is safe when several processes start at once: the key is written to a
private temporary file and linked into place, so one key wins and every process reads it.
Lose the key and the stored text is unreadable: back the data folder up with the database.
"""

from __future__ import annotations

import contextlib
import os
import stat
import uuid
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

import structlog
from cryptography.fernet import Fernet
from pydantic import SecretStr

from bot.errors import ConfigError


class Settings(Protocol):
    """What the key file needs to know of bot.config's settings (the config imports this module)."""

    data_dir: str | None
    database_url: str
    encryption_key_file: str | None

    @property
    def encryption_key(self) -> SecretStr | None: ...


log = structlog.get_logger(__name__)

KEY_FILE_NAME = "encryption.key"
DEFAULT_DATA_DIR = Path("data")


def _sqlite_file(database_url: str) -> Path | bool | None:
    """The SQLite database file; False for an in-memory database; None when not SQLite.

    Read as SQLAlchemy reads "sqlite[+driver]:///PATH" (an absolute path has a fourth slash),
    without importing it: only storage talks to the database library."""
    scheme, _, rest = database_url.partition("://")
    if scheme.split("+")[0].lower() != "sqlite":
        return None
    path = unquote(urlsplit("//" + rest).path)
    database = path[1:] if path.startswith("/") else path
    if database in ("", ":memory:") or database.startswith("file::memory:") or "mode=memory" in database_url:
        return False
    return Path(database).expanduser()


def data_dir(settings: Settings) -> Path | None:
    """Where the key file lives; None for an in-memory database with no REFLECT_DATA_DIR."""
    if settings.data_dir:
        return Path(settings.data_dir).expanduser()
    database = _sqlite_file(settings.database_url)
    if database is False:
        return None
    if isinstance(database, Path):
        return database.parent
    return DEFAULT_DATA_DIR


def key_file(settings: Settings) -> Path | None:
    folder = data_dir(settings)
    return folder / KEY_FILE_NAME if folder is not None else None


def _valid(keys: str) -> bool:
    try:
        for key in keys.split(","):
            Fernet(key.strip().encode())
    except (ValueError, TypeError):
        return False
    return bool(keys.strip())


def read_key_file(path: Path) -> str:
    try:
        keys = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(
            [f"the encryption key file {path} cannot be read ({type(error).__name__})"]
        ) from None
    if not _valid(keys):
        raise ConfigError([f"the encryption key file {path} does not hold a valid key"])
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        log.warning("encryption.key_file_readable_by_others", path=str(path), mode=oct(mode))
    return keys


def create_key_file(path: Path) -> str:
    """Write a new key to `path` (0600) unless another process got there first; return the key."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = Fernet.generate_key().decode("ascii")
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(key + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temporary, path)  # atomic, and fails if the file exists: one key wins
        except FileExistsError:
            return read_key_file(path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
    # INFO: `reflect serve` says it at start; the console chat (quiet) keeps stderr clean.
    log.info(
        "encryption.key_created",
        path=str(path),
        detail="No REFLECT_ENCRYPTION_KEY was set: a new key was written to this file (mode 0600). "
        "Back it up with the database: without it the stored text cannot be read. Text stored "
        "before, unencrypted, stays readable; `reflect keys rotate` encrypts it.",
    )
    return key


_ephemeral: str | None = None


def encryption_keys(settings: Settings) -> str:
    """The keys the field cipher uses (comma-separated, newest first). Never empty."""
    if settings.encryption_key is not None and settings.encryption_key.get_secret_value().strip():
        return settings.encryption_key.get_secret_value()
    if settings.encryption_key_file:
        return read_key_file(Path(settings.encryption_key_file).expanduser())
    path = key_file(settings)
    if path is None:
        global _ephemeral
        if _ephemeral is None:
            _ephemeral = Fernet.generate_key().decode("ascii")
            log.info("encryption.ephemeral_key", detail="in-memory database: the key lives with the process")
        return _ephemeral
    if path.exists():
        return read_key_file(path)
    return create_key_file(path)


__all__ = ["KEY_FILE_NAME", "create_key_file", "data_dir", "encryption_keys", "key_file", "read_key_file"]
