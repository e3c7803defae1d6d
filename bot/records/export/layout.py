"""The page layout of an exported record, once, as format-neutral blocks.

Word, PDF, HTML and Markdown all render these blocks, so a heading, a table or a sign-off
line appears in the same place with the same words in every format. The words come from
prompts/exports/labels.yaml and, for lens titles and categories, from the chat note
(bot/records/note.py); the content comes from `ExportRecord` (see view.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any, ClassVar, Literal
from zoneinfo import ZoneInfo

import yaml

from bot.records.export.view import ExportMeta, ExportRecord, MinutesReview
from bot.wording import PROMPTS_DIR

ParaStyle = Literal["body", "label", "quote", "note", "notice", "marking", "summary"]
UK = ZoneInfo("Europe/London")  # a council's record: times as people there read them, GMT or BST
NBSP = "\u00a0"


@dataclass(frozen=True)
class Run:
    text: str  # may hold "\n": renderers turn it into a line break
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Heading:
    kind: ClassVar[str] = "heading"  # what templates switch on
    text: str
    level: int  # 0: the document title; 1: a session; 2: a section; 3: a part of one


@dataclass(frozen=True)
class Para:
    kind: ClassVar[str] = "para"
    runs: tuple[Run, ...]
    style: ParaStyle = "body"

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass(frozen=True)
class Table:
    kind: ClassVar[str] = "table"
    header: tuple[str, ...] | None  # None: a two-column key/value table
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]  # relative column widths, summing to 1


@dataclass(frozen=True)
class PageBreak:
    kind: ClassVar[str] = "page_break"


@dataclass(frozen=True)
class Together:
    """Blocks that go on one page if they fit (a sign-off with the end of its session):
    Word keeps them with the next paragraph, PDF in a KeepTogether; text formats flatten them."""

    kind: ClassVar[str] = "together"
    blocks: tuple[Heading | Para | Table, ...]


Block = Heading | Para | Table | PageBreak | Together


def flat(blocks: Iterator[Block] | list[Block]) -> list[Heading | Para | Table | PageBreak]:
    out: list[Heading | Para | Table | PageBreak] = []
    for block in blocks:
        if isinstance(block, Together):
            out.extend(block.blocks)
        else:
            out.append(block)
    return out


@lru_cache(maxsize=1)
def labels() -> dict[str, Any]:
    with (PROMPTS_DIR / "exports" / "labels.yaml").open(encoding="utf-8") as handle:
        loaded: dict[str, Any] = yaml.safe_load(handle)
    return loaded


def uk(moment: datetime) -> datetime:
    """A stored moment (UTC, or naive UTC from older rows) in UK local time."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UK)


def when(moment: datetime | None) -> str:
    """`03 Nov 2026, 09:00 GMT` or `03 Jun 2026, 10:00 BST`: UK local time, the zone said."""
    return uk(moment).strftime("%d %b %Y, %H:%M %Z") if moment else ""


def day(moment: datetime | None) -> str:
    return uk(moment).strftime("%d %b %Y") if moment else ""


def unbroken(text: str) -> str:
    """A short label whose words must stay on one line ("Leading (provisional)")."""
    return text.replace(" ", NBSP)


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """Drop the few characters XML cannot hold (Word and PDF text are XML underneath)."""
    return _NOT_XML.sub("", text)


def para(text: str, style: ParaStyle = "body") -> Para:
    return Para((Run(text, italic=style in ("note",)),), style)


# ---------------------------------------------------------------- the document


