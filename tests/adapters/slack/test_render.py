"""Outgoing to Block Kit: escaping, markdown, Slack's limits, buttons. Checked against the
same Block Kit validation the SlackMock applies to chat.postMessage."""

from __future__ import annotations

import html
from typing import Any

import pytest

from bot.adapters.slack import render, texts
from bot.adapters.slack.render import (
    BLOCKS_PER_MESSAGE,
    BUTTON_TEXT_LIMIT,
    ELEMENTS_PER_ACTIONS,
    SECTION_LIMIT,
    escape,
    split_text,
    units,
)
from bot.turns import Button, Outgoing
from tests.support.slack_mock import _validate_blocks

HOSTILE = "<!channel> hi <@U0BOSS001> see <https://evil.test|your payslip> & <!here|here>"


def valid(message: render.SlackMessage) -> bool:
    return not _validate_blocks(message.blocks, BLOCKS_PER_MESSAGE, "/blocks") and bool(message.text)


def all_text(message: render.SlackMessage) -> str:
    return message.text + "".join(str(b) for b in message.blocks)


def test_user_text_never_becomes_a_mention_or_a_link() -> None:
    for kind in ("prompt", "note"):
        [message] = render.render(Outgoing(text=f"You said: _“{HOSTILE}”_", kind=kind))  # type: ignore[arg-type]
        sections = [b["text"]["text"] for b in message.blocks if b["type"] == "section"]
        for text in [*sections, message.text]:
            assert "<" not in text and ">" not in text.replace("&gt;", "")
        assert "&lt;!channel&gt;" in sections[0] and "&lt;@U0BOSS001&gt;" in sections[0]
        assert "&amp;" in sections[0]


def test_escape_is_complete_and_reversible() -> None:
    assert escape("a & b < c > d") == "a &amp; b &lt; c &gt; d"
    assert html.unescape(escape(HOSTILE)) == HOSTILE


def test_light_markdown_becomes_mrkdwn() -> None:
    note = "\n".join(
        [
            "# Post-visit reflection: HX-2291",
            "",
            "| | |",
            "|---|---|",
            "| Case reference | HX-2291 |",
            "",
            "## What was seen",
            "",
            "**What you saw** · _Observation_",
            "",
            "> feet sticking to the floor",
            "> and a <b>loud</b> telly",
            "",
            "### 1. Mum is low",
            "",
            "- Status: Leading",
            "- [x] Child seen alone",
            "- [ ] An action with an owner and a date",
            "",
            "| What | Who | By when |",
            "|---|---|---|",
            "| Ring school | me | Fri 27 Nov 2026 |",
            "---",
            "The end",
        ]
    )
    [message] = render.render(Outgoing(text=note, kind="note"))
    kinds = [b["type"] for b in message.blocks]
    assert kinds == ["header", "section", "header", "section", "divider", "section"]
    assert message.blocks[0]["text"] == {
        "type": "plain_text",
        "text": "Post-visit reflection: HX-2291",
        "emoji": True,
    }
    body = message.blocks[3]["text"]["text"]
    assert "*What you saw* · _Observation_" in body
    assert ">feet sticking to the floor\n>and a &lt;b&gt;loud&lt;/b&gt; telly" in body
    assert "*1. Mum is low*" in body and "• Status: Leading" in body
    assert "☑ Child seen alone" in body and "☐ An action with an owner and a date" in body
    assert "• Ring school · _Who:_ me · _By when:_ Fri 27 Nov 2026" in body
    assert message.blocks[1]["text"]["text"] == "• Case reference · HX-2291"
    assert message.text == texts.NOTE_FALLBACK  # the worker's words stay off lock screens
    # In chat messages headings stay inline (bold), never header blocks.
    [chat] = render.render(Outgoing(text="# Title\nwords"))
    assert [b["type"] for b in chat.blocks] == ["section"] and chat.blocks[0]["text"][
        "text"
    ] == "*Title*\nwords"


@pytest.mark.parametrize("limit", [50, 300, SECTION_LIMIT])
def test_split_keeps_every_character_in_order(limit: int) -> None:
    text = "\n".join(f"line {n} " + "word " * (n % 40) + "&amp;&lt;" * (n % 3) for n in range(700))
    text += "x" * (limit * 3) + "😀" * limit
    parts = split_text(text, limit)
    assert "".join(parts) == text
    assert all(0 < units(p) <= limit for p in parts)
    for part in parts:  # never inside an entity
        assert not part.endswith(("&", "&a", "&am", "&amp", "&l", "&lt", "&g", "&gt"))


