"""Exports read back with their own libraries: what a supervisor files, and what they can't.

"Done" for issue 5: a supervisor exports a worker's month as Word and PDF, opens them, and
finds each session's reflection, the hypotheses, the actions and the sign-off; a stranger
cannot.
"""

from __future__ import annotations

import csv
import html
import io
import json
from datetime import UTC, date, datetime
from pathlib import Path

import docx
import jsonschema
import pytest
from pypdf import PdfReader

from bot.errors import AccessDenied, NotFound
from bot.records.access import Scope, day_range
from bot.records.export import FORMATS, export
from bot.records.export.csv import INDICATOR_COLUMNS
from bot.records.quality import INDICATOR_LABELS
from tests.records.conftest import (
    ESCAPE_ME,
    PRIVATE_FEELING,
    SHARE_COMMENT,
    SHARED_FEELING,
    Team,
    agree_and_sign,
)

SCHEMA = Path(__file__).resolve().parents[2] / "bot" / "records" / "export" / "schema.json"
NOVEMBER_SCOPE = day_range(date(2026, 11, 1), date(2026, 11, 30))
FIRST_SESSION_WORDS = [
    "SENSES the kitchen floor was sticky",
    "CHILD-DAY she gets herself up at seven",
    'CHILD-WORDS she said "I make my own toast"',
    "CHALLENGE maybe mum is coping better",
    "STRENGTH mum walked her to school",
    "PARENT-VIEW mum says the problem is money",
    "UNCERTAINTY I am not sure who else lives there",
]
SECOND_SESSION_WORDS = [
    "SENSES-TWO the flat was warmer and tidier",
    "REVIEW school confirmed attendance is up",
]
HYPOTHESES = [
    "HYPOTHESIS-ONE mum is low and not coping",
    "FOR-ONE the curtains were closed at noon",
    "AGAINST-ONE",
]
ACTIONS = ["ITEMONE call school about attendance", "ITEMTWO ask the health visitor"]


def month_of_worker_a(**extra: object) -> Scope:
    since, until = NOVEMBER_SCOPE
    return Scope(worker="worker-a", since=since, until=until, **extra)  # type: ignore[arg-type]


def docx_text(path: Path) -> tuple[str, list[str], list[list[list[str]]]]:
    """All paragraph text, the heading texts, and every table as rows of cell texts."""
    document = docx.Document(str(path))
    paragraphs = [p.text for p in document.paragraphs]
    headings = [
        p.text for p in document.paragraphs if p.style is not None and p.style.name.startswith("Heading")
    ]
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]
    everything = "\n".join(paragraphs + [" | ".join(row) for table in tables for row in table])
    return everything, headings, tables


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def squash(text: str) -> str:
    """PDF text extraction breaks lines where the layout wrapped them."""
    return " ".join(text.split())


