"""What each kind of reminder is called, in the words of prompts/reminders/kinds.yaml."""

from __future__ import annotations

from functools import lru_cache

import yaml

from bot.wording import PROMPTS_DIR


@lru_cache(maxsize=1)
def kind_words() -> dict[str, str]:
    with (PROMPTS_DIR / "reminders" / "kinds.yaml").open(encoding="utf-8") as handle:
        loaded: dict[str, str] = yaml.safe_load(handle)
    return loaded
