"""Exporting supervision records: one entry point, six formats.

    await export(store, requester, Scope(worker="worker-a", since=..., until=...), "docx", path)

Steps, each in its own module:

1. access.select: who is asking, and which sessions they may have in which audience
   (refused, with the reason, otherwise);
2. sessions are read a page at a time, in short transactions, oldest first;
3. view.build_records: each page becomes `ExportRecord`s, built on the chat note's view;
4. a writer per format lays them out: docx.py, pdf.py, html.py, md.py, json.py, csv.py;
5. audit.record: the export is recorded with who, what, when and the sessions included.

CSV, JSON, HTML and Markdown are written as they are read, so memory stays flat. Word
and PDF are page-layout documents their libraries build in memory.
"""

from __future__ import annotations

import asyncio
import re
from collections import defaultdict
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, Literal, Protocol, TypeVar, get_args

from bot.engine.state import Session
from bot.records import audit
from bot.records.access import Scope, Selection, not_found, scope_target, select
from bot.records.export.csv import CsvWriter, facts_row, readable_facts
from bot.records.export.csv import row as csv_row
from bot.records.export.group import facilitator_identity, group_record
from bot.records.export.view import (
    DEFAULT_MARKING,
    ExportMeta,
    ExportRecord,
    build_records,
    copy_kind,
    person_ref,
    requester_ref,
)
from bot.records.people import Directory, Requester, load_directory
from bot.records.refusals import invalid
from storage.records_repository import SignoffRecord
from storage.repository import Store, TurnTx
from supervision_models.registry import ModelRegistry, default_registry

Format = Literal["md", "html", "docx", "pdf", "json", "csv"]
FORMATS: tuple[Format, ...] = get_args(Format)
Progress = Callable[[int, int], None]  # (sessions written, sessions in the export)
PAGE_SIZE = 200
CSV_PAGE_SIZE = 1000  # rows of codes and counts: small, so fewer, larger pages (memory flat past this)
PROGRESS_EVERY = 25


class Writer(Protocol):
    extension: str
    mime: str

    def begin(self, meta: ExportMeta) -> None: ...
    def add(self, record: ExportRecord) -> None: ...
    def finish(self) -> None: ...


def writer_for(fmt: Format, out: IO[bytes], word_template: Path | None = None) -> Writer:
    """The writer for a format, imported only when used (python-docx and Typst are big)."""
    if fmt == "docx" and word_template is not None:
        from bot.records.export.docx_template import TemplateWriter

        return TemplateWriter(out, word_template)
    if fmt == "docx":
        from bot.records.export.docx import DocxWriter

        return DocxWriter(out)
    if fmt == "pdf":
        from bot.records.export.pdf import PdfWriter

        return PdfWriter(out)
    if fmt == "html":
        from bot.records.export.html import HtmlWriter

        return HtmlWriter(out)
    if fmt == "md":
        from bot.records.export.md import MarkdownWriter

        return MarkdownWriter(out)
    if fmt == "json":
        from bot.records.export.json import JsonWriter

        return JsonWriter(out)
    if fmt == "csv":
        from bot.records.export.csv import CsvWriter

        return CsvWriter(out)
    raise invalid("unknown_export_format", fmt=fmt, formats=", ".join(FORMATS))


MIME_TYPES: dict[Format, str] = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "html": "text/html",
    "md": "text/markdown",
    "json": "application/json",
    "csv": "text/csv",
}


@dataclass(frozen=True)
class ExportResult:
    fmt: Format
    count: int
    filename: str  # a suggested file name, e.g. for a chat upload
    mime: str
    subject: str
    audit_id: int


# Seconds an export takes per session, from `python -m benchmarks --only exports` on the shared
# 2-core machine (a worker's year of 100 sessions: PDF about 1.2 s, Word 0.6 s; CSV 10,000
# sessions under 2 s), rounded up; the others are text and cost about as little as Word.
SECONDS_PER_SESSION: dict[Format, float] = {
    "pdf": 0.015,
    "docx": 0.008,
    "html": 0.005,
    "md": 0.003,
    "json": 0.004,
    "csv": 0.0002,
}
SLOW_EXPORT_S = 2.0  # longer than this, the chat says the export is being prepared


