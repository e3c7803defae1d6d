"""The App Home tab, built from the service's `HomeSummary`. Pure: no I/O.

What a worker sees is theirs alone (the service reads by owner): paused reflections with a
Resume button, recent notes with a button that sends the note to the DM, open actions with
their due dates, and the hypotheses currently held for each case. Buttons carry the engine's
own values ("start:", "resume:<id>"), so a click on the Home tab is the same as typing in the
DM; only "send me the note" is the adapter's own (it reads a stored note, it changes nothing).

Times are Slack date tokens (`<!date^...>`), which Slack shows in each viewer's own time
zone without the app reading it. Every piece of the worker's text is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from itertools import groupby
from typing import Any

from bot.adapters.slack import texts
from bot.adapters.slack.render import Block, button_element, escape, header, section, split_text
from bot.adapters.slack.translate import BUTTON_PREFIX, NOTE_ACTION
from bot.turns import ActionItem, HomeSummary, HypothesisItem, NoteItem, PausedItem

VIEW_BLOCKS = 100  # Slack's limit for a Home tab
MAX_PAUSED = 10
MAX_NOTES = 5
MAX_ACTIONS = 20
MAX_CASES = 10
STATUS_WORDS = {"leading": "leading", "open": "held open", "stronger": "more likely", "weaker": "less likely"}


def when(iso: str) -> str:
    """An ISO timestamp as a Slack date token (viewer's time zone), with a UTC fallback."""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return escape(iso)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    fallback = moment.astimezone(UTC).strftime("%d %b %Y %H:%M UTC")
    return f"<!date^{int(moment.timestamp())}^{{date_short_pretty}} at {{time}}|{fallback}>"


def due_words(due: str | None) -> str | None:
    """An ISO due date as "Fri 27 Nov 2026"; the worker's own words otherwise."""
    if not due:
        return None
    try:
        return date.fromisoformat(due).strftime("%a %d %b %Y")
    except ValueError:
        return escape(due)


def _case(case_ref: str | None) -> str:
    return escape(case_ref) if case_ref else f"_{texts.HOME_NO_CASE}_"


def _with_button(text: str, element: Block) -> Block:
    block = section(text)
    block["accessory"] = element
    return block


def _more(count: int, shown: int) -> list[Block]:
    if count <= shown:
        return []
    return [
        {"type": "context", "elements": [{"type": "mrkdwn", "text": texts.HOME_MORE.format(n=count - shown)}]}
    ]


def _empty(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def paused_blocks(items: Sequence[PausedItem]) -> list[Block]:
    blocks: list[Block] = [header(texts.HOME_PAUSED)]
    for n, item in enumerate(items[:MAX_PAUSED]):
        text = (
            f"*{escape(item.model_title)}* · {_case(item.case_ref)}\n"
            f"At _{escape(item.step_title)}_ · paused {when(item.paused_at)}"
        )
        resume = button_element(
            texts.HOME_RESUME, f"resume:{item.session_id}", f"{BUTTON_PREFIX}p{n}", "primary"
        )
        blocks.append(_with_button(text, resume))
    blocks += _more(len(items), MAX_PAUSED) if items else [_empty(texts.HOME_NONE_PAUSED)]
    return blocks


def note_blocks(items: Sequence[NoteItem]) -> list[Block]:
    blocks: list[Block] = [header(texts.HOME_NOTES)]
    for item in items[:MAX_NOTES]:
        text = f"*{escape(item.model_title)}* · {_case(item.case_ref)}\nFinished {when(item.completed_at)}"
        blocks.append(_with_button(text, button_element(texts.HOME_VIEW_NOTE, item.session_id, NOTE_ACTION)))
    blocks += _more(len(items), MAX_NOTES) if items else [_empty(texts.HOME_NONE_NOTES)]
    return blocks


def action_line(item: ActionItem) -> str:
    parts = [escape(item.what)]
    if item.who:
        parts.append(escape(item.who))
    due = due_words(item.due)
    parts.append(f"*due {due}*" if due else "_no date yet_")
    parts.append(_case(item.case_ref))
    return "• " + " · ".join(parts)


def action_blocks(items: Sequence[ActionItem]) -> list[Block]:
    blocks: list[Block] = [header(texts.HOME_ACTIONS)]
    if not items:
        return [*blocks, _empty(texts.HOME_NONE_ACTIONS)]
    lines = "\n".join(action_line(item) for item in items[:MAX_ACTIONS])
    blocks += [section(part) for part in split_text(lines) if part.strip()]
    return blocks + _more(len(items), MAX_ACTIONS)


def hypothesis_blocks(items: Sequence[HypothesisItem]) -> list[Block]:
    blocks: list[Block] = [header(texts.HOME_HYPOTHESES)]
    if not items:
        return [*blocks, _empty(texts.HOME_NONE_HYPOTHESES)]
    cases = [(case, list(group)) for case, group in groupby(items, key=lambda h: h.case_ref)]
    for case, group in cases[:MAX_CASES]:
        lines = [f"*{_case(case)}*"]
        for h in group:
            status = STATUS_WORDS.get(h.status, h.status.replace("_", " "))
            lines.append(f"• {escape(h.statement)} _({escape(status)})_")
        blocks += [section(part) for part in split_text("\n".join(lines)) if part.strip()]
    blocks += _more(len(cases), MAX_CASES)
    blocks.append(_empty(texts.HOME_PROVISIONAL))
    return blocks


def view(summary: HomeSummary) -> dict[str, Any]:
    """The Home tab: start buttons, then paused, notes, actions and hypotheses."""
    start = {
        "type": "actions",
        "block_id": "reflect:home:start",
        "elements": [
            button_element(texts.HOME_START, "start:", f"{BUTTON_PREFIX}start", "primary"),
            button_element(texts.HOME_OTHER, "cmd:models", f"{BUTTON_PREFIX}models"),
        ],
    }
    blocks: list[Block] = [header(texts.HOME_TITLE), section(texts.HOME_INTRO), start, {"type": "divider"}]
    blocks += paused_blocks(summary.paused)
    blocks += note_blocks(summary.recent_notes)
    blocks += action_blocks(summary.open_actions)
    blocks += hypothesis_blocks(summary.hypotheses)
    return {"type": "home", "blocks": blocks[:VIEW_BLOCKS]}
