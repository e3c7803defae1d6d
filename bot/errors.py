"""Every error the bot raises on purpose, in one tree.

ReflectError
├── ConfigError            settings are missing, malformed or unsafe (raised at start)
├── StorageError           the database could not be reached or written
│   └── DecryptionError    stored data could not be decrypted (storage.crypto)
├── AccessDenied           the requester's role does not allow this read or export
├── NotFound               no such session, note, person or case for this requester
├── PlatformError          Slack or Teams refused or failed a call
└── AssistUnavailable      the AI service is off, slow, failing or over budget; callers fall back

Each carries a `user_message`: what to tell a person, kindly, without internal detail.
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


class StorageError(ReflectError):
    user_message = "I couldn't save that just now. Nothing has been lost: please send it again in a moment."


class AccessDenied(ReflectError):
    user_message = "Sorry, you don't have access to that."


class NotFound(ReflectError):
    user_message = "I couldn't find that."


class PlatformError(ReflectError):
    pass


class AssistUnavailable(ReflectError):
    user_message = "AI help isn't available right now, so I'll carry on with my usual questions."
