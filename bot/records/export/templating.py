"""The Jinja2 environments for exports (templates in prompts/exports/).

HTML is autoescaped, so nothing a worker typed can become markup; Markdown is not (it is
plain text). Both share the block layout in layout.py, rendered by the macros of one
template per format, so a long export is written one session at a time.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import Environment
from markupsafe import Markup, escape

from bot.records.export.layout import xml_safe
from bot.wording import make_environment


def _lines(text: str) -> Markup:
    """Escaped text with the writer's line breaks kept as <br>."""
    return Markup("<br>").join(escape(part) for part in xml_safe(text).split("\n"))


def _cell(text: str) -> str:
    """One Markdown table cell: pipes escaped, line breaks as <br>."""
    return text.replace("|", "\\|").replace("\r", "").replace("\n", "<br>")


def _emphasis(text: str, marker: str) -> str:
    """`**bold**` with any surrounding spaces outside the markers, where Markdown needs them."""
    core = text.strip()
    if not core:
        return text
    start = text.index(core)
    return f"{text[:start]}{marker}{core}{marker}{text[start + len(core) :]}"


def _quoted(text: str) -> str:
    return "\n".join(f"> {line}".rstrip() for line in text.splitlines() or [""])


@lru_cache(maxsize=1)
def html_environment() -> Environment:
    env = make_environment()
    env.autoescape = True
    env.filters["lines"] = _lines
    return env


@lru_cache(maxsize=1)
def markdown_environment() -> Environment:
    env = make_environment()
    env.filters["cell"] = _cell
    env.filters["quoted"] = _quoted
    env.filters["emphasis"] = _emphasis
    return env


def macros(env: Environment, template: str) -> Any:
    return env.get_template(template).module
