"""Wording: every template compiles, and a value a template needs but was not given is an
error (StrictUndefined), never a blank in front of a worker."""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2 import UndefinedError

from bot.engine.outcome import Reply
from bot.records.export.templating import html_environment, markdown_environment
from bot.wording import PROMPTS_DIR, Wording, make_environment

TEMPLATES = sorted(str(p.relative_to(PROMPTS_DIR)) for p in PROMPTS_DIR.rglob("*.j2"))


@pytest.mark.parametrize("name", TEMPLATES)
def test_every_template_compiles(name: str) -> None:
    env = {"exports/record.html.j2": html_environment(), "exports/record.md.j2": markdown_environment()}
    env.get(name, make_environment()).get_template(name)


def test_a_missing_value_is_an_error_not_a_blank(tmp_path: Path) -> None:
    (tmp_path / "chat").mkdir()
    (tmp_path / "chat" / "labels.yaml").write_text("skip: Skip\n")
    (tmp_path / "chat" / "hello.j2").write_text(
        "Hello {{ name }}{% if case_ref %} about {{ case_ref }}{% endif %}."
    )
    wording = Wording(tmp_path)
    assert wording.text("chat/hello.j2", name="Sam", case_ref="HX-1") == "Hello Sam about HX-1."
    assert wording.text("chat/hello.j2", name="Sam", case_ref=None) == "Hello Sam."
    with pytest.raises(UndefinedError, match="case_ref"):
        wording.text("chat/hello.j2", name="Sam")
    with pytest.raises(UndefinedError, match="name"):
        wording.render(Reply(template="chat/hello.j2", vars={"case_ref": None}))


def test_a_real_reply_template_refuses_a_missing_value() -> None:
    wording = Wording()
    assert "HX-1" in wording.text("chat/paused.j2", case_ref="HX-1", step_title="Feelings")
    with pytest.raises(UndefinedError):
        wording.text("chat/paused.j2", case_ref="HX-1")
