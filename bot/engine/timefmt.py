"""Human phrases for elapsed time, and dates counted from the injected clock."""

from __future__ import annotations

from datetime import date, datetime


def ago(then: datetime, now: datetime) -> str:
    seconds = max(0, int((now - then).total_seconds()))
    if seconds < 90:
        return "just now"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} minutes ago"
    hours = minutes // 60
    if hours < 24:
        return "an hour ago" if hours == 1 else f"{hours} hours ago"
    days = hours // 24
    if days == 1:
        return "yesterday"
    if days < 14:
        return f"{days} days ago"
    weeks = days // 7
    if weeks < 9:
        return f"{weeks} weeks ago"
    return f"on {then.strftime('%d %B %Y')}"


def six_months_after(day: date) -> date:
    """A pledge's review date: the same day six months on (the 28th when that month is short)."""
    month = day.month + 6
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    for candidate_day in (day.day, 28):
        try:
            return date(year, month, candidate_day)
        except ValueError:
            continue
    return date(year, month, 28)