def front_blocks(meta: ExportMeta) -> Iterator[Block]:
    words = labels()
    front = words["front"]
    yield para(meta.marking, "marking")
    yield Heading(words["document_title"], 0)
    if meta.since or meta.until:
        last = meta.until - timedelta(microseconds=1) if meta.until else None
        period = f"{day(meta.since) or front['from_start']} to {day(last) or front['to_now']}"
    else:
        period = front["all_dates"]
    rows = [
        (front["records_of"], meta.subject),
        (front["period"], period),
        (front["case"], meta.case or front["all_cases"]),
        (front["sessions"], str(meta.total)),
        (front["prepared_for"], f"{meta.requester.name} ({meta.requester.id})"),
        (front["prepared_on"], when(meta.exported_at)),
        (front["copy"], words["copy"][meta.copy]),
        (front["marking"], meta.marking),
    ]
    yield Table(None, tuple(rows), (0.28, 0.72))
    yield para(words["disclaimer"], "note")
    if meta.total == 0:
        yield para(words["no_sessions"])


def session_title(record: ExportRecord) -> str:
    w = labels()["session"]
    s = record.session
    title = w["group"] if record.kind == "group" else w["individual"].format(title=record.model.title)
    if s.case_ref:
        title += f": {s.case_ref}"
    return f"{title} ({day(s.started_at)})"


@dataclass(frozen=True)
class ContentsEntry:
    """One line of a multi-session export's contents page; the writer adds the page."""

    title: str
    worker: str
    status: str


def contents_entry(record: ExportRecord) -> ContentsEntry:
    words = labels()
    return ContentsEntry(session_title(record), record.worker.name, words["status"][record.status.code])


def contents_blocks(entries: list[ContentsEntry], pages: list[str]) -> Iterator[Block]:
    """The contents page: every session with its worker, status and first page."""
    c = labels()["contents"]
    yield Heading(c["title"], 1)
    yield Table(
        (c["session"], c["worker"], c["status"], c["page"]),
        tuple((e.title, e.worker, e.status, page) for e, page in zip(entries, pages, strict=True)),
        (0.46, 0.18, 0.26, 0.10),
    )


def running_header(meta: ExportMeta, record: ExportRecord | None) -> tuple[str, str]:
    """What heads every page: the marking, and whose record (worker and case) it is."""
    h = labels()["header"]
    if record is None:
        case = meta.case or h["all_cases"]
        return meta.marking, h["front"].format(subject=meta.subject, case=case)
    case = record.session.case_ref or labels()["session"]["not_given"]
    role = h["facilitator"] if record.kind == "group" else h["worker"]
    return meta.marking, h["session"].format(role=role, name=record.worker.name, case=case)


def session_blocks(record: ExportRecord, first: bool = False) -> Iterator[Block]:
    """One session, from its heading to its version history."""
    words = labels()
    s, note = record.session, record.note
    w = words["session"]
    if not first:
        yield PageBreak()
    yield Heading(session_title(record), 1)
    c = words["council"]
    details = [
        *([(w["facilitator"], record.worker.name)] if record.kind == "group" else []),
        *council_rows(record),  # the supervisee (the worker) first
        (w["case"], s.case_ref or w["not_given"]),
        (w["reflection"], f"{record.model.title} (version {s.model_version})"),
        (w["started"], when(s.started_at)),
        (w["finished"], when(s.ended_at) or w["not_finished"]),
    ]
    if record.kind != "group":
        details.append(
            (
                c["next"],
                record.next_supervision.strftime("%d %b %Y") if record.next_supervision else c["not_set"],
            )
        )
    if record.visit:
        details.append((w["visit"], record.visit))
    details.append((w["status"], words["status"][record.status.code]))
    if record.status.code == "filed":
        copy = w["copy_group"]
    else:
        copy = w["copy_worker"] if record.audience == "worker" else w["copy_supervisor"]
    details.append((w["copy"], copy))
    yield Table(None, tuple(details), (0.28, 0.72))
    if s.risk_flagged:
        yield para(w["risk"], "notice")
    if record.group is not None:
        yield from _group_blocks(record)
    withheld_said = False
    part = None
    order = {"case": 0, "reflective": 1, "wellbeing": 2}  # each part once, lenses in model order
    for section in sorted(note.sections, key=lambda x: order[part_of(x.lens, x.private)]):
        marker = ""
        if section.private:
            marker = " " + (w["private_shared"] if s.share_feelings else w["private"])
        if part_of(section.lens, section.private) != part:  # the council's parts, lens by lens
            part = part_of(section.lens, section.private)
            yield Heading(c["parts"][part], 2)
        yield Heading(section.title + marker, 3)
        if section.lens == "feelings" and note.private_withheld:
            yield para(w["withheld"], "note")  # said where the answers would have been
            withheld_said = True
        for entry in section.entries:
            label = note.category_labels.get(entry.category, entry.category)
            runs = [Run(entry.step_title, bold=True)]
            if entry.followup:
                runs.append(Run(f" ({w['followup']})"))
            runs.append(Run(" · "))
            runs.append(Run(label, italic=True))
            yield Para(tuple(runs), "label")
            yield Para((Run(entry.text),), "quote")
    if note.private_withheld and not withheld_said:
        yield Heading(c["parts"]["wellbeing"], 2)
        yield Heading(w["withheld_title"], 3)
        yield para(w["withheld"], "note")
    if note.hypotheses or note.actions or note.action_reviews or note.evidence or note.carried:
        yield Heading(c["parts"]["decisions"], 2)
    yield from _item_blocks(record)
    yield from _summary_blocks(record)
    yield from _record_blocks(record)


