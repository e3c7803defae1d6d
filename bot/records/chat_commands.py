"""Records commands typed in chat (bot/router.py decides when words are one).

    records                      what these commands are
    notes                        my recent notes (and, for supervisors, notes to sign)
    show 2                       read note 2 from that list
    agree 2                      I agree note 2 as a fair record
    sign 5                       sign note 5 (a supervisee's agreed note)
    amend 2 <text>               add to note 2; a new version, never an edit
    export [who] [when] [format] e.g. `export month pdf`, `export @worker-a last month docx`,
                                 `export team harbour 2026-10 csv`, `export case HX-2291 pdf`
    overview [team] [YYYY-MM]    a team's month, for its supervisors
    admin ...                    people, teams, roles and links (admins only)

A message is a records command only when its first word is one of these and the rest
parses; in the middle of a reflection only at a choice question (see bot/router.py). Replies are worded in
prompts/records/*.j2; exports come back as a file for the adapter to upload.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Literal

from rapidfuzz.distance import OSA

from bot.core.identity import owner_id
from bot.engine.state import Session
from bot.errors import AccessDenied, InvalidRequest, NotFound
from bot.records import audit, signoff
from bot.records.access import Scope, audience_for, not_found, reach
from bot.records.export import DEFAULT_MARKING, FORMATS, Format, export, sessions_in_scope, takes_a_while
from bot.records.note import NoteCompiler
from bot.records.overview import month_bounds, team_overview
from bot.records.people import Directory, PeopleAdmin, Requester, load_directory
from bot.turns import ConversationKey, Incoming, Outgoing, OutgoingFile, TurnResult
from bot.wording import Wording
from storage.records_repository import PeopleRepository
from storage.repository import Store, TurnTx
from supervision_models.registry import ModelRegistry
from supervision_models.schema import ReflectionModel

LIST_OWN = 10
LIST_TO_SIGN = 10
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_REF = re.compile(r"^(\d{1,3}|[0-9a-f]{6,64})$")
_SLACK_MENTION = re.compile(r"^<@([A-Z0-9]+)(?:\|[^>]*)?>$")
_TEAMS_MENTION_INLINE = re.compile(r"<at>(.*?)</at>")


# ---------------------------------------------------------------- commands


@dataclass(frozen=True)
class RecordsHelp:
    pass


@dataclass(frozen=True)
class ListNotes:
    pass


@dataclass(frozen=True)
class NoteCommand:
    verb: Literal["show", "agree", "sign"]
    ref: str


@dataclass(frozen=True)
class Amend:
    ref: str
    text: str


Period = Literal["month", "last_month", "all"] | tuple[int, int]


@dataclass(frozen=True)
class ExportRequest:
    worker: str | None = None  # a mention or handle, resolved against the directory
    team: str | None = None
    case: str | None = None
    period: Period = "month"
    fmt: Format = "docx"


@dataclass(frozen=True)
class Overview:
    team: str | None = None
    month: tuple[int, int] | None = None


@dataclass(frozen=True)
class Admin:
    words: tuple[str, ...]


@dataclass(frozen=True)
class Usage:
    """The first word was a records command but the rest didn't parse: show how it goes."""

    command: str


RecordsCommand = RecordsHelp | ListNotes | NoteCommand | Amend | ExportRequest | Overview | Admin | Usage


_VERBS = ("records", "notes", "show", "agree", "sign", "amend", "export", "overview", "admin")
# Ordinary words one slip away from a records word: never read as the command.
_NOT_VERBS = frozenset(
    {
        "note", "nots", "noted", "shoe", "shot", "snow", "sow", "shows", "shown", "sing", "sigh",
        "signs", "signed", "agreed", "agrees", "amends", "amen", "exports", "expert", "record",
        "recorded", "admit", "amid", "sight", "shop",
    }
)  # fmt: skip


