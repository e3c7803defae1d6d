"""The kind words of every refusal, "not found" and "can't do that as asked", from
prompts/records/refusals.yaml, not_found.yaml and invalid.yaml, as errors of the tree
(AccessDenied, NotFound, InvalidRequest) carrying them."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import yaml

from bot.errors import AccessDenied, InvalidRequest, NotFound
from bot.wording import PROMPTS_DIR


@lru_cache(maxsize=4)
def _texts(name: str) -> dict[str, str]:
    with (PROMPTS_DIR / "records" / f"{name}.yaml").open(encoding="utf-8") as handle:
        loaded: dict[str, str] = yaml.safe_load(handle)
    return loaded


def text(file: str, code: str, **values: Any) -> str:
    """A line from prompts/records/<file>.yaml, filled in."""
    return _texts(file)[code].format(**values).strip()


def refusal(code: str, **values: Any) -> AccessDenied:
    """An AccessDenied whose `user_message` says why, in the words of refusals.yaml."""
    return AccessDenied(code, user_message=_texts("refusals")[code].format(**values).strip())


def not_found(code: str, **values: Any) -> NotFound:
    return NotFound(code, user_message=_texts("not_found")[code].format(**values).strip())


def invalid(code: str, **values: Any) -> InvalidRequest:
    return InvalidRequest(code, user_message=_texts("invalid")[code].format(**values).strip())
