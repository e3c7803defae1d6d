"""Audit rows for requests refused because the sender does not own the conversation.

A signed Slack payload or a Teams activity can claim one person inside another person's
direct conversation (a tester holding the signing secret, a forged anonymous activity, a
bug). The adapters refuse those before anything is stored and leave one row in the audit
trail (bot.records.audit), so a council can see who was claimed, and where.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import cast

import structlog

from bot.records import audit
from storage.records_repository import records
from storage.repository import Store

log = structlog.get_logger(__name__)

IDENTITY_REFUSED = cast(audit.AuditAction, "identity_refused")


async def audit_identity_refused(
    store: Store,
    clock: Callable[[], datetime],
    *,
    platform: str,
    workspace: str,
    claimed_user: str,
    conversation: str,
    owner: str | None,
) -> None:
    """One audit row: `claimed_user` was refused in `conversation`, which belongs to `owner`."""
    try:
        async with store.read() as tx:  # a write, committed on exit, as audit.export_audit does
            await audit.record(
                records(tx),
                f"{platform}:{workspace}:{claimed_user}",
                IDENTITY_REFUSED,
                "conversation",
                f"{platform}:{workspace}:{conversation}",
                {
                    "platform": platform,
                    "reason": "the sender does not own this direct conversation",
                    "owner": owner,
                },
                clock(),
            )
    except Exception as error:  # the refusal stands even if the audit write fails
        log.error("identity.audit_failed", platform=platform, error=type(error).__name__)
