"""The council's record names the supervisor of the time (issue 15, item 3), on SQLite and
PostgreSQL: who supervised the worker when a session completed is stored with it (person ids
only), so after the admin moves the worker to another supervisor an export still names the
first one; a signed note names its signer; an older session with nothing stored names
today's supervisor and says so; and erasing the first supervisor leaves their name nowhere,
in the export or the database."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import docx
import jsonschema
from sqlalchemy import select, update

from bot.privacy.erasure import erase
from bot.records.access import Scope
from bot.records.export import export
from bot.records.export.view import supervisors_of
from bot.records.people import PeopleAdmin, load_directory
from bot.service import ReflectionService
from storage.records_repository import SessionFilter
from storage.repository import Store
from storage.tables import SessionRow
from tests.records.conftest import NOVEMBER, Clock, first_visit, joined, reflect, say, set_up_people
from tests.records.test_audit_names import raw_bytes
from tests.records.test_council_template import TEMPLATE
from tests.records.test_exports import SCHEMA, docx_text, pdf_text, squash

NAME_A = "Philippa Marchbanks"  # invented: sup-a's name, set by the admin in chat
NAME_B = "Supervisor B"
LINKED_NOW = "as linked on the export date"
NOVEMBER_ONLY = Scope(
    worker="worker-a",
    since=datetime(2026, 11, 1, tzinfo=UTC),
    until=datetime(2026, 12, 1, tzinfo=UTC),
)


async def admin_says(service: ReflectionService, text: str) -> str:
    reply = joined(await say(service, "admin-1", text))
    assert "Done" in reply, reply
    return reply


async def moved_team(store: Store) -> tuple[ReflectionService, Clock, dict[str, str]]:
    """worker-a reflects three times in November under sup-a (harbour's supervisor); the
    admin then moves harbour to sup-b, worker-a agrees the third note and sup-b signs it.
    The first session is made an older one: completed before the supervisor was stored."""
    clock = Clock()
    await set_up_people(store, clock.now)
    async with store.read() as tx:
        admin = PeopleAdmin(tx, (await load_directory(tx.people)).requester("admin-1"), clock.now)
        await admin.add_person("sup-b", NAME_B, identities=("console:local:sup-b",))
    service = ReflectionService(store, clock=clock)
    await admin_says(service, f"admin name sup-a {NAME_A}")
    sessions = {}
    for label, day in [("older", 0), ("first", 7), ("to_sign", 14)]:
        clock.set(NOVEMBER + timedelta(days=day))
        sessions[label] = await reflect(service, "worker-a", first_visit())
    async with store.turn("test:older-session") as tx:  # as if it completed before 0190
        await tx.db.execute(
            update(SessionRow).where(SessionRow.id == sessions["older"]).values(supervised_by=None)
        )

    clock.set(NOVEMBER + timedelta(days=20))
    await admin_says(service, "admin unlink sup-a team harbour")
    await admin_says(service, "admin link sup-b team harbour")
    assert "agreed" in joined(await say(service, "worker-a", f"agree {sessions['to_sign']}"))
    signed = joined(await say(service, "sup-b", f"sign {sessions['to_sign']}"))
    assert "Signed" in signed, signed
    return service, clock, sessions


def supervisor_rows(tables: list[list[list[str]]]) -> list[str]:
    """The Supervisor field of each session's details, in export order (oldest first)."""
    return [row[1] for table in tables for row in table if len(row) == 2 and row[0] == "Supervisor"]


def md_supervisor_rows(text: str) -> list[str]:
    rows = [line.strip().strip("|").split("|") for line in text.splitlines() if line.startswith("|")]
    return [c[1].strip() for c in rows if len(c) == 2 and c[0].strip(" *") == "Supervisor"]


async def test_the_export_names_the_supervisor_of_the_time_not_todays(
    empty_store: Store, database_url: str, tmp_path: Path
) -> None:
    store = empty_store
    _, clock, sessions = await moved_team(store)
    now = clock.now + timedelta(days=1)
    out = {fmt: tmp_path / f"worker-a.{fmt}" for fmt in ("md", "html", "docx", "pdf", "json")}
    for fmt, path in out.items():
        await export(store, "sup-b", NOVEMBER_ONLY, fmt, path, now=now)  # type: ignore[arg-type]

    data = json.loads(out["json"].read_text())
    jsonschema.Draft202012Validator(
        json.loads(SCHEMA.read_text()), format_checker=jsonschema.FormatChecker()
    ).validate(data)
    by_id = {s["id"]: s["supervision"] for s in data["sessions"]}
    older, first, to_sign = (by_id[sessions[k]] for k in ("older", "first", "to_sign"))
    assert first["supervisor"] == {"id": "sup-a", "name": NAME_A}
    assert first["supervisor_source"] == "at_completion"
    assert first["participants"] == ["Worker A", NAME_A]
    assert to_sign["supervisor"]["name"] == NAME_B and to_sign["supervisor_source"] == "signed"
    assert to_sign["participants"] == ["Worker A", NAME_B]
    assert older["supervisor"]["name"] == NAME_B and older["supervisor_source"] == "linked_at_export"
    assert older["participants"] == ["Worker A", NAME_B]

    # the documents: oldest first, today's link said to be today's
    expected = [f"{NAME_B} ({LINKED_NOW}", NAME_A, NAME_B]
    word = supervisor_rows(docx_text(out["docx"])[2])
    markdown = md_supervisor_rows(out["md"].read_text())
    for rows in (word, markdown):
        assert len(rows) == 3, rows
        assert rows[0].startswith(expected[0]) and rows[1:] == expected[1:], rows
    histories = [t for t in docx.Document(str(out["docx"])).tables if t.rows[0].cells[0].text == "Version"]
    assert [h.rows[1].cells[4].text.split(",")[0] for h in histories] == ["not yet", "not yet", NAME_B]
    for fmt in ("html", "pdf"):
        text = squash(pdf_text(out[fmt])) if fmt == "pdf" else out[fmt].read_text()
        assert NAME_A in text and text.count(LINKED_NOW) == 1, fmt
    council = tmp_path / "council.docx"  # a council's own Word template says the same
    await export(store, "sup-b", NOVEMBER_ONLY, "docx", council, now=now, word_template=TEMPLATE)
    rows = supervisor_rows(docx_text(council)[2])
    assert rows[0].startswith(expected[0]) and rows[1:] == expected[1:], rows

    # person ids only, in a plain column; the name stays in the encrypted people row
    async with store.read() as tx:
        stored = dict((await tx.db.execute(select(SessionRow.id, SessionRow.supervised_by))).all())
        facts = await tx.records.facts_page(
            SessionFilter(owners=frozenset({"console:local:worker-a"})), None, 10
        )
    assert stored[sessions["first"]] == '["sup-a"]' and stored[sessions["older"]] is None
    assert [r.supervised_by for r in facts.rows] == [None, ("sup-a",), ("sup-a",)]  # as they completed
    raw = raw_bytes(store, database_url, tmp_path)
    assert b"Marchbanks" not in raw and b'["sup-a"]' in raw


async def test_erasing_the_first_supervisor_leaves_no_name_of_theirs(
    empty_store: Store, database_url: str, tmp_path: Path
) -> None:
    store = empty_store
    _, clock, sessions = await moved_team(store)
    plan = await erase(store, "person", "sup-a", "admin-1", clock.now)
    assert plan.erase_person and not plan.refused

    exported = []
    for fmt in ("md", "docx", "json"):
        path = tmp_path / f"after.{fmt}"
        await export(store, "sup-b", NOVEMBER_ONLY, fmt, path, now=clock.now)  # type: ignore[arg-type]
        exported.append(docx_text(path)[0] if fmt == "docx" else path.read_text())
    for text in exported:
        assert NAME_A not in text and "Marchbanks" not in text
    data = json.loads(exported[-1])
    first = next(s["supervision"] for s in data["sessions"] if s["id"] == sessions["first"])
    assert first["supervisor"]["id"] == "sup-a"  # the id stays, as in the audit trail
    assert first["supervisor_source"] == "at_completion"
    for seeded in (NAME_A.encode(), b"Marchbanks"):
        assert seeded not in raw_bytes(store, database_url, tmp_path)


async def test_a_manager_exporting_in_chat_gets_the_supervisor_of_the_time(empty_store: Store) -> None:
    store = empty_store
    service, _, _ = await moved_team(store)
    reply = await say(service, "sup-b", "export @worker-a 2026-11 md")
    assert reply.files, joined(reply)
    text = reply.files[0].data.decode()
    rows = md_supervisor_rows(text)
    assert rows[1:] == [NAME_A, NAME_B] and rows[0].startswith(f"{NAME_B} ({LINKED_NOW}"), rows
    word = await say(service, "sup-b", "export @worker-a all word")
    assert word.files, joined(word)
    document = docx.Document(io.BytesIO(word.files[0].data))
    tables = [[[c.text for c in row.cells] for row in table.rows] for table in document.tables]
    assert supervisor_rows(tables)[1:] == [NAME_A, NAME_B]


async def test_supervisors_now_follow_the_people_and_access_rule(empty_store: Store) -> None:
    store = empty_store
    """The stored rule: linked by name or through a team, with the supervisor role, never
    oneself; nobody for an identity that is not a registered person."""
    await set_up_people(store, NOVEMBER)
    async with store.read() as tx:
        admin = PeopleAdmin(tx, (await load_directory(tx.people)).requester("admin-1"), NOVEMBER)
        await admin.add_person("sup-b", NAME_B, identities=("console:local:sup-b",))
        await admin.link("sup-b", person_ref="worker-a")
        await admin.link("sup-b", person_ref="sup-b")  # a slip: nobody supervises themselves
        await admin.add_person("helper", "Not A Supervisor")
        await tx.people.add_link("helper", "worker-a", None, "test", NOVEMBER)  # no role
        expected = {
            "console:local:worker-a": ["sup-a", "sup-b"],
            "console:local:worker-b": ["sup-a"],
            "console:local:worker-z": [],
            "console:local:sup-b": [],
            "slack:T1:UNKNOWN": [],
        }
        directory = await load_directory(tx.people)
        for owner, ids in expected.items():
            assert await tx.people.supervisor_ids_of(owner) == ids, owner
            assert [p.id for p in supervisors_of(directory, owner)] == ids, owner  # one rule