def test_a_note_longer_than_slacks_limits_is_split_across_messages() -> None:
    answers = [" ".join(f"a{k}w{n}" for n in range(1500)) for k in range(4)]
    many = "\n\n".join(f"## Section {n}\n\nshort answer {n}" for n in range(70))
    note = "# Note\n\n" + "\n\n".join(f"## Part {k}\n\n> {a}" for k, a in enumerate(answers)) + "\n\n" + many
    messages = render.render(Outgoing(text=note, kind="note"))
    assert len(messages) > 2
    for n, message in enumerate(messages, start=1):
        assert valid(message), _validate_blocks(message.blocks, BLOCKS_PER_MESSAGE, "/blocks")
        assert len(message.blocks) <= BLOCKS_PER_MESSAGE
        assert message.text == texts.NOTE_FALLBACK_PART.format(n=n, total=len(messages))
    blocks = [b for m in messages for b in m.blocks]
    joined = "".join(b["text"]["text"] for b in blocks if b["type"] == "section")
    positions = [joined.index(a) for a in answers]
    assert positions == sorted(positions)
    headers = [b["text"]["text"] for b in blocks if b["type"] == "header"]
    assert headers == ["Note", *(f"Part {k}" for k in range(4)), *(f"Section {n}" for n in range(70))]
    assert [f"short answer {n}" in joined for n in range(70)] == [True] * 70


def _buttons(n: int) -> tuple[Button, ...]:
    return tuple(Button(label=f"Choice {i} " + "x" * (i * 3), value=f"choice:{i}@step.0.") for i in range(n))


def test_buttons_respect_slacks_limits() -> None:
    long_label = "A hypothesis with a very long statement " * 5
    message = Outgoing(
        text="Pick one",
        kind="prompt",
        buttons=(*_buttons(30), Button(long_label, "choice:z@step.0.", "primary")),
    )
    [rendered] = render.render(message)
    assert valid(rendered)
    actions = [b for b in rendered.blocks if b["type"] == "actions"]
    assert [len(b["elements"]) for b in actions] == [ELEMENTS_PER_ACTIONS, 31 - ELEMENTS_PER_ACTIONS]
    elements = [e for b in actions for e in b["elements"]]
    assert [e["value"] for e in elements] == [b.value for b in message.buttons]  # unchanged, in order
    assert len({(b["block_id"], e["action_id"]) for b in actions for e in b["elements"]}) == 31
    assert all(units(e["text"]["text"]) <= BUTTON_TEXT_LIMIT for e in elements)
    assert elements[-1]["text"]["text"].endswith("…") and elements[-1]["style"] == "primary"
    assert actions[0]["block_id"] == "reflect:prompt:-:0"


def test_a_button_value_too_long_for_slack_is_dropped_not_cut() -> None:
    [rendered] = render.render(
        Outgoing(text="x", buttons=(Button("ok", "cmd:pause"), Button("big", "v" * 2001)))
    )
    values = [e["value"] for b in rendered.blocks if b["type"] == "actions" for e in b["elements"]]
    assert values == ["cmd:pause"]


def test_a_free_text_question_offers_the_long_answer_box() -> None:
    message = Outgoing(
        text="What did you see?",
        kind="prompt",
        free_text=True,
        step_id="senses",
        buttons=(Button("Skip", "cmd:skip@senses.0."), Button("Pause", "cmd:pause")),
    )
    [rendered] = render.render(message)
    [actions] = [b for b in rendered.blocks if b["type"] == "actions"]
    first: dict[str, Any] = actions["elements"][0]
    assert first["action_id"] == "reflect_long_answer" and first["value"] == "senses.0."
    assert first["text"]["text"] == texts.LONG_ANSWER_BUTTON
    assert actions["block_id"] == "reflect:prompt:senses:0"
    assert rendered.text == "What did you see?"


def test_a_long_chat_message_keeps_its_buttons_at_the_end() -> None:
    text = "\n\n".join("paragraph " * 200 for _ in range(40))
    messages = render.render(Outgoing(text=text, kind="prompt", buttons=(Button("Pause", "cmd:pause"),)))
    assert len(messages) > 1 and all(valid(m) for m in messages)
    assert [b["type"] for b in messages[-1].blocks][-1] == "actions"
    assert all(b["type"] != "actions" for m in messages[:-1] for b in m.blocks)
    assert all(units(m.text) <= render.FALLBACK_CHARS for m in messages)


def test_empty_text_still_renders_a_valid_message() -> None:
    [message] = render.render(Outgoing(text=""))
    assert valid(message)
    assert all_text(render.plain("Nothing <here>")).count("&lt;here&gt;") >= 1