def takes_a_while(fmt: Format, sessions: int) -> bool:
    """Whether an export of `sessions` sessions as `fmt` is expected to take over
    SLOW_EXPORT_S, so that the worker is told it is being prepared."""
    return sessions * SECONDS_PER_SESSION[fmt] > SLOW_EXPORT_S


async def sessions_in_scope(
    tx: TurnTx, requester: Requester | str, scope: Scope, models: ModelRegistry | None = None
) -> int:
    """How many sessions `export` would write for `requester` in `scope`, counted the way it
    counts them. Refuses as `export` does, unaudited: the export itself audits a refusal."""
    models = models or default_registry()
    group_models = {m.id for m in models.all_versions() if m.audience == "group"}
    directory = await load_directory(tx.people)
    who = directory.requester(requester) if isinstance(requester, str) else requester
    selection = select(who, directory, scope, group_models)
    rtx = tx.records
    return await rtx.count_sessions(selection.filter) + await rtx.count_group_sessions(selection.filter)


def suggested_filename(selection: Selection, fmt: Format) -> str:
    parts = ["supervision-record", selection.subject if selection.subject_kind != "own" else "my-notes"]
    if selection.scope.since:
        parts.append(selection.scope.since.strftime("%Y-%m-%d"))
    if selection.scope.until:
        parts.append("to-" + selection.scope.until.strftime("%Y-%m-%d"))
    slug = re.sub(r"[^A-Za-z0-9]+", "-", "_".join(parts)).strip("-").lower()
    return f"{slug[:120]}.{fmt}"


async def export(
    store: Store,
    requester: Requester | str,
    scope: Scope,
    fmt: Format,
    out: Path | IO[bytes],
    progress: Progress | None = None,
    *,
    models: ModelRegistry | None = None,
    now: datetime | None = None,
    page_size: int = PAGE_SIZE,
    marking: str = DEFAULT_MARKING,
    word_template: Path | None = None,
    logo: Path | None = None,
) -> ExportResult:
    """Write the records `requester` may have in `scope` to `out` as `fmt`.

    `requester` is a `Requester` or anything `Directory.requester` accepts (a person id, a
    chat identity, a console user name). Raises AccessDenied, NotFound or InvalidRequest, whose
    `user_message` says why, before anything is written. `marking` is the protective marking
    printed on every page: callers pass the REFLECT_PROTECTIVE_MARKING setting
    (`Settings.protective_marking`); records code reads no settings itself (tests/test_layers.py).
    `word_template` (REFLECT_EXPORT_WORD_TEMPLATE) is a council's own .docx with Jinja tags,
    used for Word instead of our layout; `logo` (REFLECT_EXPORT_LOGO) a PNG for page headers.
    """
    if fmt not in FORMATS:
        raise invalid("unknown_export_format", fmt=fmt, formats=", ".join(FORMATS))
    models = models or default_registry()
    now = now or datetime.now(UTC)
    group_models = {m.id for m in models.all_versions() if m.audience == "group"}
    async with store.read() as tx:
        directory = await load_directory(tx.people)
        who = directory.requester(requester) if isinstance(requester, str) else requester
    # A refusal (or a case with nothing to see) is audited too, in a transaction of its own.
    async with audit.refusals_audited(store, who, "exported", *scope_target(directory, scope), now):
        async with store.read() as tx:
            rtx = tx.records
            selection = select(who, directory, scope, group_models)
            total = await rtx.count_sessions(selection.filter) + await rtx.count_group_sessions(
                selection.filter
            )
        if total == 0 and selection.subject_kind == "case":
            raise not_found("no_sessions", what=scope.case)
    meta = ExportMeta(
        subject=selection.subject,
        subject_kind=selection.subject_kind,
        case=scope.case,
        since=scope.since,
        until=scope.until,
        requester=requester_ref(who),
        exported_at=now,
        total=total,
        copy=copy_kind(selection),
        scope=scope.as_dict(),
        marking=marking,
        logo=logo,
    )
    handle: IO[bytes] = out.open("wb") if isinstance(out, Path) else out
    try:
        session_ids = await _write(
            store,
            directory,
            selection,
            models,
            writer_for(fmt, handle, word_template),
            meta,
            progress,
            page_size,
        )
    finally:
        if isinstance(out, Path):
            handle.close()
    async with store.read() as tx:
        audit_id = await audit.record(
            tx.audit,
            who,
            "exported",
            selection.subject_kind,
            selection.subject_id,  # an id: names stay out of the audit trail
            {"format": fmt, "scope": scope.as_dict(), "count": len(session_ids), "sessions": session_ids},
            now,
        )
    return ExportResult(
        fmt,
        len(session_ids),
        suggested_filename(selection, fmt),
        MIME_TYPES[fmt],
        selection.subject,
        audit_id,
    )


