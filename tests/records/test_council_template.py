"""A council's own Word template (docxtpl, REFLECT_EXPORT_WORD_TEMPLATE) and logo
(REFLECT_EXPORT_LOGO): the example shipped in docs/examples is filled in with the record,
read back with python-docx, laid out by LibreOffice and rendered to page images; the logo
heads the pages of our own Word, PDF and HTML too."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from bot.config import Settings
from bot.errors import InvalidRequest
from bot.records.export import export
from bot.records.export.docx import AUTHOR
from tests.records.conftest import PRIVATE_FEELING, SHARE_COMMENT, Team, agree_and_sign
from tests.records.test_exports import ACTIONS, FIRST_SESSION_WORDS, month_of_worker_a
from tests.records.test_rendering import png_size, to_pages
from tests.support.services import require_command

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
TEMPLATE = EXAMPLES / "council-word-template.docx"
LOGO = EXAMPLES / "council-logo.png"


def _all_text(document: docx.document.Document) -> str:
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


async def test_a_councils_word_template_is_filled_in_with_the_record(team: Team, tmp_path: Path) -> None:
    await agree_and_sign(team, "a_first")
    out = tmp_path / "council.docx"
    result = await export(
        team.store, "sup-a", month_of_worker_a(), "docx", out, word_template=TEMPLATE, logo=LOGO
    )
    assert result.count == 2
    document = docx.Document(str(out))
    text = _all_text(document)
    assert "Harbourside Borough Council: supervision record" in text  # the council's own words
    assert "{{" not in text and "{%" not in text  # every tag filled in
    for words in FIRST_SESSION_WORDS + ACTIONS:
        assert words in text, words
    for words in ["Post-visit reflection: HX-2291 (03 Nov 2026)", "Supervisor A", "Worker A, Supervisor A"]:
        assert words in text, words
    assert PRIVATE_FEELING not in text and SHARE_COMMENT not in text  # the audience rule holds
    signatures = next(t for t in document.tables if t.rows[0].cells[0].text == "Version")
    assert [c.text for c in signatures.rows[1].cells][2].startswith("Supervisor A, 2026-11")
    header = document.sections[0].header
    assert any("image" in part.content_type for part in header.part.related_parts.values())  # the logo
    assert "OFFICIAL-SENSITIVE" in header.paragraphs[0].text
    props = document.core_properties
    assert props.author == AUTHOR and props.title.startswith("Supervision record")


async def test_the_councils_template_lays_out_as_pages(team: Team, tmp_path: Path) -> None:
    soffice = require_command("soffice", "libreoffice", reason="LibreOffice lays out .docx files")
    pdftoppm = require_command("pdftoppm", reason="poppler-utils turns PDF pages into images")
    out = tmp_path / "council.docx"
    await export(team.store, "sup-a", month_of_worker_a(), "docx", out, word_template=TEMPLATE, logo=LOGO)
    converted = tmp_path / "lo"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(converted),
            str(out),
        ],
        check=True,
        timeout=180,
        capture_output=True,
    )
    laid_out = converted / "council.pdf"
    reader = PdfReader(str(laid_out))
    printed = " ".join(" ".join(p.extract_text() or "" for p in reader.pages).split())
    assert "Harbourside Borough Council" in printed and "HX-2291" in printed
    assert "Post-visit reflection: HX-2291 (10 Nov 2026)" in printed
    pages = to_pages(pdftoppm, laid_out, tmp_path / "council")
    assert len(pages) == len(reader.pages) >= 3  # the front, then each session from a new page
    assert all(png_size(p)[0] > 300 for p in pages)
    keep = os.environ.get("REFLECT_RENDER_DIR")  # to look at them
    if keep:
        for page in pages:
            shutil.copy(page, Path(keep) / page.name)


async def test_a_broken_template_is_refused_in_words(team: Team, tmp_path: Path) -> None:
    broken = tmp_path / "broken.docx"
    document = docx.Document()
    document.add_paragraph("{% for s in sessions %}{{ s.title }")
    document.save(str(broken))
    with pytest.raises(InvalidRequest) as refused:
        await export(
            team.store, "sup-a", month_of_worker_a(), "docx", tmp_path / "x.docx", word_template=broken
        )
    assert "REFLECT_EXPORT_WORD_TEMPLATE" in (refused.value.user_message or "")


async def test_the_logo_heads_our_own_word_pdf_and_html(team: Team, tmp_path: Path) -> None:
    for fmt in ("docx", "pdf", "html"):
        out = tmp_path / f"logo.{fmt}"
        await export(team.store, "sup-a", month_of_worker_a(), fmt, out, logo=LOGO)  # type: ignore[arg-type]
        if fmt == "docx":
            header = docx.Document(str(out)).sections[0].header
            assert any("image" in p.content_type for p in header.part.related_parts.values())
        elif fmt == "pdf":
            page = PdfReader(str(out)).pages[0]
            images = [name for name, x in page["/Resources"]["/XObject"].items() if x["/Subtype"] == "/Image"]
            assert images
        else:
            assert 'src="data:image/png;base64,' in out.read_text(encoding="utf-8")


def test_settings_refuse_a_template_or_logo_that_is_not_there(tmp_path: Path) -> None:
    settings = Settings(
        REFLECT_EXPORT_WORD_TEMPLATE=str(tmp_path / "missing.docx"), REFLECT_EXPORT_LOGO=str(TEMPLATE)
    )
    problems = " ".join(settings.problems())
    assert "REFLECT_EXPORT_WORD_TEMPLATE" in problems and "REFLECT_EXPORT_LOGO" in problems
    fine = Settings(REFLECT_EXPORT_WORD_TEMPLATE=str(TEMPLATE), REFLECT_EXPORT_LOGO=str(LOGO))
    assert not [p for p in fine.problems() if "EXPORT" in p]
