"""The choices corpus again, this time typed into the whole engine at its own question.

`make eval` measures the reading of each message on its own; here the same messages go through
everything that stands in front of that reading in a real conversation (commands, follow-ups,
the risk and identifier checks), and the test checks what the session stored.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.engine.commands import Command, parse_command
from bot.engine.state import ActionItem, CaseHistory, Hypothesis
from supervision_models.registry import default_registry
from tests.support.engine_harness import START, EngineHarness

ROWS: list[dict[str, Any]] = [
    row
    for row in yaml.safe_load((Path(__file__).parents[1] / "corpus" / "choices.yaml").read_text())
    if "." in str(row.get("step", ""))
    and not str(row["step"]).startswith(("group_", "model."))
    and not str(row["step"]).endswith("ai_summary")
]


def history() -> CaseHistory:
    return CaseHistory(
        case_ref="HX-5120",
        last_session_at=START,
        hypotheses=[
            Hypothesis(id="old:h1", case_ref="HX-5120", statement="mum is low", session_id="old", step_id="h")
        ],
        actions=[ActionItem(id="old:a1", case_ref="HX-5120", what="ring school", session_id="old")],
    )


def reach(h: EngineHarness, model_id: str, step_id: str) -> None:
    model = default_registry().get(model_id)
    h.histories["HX-5120"] = history()
    h.send(f"start {model_id}")
    for _ in range(80):
        if h.step == step_id:
            return
        session = h.active
        assert session is not None, f"{model_id} ended before {step_id}"
        step = model.step(h.step or "")
        if session.awaiting == "confirm_items":
            h.send("yes")
        elif step.kind == "case_ref":
            h.send("hx 5120")
        elif not step.skippable:
            h.send("1" if step.choices else "words for this question")
        else:
            h.send("skip")
    raise AssertionError(f"never reached {model_id}.{step_id}")


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"{r['step']}: {r['text'][:40]}")
def test_a_choice_typed_in_words_is_stored_as_that_choice(row: dict[str, Any]) -> None:
    model_id, step_id = str(row["step"]).split(".")
    h = EngineHarness()
    reach(h, model_id, step_id)
    session = h.active
    assert session is not None
    before = dict(session.choices)
    h.send(str(row["text"]))
    after = next(iter(h.sessions.values())) if h.active is None else h.active
    chosen = {k: v for k, v in after.choices.items() if k not in before}
    if "value" in row:
        assert list(chosen.values()) == [row["value"]], h.texts()
        assert (
            h.step != step_id or after.cursor is None or after.cursor.item > 0 or after.awaiting == "risk_ack"
        )
    elif isinstance(parse_command(str(row["text"])), Command):  # "skip", "hlep": the command, not an answer
        assert chosen == {}
        assert all(a.text != row["text"] for a in after.answers)
    else:  # unclear or torn: asked once more, nothing chosen, the words held (not filed)
        assert chosen == {}
        assert h.step == step_id and after.held_text == row["text"]
