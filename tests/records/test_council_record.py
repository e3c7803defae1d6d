"""A council's supervision record: who was supervised and by whom, what kind of supervision,
when, the cases on the agenda, the discussion in its parts, decisions and actions, wellbeing
only when shared, the next supervision date, and a signature block for every version; in
every document format and in JSON (validated against the schema)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import docx
import jsonschema

from bot.records.access import Scope
from bot.records.export import export
from tests.records.conftest import PRIVATE_FEELING, SHARED_FEELING, Team, agree_and_sign, joined, say
from tests.records.test_exports import SCHEMA, docx_text, month_of_worker_a, pdf_text, squash

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


async def _exports(team: Team, tmp_path: Path, scope: Scope, who: str = "sup-a") -> dict[str, str]:
    texts = {}
    for fmt in ("md", "html", "docx", "pdf", "json"):
        out = tmp_path / f"record.{fmt}"
        await export(team.store, who, scope, fmt, out, now=NOW)  # type: ignore[arg-type]
        if fmt == "docx":
            texts[fmt] = docx_text(out)[0]
        elif fmt == "pdf":
            texts[fmt] = squash(pdf_text(out))
        else:
            texts[fmt] = out.read_text(encoding="utf-8")
    return texts


async def test_a_signed_one_to_one_record_names_both_people_and_the_next_supervision(
    team: Team, tmp_path: Path
) -> None:
    await agree_and_sign(team, "a_first")
    set_up = await say(team.service, "worker-a", "supervision every 4 weeks from 2026-12-08")
    assert "4" in joined(set_up), joined(set_up)
    texts = await _exports(team, tmp_path, month_of_worker_a())
    for fmt, text in texts.items():
        if fmt == "json":
            continue
        for words in [
            "Supervisee",
            "Supervisor A",
            "Type of supervision",
            "Reflective supervision after a visit",
            "Agenda (cases discussed)",
            "Next supervision",
            "08 Dec 2026",
            "Case discussion",
            "Reflective discussion",
            "Decisions and actions",
            "Agreed by the supervisee",
            "Signed by the supervisor",
        ]:
            assert words in text, (fmt, words)
        assert "Worker A, Supervisor A" in text, fmt  # the participants of a 1:1
    word = docx.Document(str(tmp_path / "record.docx"))
    history = next(t for t in word.tables if t.rows[0].cells[0].text == "Version")
    signed_row = [c.text for c in history.rows[1].cells]
    assert signed_row[3].startswith("Worker A, ") and signed_row[4].startswith("Supervisor A, "), signed_row
    assert signed_row[4].endswith("GMT")

    data = json.loads(texts["json"])
    jsonschema.Draft202012Validator(
        json.loads(SCHEMA.read_text()), format_checker=jsonschema.FormatChecker()
    ).validate(data)
    first = next(s for s in data["sessions"] if s["id"] == team.sessions["a_first"])
    supervision = first["supervision"]
    assert supervision["supervisee"]["name"] == "Worker A"
    assert supervision["supervisor"]["name"] == "Supervisor A"
    assert supervision["participants"] == ["Worker A", "Supervisor A"]
    assert supervision["agenda"] == ["HX-2291"]
    assert supervision["next_supervision"] == "2026-12-08"
    assert supervision["local_time"].endswith("GMT")
    assert {s["part"] for s in first["sections"]} <= {"case", "reflective", "wellbeing"}
    assert "wellbeing" not in {s["part"] for s in first["sections"]}  # kept private
    assert [len(v["signed"]) for v in first["versions"]] == [1]


async def test_an_unsigned_record_names_the_supervisor_from_people_and_access(
    team: Team, tmp_path: Path
) -> None:
    out = tmp_path / "b.json"
    await export(team.store, "sup-a", Scope(worker="worker-b"), "json", out, now=NOW)
    session = json.loads(out.read_text())["sessions"][0]
    assert session["supervision"]["supervisor"]["name"] == "Supervisor A"
    assert session["supervision"]["next_supervision"] is None
    assert [v["signed"] for v in session["versions"]] == [[]]


async def test_wellbeing_is_in_the_record_only_when_shared(team: Team, tmp_path: Path) -> None:
    texts = await _exports(team, tmp_path, month_of_worker_a())
    for fmt, text in texts.items():
        assert PRIVATE_FEELING not in text, fmt
        assert SHARED_FEELING in text or squash(SHARED_FEELING) in text, fmt
        assert fmt == "json" or "Wellbeing" in text, fmt
    data = json.loads(texts["json"])
    shared = next(s for s in data["sessions"] if s["id"] == team.sessions["a_second"])
    assert "wellbeing" in {s["part"] for s in shared["sections"]}


async def test_group_minutes_list_who_took_part(team: Team, tmp_path: Path) -> None:
    out = tmp_path / "team.json"
    await export(team.store, "sup-a", Scope(team="harbour"), "json", out, now=NOW)
    data = json.loads(out.read_text())
    channel = next(s for s in data["sessions"] if s["id"] == team.sessions["channel_group"])
    assert channel["supervision"]["type_label"] == "Group supervision (action learning set)"
    assert set(channel["supervision"]["participants"]) >= {"Worker A", "Worker B"}
    assert channel["supervision"]["supervisee"] is None


async def test_group_minutes_name_the_facilitator_as_supervisor(team: Team, tmp_path: Path) -> None:
    out = tmp_path / "team.json"
    await export(team.store, "sup-a", Scope(team="harbour"), "json", out, now=NOW)
    data = json.loads(out.read_text())
    for label in ("group", "channel_group"):
        supervision = next(s["supervision"] for s in data["sessions"] if s["id"] == team.sessions[label])
        assert supervision["supervisor"] == {"id": "sup-a", "name": "Supervisor A"}, label
        assert supervision["supervisor_source"] == "facilitator" and supervision["supervisee"] is None
