"""The App Home view and the long-answer modal, checked against Slack's view limits."""

from __future__ import annotations

import json

from bot.adapters.slack import home, modal, texts
from bot.turns import ActionItem, HomeSummary, HypothesisItem, NoteItem, PausedItem
from tests.support.slack_mock import _validate_view

HOSTILE = "<!channel> <https://evil.test|click> & co"


def _summary(n: int = 3) -> HomeSummary:
    return HomeSummary(
        paused=tuple(
            PausedItem(
                f"p{i}",
                "Post-visit reflection",
                f"HX-{i:04d}",
                "The child's day",
                "2026-11-02T14:30:00+00:00",
            )
            for i in range(n)
        ),
        recent_notes=(NoteItem("s1", "Quick check-in", None, "2026-11-01T09:00:00+00:00"),),
        open_actions=(
            ActionItem("HX-2291", "Ask the GP " + HOSTILE, "me", "2026-11-27", "open"),
            ActionItem(None, "Ring school", None, "after half term", "open"),
        ),
        hypotheses=(
            HypothesisItem("HX-2291", "Mum is low " + HOSTILE, "leading"),
            HypothesisItem("HX-2291", "Dad's drinking has started again", "open"),
            HypothesisItem("HX-3107", "Nan is doing most of the parenting", "open"),
        ),
    )


def _text(view: dict[str, object]) -> str:
    return json.dumps(view, ensure_ascii=False)


def test_home_lists_everything_with_buttons_and_escaped_text() -> None:
    view = home.view(_summary())
    assert view["type"] == "home" and not _validate_view(view)
    blocks = view["blocks"]
    assert isinstance(blocks, list)
    values = [b["accessory"]["value"] for b in blocks if isinstance(b.get("accessory"), dict)] + [
        e["value"] for b in blocks if b["type"] == "actions" for e in b["elements"]
    ]
    assert {"resume:p0", "resume:p1", "resume:p2", "s1", "start:", "cmd:models"} <= set(values)
    text = _text(view)
    assert "<!channel>" not in text and "<https://evil" not in text and "&lt;!channel&gt;" in text
    assert "due Fri 27 Nov 2026" in text and "due after half term" in text
    assert "<!date^1793629800^" in text  # paused time, shown in the viewer's time zone
    assert "*HX-2291*" in text and "*HX-3107*" in text and "(leading)" in text and "(held open)" in text
    for title in (texts.HOME_PAUSED, texts.HOME_NOTES, texts.HOME_ACTIONS, texts.HOME_HYPOTHESES):
        assert title in text


def test_an_empty_home_says_so_and_a_full_one_stays_within_limits() -> None:
    empty = _text(home.view(HomeSummary()))
    for words in (
        texts.HOME_NONE_PAUSED,
        texts.HOME_NONE_NOTES,
        texts.HOME_NONE_ACTIONS,
        texts.HOME_NONE_HYPOTHESES,
    ):
        assert words in empty
    full = home.view(_summary(40))
    assert not _validate_view(full) and len(full["blocks"]) <= home.VIEW_BLOCKS
    assert texts.HOME_MORE.format(n=40 - home.MAX_PAUSED) in _text(full)


def test_the_modal_is_valid_and_carries_the_place() -> None:
    view = modal.long_answer("D0DM000001", "1700000000.000100", "senses.0.")
    assert not _validate_view(view)
    assert json.loads(view["private_metadata"]) == {
        "c": "D0DM000001",
        "t": "1700000000.000100",
        "m": "senses.0.",
    }
    [block] = view["blocks"]
    assert block["element"]["multiline"] is True and block["element"]["max_length"] == modal.INPUT_LIMIT
