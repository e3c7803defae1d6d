"""Lay the documents out for real: Word through LibreOffice, and both PDFs into page images.

LibreOffice opening the .docx and writing a PDF is the "opens cleanly" check; the PNG pages
(kept under REFLECT_RENDER_DIR when it is set) are there to be looked at. Missing tools skip
locally and fail in CI (tests/support/services.py).
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import struct
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import docx
import pikepdf
import pytest
from pypdf import PdfReader

from bot.config import load_settings
from bot.records.access import Scope, day_range
from bot.records.export import DEFAULT_MARKING, export
from tests.records.conftest import Team, agree_and_sign, joined, say
from tests.records.test_exports import squash
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


# ---------------------------------------------------------------- a council's record, page by page


def _libreoffice_pdf(soffice: str, word: Path, tmp_path: Path) -> Path:
    converted = tmp_path / "libreoffice"
    profile = tmp_path / "lo-profile"
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
    laid_out = converted / f"{word.stem}.pdf"
    assert laid_out.exists(), "LibreOffice could not open the Word document"
    return laid_out


def _ink_rows(page: Path) -> int:
    """How many pixel rows between the running header and footer hold any ink."""
    from PIL import Image

    with Image.open(page) as image:
        grey = image.convert("L")
        width, height = grey.size
        top, bottom = int(height * 0.1), int(height * 0.9)  # inside the header and footer
        body = grey.crop((0, top, width, bottom))
        pixels = body.load()
        assert pixels is not None
        return sum(1 for y in range(body.height) if any(pixels[x, y] < 160 for x in range(0, body.width, 2)))


async def test_every_page_is_marked_headed_numbered_and_never_blank(team: Team, tmp_path: Path) -> None:
    soffice = require_command("soffice", "libreoffice", reason="LibreOffice lays out .docx files")
    pdftoppm = require_command("pdftoppm", reason="poppler-utils turns PDF pages into images")
    await agree_and_sign(team, "a_first")
    scope = Scope(team="harbour")  # six sessions, two workers and a facilitator, several cases
    word, pdf = tmp_path / "team.docx", tmp_path / "team.pdf"
    await export(team.store, "sup-a", scope, "docx", word, marking="OFFICIAL-SENSITIVE PERSONAL")
    await export(team.store, "sup-a", scope, "pdf", pdf, marking="OFFICIAL-SENSITIVE PERSONAL")

    for source, name in [(_libreoffice_pdf(soffice, word, tmp_path), "docx"), (pdf, "pdf")]:
        reader = PdfReader(str(source))
        total = len(reader.pages)
        texts = [" ".join((page.extract_text() or "").split()) for page in reader.pages]
        for number, text in enumerate(texts, start=1):
            assert "OFFICIAL-SENSITIVE PERSONAL" in text, (name, number)
            assert f"Page {number} of {total}" in text, (name, number)
            assert "Records of Harbour Team" in text or " · Case: " in text, (name, number)
        # Pages are headed with whose record they hold: each session's worker and case.
        assert any("Worker: Worker A · Case: HX-2291" in t for t in texts), name
        assert any("Worker: Worker B · Case: HX-3107" in t for t in texts), name
        assert any("Facilitator: Supervisor A · Case: HX-2291" in t for t in texts), name
        # The contents page lists every session with the page it starts on.
        contents = next(t for t in texts if "Contents" in t and "Record status" in t)
        starts = [n for n, t in enumerate(texts, start=1) if "Case reference" in t and "Reflection" in t]
        assert len(starts) == 6, (name, starts)
        for title in ("Post-visit reflection: HX-3107 (11 Nov 2026)", "Group supervision minutes"):
            assert title in contents, (name, title)
        raw = next(
            page.extract_text() or "" for page in reader.pages if "Contents" in (page.extract_text() or "")
        )
        listed = [
            int(number)
            for line in raw.splitlines()
            if "Page " not in line
            for number in re.findall(r"(?:^|\s)(\d{1,3})\s*$", line)
        ]
        assert listed == starts, name  # each session listed with the page it starts on
        # A sign-off never stands alone: it shares its page with the end of its session.
        for text in texts:
            if "Sign-off" in text:
                assert "Quality of the record" in text, name
            if "Version history" in text:
                assert "Sign-off" in text, name
        # A hypothesis's status keeps its bracket on its line.
        lines = [line for page in reader.pages for line in (page.extract_text() or "").splitlines()]
        assert any(re.search(r"Leading\s\(provisional\)", line) for line in lines), name
        assert not any(line.strip() in ("(provisional", ")", "provisional)") for line in lines), name

        pages = to_pages(pdftoppm, source, tmp_path / name)
        assert len(pages) == total
        for number, page in enumerate(pages, start=1):
            width, height = png_size(page)
            assert height > width > 300  # A4 portrait
            assert _ink_rows(page) > 40, (name, number)  # more than a header and footer: not blank
        keep = os.environ.get("REFLECT_RENDER_DIR")
        if keep:
            Path(keep).mkdir(parents=True, exist_ok=True)
            for page in pages:
                shutil.copy(page, Path(keep) / f"team-{page.name}")


async def test_word_and_pdf_say_what_they_are_who_made_them_and_when(
    team: Team, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("REFLECT_PROTECTIVE_MARKING", raising=False)
    assert load_settings().protective_marking == DEFAULT_MARKING == "OFFICIAL-SENSITIVE"
    monkeypatch.setenv("REFLECT_PROTECTIVE_MARKING", "OFFICIAL-SENSITIVE [HARBOUR]")
    marking = load_settings().protective_marking  # as the CLI and chat read it, and pass it in
    exported = datetime(2026, 6, 2, 14, 30, tzinfo=UTC)  # summer: UK time is BST
    word, pdf = tmp_path / "own.docx", tmp_path / "own.pdf"
    await export(team.store, "worker-a", Scope(), "docx", word, now=exported, marking=marking)
    await export(team.store, "worker-a", Scope(), "pdf", pdf, now=exported, marking=marking)

    props = docx.Document(str(word)).core_properties
    assert props.title == "Supervision record: your own notes"
    assert props.author == props.last_modified_by == "Reflective supervision bot"
    assert props.created == props.modified == exported
    assert "python-docx" not in f"{props.comments} {props.author} {props.keywords} {props.subject}"
    assert "02 Jun 2026, 15:30 BST" in props.comments
    assert props.content_status == "OFFICIAL-SENSITIVE [HARBOUR]" and props.language == "en-GB"
    document = docx.Document(str(word))
    started = [r for t in document.tables for r in t.rows if r.cells[0].text == "Started"]
    # The team's clock moves on a little each turn: the hour is what shows the UK time.
    assert re.fullmatch(r"14 Oct 2026, 10:0\d BST", started[0].cells[1].text)  # 09:0x UTC, in October
    assert re.fullmatch(r"03 Nov 2026, 09:0\d GMT", started[1].cells[1].text)
    headers = [p.text for s in document.sections for p in s.header.paragraphs]
    assert headers.count("OFFICIAL-SENSITIVE [HARBOUR]") == len(document.sections) == 1 + 3
    assert document.paragraphs[0].text == "OFFICIAL-SENSITIVE [HARBOUR]"

    reader = PdfReader(str(pdf))
    info = reader.metadata
    assert info is not None
    assert info.title == "Supervision record: your own notes"
    assert info.author == "Reflective supervision bot"
    assert (info.creator or "").startswith("Typst")  # the program that laid it out
    assert info.subject == "OFFICIAL-SENSITIVE [HARBOUR]: Supervision record — confidential"
    keywords = str(info.get("/Keywords"))
    assert "OFFICIAL-SENSITIVE [HARBOUR]" in keywords and "supervision record" in keywords
    assert all("OFFICIAL-SENSITIVE [HARBOUR]" in (page.extract_text() or "") for page in reader.pages)
    assert info.creation_date == exported
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    for page in reader.pages:  # every font embedded: the file prints the same anywhere
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = (
                font.get("/FontDescriptor") or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            )
            assert "/FontFile2" in descriptor.get_object(), font["/BaseFont"]


def _first_page(element: pikepdf.Object) -> int | None:
    """The page (its object number) an element of the structure tree starts on."""
    if isinstance(element, pikepdf.Dictionary):
        if "/Pg" in element:
            return int(element.Pg.objgen[0])
        kids = element.get("/K")
        items = list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
        for kid in items:
            page = _first_page(kid)
            if page is not None:
                return page
    return None


async def test_a_heading_always_shares_its_page_with_what_follows_it(team: Team, tmp_path: Path) -> None:
    await agree_and_sign(team, "a_first")
    pdf = tmp_path / "team.pdf"
    await export(team.store, "sup-a", Scope(team="harbour"), "pdf", pdf)
    with pikepdf.open(pdf) as document:
        numbers = {page.objgen[0]: n for n, page in enumerate(document.pages, start=1)}
        root = document.Root.StructTreeRoot.K
        body = list((root[0] if isinstance(root, pikepdf.Array) else root).K)
        pairs = [
            (str(heading.get("/T", "")), _first_page(heading), _first_page(following))
            for heading, following in itertools.pairwise(body)
            if str(heading.S) in ("/H1", "/H2", "/H3")
        ]
    assert len(pairs) > 100  # every session's parts, sections and tables
    orphans = [(title, numbers.get(mine or 0)) for title, mine, theirs in pairs if mine != theirs]
    assert not orphans, orphans
    # and every session starts a page of its own, the page its contents line gives
    starts = [mine for title, mine, _ in pairs if title.endswith(" 2026)")]
    assert len(starts) == 6 and len(set(starts)) == 6


async def test_without_dejavu_the_pdf_is_set_in_typsts_own_fonts(
    team: Team, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.records.export import pdf as writer

    monkeypatch.setattr(writer, "DEJAVU", tmp_path / "no-fonts-here")
    writer._fonts.cache_clear()
    try:
        out = tmp_path / "month.pdf"
        await export(team.store, "sup-a", Scope(worker="worker-a"), "pdf", out)
    finally:
        writer._fonts.cache_clear()
    fonts = set()
    reader = PdfReader(str(out))
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    assert fonts and not any("DejaVu" in f for f in fonts), fonts
    assert "Post-visit reflection: HX-2291" in " ".join(p.extract_text() or "" for p in reader.pages)


async def test_a_version_history_taller_than_a_page_is_printed_whole(team: Team, tmp_path: Path) -> None:
    session = team.sessions["b_first"]
    for n in range(2, 42):  # forty additions: the history alone is over a page
        added = joined(await say(team.service, "worker-b", f"amend {session} ADDITION-{n} the nurse rang"))
        assert f"version {n}" in added, added
    pdf = tmp_path / "b.pdf"
    await export(team.store, "worker-b", Scope(), "pdf", pdf)
    reader = PdfReader(str(pdf))
    printed = squash(" ".join(p.extract_text() or "" for p in reader.pages))
    history = printed[printed.index("Version history") :]
    for n in range(2, 42):  # every row of it, none run off the foot of a page
        assert f"{n} (addition appended)" in history, n
    assert history.count("Worker B") >= 41
    for page in reader.pages:  # what is printed is on the page, above the footer
        low = [y for y in _text_heights(page) if y < 62]  # the footer's text sits at 27 to 42 pt
        assert not low, low


def _text_heights(page: Any) -> list[float]:
    """Where each piece of text on a page starts, in points from the bottom."""
    heights: list[float] = []

    def visit(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        if text.strip():
            heights.append(float(tm[5]) * float(cm[3]) + float(cm[5]))

    page.extract_text(visitor_text=visit)
    return [h for h in heights if h > 45]  # above the footer's own lines
