"""PDF exports are PDF/A-2a for archiving and PDF/UA-1 for screen readers, tagged
(bot/records/export/pdf.py), checked by three readers from the package registry:

- pikepdf's PDF/A validator (`pikepdf.pdfa.validate_written`), which checks the B level
  (what every PDF/A-2 level requires: fonts embedded, colour, metadata) and knows no
  extension schemas, so the few findings that are its own limits are named below;
- `pdfua` (PyPI, built on pikepdf, no JVM), which checks the machine-checkable part of
  PDF/UA-1: tagging, the language, the title, headings, tables, figures' alt text. veraPDF,
  which checks all of it, is Java and on no registry the project uses (not PyPI, npm or
  Debian's packages);
- poppler's `pdfinfo -struct-text`, which prints the structure tree with its text, as a
  screen reader walks it: the worker's words in reading order, and no running header or
  footer (those are artifacts).

And the structure tree itself, walked with pikepdf: the document's H1 (sessions), H2
(sections), Table with TH and TD, and P elements.
"""

from __future__ import annotations

import re
import subprocess
from datetime import date
from pathlib import Path

import pikepdf
import pytest
from pdfua import Severity
from pdfua import validate as validate_ua
from pikepdf import pdfa
from pypdf import PdfReader

from bot.errors import InvalidRequest
from bot.records.access import Scope, day_range
from bot.records.export import export
from tests.records.conftest import Team, agree_and_sign, first_visit, reflect
from tests.records.test_exports import month_of_worker_a, squash
from tests.support.services import require_command

LOGO = Path(__file__).resolve().parents[2] / "docs" / "examples" / "council-logo.png"

# pikepdf's validator checks PDF/A-2b; these findings on a PDF/A-2a + PDF/UA-1 file are its
# own limits, not faults of the file: the claim is the A level (tagged), and the XMP carries
# the PDF/A extension schema that declares the PDF/UA and page-count properties, which it
# doesn't read; and it wants an outline item's /Dest to be a direct array, where Typst's is
# an indirect reference to one (the PDF standard allows either).
NOT_PIKEPDFS = (
    ("ISO_19005_2:6.6.4-3", "pdfaid:conformance is 'A', expected 'B'"),
    ("ISO_19005_2:6.6.2.3.1-1", "XMP namespace xmpTPg="),
    ("ISO_19005_2:6.6.2.3.1-1", "XMP namespace pdfaExtension="),
    ("ISO_19005_2:6.6.2.3.1-1", "XMP namespace pdfaSchema="),
    ("ISO_19005_2:6.6.2.3.1-1", "XMP namespace pdfaProperty="),
    ("ISO_19005_2:6.6.2.3.1-1", "XMP property pdfaExtension:schemas is not permitted"),
    ("ISO_19005_2:6.6.2.3.1-1", "XMP property pdfuaid:part is not permitted"),
    ("ISO_19005_2:6.6.2.3.1-1", "XMP property xmpTPg:NPages is not permitted"),
    ("pikepdf:schema-OutlineItem", "is not valid under any of the given schemas"),
)


def pdf_a_violations(path: Path) -> list[str]:
    report = pdfa.validate_written(path, "2b")
    return [
        f"{f.rule} {f.where}: {f.message}"
        for f in report.findings
        if f.kind == "violation"
        and not any(f.rule == rule and words in f.message for rule, words in NOT_PIKEPDFS)
    ]


def pdf_ua_errors(path: Path) -> list[str]:
    report = validate_ua(str(path))
    return [f"{f.rule_id}: {f.message}" for f in report.findings if f.severity >= Severity.ERROR]


def structure(path: Path) -> list[str]:
    """Every element of the structure tree, depth first: its type (/S)."""
    kinds: list[str] = []
    with pikepdf.open(path) as pdf:
        stack = [pdf.Root.StructTreeRoot]
        while stack:
            node = stack.pop()
            if "/S" in node:
                kinds.append(str(node.S)[1:])
            kids = node.get("/K")
            if kids is None:
                continue
            items = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
            stack.extend(reversed([k for k in items if isinstance(k, pikepdf.Dictionary) and "/S" in k]))
    return kinds


def struct_text(path: Path) -> str:
    pdfinfo = require_command("pdfinfo", reason="poppler-utils prints a PDF's structure tree")
    shown = subprocess.run(
        [pdfinfo, "-struct-text", str(path)], check=True, capture_output=True, text=True, timeout=60
    ).stdout
    return " ".join(re.findall(r'"(.*)"', shown))  # the text of each element, in tree order


async def test_a_pdf_export_is_pdf_a_2a_and_pdf_ua_1(team: Team, tmp_path: Path) -> None:
    await agree_and_sign(team, "a_first")
    out = tmp_path / "month.pdf"
    await export(team.store, "sup-a", month_of_worker_a(), "pdf", out)
    assert not pdf_a_violations(out)
    assert not pdf_ua_errors(out)
    with pikepdf.open(out) as pdf:
        meta = pdf.open_metadata()
        assert (meta.get("pdfaid:part"), meta.get("pdfaid:conformance")) == ("2", "A")
        assert meta.get("pdfuaid:part") == "1"
        assert "Supervision record" in str(meta.get("dc:title"))
        intents = pdf.Root.OutputIntents
        assert len(intents) == 1 and intents[0].S == "/GTS_PDFA1"
        assert intents[0].DestOutputProfile.read_bytes()[36:40] == b"acsp"  # an ICC profile
        assert str(pdf.Root.Lang) == "en-GB"
        assert pdf.Root.MarkInfo.Marked is True
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True  # the title, not the file name
    reader = PdfReader(str(out))  # still the same record, page for page
    assert "Post-visit reflection: HX-2291" in (reader.pages[2].extract_text() or "")