async def _write(
    store: Store,
    directory: Directory,
    selection: Selection,
    models: ModelRegistry,
    writer: Writer,
    meta: ExportMeta,
    progress: Progress | None,
    page_size: int,
) -> list[str]:
    writer.begin(meta)
    written: list[str] = []
    groups = _groups(store, directory, selection, models, page_size)
    items: AsyncIterator[_Row] | AsyncIterator[ExportRecord]
    if isinstance(writer, CsvWriter):  # rows from plain columns: nothing decrypted
        rows = _csv_rows(store, directory, selection, models, max(page_size, CSV_PAGE_SIZE))
        items = _oldest_first(rows, _as_rows(groups))
    else:
        items = _oldest_first(
            _reflections(store, directory, selection, models, page_size, meta.exported_at), groups
        )
    async for item in items:
        if isinstance(item, _Row):
            writer.add_row(item.values)  # type: ignore[attr-defined]
            written.append(item.session_id)
        else:
            writer.add(item)
            written.append(item.session.id)
        if progress is not None and len(written) % PROGRESS_EVERY == 0:
            progress(len(written), max(meta.total, len(written)))
    if progress is not None:
        progress(len(written), max(meta.total, len(written)))
    if getattr(writer, "lays_out_in_a_thread", False):  # Typst lets go of the GIL: other turns go on
        await asyncio.to_thread(writer.finish)
    else:
        writer.finish()
    return written


async def _reflections(
    store: Store,
    directory: Directory,
    selection: Selection,
    models: ModelRegistry,
    page_size: int,
    now: datetime,
) -> AsyncIterator[ExportRecord]:
    """Reflections (one person's sessions, any model), a page per short transaction."""
    after = None
    upcoming: dict[str, date | None] = {}  # each worker's next supervision, read once
    while True:
        async with store.read() as tx:
            page = await tx.records.session_page(selection.filter, after, page_size)
            closed = await _closed_later(tx, page.sessions)
            for owner in {s.owner for s in page.sessions} - set(upcoming):
                person = directory.person_of(owner)
                identities = directory.identities_of(person) if person else frozenset()
                upcoming[owner] = await tx.records.next_supervision(sorted(identities | {owner}), now)
            built = await build_records(
                tx.records, page.sessions, directory, selection.audiences, models, closed, upcoming
            )
        for record in built:
            yield record
        if len(page.sessions) < page_size:
            return
        after = page.after


@dataclass(frozen=True)
class _Row:
    """One CSV row, with the keys the streams are merged on."""

    started_at: datetime
    session_id: str
    values: list[str]

    @property
    def key(self) -> tuple[datetime, str]:
        return (self.started_at, self.session_id)


