"""Structured logs (structlog) that never carry message text, names or tokens.

Call sites log event names, platforms, counts and timings only. As a second line of
defence a processor drops any field whose name suggests content and masks token shapes.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import MutableMapping
from typing import Any

import structlog

_CONTENT_KEYS = {
    "text",
    "message_text",
    "answer",
    "note",
    "name",
    "user_name",
    "body",
    "payload",
    "token",
    "secret",
}
_TOKEN_SHAPES = re.compile(r"(xox[abprse]-[\w-]+|xapp-[\w-]+|sk-[\w-]{8,}|Bearer\s+[\w.\-]+|enc:v1:[\w=-]+)")


def _scrub(_logger: Any, _method: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    for key in list(event):
        if key in _CONTENT_KEYS:
            event[key] = "[withheld]"
        elif isinstance(event[key], str):
            event[key] = _TOKEN_SHAPES.sub("[token]", event[key])
    return event


def configure_logging(level: str = "INFO", fmt: str = "json", stream: Any = None) -> None:
    renderer: Any = structlog.processors.JSONRenderer() if fmt == "json" else structlog.dev.ConsoleRenderer()
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            _scrub,
            structlog.processors.format_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        # Look the stream up for each logger: sys.stderr may be swapped (tests, daemons).
        logger_factory=lambda *_: structlog.PrintLogger(stream or sys.stderr),
        cache_logger_on_first_use=False,
    )
    # Libraries log through the standard library; keep their noise out and their content too.
    logging.basicConfig(level=logging.WARNING, stream=stream or sys.stderr)
