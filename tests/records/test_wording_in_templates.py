"""A note's words outside the worker's own come from prompts/, so a second language is a
folder of templates: copy prompts/, translate it, point the wording at it."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import yaml

from bot.core.session import Answer, Session
from bot.records.note import NoteCompiler, lens_title, note_labels
from bot.reminders.kinds import kind_words
from bot.wording import PROMPTS_DIR, Wording
from supervision_models.registry import default_registry

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def _session() -> Session:
    session = Session(
        id="s1", owner="console:local:w", model_id="post_visit", model_version=1, platform="console",
        started_at=NOW, updated_at=NOW, status="complete",
    )  # fmt: skip
    session.answers.append(
        Answer(seq=1, step_id="senses", lens="senses", category="observation", text="A cold flat.", at=NOW)
    )
    return session


def test_lens_titles_and_categories_come_from_the_labels_file() -> None:
    labels = yaml.safe_load((PROMPTS_DIR / "notes" / "labels.yaml").read_text(encoding="utf-8"))
    assert lens_title("senses") == labels["lens_titles"]["senses"] == "What was seen, heard and smelled"
    model = default_registry().get("post_visit")
    note = NoteCompiler().markdown(_session(), model)
    assert labels["lens_titles"]["senses"] in note
    assert labels["category_labels"]["observation"] in note
    assert "A cold flat." in note


def test_a_second_language_is_a_folder(tmp_path: Path) -> None:
    welsh = tmp_path / "cy"
    shutil.copytree(PROMPTS_DIR, welsh)
    labels_file = welsh / "notes" / "labels.yaml"
    labels = yaml.safe_load(labels_file.read_text(encoding="utf-8"))
    labels["lens_titles"]["senses"] = "Beth a welwyd, a glywyd ac a aroglwyd"
    labels["category_labels"]["observation"] = "Arsylwad"
    labels_file.write_text(yaml.safe_dump(labels, allow_unicode=True), encoding="utf-8")

    note = NoteCompiler(Wording(welsh).env).markdown(_session(), default_registry().get("post_visit"))
    assert "Beth a welwyd, a glywyd ac a aroglwyd" in note
    assert "Arsylwad" in note
    assert "What was seen, heard and smelled" not in note
    assert note_labels(PROMPTS_DIR)["lens_titles"]["senses"] == "What was seen, heard and smelled"


def test_reminder_kinds_are_named_in_the_prompts_folder() -> None:
    words = kind_words()
    named = yaml.safe_load((PROMPTS_DIR / "reminders" / "kinds.yaml").read_text(encoding="utf-8"))
    assert words == named
    for kind in words:  # every kind that has a name also has its message template
        assert (PROMPTS_DIR / "reminders" / f"{kind}.j2").exists(), kind
