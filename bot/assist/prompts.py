"""The words sent to the model: a fixed system prompt per use, and the session as data.

Prompt-injection hardening lives here. The worker's answers never become instructions: they
are serialised as JSON (quotes and newlines escaped) inside <session_data> delimiters, any
angle bracket in them is escaped so they cannot close the block, and the system prompt says
that nothing in the block is an instruction. The wording itself is in prompts/ai/.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

from jinja2 import Environment

from bot.wording import make_environment

Use = Literal["challenge", "followup", "summary", "synthesis"]

MAX_WORDS: dict[Use, int] = {"challenge": 90, "followup": 45, "summary": 180, "synthesis": 120}
MAX_TOKENS: dict[Use, int] = {"challenge": 220, "followup": 120, "summary": 420, "synthesis": 300}


@dataclass(frozen=True)
class Prompt:
    system: str
    user: str


def data_block(payload: dict[str, Any]) -> str:
    """The session as JSON that cannot break out of its delimiters."""
    text = json.dumps(payload, ensure_ascii=False, indent=1)
    return text.replace("<", "\\u003c").replace(">", "\\u003e")


class PromptBuilder:
    def __init__(self, env: Environment | None = None) -> None:
        self.env = env or make_environment()

    def build(self, use: Use, payload: dict[str, Any]) -> Prompt:
        task = self.env.get_template(f"ai/{use}.j2").render().strip()
        system = self.env.get_template("ai/system.j2").render(task=task, max_words=MAX_WORDS[use]).strip()
        user = self.env.get_template("ai/data.j2").render(data=data_block(payload)).strip()
        return Prompt(system=system, user=user)
