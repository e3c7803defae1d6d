"""The one spelling of a person's identity across their DMs and channels on one platform."""

from __future__ import annotations


def owner_id(platform: str, workspace: str, user: str) -> str:
    """ "platform:workspace:user", as sessions.owner and the people tables store it."""
    return f"{platform}:{workspace}:{user}"
