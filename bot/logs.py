"""Structured logs (structlog) that never carry message text, names, tokens or headers.

Call sites log event names, platforms, counts and timings only. As a second line of
defence a processor drops any field whose name suggests content and masks token shapes.

Libraries log through the standard library, and some of them log what people wrote: Bolt's
"Unhandled request ({'type': None, 'command': ..., 'text': ...})", the Agents SDK's pydantic
errors with `input_value='...'`, aiohttp's bad-request errors quoting the start of an
over-long header line (an Authorization header). So every standard-library record, from any
logger, is scrubbed *when it is created* (a log record factory): before any handler, ours or
a test's or a library's, can see it. Scrubbing withholds quoted strings, dict and list
reprs, pydantic inputs and header values, masks token shapes, keeps only a traceback's frames
and the exception's type (exception messages quote their inputs), and caps the length.
A malformed request is the client's mistake, not ours: aiohttp's "Error handling request"
for a bad HTTP message becomes a one-line warning.
"""

from __future__ import annotations

import logging
import re
import sys
import traceback
from collections.abc import MutableMapping
from types import TracebackType
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
    "headers",
    "authorization",
}
_TOKEN_SHAPES = re.compile(
    r"(xox[abprse]-[\w-]+|xapp-[\w-]+|sk-[\w-]{8,}|Bearer\s+[\w.\-~+/=]+|enc:v1:[\w=-]+|eyJ[\w-]{6,}\.[\w.-]*)"
)
WITHHELD = "[withheld]"
MAX_FOREIGN_MESSAGE = 300

# pydantic: "input_value='Kayden Marsh', input_type=str" (any repr, up to the next field)
_PYDANTIC_INPUT = re.compile(r"input_value=.*?(?=, input_type=|\]$|$)", re.DOTALL | re.MULTILINE)

# Applied in order to every standard-library log message.
_FOREIGN_SCRUBS: tuple[tuple[re.Pattern[str], str], ...] = (
    (_PYDANTIC_INPUT, f"input_value={WITHHELD}"),
    # header values, however they are written
    (
        re.compile(
            r"(?i)\b(authorization|proxy-authorization|cookie|set-cookie|x-slack-signature)\b\s*['\"]?\s*[:=]\s*.*"
        ),
        rf"\1: {WITHHELD}",
    ),
    # bytes reprs: bytearray(b'...'), b"..."
    (re.compile(r"\bb(?:'[^']*'?|\"[^\"]*\"?)"), WITHHELD),
    # dict and list reprs (payloads, bodies, headers)
    (re.compile(r"\{.*\}", re.DOTALL), "{" + WITHHELD + "}"),
    (re.compile(r"\[(?!withheld\])[^\[\]]*\]"), WITHHELD),
    # quoted strings
    (re.compile(r"'(?:[^'\\\n]|\\.)*'"), WITHHELD),
    (re.compile(r'"(?:[^"\\\n]|\\.)*"'), WITHHELD),
    (_TOKEN_SHAPES, "[token]"),
)


def scrub_text(text: str) -> str:
    """A library's log message without what it quoted (see the module docstring)."""
    for pattern, replacement in _FOREIGN_SCRUBS:
        text = pattern.sub(replacement, text)
    if len(text) > MAX_FOREIGN_MESSAGE:
        text = text[:MAX_FOREIGN_MESSAGE] + "..."
    return text


ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def safe_traceback(exc_info: ExcInfo) -> str:
    """The frames (file, line, function, source line) and the exception type: no messages."""
    kind, _error, tb = exc_info
    frames = "".join(traceback.format_tb(tb)) if tb is not None else ""
    return f"Traceback (most recent call last):\n{frames}{kind.__module__}.{kind.__qualname__}: {WITHHELD}"


def _client_error(record: logging.LogRecord) -> bool:
    """aiohttp failing to parse a client's request (bad method, line too long, bad header)."""
    if not record.name.startswith("aiohttp") or not record.exc_info:
        return False
    from aiohttp.http_exceptions import HttpProcessingError

    error = record.exc_info[1]
    return isinstance(error, HttpProcessingError) and (error.code or 400) < 500


def scrub_record(record: logging.LogRecord) -> logging.LogRecord:
    """Make one standard-library record safe to write anywhere (in place; returned)."""
    try:
        message = record.getMessage()
    except Exception:  # a library's format string that does not match its arguments
        message = str(record.msg)
    exc_info = record.exc_info if isinstance(record.exc_info, tuple) else None
    if exc_info is not None and _client_error(record):
        message = f"{message} ({type(exc_info[1]).__name__})"
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        exc_info = None
    record.msg, record.args = scrub_text(message), None
    if exc_info is not None and exc_info[0] is not None:
        record.exc_text = safe_traceback(exc_info)
    record.exc_info = None
    record.stack_info = None
    return record


_base_factory = logging.getLogRecordFactory()


def _scrubbing_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
    return scrub_record(_base_factory(*args, **kwargs))


def install_record_scrubber() -> None:
    """Scrub every standard-library record as it is created (idempotent)."""
    if logging.getLogRecordFactory() is not _scrubbing_factory:
        logging.setLogRecordFactory(_scrubbing_factory)


def _scrub(_logger: Any, _method: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    for key in list(event):
        if key.lower() in _CONTENT_KEYS:
            event[key] = WITHHELD
        elif isinstance(event[key], str):
            value = _PYDANTIC_INPUT.sub(f"input_value={WITHHELD}", event[key])
            event[key] = _TOKEN_SHAPES.sub("[token]", value)
    return event


def _safe_exception(_logger: Any, _method: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """structlog's exc_info rendered as frames and a type only (exception messages quote inputs)."""
    exc_info = event.pop("exc_info", None)
    if exc_info is True:
        exc_info = sys.exc_info()
    elif isinstance(exc_info, BaseException):
        exc_info = (type(exc_info), exc_info, exc_info.__traceback__)
    if isinstance(exc_info, tuple) and exc_info[0] is not None:
        event["exception"] = safe_traceback(exc_info)
    return event


def configure_logging(level: str = "INFO", fmt: str = "json", stream: Any = None) -> None:
    renderer: Any = structlog.processors.JSONRenderer() if fmt == "json" else structlog.dev.ConsoleRenderer()
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            _scrub,
            _safe_exception,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        # Look the stream up for each logger: sys.stderr may be swapped (tests, daemons).
        logger_factory=lambda *_: structlog.PrintLogger(stream or sys.stderr),
        cache_logger_on_first_use=False,
    )
    # Libraries log through the standard library; keep their noise out and their content too.
    install_record_scrubber()
    logging.basicConfig(level=logging.WARNING, stream=stream or sys.stderr)
