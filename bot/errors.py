"""The bot's error tree: re-exported from `bot.core.errors`, where it is documented."""

from __future__ import annotations

from bot.core.errors import (
    AccessDenied,
    AppendOnlyViolation,
    AssistUnavailable,
    ConfigError,
    DecryptionError,
    DeliveryFailed,
    GiveUp,
    InvalidRequest,
    NotFound,
    PlatformError,
    ReflectError,
    Retry,
    StorageError,
)

__all__ = [
    "AccessDenied",
    "AppendOnlyViolation",
    "AssistUnavailable",
    "ConfigError",
    "DecryptionError",
    "DeliveryFailed",
    "GiveUp",
    "InvalidRequest",
    "NotFound",
    "PlatformError",
    "ReflectError",
    "Retry",
    "StorageError",
]
