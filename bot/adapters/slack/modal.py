"""The "longer answer" modal: a roomy text box for a question answered in free text.

Typing in the DM always works; on a phone a long answer is easier in a proper box. The
modal belongs to one DM and one question: `private_metadata` carries the DM channel, the
thread (if the worker is in one) and the engine's step mark from the question's buttons, so
the submission is posted back as a typed answer in the right place (translate.submission).
"""

from __future__ import annotations

import json
from typing import Any

from bot.adapters.slack import texts
from bot.adapters.slack.translate import LONG_ANSWER_BLOCK, LONG_ANSWER_CALLBACK, LONG_ANSWER_INPUT

INPUT_LIMIT = 3000  # Slack's maximum for a plain_text_input
METADATA_LIMIT = 3000


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": True}


def metadata(dm: str, thread_ts: str | None, mark: str) -> str:
    data = {"c": dm, "t": thread_ts, "m": mark[:200]}
    return json.dumps(data, separators=(",", ":"))


def long_answer(dm: str, thread_ts: str | None, mark: str) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": LONG_ANSWER_CALLBACK,
        "title": _plain(texts.MODAL_TITLE),
        "submit": _plain(texts.MODAL_SUBMIT),
        "close": _plain(texts.MODAL_CLOSE),
        "private_metadata": metadata(dm, thread_ts, mark),
        "blocks": [
            {
                "type": "input",
                "block_id": LONG_ANSWER_BLOCK,
                "label": _plain(texts.MODAL_LABEL),
                "hint": _plain(texts.MODAL_HINT),
                "element": {
                    "type": "plain_text_input",
                    "action_id": LONG_ANSWER_INPUT,
                    "multiline": True,
                    "max_length": INPUT_LIMIT,
                },
            }
        ],
    }
