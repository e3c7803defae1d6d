"""`Outgoing` to Teams messages: cards, escaping, the shape of notes, and splitting long ones."""

from __future__ import annotations

import json
import re

from bot.adapters.teams import markup, render
from bot.turns import Button, Outgoing

CHOICES = (
    Button("Announced home visit", "choice:announced@visit_type.0."),
    Button("Unannounced home visit", "choice:unannounced@visit_type.0."),
    Button("Skip", "cmd:skip@visit_type.0."),
    Button("Back", "cmd:back@visit_type.0."),
    Button("Pause", "cmd:pause"),
    Button("Finish now", "cmd:finish", "primary"),
)


def visible(text: str) -> str:
    """What a reader sees of message text: references decoded, markup and spacing ignored."""
    return re.sub(r"\s+", "", markup.unescape(text)).replace("**", "")


def test_a_question_with_buttons_is_text_plus_a_card_of_universal_action_buttons() -> None:
    [activity] = render.render(Outgoing("What kind of visit was this?", kind="prompt", buttons=CHOICES))
    assert activity.type == "message" and activity.text_format == "markdown"
    assert activity.text == "What kind of visit was this?"
    [attachment] = activity.attachments or []
    assert attachment.content_type == "application/vnd.microsoft.card.adaptive"
    card = attachment.content
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.5"
    [choices] = card["body"]
    assert choices["type"] == "ActionSet"
    assert [a["data"] for a in choices["actions"]] == [
        {"action": "choice:announced@visit_type.0.", "label": "Announced home visit"},
        {"action": "choice:unannounced@visit_type.0.", "label": "Unannounced home visit"},
    ]
    assert [a["title"] for a in card["actions"]] == ["Skip", "Back", "Pause", "Finish now"]
    actions = choices["actions"] + card["actions"]
    assert all(a["type"] == "Action.Execute" and a["verb"] == "reflect.answer" for a in actions)
    assert card["actions"][-1]["style"] == "positive"
    json.dumps(card)  # serialisable as is


def test_a_free_text_question_offers_the_larger_box_dialog_before_the_commands() -> None:
    question = Outgoing(
        "What did you see, hear and smell?",
        kind="prompt",
        buttons=(Button("Skip", "cmd:skip@senses.0."), Button("Pause", "cmd:pause")),
        free_text=True,
        step_id="senses",
    )
    [activity] = render.render(question, larger_box="Answer in a larger box")
    card = (activity.attachments or [])[0].content
    box, *commands = card["actions"]
    assert box["type"] == "Action.Submit" and box["title"] == "Answer in a larger box"
    assert box["data"] == {"msteams": {"type": "task/fetch"}, "dialog": "answer", "mark": "senses.0."}
    assert [c["title"] for c in commands] == ["Skip", "Pause"]
    [without] = render.render(question)  # no title given: no dialog button
    assert [a["title"] for a in without.attachments[0].content["actions"]] == ["Skip", "Pause"]  # type: ignore[index]
    [chat] = render.render(Outgoing("Thanks."), larger_box="Answer in a larger box")
    assert not chat.attachments  # not a free-text question: nothing added


def test_many_choices_wrap_into_rows_teams_shows_whole() -> None:
    buttons = tuple(Button(f"Option {n}", f"choice:{n}@x.0.") for n in range(12))
    card = render.card(buttons)
    assert card is not None
    assert [len(row["actions"]) for row in card["body"]] == [5, 5, 2]
    assert "actions" not in card


def test_long_labels_are_shortened_and_a_message_without_buttons_has_no_card() -> None:
    card = render.card((Button("word " * 40, "choice:long@x.0."),))
    assert card is not None
    title = card["body"][0]["actions"][0]["title"]
    assert len(title) <= 60 and title.endswith("…")
    [plain] = render.render(Outgoing("Thanks."))
    assert not plain.attachments and plain.text == "Thanks."


def test_quoted_words_cannot_become_mentions_links_images_or_html() -> None:
    said = (
        "<at>Megan Bowen</at> said [click here](https://evil.example/x) and ![p](https://evil.example/p.png) "
        '<a href="https://evil.example">link</a> & <b>bold</b>'
    )
    [activity] = render.render(Outgoing(f"You said: _{said}_"))
    text = activity.text or ""
    for dangerous in ("<at>", "<a ", "<b>", "[click here](", "![p]("):
        assert dangerous not in text
    assert "&lt;at&gt;Megan Bowen&lt;/at&gt;" in text
    assert "&#91;click here&#93;(https://evil.example/x)" in text
    assert markup.unescape(text) == f"You said: _{said}_"  # every character still there


