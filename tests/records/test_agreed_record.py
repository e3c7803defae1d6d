"""The filed record is the agreed record (issue 15, item 1).

The approved AI summary is in every format, said to be drafted by an AI service and approved
(or edited) by the worker, apart from the worker's words; and nothing of the worker's
wellbeing reaches a supervisor's copy by any path unless they chose to share it.

Every path is tried: for each step of the feelings lens (the sharing question included), an
answer flagged private, a follow-up answer, a comment typed beside a choice, and, as a guard
against a missing flag, an unflagged answer at that step. Each carries its own token, and
each format of the supervisor's copy is read back with its own library.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from bot.core.session import AiDraft, Answer
from bot.records.export import FORMATS, export
from supervision_models.registry import default_registry
from tests.records.conftest import Team
from tests.records.test_exports import docx_text, month_of_worker_a, pdf_text

SUMMARY = "Aisummaryzq the visit raised questions about who else lives in the flat"
VARIANTS = {"a": "flagged private", "f": "follow-up", "c": "comment", "u": "unflagged"}


async def seed(team: Team, *, shared: bool, edited: bool = False) -> list[str]:
    """Give worker-a's 3 November session an answer of every kind at every feelings step,
    and an approved AI summary; return the tokens of the feelings answers."""
    session_id = team.sessions["a_first"]
    tokens: list[str] = []
    async with team.store.turn("seed") as tx:
        session = await tx.load_session(session_id)
        assert session is not None
        model = default_registry().get(session.model_id, session.model_version)
        seq = max(a.seq for a in session.answers) + 1
        feelings_steps = [s for s in model.steps if s.lens == "feelings"]
        assert any(s.kind == "share" for s in feelings_steps)  # the sharing question is one
        for n, step in enumerate(feelings_steps):
            for code in VARIANTS:
                token = f"leakzq{n}{code}x"
                tokens.append(token)
                session.answers.append(
                    Answer(
                        seq=seq,
                        step_id=step.id,
                        lens=step.lens,
                        category=step.category,
                        text=f"{token} words about how it felt",
                        at=session.started_at,
                        followup="too_short" if code == "f" else None,
                        field="comment" if code == "c" else None,
                        private=code != "u",
                    )
                )
                seq += 1
        session.share_feelings = shared
        session.ai_summary = AiDraft(text=SUMMARY, approved=True, edited_by_worker=edited)
        await tx.save_session(session)
    return tokens


def nospace(words: str) -> str:
    return "".join(words.split())


def readable(path: Path, fmt: str) -> str:
    """The file as its reader sees it, with all white space removed (PDF wraps lines)."""
    if fmt == "docx":
        text = docx_text(path)[0]
        document = docx.Document(str(path))
        for section in document.sections:
            text += "\n".join(p.text for p in section.header.paragraphs + section.footer.paragraphs)
    elif fmt == "pdf":
        text = pdf_text(path)
    else:
        text = path.read_bytes().decode("utf-8-sig")
        text = html.unescape(text) if fmt == "html" else text
    return "".join(text.split())


async def test_a_supervisors_copy_holds_no_feelings_answer_by_any_path(team: Team, tmp_path: Path) -> None:
    tokens = await seed(team, shared=False)
    assert len(tokens) >= 4 * 5  # four feelings steps and the sharing question, four ways each
    for fmt in FORMATS:
        out = tmp_path / f"supervisor.{fmt}"
        await export(team.store, "sup-a", month_of_worker_a(), fmt, out)
        text = readable(out, fmt)
        leaked = [t for t in tokens if t in text]
        assert not leaked, (fmt, leaked)
        assert "WRECK-COMMENT" not in text, fmt
        if fmt != "csv":  # CSV holds no free text at all
            assert nospace(SUMMARY) in text, fmt  # the agreed summary is the record's
    own = tmp_path / "own.md"  # the worker's own copy keeps every word
    await export(team.store, "worker-a", month_of_worker_a(), "md", own)
    text = readable(own, "md")
    assert [t for t in tokens if t not in text] == []


async def test_a_shared_session_shows_the_feelings_answers_marked_as_shared(
    team: Team, tmp_path: Path
) -> None:
    tokens = await seed(team, shared=True)
    for fmt in FORMATS:
        if fmt == "csv":
            continue
        out = tmp_path / f"supervisor.{fmt}"
        await export(team.store, "sup-a", month_of_worker_a(), fmt, out)
        text = readable(out, fmt)
        assert [t for t in tokens if t not in text] == [], fmt
        if fmt != "json":
            assert nospace("(private to the worker; shared by their choice)") in text, fmt


@pytest.mark.parametrize("edited", [False, True])
async def test_the_approved_ai_summary_is_in_every_format_marked_as_the_ais(
    team: Team, tmp_path: Path, edited: bool
) -> None:
    await seed(team, shared=False, edited=edited)
    approval = "edited and approved by Worker A" if edited else "approved by Worker A as drafted"
    for fmt in ("md", "html", "docx", "pdf"):
        out = tmp_path / f"summary.{fmt}"
        await export(team.store, "sup-a", month_of_worker_a(), fmt, out)
        text = readable(out, fmt)
        for words in ["Summary drafted by AI, approved by the worker", "Drafted by an AI service", approval]:
            assert nospace(words) in text, (fmt, words)
        assert nospace("It is not the worker's own words") in text, fmt
    # Kept apart from the worker's words: its own heading, after them, and not as one of them.
    word = tmp_path / "summary.docx"
    paragraphs = [p.text for p in docx.Document(str(word)).paragraphs]
    title = paragraphs.index("Summary drafted by AI, approved by the worker")
    assert paragraphs[title + 2] == SUMMARY
    assert paragraphs.index("Hypotheses (provisional)") < title  # after the reflection itself
    reader = PdfReader(str(tmp_path / "summary.pdf"))
    assert any("Summary drafted by AI" in (page.extract_text() or "") for page in reader.pages)

    out = tmp_path / "summary.json"
    await export(team.store, "sup-a", month_of_worker_a(), "json", out)
    first = json.loads(out.read_text())["sessions"][0]
    assert first["ai_summary"] == {
        "text": SUMMARY,
        "drafted_by": "ai_service",
        "approved_by": {"id": "worker-a", "name": "Worker A"},
        "edited_by_worker": edited,
    }
    assert all(SUMMARY not in e["text"] for s in first["sections"] for e in s["entries"])


async def test_a_draft_the_worker_did_not_approve_is_in_no_export(team: Team, tmp_path: Path) -> None:
    session_id = team.sessions["a_first"]
    async with team.store.turn("seed") as tx:
        session = await tx.load_session(session_id)
        assert session is not None
        session.ai_summary = AiDraft(text=SUMMARY, approved=False)
        await tx.save_session(session)
    for fmt in FORMATS:
        out = tmp_path / f"draft.{fmt}"
        await export(team.store, "worker-a", month_of_worker_a(), fmt, out)
        text = readable(out, fmt)
        assert "Aisummaryzq" not in text and "SummarydraftedbyAI" not in text, fmt
