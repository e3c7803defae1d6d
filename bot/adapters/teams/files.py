"""Exports as files in a Teams personal chat: the file consent flow.

A bot cannot simply attach a file in Teams. It sends a file consent card (name, size, a
description); when the person presses Allow, Teams creates an empty file in their OneDrive
and invokes the bot (`fileConsent/invoke`, action `accept`) with an upload URL; the bot PUTs
the bytes there (one request with Content-Range, fine for files under 4 MB) and then sends a
file info card pointing at the new file. Decline is an invoke too (action `decline`).

Meanwhile the export waits in storage, encrypted like every free text, under a random token
that is all the card carries (`acceptContext` / `declineContext`); it is deleted when the
person answers, either way, or after a day. Only personal chats: Teams offers file consent
nowhere else (group exports get a message saying so).

Where bytes may go: with authentication on, only to an https upload URL; anonymous (the
local Playground and tests), only to this machine, like every other anonymous send.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlparse

import aiohttp
import structlog
from microsoft_agents.activity import Activity, Attachment

from bot.adapters.teams.delivery import Sleep, with_retries
from bot.adapters.teams.translate import is_loopback
from bot.turns import OutgoingFile

log = structlog.get_logger(__name__)

INVOKE_NAME = "fileConsent/invoke"
CONSENT = "application/vnd.microsoft.teams.card.file.consent"
INFO = "application/vnd.microsoft.teams.card.file.info"
MAX_SINGLE_PUT = 4 * 1024 * 1024  # above this OneDrive wants chunks; our exports are far smaller
CHUNK = 320 * 1024 * 10  # a multiple of 320 KiB, as upload sessions require
UPLOAD_TIMEOUT_S = 60


@dataclass(frozen=True)
class FileOffer:
    """An export to offer with a consent card (one outbox part)."""

    file: OutgoingFile


@dataclass(frozen=True)
class ConsentAnswer:
    action: Literal["accept", "decline"]
    token: str
    upload_url: str | None = None
    content_url: str | None = None
    name: str | None = None
    unique_id: str | None = None
    file_type: str | None = None


def consent_card(file: OutgoingFile, token: str, description: str) -> Activity:
    context = {"held": token}
    attachment = Attachment(
        content_type=CONSENT,
        name=file.filename,
        content={
            "description": description,
            "sizeInBytes": len(file.data),
            "acceptContext": context,
            "declineContext": context,
        },
    )
    return Activity(type="message", attachments=[attachment])


def info_card(answer: ConsentAnswer, text: str) -> Activity:
    attachment = Attachment(
        content_type=INFO,
        content_url=answer.content_url,
        name=answer.name,
        content={"uniqueId": answer.unique_id, "fileType": answer.file_type},
    )
    return Activity(type="message", text=text, text_format="markdown", attachments=[attachment])


def _str(data: Any, name: str) -> str | None:
    value = data.get(name) if isinstance(data, Mapping) else None
    return value if isinstance(value, str) and value else None


def read_consent(activity: Activity) -> ConsentAnswer | None:
    """The person's answer to one of our consent cards; None when it is not one."""
    value = activity.value
    if not isinstance(value, Mapping):
        return None
    action = value.get("action")
    token = _str(value.get("context"), "held")
    if action not in ("accept", "decline") or token is None or len(token) > 64:
        return None
    info = value.get("uploadInfo")
    return ConsentAnswer(
        action=action,
        token=token,
        upload_url=_str(info, "uploadUrl"),
        content_url=_str(info, "contentUrl"),
        name=_str(info, "name"),
        unique_id=_str(info, "uniqueId"),
        file_type=_str(info, "fileType"),
    )


def upload_allowed(url: str | None, anonymous: bool) -> bool:
    if not url:
        return False
    parsed = urlparse(url)
    if anonymous:
        return parsed.scheme in ("http", "https") and is_loopback(parsed.hostname)
    return parsed.scheme == "https" and bool(parsed.hostname)


async def upload(url: str, data: bytes, *, sleep: Sleep = asyncio.sleep, attempts: int = 3) -> None:
    """PUT the bytes to the upload URL Teams gave (Content-Range), retrying what is worth it."""
    timeout = aiohttp.ClientTimeout(total=UPLOAD_TIMEOUT_S)
    total = len(data)
    size = total if total <= MAX_SINGLE_PUT else CHUNK
    async with aiohttp.ClientSession(timeout=timeout) as http:
        for start in range(0, total, size):
            piece = data[start : start + size]
            headers = {
                "Content-Length": str(len(piece)),
                "Content-Range": f"bytes {start}-{start + len(piece) - 1}/{total}",
            }

            async def put(piece: bytes = piece, headers: dict[str, str] = headers) -> None:
                async with http.put(url, data=piece, headers=headers) as response:
                    await response.read()
                    response.raise_for_status()

            await with_retries(put, attempts=attempts, sleep=sleep)
    log.info("teams.file_uploaded", size=total)


__all__ = [
    "CONSENT",
    "INFO",
    "INVOKE_NAME",
    "ConsentAnswer",
    "FileOffer",
    "consent_card",
    "info_card",
    "read_consent",
    "upload",
    "upload_allowed",
]
