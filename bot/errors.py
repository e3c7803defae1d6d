"""The bot's error tree: re-exported from `bot.core.errors`, where it is documented.

One list of names (`bot.core.errors.__all__`), so a class added to the tree is here too."""

from __future__ import annotations

from bot.core.errors import *  # noqa: F403
from bot.core.errors import __all__ as __all__
