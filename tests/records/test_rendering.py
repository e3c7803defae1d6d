"""Lay the documents out for real: Word through LibreOffice, and both PDFs into page images.

LibreOffice opening the .docx and writing a PDF is the "opens cleanly" check; the PNG pages
(kept under REFLECT_RENDER_DIR when it is set) are there to be looked at. Missing tools skip
locally and fail in CI (tests/support/services.py).
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
from datetime import date
from pathlib import Path

from pypdf import PdfReader

from bot.records.access import Scope, day_range
from bot.records.export import export
from tests.records.conftest import Team, agree_and_sign
from tests.support.services import require_command


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", path
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def to_pages(pdftoppm: str, pdf: Path, prefix: Path) -> list[Path]:
    subprocess.run([pdftoppm, "-r", "50", "-png", str(pdf), str(prefix)], check=True, timeout=120)
    return sorted(prefix.parent.glob(f"{prefix.name}-*.png"))


async def test_word_and_pdf_lay_out_as_pages(team: Team, tmp_path: Path) -> None:
    soffice = require_command("soffice", "libreoffice", reason="LibreOffice lays out .docx files")
    pdftoppm = require_command("pdftoppm", reason="poppler-utils turns PDF pages into images")
    await agree_and_sign(team, "a_first")
    since, until = day_range(date(2026, 11, 1), date(2026, 11, 30))
    scope = Scope(worker="worker-a", since=since, until=until)
    word, pdf = tmp_path / "month.docx", tmp_path / "month.pdf"
    await export(team.store, "sup-a", scope, "docx", word)
    await export(team.store, "sup-a", scope, "pdf", pdf)

    converted = tmp_path / "libreoffice"
    profile = tmp_path / "lo-profile"  # a private profile: parallel runs don't share a lock
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(converted),
            str(word),
        ],
        check=True,
        timeout=180,
        capture_output=True,
    )
    from_word = converted / "month.pdf"
    assert from_word.exists(), "LibreOffice could not open the Word document"
    laid_out = " ".join(" ".join(p.extract_text() or "" for p in PdfReader(str(from_word)).pages).split())
    for words in ["Post-visit reflection: HX-2291", "Hypotheses (provisional)", "Signed by the supervisor"]:
        assert words in laid_out
    assert "Page 1 of" in laid_out  # the footer's fields were filled in

    for source, name in [(from_word, "docx"), (pdf, "pdf")]:
        pages = to_pages(pdftoppm, source, tmp_path / name)
        assert len(pages) >= 2, name  # a title page's worth and two sessions
        for page in pages:
            width, height = png_size(page)
            assert height > width > 300  # A4 portrait
            assert page.stat().st_size > 5_000  # not a blank page
        keep = os.environ.get("REFLECT_RENDER_DIR")
        if keep:
            Path(keep).mkdir(parents=True, exist_ok=True)
            for page in pages:
                shutil.copy(page, Path(keep) / page.name)