# Which part of a council's supervision record each lens belongs to: what is known about
# the case, the reflective discussion lens by lens, and the worker's wellbeing.
CASE_LENSES = frozenset({"context", "review", "senses", "child", "family", "network"})


def part_of(lens: str, private: bool) -> str:
    if lens == "feelings" or private:
        return "wellbeing"
    return "case" if lens in CASE_LENSES else "reflective"


def supervision_type(record: ExportRecord) -> str:
    types: dict[str, str] = labels()["council"]["types"]
    return types.get(record.session.model_id, record.model.title)


def supervisor_text(record: ExportRecord) -> str:
    """The supervisor's name as a record shows it; today's link is said to be today's (a
    session completed before the supervisor of the time was stored with it)."""
    c = labels()["council"]
    if record.supervisor is None:
        return str(c["not_recorded"])
    if record.supervisor_source == "linked_at_export":
        return str(c["supervisor_linked_at_export"]).format(name=record.supervisor.name)
    return record.supervisor.name


def council_rows(record: ExportRecord) -> list[tuple[str, str]]:
    """The fields every council's supervision record starts with."""
    c = labels()["council"]
    s = record.session
    rows = [(c["type"], supervision_type(record)), (c["when"], when(s.started_at))]
    if record.kind == "group":
        rows.append((c["participants"], ", ".join(record.participants) or c["not_recorded"]))
    else:
        rows.insert(0, (c["supervisee"], record.worker.name))
        rows.insert(1, (c["supervisor"], supervisor_text(record)))
        rows.append((c["participants"], ", ".join(record.participants) or record.worker.name))
    rows.append((c["agenda"], s.case_ref or labels()["session"]["not_given"]))
    return rows


def _summary_blocks(record: ExportRecord) -> Iterator[Block]:
    """The AI-drafted summary the worker approved: in its own section, said to be the AI's."""
    summary = record.note.summary
    if summary is None:
        return
    a = labels()["ai_summary"]
    yield Heading(a["title"], 2)
    provenance = a["edited" if summary.edited_by_worker else "approved"].format(
        worker=record.worker.name, at=when(record.session.ended_at) or a["not_finished"]
    )
    yield para(provenance, "note")
    yield Para((Run(summary.text),), "summary")