def _verb(word: str) -> str:
    """A records command word, forgiving one slip of the keyboard ("ntoes", "sgin", "exprot"):
    a swap, or a missing or extra letter; a wrong letter only in a long word."""
    if word in _VERBS or len(word) < 4 or word in _NOT_VERBS or not word.isalpha():
        return word
    found = []
    for known in _VERBS:
        if OSA.distance(word, known, score_cutoff=1) > 1:
            continue
        if len(word) == len(known) and sorted(word) != sorted(known) and len(known) < 6:
            continue  # a wrong letter in a short word is another word
        found.append(known)
    return found[0] if len(found) == 1 else word


def parse_records_command(text: str) -> RecordsCommand | None:
    """A records command, or None for anything the reflection engine should have."""
    text = _TEAMS_MENTION_INLINE.sub(lambda m: "@" + m.group(1).strip().replace(" ", "_"), text)
    words = text.strip().lstrip("/").split()
    if not words:
        return None
    first, rest = _verb(words[0].lower().rstrip(".!")), words[1:]
    if first == "records" and len(rest) <= 1 and (not rest or rest[0].lower() == "help"):
        return RecordsHelp()
    if first == "notes" and not rest:
        return ListNotes()
    if first in ("show", "agree", "sign"):
        if len(rest) == 1 and _REF.fullmatch(rest[0].lower()):
            return NoteCommand(first, rest[0].lower())  # type: ignore[arg-type]
        return Usage(first) if len(rest) <= 1 else None
    if first == "amend":
        if len(rest) >= 2 and _REF.fullmatch(rest[0].lower().rstrip(":")):
            body = text.strip().lstrip("/").split(None, 2)[2]
            return Amend(rest[0].lower().rstrip(":"), body.lstrip(": "))
        return Usage("amend")
    if first == "export":
        return _parse_export(rest) or Usage("export")
    if first == "overview":
        return _parse_overview(rest) or Usage("overview")
    if first == "admin":
        return Admin(tuple(rest)) if rest else Usage("admin")
    return None


def _month(word: str) -> tuple[int, int] | None:
    match = _MONTH.fullmatch(word)
    if match and 1 <= int(match.group(2)) <= 12:
        return int(match.group(1)), int(match.group(2))
    return None


def _parse_export(words: list[str]) -> ExportRequest | None:
    request: dict[str, object] = {}
    i = 0
    while i < len(words):
        word, lower = words[i], words[i].lower()
        following = words[i + 1] if i + 1 < len(words) else None
        if lower in FORMATS or lower in ("word", "markdown"):
            request["fmt"] = {"word": "docx", "markdown": "md"}.get(lower, lower)
        elif lower in ("month", "this") and (lower == "month" or (following or "").lower() == "month"):
            request["period"] = "month"
            i += lower == "this"
        elif lower == "last" and (following or "").lower() == "month":
            request["period"] = "last_month"
            i += 1
        elif lower == "all":
            request["period"] = "all"
        elif (month := _month(lower)) is not None:
            request["period"] = month
        elif lower == "case" and following:
            request["case"] = following.upper()
            request.setdefault("period", "all")
            i += 1
        elif lower == "team" and following:
            request["team"] = following
            i += 1
        elif word.startswith(("@", "<@", "<at>")) or (lower == "worker" and following):
            if lower == "worker":
                i += 1
                word = words[i]
            request["worker"] = word
        else:
            return None
        i += 1
    return ExportRequest(**request)  # type: ignore[arg-type]


def _parse_overview(words: list[str]) -> Overview | None:
    team: str | None = None
    month: tuple[int, int] | None = None
    for word in words:
        found = _month(word)
        if found is not None and month is None:
            month = found
        elif team is None and word.lower() != "team":
            team = word
        elif word.lower() != "team":
            return None
    return Overview(team, month)


# ---------------------------------------------------------------- handling


@dataclass(frozen=True)
class Listed:
    number: int
    session: Session
    mine: bool
    status: str
    version: int