async def test_a_supervisor_files_a_workers_month_as_word_and_pdf(team: Team, tmp_path: Path) -> None:
    await agree_and_sign(team, "a_first")
    word, pdf = tmp_path / "month.docx", tmp_path / "month.pdf"
    assert (await export(team.store, "sup-a", month_of_worker_a(), "docx", word)).count == 2
    assert (await export(team.store, "sup-a", month_of_worker_a(), "pdf", pdf)).count == 2

    text, headings, tables = docx_text(word)
    marking, title = docx.Document(str(word)).paragraphs[:2]
    assert marking.text == "OFFICIAL-SENSITIVE"
    assert (title.text, title.style.name if title.style else None) == ("Supervision record", "Title")
    session_headings = [h for h in headings if h.startswith("Post-visit reflection: HX-2291")]
    assert session_headings == [
        "Post-visit reflection: HX-2291 (03 Nov 2026)",
        "Post-visit reflection: HX-2291 (10 Nov 2026)",
    ]
    for expected in [
        "Hypotheses (provisional)",
        "Actions",
        "Quality of the record",
        "Sign-off",
        "Version history",
    ]:
        assert expected in headings
    for words in FIRST_SESSION_WORDS + SECOND_SESSION_WORDS + HYPOTHESES + ACTIONS:
        assert words in text, words
    hypotheses = next(t for t in tables if t[0][:2] == ["#", "Hypothesis"])
    assert hypotheses[1][1] == "HYPOTHESIS-ONE mum is low and not coping"
    assert hypotheses[1][2] == "Leading\u00a0(provisional)"  # never wraps its bracket
    actions = next(t for t in tables if t[0] == ["What", "Who", "By when", "Status"])
    assert actions[1] == ["ITEMONE call school about attendance", "me", "Fri 27 Nov 2026", "Open"]
    signoff = next(t for t in tables if t[0] == ["Step", "Name", "Date", "Note version"])
    assert signoff[1][:2] == ["Agreed by the worker", "Worker A"]
    assert signoff[2][:2] == ["Signed by the supervisor", "Supervisor A"]
    assert signoff[2][2].endswith("GMT") and signoff[2][3] == "1"  # UK time: November is GMT
    indicators = next(t for t in tables if t[0] == ["Indicator", "In this record"])
    assert [row[0] for row in indicators[1:]] == list(INDICATOR_LABELS.values())
    footer = docx.Document(str(word)).sections[0].footer.paragraphs[0].text
    assert "Supervision record — confidential" in footer

    printed = squash(pdf_text(pdf))
    for words in FIRST_SESSION_WORDS + SECOND_SESSION_WORDS + HYPOTHESES + ACTIONS:
        assert squash(words) in printed, words
    for words in ["Sign-off", "Agreed by the worker", "Signed by the supervisor", "Supervisor A"]:
        assert words in printed
    reader = PdfReader(str(pdf))
    last = reader.pages[-1].extract_text() or ""
    assert f"Page {len(reader.pages)} of {len(reader.pages)}" in last
    assert "Supervision record — confidential" in last
    assert [o.title for o in reader.outline if not isinstance(o, list)][:2] == session_headings

    for document in (text, printed):
        assert "SENSES-OCTOBER" not in document  # outside the month
        assert "HX-3107" not in document  # another worker's case


async def test_the_supervisors_copy_leaves_out_private_feelings_unless_shared(
    team: Team, tmp_path: Path
) -> None:
    for fmt in FORMATS:
        out = tmp_path / f"sup.{fmt}"
        await export(team.store, "sup-a", month_of_worker_a(), fmt, out)
        raw = out.read_bytes()
        readable = (
            docx_text(out)[0] if fmt == "docx" else pdf_text(out) if fmt == "pdf" else raw.decode("utf-8-sig")
        )
        assert PRIVATE_FEELING not in squash(readable), fmt
        assert "WRECK-COMMENT" not in squash(readable), fmt  # typed at "keep my feelings private"
        if fmt != "csv":  # no free text in CSV at all
            assert SHARED_FEELING in squash(readable), fmt
    own = tmp_path / "own.md"
    await export(team.store, "worker-a", month_of_worker_a(), "md", own)
    assert PRIVATE_FEELING in own.read_text() and SHARED_FEELING in own.read_text()
    assert SHARE_COMMENT in own.read_text()  # the worker's own copy keeps their words


