"""Every error the bot raises, in one tree. Nothing else escapes a layer.

ReflectError                  base: carries `user_message`, what a person is told, kindly
├── ConfigError               settings are missing, malformed or unsafe (raised at start)
├── InvalidRequest            a request the bot understood but cannot do as asked
│                             (an unknown export format, a supervision link naming two things)
├── StorageError              the database could not be reached, read or written
│   ├── DecryptionError       stored text could not be decrypted with any configured key
│   └── AppendOnlyViolation   something tried to change or remove an append-only row
├── AccessDenied              the requester's role does not allow this read or export
├── NotFound                  no such session, note, person or case for this requester
├── PlatformError             Slack or Teams refused or failed a call
│   ├── Retry                 a reply worth sending again (throttled, a server error, a broken
│   │                         connection; `retry_after` when the platform said when)
│   └── GiveUp                a reply not worth sending again (refused, gone, never taken)
└── AssistUnavailable         the AI service is off, slow, failing or over budget; callers fall back

Library errors are mapped into the tree at the boundary that calls the library, so code
above a boundary catches only these classes:

- SQLAlchemy (and the DBAPI drivers under it): `storage.repository.Store` turns every
  `sqlalchemy.exc.SQLAlchemyError` raised in a transaction into `StorageError` (the
  original is kept as `__cause__`).
- openai / httpx: `bot.assist.client.AssistClient.complete` turns every failure into
  `AssistUnavailable` with a reason code.
- slack_sdk and the Microsoft 365 Agents SDK (aiohttp under it): the adapters' senders
  catch `SlackApiError`, `SlackClientError` and connector failures where they call, and
  report a result (sent, or not and the person told); the outbox's surfaces raise `Retry`
  or `GiveUp` (reminders go through the outbox like every reply). A platform failure that
  must cross into the service is a `PlatformError`.
- `supervision_models.registry.UnknownModelError` is a `LookupError` of the model registry
  (which imports nothing of the bot); callers that look a model up by a user's word catch it.
- Jinja: templates render with StrictUndefined (bot/wording.py), so a missing value is an
  `UndefinedError` in a test, never a blank in front of a worker.

tests/test_errors.py checks that every `raise` in bot/ and storage/ raises one of these.

None of these is a `ValueError`: code that validates input with `except ValueError` can never
swallow a decryption failure or a database outage by accident.

This module imports nothing of ours.
"""

from __future__ import annotations


class ReflectError(Exception):
    user_message = "Something went wrong on my side. Nothing you've said has been lost; please try again."

    def __init__(self, message: str = "", *, user_message: str | None = None) -> None:
        super().__init__(message or self.__class__.__name__)
        if user_message is not None:
            self.user_message = user_message


class ConfigError(ReflectError):
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))

    def __str__(self) -> str:
        lines = "\n".join(f"  - {p}" for p in self.problems)
        return f"The configuration is not safe to run with:\n{lines}"


class InvalidRequest(ReflectError):
    user_message = "Sorry, I can't do that as asked."


class StorageError(ReflectError):
    user_message = "I couldn't save that just now. Nothing has been lost: please send it again in a moment."


class DecryptionError(StorageError):
    """A stored value could not be decrypted with any configured key."""

    user_message = "I couldn't read a stored record. An administrator has been told; nothing was changed."


class AppendOnlyViolation(StorageError):
    """Something tried to update or delete a row of an append-only table."""


class AccessDenied(ReflectError):
    user_message = "Sorry, you don't have access to that."


class NotFound(ReflectError):
    user_message = "I couldn't find that."


class PlatformError(ReflectError):
    pass


class AssistUnavailable(ReflectError):
    user_message = "AI help isn't available right now, so I'll carry on with my usual questions."


class Retry(PlatformError):
    """Worth trying again (throttled, a server error, the connection broke)."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


class GiveUp(PlatformError):
    """Not worth trying again (refused, gone, a payload the platform will never take)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


__all__ = [
    "AccessDenied",
    "AppendOnlyViolation",
    "AssistUnavailable",
    "ConfigError",
    "DecryptionError",
    "GiveUp",
    "InvalidRequest",
    "NotFound",
    "PlatformError",
    "ReflectError",
    "Retry",
    "StorageError",
]
