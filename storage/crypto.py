"""Field encryption at rest for free text, with the `cryptography` package's Fernet.

Values are stored as "enc:v1:<token>". A MultiFernet keyring lets an old key still read
while a new key writes, which is what key rotation needs. With no key configured, text is
stored as written (development only; production refuses to start without a key).
"""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.errors import DecryptionError

PREFIX = "enc:v1:"


class FieldCipher:
    def __init__(self, keys: list[str] | None = None) -> None:
        self._keys = [k.strip() for k in (keys or []) if k.strip()]
        self._fernet = MultiFernet([Fernet(k.encode()) for k in self._keys]) if self._keys else None

    @classmethod
    def from_setting(cls, value: str | None) -> FieldCipher:
        """`REFLECT_ENCRYPTION_KEY` may hold several comma-separated keys, newest first."""
        return cls(value.split(",") if value else None)

    @property
    def enabled(self) -> bool:
        return self._fernet is not None

    def encrypt(self, text: str) -> str:
        if self._fernet is None or not text:  # an empty value has nothing to hide
            return text
        return PREFIX + self._fernet.encrypt(text.encode("utf-8")).decode("ascii")

    def decrypt(self, stored: str) -> str:
        if not stored.startswith(PREFIX):
            return stored
        if self._fernet is None:
            raise DecryptionError("encrypted data found but no REFLECT_ENCRYPTION_KEY is set")
        try:
            return self._fernet.decrypt(stored[len(PREFIX) :].encode("ascii")).decode("utf-8")
        except InvalidToken as error:
            raise DecryptionError("no configured key can decrypt this value") from error

    def rotate(self, stored: str) -> str:
        """Re-encrypt with the newest key (plaintext gets encrypted)."""
        if self._fernet is None:
            return stored
        if not stored.startswith(PREFIX):
            return self.encrypt(stored)
        return PREFIX + self._fernet.rotate(stored[len(PREFIX) :].encode("ascii")).decode("ascii")

    @staticmethod
    def generate_key() -> str:
        return Fernet.generate_key().decode("ascii")


# The cipher travels with the engine: `bind_cipher` puts it on the engine's dialect, which
# SQLAlchemy hands to the column type with every value. Two engines in one process (a test,
# key rotation, a migration) each use their own keys; nothing is process-wide.
_ATTRIBUTE = "reflect_cipher"
PLAIN = FieldCipher()


def bind_cipher(engine: AsyncEngine | Engine, cipher: FieldCipher) -> None:
    """Use `cipher` for every encrypted column read or written through `engine`."""
    sync = engine.sync_engine if isinstance(engine, AsyncEngine) else engine
    setattr(sync.dialect, _ATTRIBUTE, cipher)


def cipher_of(dialect: Dialect) -> FieldCipher:
    """The cipher bound to the engine of `dialect`; without one, text is stored as written
    (and encrypted text cannot be read: DecryptionError)."""
    cipher: FieldCipher = getattr(dialect, _ATTRIBUTE, PLAIN)
    return cipher