async def test_the_structure_tree_holds_the_record_in_reading_order_without_the_running_heads(
    team: Team, tmp_path: Path
) -> None:
    out = tmp_path / "month.pdf"
    await export(team.store, "sup-a", month_of_worker_a(), "pdf", out)
    kinds = structure(out)
    for kind in ("Document", "H1", "H2", "H3", "P", "Table", "THead", "TH", "TD"):
        assert kind in kinds, kind
    assert kinds.count("H1") == 1 + 2  # the contents page and two sessions
    tree = squash(struct_text(out))
    answers = [
        "SENSES the kitchen floor was sticky",
        "CHILD-DAY she gets herself up at seven",
        "CHILD-WORDS she said",
        "HYPOTHESIS-ONE mum is low and not coping",
        "ITEMONE call school about attendance",
        "SENSES-TWO the flat was warmer and tidier",
    ]
    found = [tree.find(words) for words in answers]
    assert -1 not in found, dict(zip(answers, found, strict=True))
    assert found == sorted(found)  # read in the order the record is laid out
    # The running header and footer are artifacts: on every page, in no element.
    printed = squash("\n".join(p.extract_text() or "" for p in PdfReader(str(out)).pages))
    for running in ("Page 1 of", "Supervision record — confidential", "Worker: Worker A · Case: HX-2291"):
        assert running in printed, running
        assert running not in tree, running


async def test_a_whole_team_with_group_minutes_and_a_logo_stays_pdf_a_and_ua(
    team: Team, tmp_path: Path
) -> None:
    out = tmp_path / "team.pdf"
    await export(team.store, "sup-a", Scope(team="harbour"), "pdf", out, logo=LOGO)
    assert not pdf_a_violations(out)
    assert not pdf_ua_errors(out)
    kinds = structure(out)
    assert kinds.count("H1") == 1 + 6  # the contents page and six sessions
    with pikepdf.open(out) as pdf, pdf.open_outline() as outline:  # bookmarks: sessions, sections
        sessions = [item.title for item in outline.root]
        sections = [child.title for item in outline.root for child in item.children]
    assert len(sessions) == 6 and all(s.endswith(" 2026)") for s in sessions), sessions
    assert "Contents" not in sessions and "Supervision record" not in sessions
    assert "Hypotheses (provisional)" in sections and "Sign-off" in sections


HOSTILE = [
    "#set text(fill: red)",
    "*not bold*",
    "_not italic_",
    "$x^2$",
    "back\\slash",
    "<x>",
    "@ref",
    "// not a comment",
    "/* nor this */",
    "#{1 + 1}",
    "[brackets] {braces}",
    "“curly” ‘quotes’ — em dash, café, naïve",
    "emoji 😀 smile",
    "שלום עולם",
    "مرحبا",
]


async def test_a_workers_words_print_as_typed_never_as_typst_markup(team: Team, tmp_path: Path) -> None:
    answers = first_visit()
    answers["case_ref"] = "HX-4040"
    answers["child_day"] = " ".join(HOSTILE) + " ctrl\x07\x1b\x7f\x9fend cjk 漢字 private\ue000use"
    answers["child_words"] = "line one\nline two\twith a tab"
    await reflect(team.service, "worker-z", answers)
    out = tmp_path / "own.pdf"
    await export(team.store, "worker-z", Scope(), "pdf", out)
    printed = squash("\n".join(p.extract_text() or "" for p in PdfReader(str(out)).pages))
    for words in HOSTILE:
        assert squash(words) in printed or words in ("שלום עולם", "مرحبا"), words
    tree = struct_text(out)
    for words in ("#set text(fill: red)", "@ref", "$x^2$", "“curly” ‘quotes’", "😀"):
        assert words in tree, words
    # Right to left: Typst marks each run /ReversedChars, which poppler prints as drawn
    # (reversed) and of several such runs in one element keeps only the last.
    for words in ("עולם", "مرحبا"):
        assert words[::-1] in tree, words
    assert "ctrlend" in printed  # control characters dropped, as in every format
    assert "cjk \ufffd\ufffd privateuse" in printed  # no embedded font has them: shown as such
    assert "line one" in printed and "line two with a tab" in printed
    assert not pdf_a_violations(out)


async def test_a_logo_typst_cannot_read_is_an_invalid_request_naming_the_setting(
    team: Team, tmp_path: Path
) -> None:
    broken = tmp_path / "logo.png"
    broken.write_bytes(b"not a png at all")
    for logo in (broken, tmp_path / "missing.png"):
        with pytest.raises(InvalidRequest) as refused:
            await export(team.store, "sup-a", month_of_worker_a(), "pdf", tmp_path / "x.pdf", logo=logo)
        assert "REFLECT_EXPORT_LOGO" in (refused.value.user_message or "")
        assert "not a png" not in str(refused.value)
        assert refused.value.__cause__ is not None  # Typst's own error, kept for whoever debugs


async def test_an_export_with_no_sessions_is_one_valid_page(team: Team, tmp_path: Path) -> None:
    since, until = day_range(date(2026, 1, 5), date(2026, 1, 9))  # a week with no reflections
    out = tmp_path / "empty.pdf"
    assert (await export(team.store, "worker-a", Scope(since=since, until=until), "pdf", out)).count == 0
    reader = PdfReader(str(out))
    assert len(reader.pages) == 1
    text = squash(reader.pages[0].extract_text() or "")
    assert "There are no completed sessions in this selection." in text and "Page 1 of 1" in text
    assert not pdf_a_violations(out) and not pdf_ua_errors(out)
