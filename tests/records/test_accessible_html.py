"""The HTML export, the most adaptable format for a screen reader (the PDF is tagged too:
tests/records/test_archival.py, docs/export-schema.md). Checked on a team's multi-session
export read back with a real HTML parser: the language, a title, one main landmark,
headings that never skip a level, and tables whose header cells say what they head."""

from __future__ import annotations

import itertools
from pathlib import Path

from lxml import html as lxml_html

from bot.records.access import Scope
from bot.records.export import export
from tests.records.conftest import Team


async def _page(team: Team, tmp_path: Path) -> lxml_html.HtmlElement:
    out = tmp_path / "harbour.html"
    result = await export(team.store, "sup-a", Scope(team="harbour"), "html", out)
    assert result.count > 1
    return lxml_html.fromstring(out.read_bytes())


async def test_the_html_export_names_its_language_title_and_landmark(team: Team, tmp_path: Path) -> None:
    page = await _page(team, tmp_path)
    assert page.get("lang") == "en-GB"
    assert page.findtext(".//title").startswith("Supervision record")
    assert len(page.findall(".//main")) == 1
    assert all(img.get("alt") is not None for img in page.iter("img"))


async def test_its_headings_never_skip_a_level(team: Team, tmp_path: Path) -> None:
    page = await _page(team, tmp_path)
    levels = [int(h.tag[1]) for h in page.iter("h1", "h2", "h3", "h4", "h5", "h6")]
    assert levels[0] == 1 and levels.count(1) == 1, levels[:5]
    jumps = [(a, b) for a, b in itertools.pairwise(levels) if b > a + 1]
    assert not jumps, jumps
    sessions = [h.text_content() for h in page.iter("h2")]
    assert any(s.startswith("Post-visit reflection: HX-2291") for s in sessions), sessions
    assert any(s.startswith("Post-visit reflection: HX-3107") for s in sessions), sessions


async def test_every_table_has_header_cells_with_a_scope(team: Team, tmp_path: Path) -> None:
    page = await _page(team, tmp_path)
    tables = list(page.iter("table"))
    assert len(tables) > 5
    for table in tables:
        headers = table.findall(".//th")
        assert headers, lxml_html.tostring(table)[:200]
        assert all(th.get("scope") in ("row", "col") for th in headers)
        if table.find("thead") is not None:  # a table with column headings: they are in its head
            assert all(th.get("scope") == "col" for th in table.find("thead").iter("th"))
        else:  # a two-column details table: each row headed by its label
            assert all(row.find("th") is not None for row in table.iter("tr"))
