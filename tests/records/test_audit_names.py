"""No names in the audit trail, on SQLite and PostgreSQL: after ordinary work and refused
attempts, a person's and a team's name are nowhere in the raw database (file or dump); the
audit export shows them beside ids only while the person exists; erasing the person keeps
every audit row and leaves no way to read their name beside them."""

from __future__ import annotations

import csv
import io
import subprocess
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from bot.privacy.erasure import erase
from bot.records.audit import export_audit
from bot.records.people import load_directory
from bot.service import ReflectionService
from storage.repository import Store
from storage.tables import AuditEventRow
from tests.records.conftest import Clock, first_visit, joined, reflect, say, set_up_people

NAME = "Zebedee Quartermain"  # invented; seeded as worker-b's name
TEAM = "Kestrel Court Safeguarding"  # invented; seeded as a team's name
SEEDED = (NAME.encode(), TEAM.encode(), b"Quartermain", b"Kestrel Court")


def raw_bytes(store: Store, database_url: str, tmp_path: Path) -> bytes:
    """Everything the database holds, as bytes: the SQLite file and its WAL, or a pg_dump."""
    if not store.is_postgres:
        path = Path(make_url(database_url).database or "")
        return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())
    url = make_url(database_url).set(drivername="postgresql")
    dump = tmp_path / "dump.sql"
    subprocess.run(
        ["pg_dump", "--no-owner", "-f", str(dump), url.render_as_string(hide_password=False)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return dump.read_bytes()


async def audit_csv(store: Store, now: object) -> list[dict[str, str]]:
    async with store.read() as tx:
        admin = (await load_directory(tx.people)).requester("admin-1")
    out = io.BytesIO()
    await export_audit(store, admin, out, "csv", now)  # type: ignore[arg-type]
    return list(csv.DictReader(io.StringIO(out.getvalue().decode())))


async def audit_count(store: Store) -> int:
    async with store.read() as tx:
        return int(await tx.db.scalar(select(func.count()).select_from(AuditEventRow)) or 0)


async def test_no_name_in_the_raw_database_and_erasure_keeps_the_rows(
    empty_store: Store, database_url: str, tmp_path: Path
) -> None:
    store = empty_store
    clock = Clock()
    await set_up_people(store, clock.now)
    service = ReflectionService(store, clock=clock)
    # the admin names worker-b and a new team through chat, as they would
    assert "Done" in joined(await say(service, "admin-1", f"admin name worker-b {NAME}"))
    assert "Done" in joined(await say(service, "admin-1", f"admin add team kestrel {TEAM}"))
    await say(service, "admin-1", "admin add member worker-b kestrel")
    b_answers = first_visit()
    b_answers["case_ref"] = "HX-3107"
    session = await reflect(service, "worker-b", b_answers)

    # ordinary work: agree, sign, read, list, export, overview
    assert "agreed" in joined(await say(service, "worker-b", f"agree {session}"))
    assert NAME in joined(await say(service, "sup-a", f"sign {session}"))
    await say(service, "sup-a", "notes")
    await say(service, "sup-a", f"show {session}")
    exported = await say(service, "sup-a", "export @worker-b all md")
    assert exported.files, joined(exported)
    await say(service, "sup-a", "overview harbour")
    # refused attempts, typed as people type them
    before = await audit_count(store)
    for who, text in [
        ("worker-z", f"show {session}"),
        ("worker-z", f"sign {session}"),
        ("worker-z", f"amend {session} i think {NAME} is fine"),
        ("worker-z", "export @worker-b all pdf"),
        (
            "worker-z",
            f"export @{NAME.replace(' ', '_')} all pdf",
        ),  # a name typed as a mention: refused, and never stored
        ("worker-z", "overview kestrel"),
        ("worker-z", f"admin name worker-b {NAME} Junior"),
        ("worker-z", "admin audit csv"),
    ]:
        reply = joined(await say(service, who, text))
        assert "Done" not in reply and not (await say(service, who, "notes")).files
    trail = await audit_csv(store, clock.now)
    refused = [r for r in trail if r["action"] == "refused"]
    assert len(refused) == 8 and await audit_count(store) > before
    assert all(r["actor"] == "worker-z" and '"outcome": "refused"' in r["detail"] for r in refused)
    assert {r["detail"].split('"attempted": "')[1].split('"')[0] for r in refused} == {
        "viewed",
        "signed",
        "amended",
        "exported",
        "overview_viewed",
        "people_changed",
        "audit_exported",
    }

    raw = raw_bytes(store, database_url, tmp_path)
    for seeded in SEEDED:
        assert seeded not in raw, seeded
    # the audit export reads the name beside the id, from the (encrypted) people table
    about_b = [r for r in trail if "worker-b" in (r["actor"], r["target_id"])]
    named = [r["target_name"] for r in about_b if r["target_id"] == "worker-b"]
    assert named and set(named) == {NAME}

    # erasure: the rows stay, the name can no longer be read beside them
    rows_before = await audit_count(store)
    plan = await erase(store, "person", "worker-b", "admin-1", clock.now, force_signed=True, reason="DPO 7")
    assert plan.erase_person
    assert await audit_count(store) == rows_before + 1  # kept, plus the erasure's own row
    after = await audit_csv(store, clock.now)
    still = [r for r in after if "worker-b" in (r["actor"], r["target_id"])]
    assert len(still) >= len(about_b)
    assert NAME not in "\n".join(",".join(r.values()) for r in after)
    for seeded in SEEDED[:2]:
        assert seeded not in raw_bytes(store, database_url, tmp_path)