def test_headings_tables_rules_and_numbered_items_take_teams_shapes() -> None:
    note = "\n".join(
        [
            "# Group supervision minutes: HX-2291",
            "",
            "| What | Who | By when |",
            "|---|---|---|",
            "| Ask school about attendance | Megan | Fri 27 Nov |",
            "",
            "---",
            "3. *Adele Vance*: Mum may be depressed",
            "7. *Isaiah Langer*: The child is looking after mum",
            "> **Safeguarding prompt shown** during this session.",
            "- [x] The child's own words recorded",
            "plain line one",
            "plain line two",
        ]
    )
    text = markup.to_teams(note)
    assert text.split("\n\n") == [
        "**Group supervision minutes: HX-2291**",
        "- Ask school about attendance · _Who:_ Megan · _By when:_ Fri 27 Nov",
        "3&#46; *Adele Vance*: Mum may be depressed",  # not an ordered list that renumbers to 1.
        "7&#46; *Isaiah Langer*: The child is looking after mum",
        "> **Safeguarding prompt shown** during this session.",
        "- ☑ The child's own words recorded",
        "plain line one",  # each line its own paragraph: line breaks survive every client
        "plain line two",
    ]


def _note(sections: int, words_per_section: int) -> str:
    parts = ["# Post-visit reflection: HX-2291", ""]
    for n in range(sections):
        parts += [f"## Section {n}", ""]
        parts += [
            f"> Answer {n}.{w}: the kitchen floor was sticky & the telly loud <3"
            for w in range(words_per_section)
        ]
        parts.append("")
    return "\n".join(parts)


def test_a_long_note_is_split_by_section_under_the_limit_keeping_every_character() -> None:
    note = _note(sections=30, words_per_section=40)
    whole = markup.to_teams(note)
    assert render.size(whole) > 3 * render.MESSAGE_BYTES
    activities = render.render(Outgoing(note, kind="note"))
    texts = [a.text or "" for a in activities]
    assert len(texts) >= 4
    assert all(render.size(t) <= render.MESSAGE_BYTES for t in texts)
    assert "\n\n".join(texts) == whole  # order and every character kept
    # whole sections: every part after the first starts at a section heading
    assert all(t.startswith("**Section ") for t in texts[1:])


def test_a_single_huge_paragraph_is_cut_between_words_never_inside_a_reference() -> None:
    answer = "word & <tag> " * 4000  # escapes grow: & -> &amp; < -> &lt;
    activities = render.render(Outgoing(answer, kind="note"), limit=5000)
    texts = [a.text or "" for a in activities]
    assert len(texts) > 5
    assert all(render.size(t) <= 5000 for t in texts)
    assert "".join(texts) == markup.to_teams(answer)
    for t in texts:
        assert not re.search(r"&[a-z#0-9]*$", t), "cut inside a character reference"
        assert markup.unescape(t).count("<") == t.count("&lt;")


def test_the_card_goes_on_the_last_part_of_a_long_question() -> None:
    long_question = "\n\n".join(f"Paragraph {n}: " + "x" * 900 for n in range(40))
    activities = render.render(Outgoing(long_question, kind="prompt", buttons=CHOICES))
    assert len(activities) > 1
    assert all(not a.attachments for a in activities[:-1])
    assert activities[-1].attachments
    sizes = [
        render.size(a.text or "") + render.size(json.dumps(a.attachments[0].content)) for a in activities[-1:]
    ]
    assert sizes[0] <= render.MESSAGE_BYTES
    assert visible("".join(a.text or "" for a in activities)) == visible(long_question)


def test_emoji_count_as_two_utf16_units() -> None:
    assert render.size("a") == 2 and render.size("😀") == 4
    activities = render.render(Outgoing("😀" * 3000, kind="note"), limit=4000)
    assert all(render.size(a.text or "") <= 4000 for a in activities)
    assert "".join(a.text or "" for a in activities) == "😀" * 3000