class RecordsChat:
    """Carries out records commands for one chat user. Every refusal is a kind reply.

    The service's pipeline has already claimed the event, locked the conversation and opened
    the turn's transaction. Quick commands run in it (`quick`); exports, overviews and the
    audit trail (`is_long`) are decided in it and then produced outside it, in short read
    transactions of their own (`long`), so a big export never holds the database's writer.
    """

    def __init__(
        self,
        models: ModelRegistry,
        wording: Wording,
        marking: str | None = None,
        word_template: Path | None = None,
        logo: Path | None = None,
    ) -> None:
        self.models = models
        self.wording = wording
        self.marking = marking or DEFAULT_MARKING  # the protective marking on every exported page
        self.word_template = word_template  # a council's own Word template, if it has one
        self.logo = logo
        self.notes = NoteCompiler(wording.env)

    @staticmethod
    def is_long(command: RecordsCommand) -> bool:
        return isinstance(command, ExportRequest | Overview) or (
            isinstance(command, Admin) and [w.lower() for w in command.words[:1]] == ["audit"]
        )

    async def quick(
        self, tx: TurnTx, incoming: Incoming, command: RecordsCommand, now: datetime
    ) -> TurnResult:
        directory = await load_directory(tx.people)
        requester = directory.requester(_owner(incoming.key))
        try:
            # A savepoint: a refusal halfway through (say, an admin change naming an unknown
            # team) undoes everything the command did, but not the rest of the turn.
            async with tx.db.begin_nested():
                return await self._quick(tx, incoming, command, requester, directory, now)
        except (AccessDenied, InvalidRequest, NotFound) as refusal:
            attempted, kind, target = _attempt(command)
            await audit.refused(tx.audit, requester, attempted, kind, target, refusal, now)
            return self._say(refusal.user_message, "warning")

    async def long(
        self, store: Store, incoming: Incoming, command: RecordsCommand, now: datetime
    ) -> TurnResult:
        async with store.read() as tx:
            directory = await load_directory(tx.people)
        requester = directory.requester(_owner(incoming.key))
        try:
            if isinstance(command, ExportRequest):
                return await self._export(store, command, requester, incoming, now)
            if isinstance(command, Overview):
                return await self._overview(store, command, requester, now)
            assert isinstance(command, Admin)
            return await self._audit_export(store, command, requester, now)
        except (AccessDenied, InvalidRequest, NotFound) as refusal:
            return self._say(refusal.user_message, "warning")

    # ------------------------------------------------------------ replies

    async def preparing(
        self, tx: TurnTx, incoming: Incoming, command: RecordsCommand, now: datetime
    ) -> TurnResult | None:
        """Said at once when an export is asked for that is expected to take more than a
        couple of seconds (`takes_a_while`: its format and how many sessions it holds), before
        it is made outside the turn. A quick one, or one that will be refused, just follows."""
        if not isinstance(command, ExportRequest):
            return None
        try:
            scope = await _export_scope(command, incoming, tx.people, now)
            count = await sessions_in_scope(tx, _owner(incoming.key), scope, self.models)
        except (AccessDenied, InvalidRequest, NotFound):
            return None  # the export says why, and audits the refusal
        if not takes_a_while(command.fmt, count):
            return None
        return self._render("export_preparing", fmt=command.fmt)

    def _say(self, text: str, kind: Literal["info", "warning", "note"] = "info") -> TurnResult:
        return TurnResult(messages=(Outgoing(text=text, kind=kind),))

    def _render(
        self, template: str, kind: Literal["info", "warning", "note"] = "info", **values: object
    ) -> TurnResult:
        return self._say(self.wording.text(f"records/{template}.j2", **values), kind)

    # ------------------------------------------------------------ quick commands (one transaction)

    async def _quick(
        self,
        tx: TurnTx,
        incoming: Incoming,
        command: RecordsCommand,
        requester: Requester,
        directory: Directory,
        now: datetime,
    ) -> TurnResult:
        if isinstance(command, RecordsHelp):
            return self._render("help", supervisor="supervisor" in requester.roles, admin=requester.is_admin)
        if isinstance(command, Usage):
            return self._render("usage", command=command.command, admin=requester.is_admin)
        if isinstance(command, ListNotes):
            listed = await self._listing(tx, requester, directory)
            await audit.record(tx.audit, requester, "listed", "notes", None, {"count": len(listed)}, now)
            return self._render("notes", listed=listed, title=self._title, names=directory.name_of)
        if isinstance(command, NoteCommand | Amend):
            return await self._note_command(tx, command, requester, directory, now)
        assert isinstance(command, Admin)
        return await self._admin(tx, incoming, command, requester, directory, now)

    def _title(self, session: Session) -> str:
        return self.models.get(session.model_id, session.model_version).title

    async def _listing(self, tx: TurnTx, requester: Requester, directory: Directory) -> list[Listed]:
        """My recent notes, then supervisees' notes waiting for my signature, numbered once."""
        rtx = tx.records
        own_ids = await rtx.recent_session_ids(sorted(requester.identities), LIST_OWN)
        to_sign = await signoff.awaiting_signature(
            tx, sorted(reach(requester, directory).supervised), LIST_TO_SIGN
        )
        found = await signoff.statuses_of(tx, [*own_ids, *to_sign])
        listed: list[Listed] = []
        for session_id, mine in [(i, True) for i in own_ids] + [(i, False) for i in to_sign]:
            session = await tx.load_session(session_id)
            if session is None:
                continue
            status = found[session_id]
            listed.append(Listed(len(listed) + 1, session, mine, status.code, status.latest_version))
        return listed

    async def _resolve(self, tx: TurnTx, ref: str, requester: Requester, directory: Directory) -> str:
        if ref.isdigit() and len(ref) <= 3:
            listed = await self._listing(tx, requester, directory)
            number = int(ref)
            if not 1 <= number <= len(listed):
                raise not_found("no_note", ref=ref)
            return listed[number - 1].session.id
        owners = sorted(reach(requester, directory).owners)
        found = await tx.records.session_ids_with_prefix(ref, owners)
        if len(found) != 1:
            raise not_found("no_note", ref=ref)
        return found[0]

    async def _note_command(
        self,
        tx: TurnTx,
        command: NoteCommand | Amend,
        requester: Requester,
        directory: Directory,
        now: datetime,
    ) -> TurnResult:
        session_id = await self._resolve(tx, command.ref, requester, directory)
        if isinstance(command, Amend):
            version = await signoff.amend(
                tx, requester, directory, session_id, command.text, now, self.wording, command.ref
            )
            return self._render("amended", ref=command.ref, version=version)
        if command.verb == "agree":
            outcome = await signoff.agree(tx, requester, session_id, now, command.ref)
            return self._render(
                "agreed", outcome=outcome, ref=command.ref, title=self._title(outcome.session)
            )
        if command.verb == "sign":
            outcome = await signoff.sign(tx, requester, directory, session_id, now, command.ref)
            return self._render(
                "signed",
                outcome=outcome,
                ref=command.ref,
                title=self._title(outcome.session),
                worker=directory.name_of(outcome.session.owner),
            )
        return await self.show_note(tx, session_id, requester, directory, now)

    async def show_note(
        self, tx: TurnTx, session_id: str, requester: Requester, directory: Directory, now: datetime
    ) -> TurnResult:
        """The note in the copy this requester may see, then where it stands; audited as viewed."""
        session = await tx.load_session(session_id)
        if session is None:
            raise not_found("no_note", ref=session_id[:8])
        audience = audience_for(requester, directory, session.owner)
        history = await signoff.history(tx, session_id)
        if audience == "worker":
            stored = await tx.latest_note(session_id)
            body = stored.markdown if stored else self.notes.markdown(session, self._model(session), "worker")
        else:
            # Never the stored note: it is the worker's copy, with their private answers.
            body = self.notes.markdown(session, self._model(session), "supervisor")
            for amendment in history.amendments:
                body += "\n" + self.wording.text(
                    "records/amendment.md.j2",
                    version=amendment.note_version,
                    by=directory.name_of(amendment.author),
                    at=amendment.at,
                    text=amendment.text,
                    signed_before=False,
                )
        await audit.record(
            tx.audit,
            requester,
            "viewed",
            "session",
            session_id,
            {"audience": audience, "note_version": history.status.latest_version},
            now,
        )
        summary = self.wording.text("records/history.j2", history=history, names=directory.name_of)
        return TurnResult(messages=(Outgoing(text=body, kind="note"), Outgoing(text=summary)))

    def _model(self, session: Session) -> ReflectionModel:
        return self.models.get(session.model_id, session.model_version)

    # ------------------------------------------------------------ admin

    async def _admin(
        self,
        tx: TurnTx,
        incoming: Incoming,
        command: Admin,
        requester: Requester,
        directory: Directory,
        now: datetime,
    ) -> TurnResult:
        admin = PeopleAdmin(tx, requester, now)
        words = list(command.words)
        lower = [w.lower() for w in words]

        async def person(token: str) -> str:
            target = await _target(token, incoming, tx.people)
            return target if target.count(":") < 2 else await admin.ensure_person(target)

        if lower == ["people"]:
            await admin._check("list people")
            count = {"count": len(directory.people())}
            await audit.record(tx.audit, requester, "listed", "people", None, count, now)
            return self._render("people", directory=directory)
        if len(words) == 3 and lower[:1] == ["add"] and lower[1] in ("admin", "supervisor", "practitioner"):
            await admin.grant_role(await person(words[2]), lower[1])
            return self._render("admin_done", change="role", role=lower[1], who=words[2])
        if (
            len(words) == 3
            and lower[:1] == ["remove"]
            and lower[1] in ("admin", "supervisor", "practitioner")
        ):
            await admin.revoke_role(await person(words[2]), lower[1])
            return self._render("admin_done", change="unrole", role=lower[1], who=words[2])
        if len(words) >= 3 and lower[:2] == ["add", "team"]:
            created = await admin.add_team(words[2], " ".join(words[3:]) or None)
            return self._render("admin_done", change="team" if created else "team_exists", team=lower[2])
        if len(words) == 4 and lower[:2] in (["add", "member"], ["remove", "member"]):
            who = await person(words[2])
            if lower[0] == "add":
                await admin.add_member(who, words[3])
            else:
                await admin.remove_member(who, words[3])
            return self._render("admin_done", change=f"{lower[0]}_member", who=words[2], team=lower[3])
        if lower[:1] in (["link"], ["unlink"]) and len(words) in (3, 4):
            supervisor = await person(words[1])
            if len(words) == 4 and lower[2] == "team":
                target = {"team_ref": words[3]}
            elif len(words) == 3:
                target = {"person_ref": await person(words[2])}
            else:
                return self._render("usage", command="admin", admin=True)
            if lower[0] == "link":
                await admin.link(supervisor, **target)
            else:
                await admin.unlink(supervisor, **target)
            return self._render("admin_done", change=lower[0], who=words[1], whom=" ".join(words[2:]))
        if len(words) >= 3 and lower[0] == "name":
            await admin.rename(await person(words[1]), " ".join(words[2:]))
            return self._render("admin_done", change="name", who=words[1], name=" ".join(words[2:]))
        return self._render("usage", command="admin", admin=requester.is_admin)

    # ------------------------------------------------------------ longer commands

    async def _export(
        self, store: Store, command: ExportRequest, requester: Requester, incoming: Incoming, now: datetime
    ) -> TurnResult:
        async with store.read() as tx:
            scope = await _export_scope(command, incoming, tx.people, now)
        since, until = scope.since, scope.until
        buffer = io.BytesIO()
        result = await export(
            store,
            requester,
            scope,
            command.fmt,
            buffer,
            models=self.models,
            now=now,
            marking=self.marking,
            word_template=self.word_template,
            logo=self.logo,
        )
        if result.count == 0:
            return self._render("export_empty", subject=result.subject, since=since, until=until)
        file = OutgoingFile(
            filename=result.filename,
            mime=result.mime,
            data=buffer.getvalue(),
            title=f"Supervision record: {result.subject}",
        )
        last_day = (until - timedelta(microseconds=1)).date() if until else None
        reply = self.wording.text(
            "records/exported.j2", result=result, since=since, last_day=last_day, fmt=command.fmt.upper()
        )
        return TurnResult(messages=(Outgoing(text=reply),), files=(file,))

    async def _overview(
        self, store: Store, command: Overview, requester: Requester, now: datetime
    ) -> TurnResult:
        month = date(command.month[0], command.month[1], 1) if command.month else None
        result = await team_overview(store, requester, command.team, now, month, self.models)
        return self._render("overview", o=result, now=now)

    async def _audit_export(
        self, store: Store, command: Admin, requester: Requester, now: datetime
    ) -> TurnResult:
        fmt: Literal["csv", "json"] = "json" if "json" in [w.lower() for w in command.words] else "csv"
        buffer = io.BytesIO()
        count = await audit.export_audit(store, requester, buffer, fmt, now)
        file = OutgoingFile(
            filename=f"audit-trail-{now.strftime('%Y-%m-%d')}.{fmt}",
            mime="text/csv" if fmt == "csv" else "application/json",
            data=buffer.getvalue(),
            title="Audit trail",
        )
        return TurnResult(
            messages=(Outgoing(text=self.wording.text("records/audit_exported.j2", count=count)),),
            files=(file,),
        )