def _group_blocks(record: ExportRecord) -> Iterator[Block]:
    group = record.group
    assert group is not None
    g = labels()["group"]
    yield Heading(g["title"], 2)
    yield Heading(g["ground_rules"], 3)
    if group.ground_rules_agreed is None:
        yield para(g["ground_rules_missing"])
    else:
        yield para(g["ground_rules_agreed"] if group.ground_rules_agreed else g["ground_rules_missing"])
    yield Heading(g["attendance"], 3)
    if group.attendance:
        yield Table(
            (g["name"], g["present"]),
            tuple(
                (a.name, labels()["indicators"]["yes_word" if a.present else "no_word"])
                for a in group.attendance
            ),
            (0.7, 0.3),
        )
    else:
        yield para(g["attendance_missing"])
    yield Heading(g["roles"], 3)
    if group.roles:
        yield Table((g["role"], g["name"]), tuple((r.role, r.name) for r in group.roles), (0.4, 0.6))
    elif group.roles_text:
        yield Para((Run(group.roles_text),), "quote")
    else:
        yield para(g["roles_missing"])
    current_round: str | None = None
    for contribution in group.contributions:  # round by round, each member's own words
        title = contribution.step_title or g["contributions"]
        if title != current_round:
            yield Heading(title, 2)
            current_round = title
        runs = [Run(contribution.who, bold=True)]
        if contribution.kind:
            runs.append(Run(f" ({g['kinds'].get(contribution.kind, contribution.kind)})", italic=True))
        if contribution.corrected:
            runs.append(Run(f" {g['corrected']}", italic=True))
        yield Para(tuple(runs), "label")
        yield Para((Run(contribution.text),), "quote")
    if group.observer_reflections:
        yield Heading(g["observer"], 2)
        for contribution in group.observer_reflections:
            runs = [Run(contribution.who, bold=True)]
            if contribution.corrected:
                runs.append(Run(f" {g['corrected']}", italic=True))
            yield Para(tuple(runs), "label")
            yield Para((Run(contribution.text),), "quote")
    if group.review is not None:
        yield from _review_blocks(group.review)


def _review_blocks(review: MinutesReview) -> Iterator[Block]:
    """Who confirmed their own contributions, who corrected them and who did not answer."""
    r = labels()["group"]["review"]
    yield Heading(r["title"], 2)
    if not review.requested:
        yield para(r["not_requested"])
        return
    rows = []
    if review.confirmed:
        rows.append((r["confirmed"], ", ".join(review.confirmed)))
    if review.corrected:
        rows.append(
            (r["corrected"], ", ".join(r["corrections"].format(name=n, count=c) for n, c in review.corrected))
        )
    if review.not_responded:
        rows.append((r["not_responded"], ", ".join(review.not_responded)))
    if rows:
        yield Table(None, tuple(rows), (0.35, 0.65))
    if review.corrected:
        yield para(r["originals_kept"], "note")


def review_summary(review: MinutesReview | None) -> str:
    """The sentence the sign-off section gives filed minutes: only what the members did."""
    r = labels()["group"]["review"]
    if review is None or not review.requested:
        return str(r["filed_unreviewed"])
    if not review.not_responded:
        return str(r["filed_everyone"])
    if not review.confirmed and not review.corrected:
        return str(r["filed_nobody"])
    return str(r["filed_some"])


