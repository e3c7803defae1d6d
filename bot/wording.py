"""Renders the engine's replies with the Jinja2 templates in prompts/.

The engine names a template and gives values; every word a user reads lives in a template.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined

import prompts
from bot.engine.outcome import Reply
from bot.turns import Button, Outgoing

PROMPTS_DIR = Path(prompts.__file__).resolve().parent

# Values a reply may or may not carry, given to every reply template as None unless set:
# AI text that bot/assist/decorate.py adds beneath our own wording after the turn.
OPTIONAL_REPLY_VALUES: dict[str, Any] = {"ai_text": None, "ai_synthesis": None}


def make_environment(directory: Path = PROMPTS_DIR) -> Environment:
    """Every template is rendered with StrictUndefined: a variable the caller did not give is
    an error in a test, never a blank on a worker's screen. A template that has an optional
    value tests it with `is defined` or is given it (as None) by its caller."""
    # Chat text is escaped per platform by the adapters, so no HTML autoescape here.
    return Environment(
        loader=FileSystemLoader(str(directory)),
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        undefined=StrictUndefined,
        # Templates are compiled once and kept: no stat of the file on every render.
        auto_reload=False,
    )


class Wording:
    def __init__(self, directory: Path = PROMPTS_DIR) -> None:
        self.env = make_environment(directory)
        with (directory / "chat" / "labels.yaml").open(encoding="utf-8") as handle:
            self.labels: dict[str, str] = yaml.safe_load(handle)

    def warm_up(self) -> int:
        """Compile every template this environment renders (exports have their own), once:
        a server does it at start rather than in its first turns. Returns how many."""
        names = self.env.list_templates(filter_func=lambda name: name.endswith(".j2"))
        compiled = [self.env.get_template(name) for name in names if not name.startswith("exports/")]
        return len(compiled)

    def text(self, template: str, **values: Any) -> str:
        rendered = self.env.get_template(template).render(**values)
        return _tidy(rendered)

    def label(self, label: str) -> str:
        if not label.startswith("labels:"):
            return label
        key, _, arg = label.removeprefix("labels:").partition(":")
        return self.labels[key].format(n=arg)

    def render(self, reply: Reply) -> Outgoing:
        text = self.text(reply.template, **{**OPTIONAL_REPLY_VALUES, **reply.vars})
        if reply.vars.get("previous_answer"):
            text = (
                self.text("chat/previous_answer.j2", previous=reply.vars["previous_answer"]) + "\n\n" + text
            )
        buttons = tuple(Button(self.label(b.label), b.value, b.style) for b in reply.buttons)
        return Outgoing(
            text=text,
            kind=reply.kind,
            buttons=buttons,
            free_text=reply.free_text,
            step_id=reply.step_id,
            view_for=reply.view_for,
        )


def _tidy(text: str) -> str:
    """Collapse the blank lines that template logic leaves behind."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    tidy: list[str] = []
    for line in lines:
        if line or (tidy and tidy[-1]):
            tidy.append(line)
    return "\n".join(tidy).strip()


@lru_cache(maxsize=1)
def default_wording() -> Wording:
    return Wording()
