"""PDF exports are PDF/A-2b for archiving: checked with pikepdf's PDF/A validator (from the
package registry; veraPDF is not on it) and by reading the conformance claim, the output
intent and the metadata back. Not tagged for screen readers: see bot/records/export/pdf.py."""

from __future__ import annotations

from pathlib import Path

import pikepdf
from pikepdf import pdfa
from pypdf import PdfReader

from bot.records.access import Scope
from bot.records.export import export
from tests.records.conftest import Team, agree_and_sign
from tests.records.test_exports import month_of_worker_a


async def test_a_pdf_export_passes_the_pdf_a_validator(team: Team, tmp_path: Path) -> None:
    await agree_and_sign(team, "a_first")
    out = tmp_path / "month.pdf"
    await export(team.store, "sup-a", month_of_worker_a(), "pdf", out)
    report = pdfa.validate_written(out, "2b")
    assert report.verdict == "pass", [f.message for f in report.findings][:5]
    with pikepdf.open(out) as pdf:
        meta = pdf.open_metadata()
        assert (meta.get("pdfaid:part"), meta.get("pdfaid:conformance")) == ("2", "B")
        assert "Supervision record" in str(meta.get("dc:title"))
        intents = pdf.Root.OutputIntents
        assert len(intents) == 1 and intents[0].S == "/GTS_PDFA1"
        assert intents[0].DestOutputProfile.read_bytes()[36:40] == b"acsp"  # an ICC profile
        assert str(pdf.Root.Lang) == "en-GB"
    reader = PdfReader(str(out))  # still the same record, page for page
    assert "Post-visit reflection: HX-2291" in (reader.pages[2].extract_text() or "")


async def test_a_whole_team_with_group_minutes_and_a_logo_stays_pdf_a(team: Team, tmp_path: Path) -> None:
    out = tmp_path / "team.pdf"
    logo = Path(__file__).resolve().parents[2] / "docs" / "examples" / "council-logo.png"
    await export(team.store, "sup-a", Scope(team="harbour"), "pdf", out, logo=logo)
    assert pdfa.validate_written(out, "2b").verdict == "pass"