def _item_blocks(record: ExportRecord) -> Iterator[Block]:
    words = labels()
    note = record.note
    if note.carried:
        c = words["carried"]
        yield Heading(c["title"], 2)
        yield Table(
            (c["hypothesis"], c["now"]), tuple((h["statement"], h["now"]) for h in note.carried), (0.7, 0.3)
        )
    if note.hypotheses:
        h = words["hypotheses"]
        missing = h["not_recorded"]
        yield Heading(h["title"], 2)
        yield Table(
            (h["number"], h["statement"], h["status"], h["for"], h["against"]),
            tuple(
                (
                    str(n),
                    item["statement"],
                    unbroken(item["status"]),
                    item["evidence_for"] or missing,
                    item["evidence_against"] or missing,
                )
                for n, item in enumerate(note.hypotheses, start=1)
            ),
            (0.05, 0.26, 0.23, 0.23, 0.23),
        )
    if note.evidence:
        e = words["evidence"]
        yield Heading(e["title"], 2)
        yield Table(
            (e["source"], e["text"]),
            tuple((e["sources"].get(item["source"], item["source"]), item["text"]) for item in note.evidence),
            (0.25, 0.75),
        )
    if note.action_reviews:
        r = words["action_reviews"]
        yield Heading(r["title"], 2)
        yield Table(
            (r["what"], r["now"]), tuple((a["what"], a["now"]) for a in note.action_reviews), (0.75, 0.25)
        )
    if note.actions:
        a = words["actions"]
        yield Heading(a["title"], 2)
        yield Table(
            (a["what"], a["who"], a["due"], a["status"]),
            tuple(
                (
                    item["what"],
                    item["who"] or a["not_set"],
                    item["due"] or a["not_set"],
                    a["statuses"].get(now, now),
                )
                for item, now in zip(
                    note.actions,
                    (record.action_status_now(x.id, x.status) for x in record.session.actions),
                    strict=True,
                )
            ),
            (0.5, 0.18, 0.2, 0.12),
        )


def _indicator_blocks(record: ExportRecord) -> Iterator[Heading | Para | Table]:
    words = labels()
    note = record.note
    if not note.indicators:
        return
    i = words["indicators"]
    yield Heading(i["title"], 2)
    yield Table(
        (i["indicator"], i["present"]),
        tuple((item.label, i["yes_word"] if item.present else i["no_word"]) for item in note.indicators),
        (0.75, 0.25),
    )
    yield para(i["note"], "note")


def _record_blocks(record: ExportRecord) -> Iterator[Block]:
    """Additions, then the quality of the record, sign-off and version history kept together:
    the record's life after the reflection, never a sign-off alone on a page."""
    words = labels()
    if record.amendments:
        m = words["amendments"]
        yield Heading(m["title"], 2)
        for amendment in record.amendments:
            heading = m["heading"].format(
                version=amendment.version, by=amendment.by.name, at=when(amendment.at)
            )
            yield Para((Run(heading, italic=True),), "label")
            yield Para((Run(amendment.text),), "quote")
    kept: list[Heading | Para | Table] = list(_indicator_blocks(record))
    sig = words["signoff"]
    kept.append(Heading(sig["title"], 2))
    if record.status.code == "filed":
        kept.append(para(review_summary(record.group.review if record.group else None)))
        yield Together(tuple(kept))
        return
    # Every agreement and signature, in order, then what the latest version still needs.
    rows = [(sig[s.kind], s.by.name, when(s.at), str(s.note_version)) for s in record.signoffs]
    latest_version = record.status.latest_version
    for kind in ("agreed", "signed"):
        if not any(s.kind == kind and s.note_version >= latest_version for s in record.signoffs):
            rows.append((sig[kind], sig["not_yet"], "", str(latest_version)))
    kept.append(
        Table((sig["step"], sig["name"], sig["date"], sig["version"]), tuple(rows), (0.3, 0.3, 0.25, 0.15))
    )
    if record.versions:
        v = words["versions"]
        kept.append(Heading(v["title"], 2))

        def signature(kind: str, version: int) -> str:  # the signature block of one version
            found = [s for s in record.signoffs if s.kind == kind and s.note_version == version]
            if not found:
                return str(sig["not_yet"])
            return "\n".join(v["signature"].format(name=s.by.name, at=when(s.at)) for s in found)

        kept.append(
            Table(
                (v["version"], v["created"], v["by"], v["agreed"], v["signed"]),
                tuple(
                    (
                        f"{item.version} ({v['first'] if item.version == 1 else v['added']})",
                        when(item.created_at),
                        item.created_by.name,
                        signature("agreed", item.version),
                        signature("signed", item.version),
                    )
                    for item in record.versions
                ),
                (0.22, 0.18, 0.16, 0.22, 0.22),
            )
        )
    yield Together(tuple(kept))