@pytest.mark.parametrize("fmt", FORMATS)
async def test_a_stranger_gets_nothing_and_is_told_why(team: Team, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"stranger.{fmt}"
    with pytest.raises(AccessDenied) as refused:
        await export(team.store, "worker-z", month_of_worker_a(), fmt, out)  # type: ignore[arg-type]
    assert "isn't linked to you" in refused.value.user_message
    assert not out.exists()  # refused before anything was written


async def test_other_refusals_are_kind_and_specific(team: Team, tmp_path: Path) -> None:
    out = tmp_path / "x.pdf"
    with pytest.raises(AccessDenied) as team_refused:
        await export(team.store, "worker-z", Scope(team="harbour"), "pdf", out)
    assert "Team records are for the team's supervisors" in team_refused.value.user_message
    with pytest.raises(AccessDenied) as admin_refused:  # admin manages people, reads no one's notes
        await export(team.store, "admin-1", Scope(worker="worker-a"), "pdf", out)
    assert "isn't linked to you" in admin_refused.value.user_message
    with pytest.raises(AccessDenied) as unknown:
        await export(team.store, "slack:T1:UNKNOWN", Scope(worker="worker-a"), "pdf", out)
    assert "I don't have you on the list" in unknown.value.user_message
    with pytest.raises(NotFound) as no_case:  # says nothing about anyone else's cases
        await export(team.store, "worker-z", Scope(case="HX-2291"), "pdf", out)
    assert "couldn't find any notes you can see for HX-2291" in no_case.value.user_message
    with pytest.raises(NotFound):
        await export(team.store, "sup-a", Scope(team="no-such-team"), "pdf", out)
    assert not out.exists()


async def test_json_is_complete_and_validates_against_the_schema(team: Team, tmp_path: Path) -> None:
    await agree_and_sign(team, "a_first")
    out = tmp_path / "team.json"
    result = await export(team.store, "sup-a", Scope(team="harbour"), "json", out)
    data = json.loads(out.read_text())
    validator = jsonschema.Draft202012Validator(
        json.loads(SCHEMA.read_text()), format_checker=jsonschema.FormatChecker()
    )
    validator.validate(data)
    assert data["schema_version"] == 1 and data["count"] == result.count == len(data["sessions"])
    by_id = {s["id"]: s for s in data["sessions"]}
    # The team's sessions in every month, plus the group supervision sup-a ran.
    assert set(by_id) == {
        team.sessions[k] for k in ("a_october", "a_first", "a_second", "b_first", "group", "channel_group")
    }
    first = by_id[team.sessions["a_first"]]
    assert first["audience"] == "supervisor" and first["private_withheld"] is True
    assert first["hypotheses"][0]["status"] == "leading"
    assert first["actions"][0] == {
        "id": first["actions"][0]["id"],
        "what": "ITEMONE call school about attendance",
        "who": "me",
        "due_date": "2026-11-27",
        "due_text": "Fri 27 Nov 2026",
        "status": "open",
        "status_now": "open",
    }
    assert [s["kind"] for s in first["signoffs"]] == ["agreed", "signed"]
    assert first["record_status"] == "signed"
    channel = by_id[team.sessions["channel_group"]]
    assert channel["kind"] == "group" and channel["record_status"] == "filed"
    assert {a["name"] for a in channel["group"]["attendance"]} == {"Supervisor A", "Worker A", "Worker B"}
    assert {"role": "Presenter", "name": "Worker A"} in channel["group"]["roles"]
    assert any(c["who"] == "Worker B" and c["kind"] == "question" for c in channel["group"]["contributions"])
    dumped = json.dumps(data)
    assert PRIVATE_FEELING not in dumped


async def test_csv_has_one_row_per_session_with_the_indicators_as_columns(team: Team, tmp_path: Path) -> None:
    out = tmp_path / "team.csv"
    since, until = NOVEMBER_SCOPE
    await export(team.store, "sup-a", Scope(team="harbour", since=since, until=until), "csv", out)
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert [r["session_id"] for r in rows] == [
        team.sessions[k] for k in ("a_first", "a_second", "b_first", "group", "channel_group")
    ]
    assert set(INDICATOR_COLUMNS) <= set(rows[0])
    first = rows[0]
    assert all(first[c] == "yes" for c in INDICATOR_COLUMNS)
    channel = rows[-1]
    assert channel["kind"] == "group" and channel["indicator_child_seen_alone"] == ""  # cannot apply
    assert channel["indicator_two_hypotheses"] == "yes"
    text = out.read_text(encoding="utf-8-sig")
    assert "SENSES" not in text and "ESCAPE-ME" not in text  # numbers and codes, never words


async def test_html_escapes_what_was_typed_and_prints(team: Team, tmp_path: Path) -> None:
    out = tmp_path / "b.html"
    await export(team.store, "worker-b", Scope(), "html", out)
    page = out.read_text()
    assert "<script>alert" not in page and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert "&amp; &lt;b&gt;bold&lt;/b&gt; | pipe" in page
    assert "@media print" in page and "Supervision record — confidential" in page
    assert "<h2>Post-visit reflection: HX-3107" in page


async def test_markdown_keeps_tables_whole(team: Team, tmp_path: Path) -> None:
    out = tmp_path / "b.md"
    await export(team.store, "worker-b", Scope(), "md", out)
    text = out.read_text()
    assert f"> {ESCAPE_ME}" in text  # quoted as typed
    assert "## Post-visit reflection: HX-3107" in text
    assert "| # | Hypothesis | Status |" in text
    assert "### Sign-off" in text


async def test_group_minutes_export_in_every_format(team: Team, tmp_path: Path) -> None:
    for fmt in ("docx", "pdf", "html", "md"):
        out = tmp_path / f"group.{fmt}"
        await export(team.store, "sup-a", Scope(case="HX-2291"), fmt, out)  # type: ignore[arg-type]
        text = squash(
            docx_text(out)[0] if fmt == "docx" else pdf_text(out) if fmt == "pdf" else out.read_text()
        )
        text = html.unescape(text) if fmt == "html" else text
        for words in [
            "Group supervision minutes",
            "GROUP-STORY three visits",  # a group reflection typed by its facilitator
            "CHANNEL-STORY three visits",  # a facilitated session in a Teams group chat
            "CHANNEL-HYPOTHESIS-TWO the child is caring for mum",
            "Attendance",
            "Devil's advocate",
            "filed by the facilitator",
            "Review by the members",
            "Confirmed their contributions",
            "Supervisor A, Worker B",
            "Did not respond",
            "before every member had confirmed",
        ]:
            assert words in text, (fmt, words)


async def test_exports_are_oldest_first_and_dates_are_inclusive(team: Team, tmp_path: Path) -> None:
    out = tmp_path / "a.json"
    since, until = day_range(date(2026, 11, 3), date(2026, 11, 3))
    await export(team.store, "worker-a", Scope(since=since, until=until), "json", out)
    assert [s["id"] for s in json.loads(out.read_text())["sessions"]] == [team.sessions["a_first"]]
    await export(team.store, "worker-a", Scope(), "json", out)
    started = [s["started_at"] for s in json.loads(out.read_text())["sessions"]]
    assert started == sorted(started) and len(started) == 2 + 1  # October and November
    assert datetime.fromisoformat(started[0]) < datetime(2026, 11, 1, tzinfo=UTC)


async def test_an_action_closed_in_a_later_session_shows_closed_as_of_the_export(
    team: Team, tmp_path: Path
) -> None:
    # worker-a's 10 November reflection marked October's "call school" done, and kept the rest open.
    out = tmp_path / "all.json"
    await export(team.store, "worker-a", Scope(), "json", out)
    by_id = {s["id"]: s for s in json.loads(out.read_text())["sessions"]}
    october, first = by_id[team.sessions["a_october"]], by_id[team.sessions["a_first"]]
    assert [(a["status"], a["status_now"]) for a in october["actions"]] == [
        ("open", "closed_later"),  # as recorded in October, and as it stands now
        ("open", "open"),
    ]
    assert [a["status_now"] for a in first["actions"]] == ["open", "open"]
    word = tmp_path / "all.docx"
    await export(team.store, "worker-a", Scope(), "docx", word)
    tables = docx_text(word)[2]
    actions = [t for t in tables if t[0] == ["What", "Who", "By when", "Status"]]
    assert [row[3] for row in actions[0][1:]] == ["Closed in a later session", "Open"]
    assert [row[3] for row in actions[1][1:]] == ["Open", "Open"]


async def test_word_keeps_a_sign_off_with_its_session_and_one_session_needs_no_contents(
    team: Team, tmp_path: Path
) -> None:
    word, pdf = tmp_path / "b.docx", tmp_path / "b.pdf"
    await export(team.store, "worker-b", Scope(), "docx", word)  # one session
    await export(team.store, "worker-b", Scope(), "pdf", pdf)
    document = docx.Document(str(word))
    texts = [p.text for p in document.paragraphs]
    assert "Contents" not in texts and "Contents" not in pdf_text(pdf)
    # From "Quality of the record" to the version history, each paragraph keeps with the next,
    # the tables' too, so Word moves them to a new page together rather than orphan a sign-off.
    start, end = texts.index("Quality of the record"), texts.index("Version history")
    kept = document.paragraphs[start : end + 1]
    assert all(p.paragraph_format.keep_with_next for p in kept), [p.text for p in kept]
    signoff = next(t for t in document.tables if t.rows[0].cells[0].text == "Step")
    assert all(
        p.paragraph_format.keep_with_next for row in signoff.rows for c in row.cells for p in c.paragraphs
    )
    heading = next(p for p in document.paragraphs if p.text.startswith("Post-visit reflection: HX-3107"))
    assert heading.paragraph_format.keep_with_next