async def _csv_rows(
    store: Store, directory: Directory, selection: Selection, models: ModelRegistry, page_size: int
) -> AsyncIterator[_Row]:
    """Reflections as CSV rows from their stored facts, a page per short transaction; a
    session without them (completed before they were stored) is read whole."""
    after = None
    while True:
        async with store.read() as tx:
            page = await tx.records.facts_page(selection.filter, after, page_size)
            ids = [r.id for r in page.rows]
            signoffs: dict[str, list[SignoffRecord]] = defaultdict(list)
            for signoff in await tx.records.signoffs(ids):
                signoffs[signoff.session_id].append(signoff)
            latest: dict[str, int] = {}
            for version in await tx.records.note_versions(ids):
                latest[version.session_id] = version.version
            usable = {r.id: readable_facts(r.facts) for r in page.rows}
            whole = [i for i, f in usable.items() if f is None]
            old = {}
            for first in range(0, len(whole), PAGE_SIZE):  # whole sessions: a few at a time
                sessions = await tx.records.sessions_by_id(whole[first : first + PAGE_SIZE])
                built = await build_records(tx.records, sessions, directory, selection.audiences, models)
                old.update({b.session.id: csv_row(b) for b in built})
                del sessions, built
        for item in page.rows:
            facts = usable[item.id]
            if facts is None:
                values = old[item.id]
            else:
                values = facts_row(
                    item,
                    facts,
                    models.get(item.model_id, item.model_version),
                    person_ref(directory, item.owner),
                    selection.audiences[item.owner],
                    signoffs[item.id],
                    latest.get(item.id, 1),
                    directory.name_of,
                )
            yield _Row(item.started_at, item.id, values)
        if len(page.rows) < page_size:
            return
        after = page.after


async def _as_rows(records: AsyncIterator[ExportRecord]) -> AsyncIterator[_Row]:
    async for record in records:
        yield _Row(record.session.started_at, record.session.id, csv_row(record))


async def _closed_later(tx: TurnTx, sessions: Sequence[Session]) -> dict[str, frozenset[str]]:
    """For each session, the actions it left open that are closed now (a later session on
    the case closed them): one read of the page's open actions as they stand."""
    left_open = {
        s.id: {a.id for a in s.actions if a.status == "open"}
        for s in sessions
        if s.case_ref is not None and s.status == "complete"
    }
    now = await tx.records.action_statuses(sorted(set().union(*left_open.values())))
    closed: dict[str, frozenset[str]] = {}
    for session_id, ids in left_open.items():
        gone = frozenset(i for i in ids if now.get(i, "open") != "open")
        if gone:
            closed[session_id] = gone
    return closed


async def _groups(
    store: Store, directory: Directory, selection: Selection, models: ModelRegistry, page_size: int
) -> AsyncIterator[ExportRecord]:
    """Facilitated group sessions' filed minutes (see group.py)."""
    after = None
    while True:
        async with store.read() as tx:
            page = await tx.records.group_session_page(selection.filter, after, page_size)
        for group in page.sessions:
            owner = facilitator_identity(group)
            model = models.get(group.model_id, group.model_version)
            yield group_record(group, model, directory, selection.audiences.get(owner, "supervisor"))
        if len(page.sessions) < page_size:
            return
        after = page.after


class _Keyed(Protocol):
    @property
    def key(self) -> tuple[datetime, str]: ...


_Item = TypeVar("_Item", bound=_Keyed)


async def _oldest_first(*streams: AsyncIterator[_Item]) -> AsyncIterator[_Item]:
    """Merge streams that are each oldest first into one, holding one item per stream."""
    heads: list[_Item | None] = [await anext(s, None) for s in streams]
    while any(h is not None for h in heads):
        index = min(
            (i for i, h in enumerate(heads) if h is not None),
            key=lambda i: heads[i].key,  # type: ignore[union-attr]
        )
        record = heads[index]
        assert record is not None
        yield record
        heads[index] = await anext(streams[index], None)


__all__ = [
    "DEFAULT_MARKING",
    "FORMATS",
    "MIME_TYPES",
    "ExportResult",
    "Format",
    "Scope",
    "export",
    "writer_for",
]