# ---------------------------------------------------------------- helpers


def _attempt(command: RecordsCommand) -> tuple[audit.AuditAction, str, str | None]:
    """What a refused quick command tried, for its audit row: ids only, never typed words
    (an admin command may carry a name)."""
    if isinstance(command, NoteCommand):
        verb: dict[str, audit.AuditAction] = {"show": "viewed", "agree": "agreed", "sign": "signed"}
        return verb[command.verb], "session", command.ref
    if isinstance(command, Amend):
        return "amended", "session", command.ref
    if isinstance(command, ListNotes):
        return "listed", "notes", None
    return "people_changed", "people", None


def _owner(key: ConversationKey) -> str:
    return owner_id(key.platform, key.workspace, key.user)


async def _export_scope(
    command: ExportRequest, incoming: Incoming, rtx: PeopleRepository, now: datetime
) -> Scope:
    """The sessions an export command asks for: whose, which team or case, which period."""
    since, until = _period(command.period, now)
    worker = await _target(command.worker, incoming, rtx) if command.worker else None
    return Scope(worker=worker, team=command.team, case=command.case, since=since, until=until)


async def _target(token: str, incoming: Incoming, rtx: PeopleRepository) -> str:
    """Who a typed @mention or handle means: a person id if there is one, else a chat identity.

    Understands Slack's `<@U123>`, Teams mentions (`<at>Name</at>`, turned into `@Name` by
    `parse_records_command`, matched against the message's mentions), person handles such
    as `@worker-a`, and full identities `platform:workspace:user`.
    """
    key = incoming.key
    cleaned = token.strip()
    slack = _SLACK_MENTION.fullmatch(cleaned)
    if slack:
        return f"{key.platform}:{key.workspace}:{slack.group(1)}"
    handle = cleaned.lstrip("@")
    for mention in incoming.mentions:
        if handle.lower() in (mention.name.lower().replace(" ", "_"), mention.user.lower()):
            return f"{key.platform}:{key.workspace}:{mention.user}"
    if await rtx.person(handle.lower()) is not None:
        return handle.lower()
    if handle.count(":") >= 2:
        return handle
    return f"{key.platform}:{key.workspace}:{handle}"


def _period(period: Period, now: datetime) -> tuple[datetime | None, datetime | None]:
    if period == "all":
        return None, None
    if period == "month":
        return month_bounds(now.date())
    if period == "last_month":
        this_start, _ = month_bounds(now.date())
        return month_bounds(
            date(this_start.year - (this_start.month == 1), (this_start.month - 2) % 12 + 1, 1)
        )
    year, month = period
    return month_bounds(date(year, month, 1))
