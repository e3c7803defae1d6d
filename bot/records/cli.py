"""`reflect export`, `reflect people ...`, `reflect audit export`, `reflect overview`,
`reflect agree` and `reflect sign`: the supervision-file commands of the CLI.

Registered on the main Typer app by `bot.cli` (see `register`). `--as` names who is asking
(a person id, a chat identity such as slack:T01:U02, or a `reflect chat --user` name) and
is checked against roles exactly as the same request in chat would be. Refusals print their
kind reason and exit with status 3. The one exception is bootstrapping: while no admin
exists, `reflect people add-person ... --role admin` works without `--as`, so the operator
can create the first admin.
"""

from __future__ import annotations

import asyncio
import sys
import threading
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from bot.config import Settings
from bot.errors import AccessDenied, InvalidRequest, NotFound

T = TypeVar("T")
OPERATOR = "cli:local:operator"  # who acts when no --as is given (bootstrap only)
PROGRESS_AFTER_S = 2.0  # an export still running after this long shows a progress bar

people_app = typer.Typer(help="People, teams, roles and supervision links (admins).", no_args_is_help=True)
audit_app = typer.Typer(help="The audit trail (admins).", no_args_is_help=True)

AsOption = Annotated[str, typer.Option("--as", help="Who is asking: a person id or chat identity.")]
OptionalAs = Annotated[
    str | None, typer.Option("--as", help="The admin making the change (not needed for the first admin).")
]


def register(app: typer.Typer, settings: Callable[[], Settings]) -> None:
    """Add the records commands to the `reflect` app. `settings` loads and checks config."""
    global _load_settings
    _load_settings = settings
    app.command("export")(export_command)
    app.command("overview")(overview_command)
    app.command("notes")(notes_command)
    app.command("show")(show_command)
    app.command("amend")(amend_command)
    app.command("agree")(agree_command)
    app.command("sign")(sign_command)
    app.add_typer(people_app, name="people")
    app.add_typer(audit_app, name="audit")


def _default_settings() -> Settings:
    from bot.config import load_settings

    return load_settings().check()


_load_settings: Callable[[], Settings] = _default_settings


def _run(work: Callable[[Any], Awaitable[T]]) -> T:
    """Open the runtime (migrating the database), run `work(runtime)`, turn refusals into messages."""
    from bot.runtime import open_runtime

    settings = _load_settings()

    async def main() -> T:
        async with open_runtime(settings) as runtime:
            await require_registered_operator(runtime)
            return await work(runtime)

    from bot.operator import cli_operator, require_registered_operator

    try:
        with cli_operator():  # every audit row also names the OS user beside --as
            return asyncio.run(main())
    except (AccessDenied, InvalidRequest, NotFound) as refusal:
        typer.echo(refusal.user_message, err=True)
        raise typer.Exit(3) from None


def _day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(_say("bad_date", option=option)) from None


def _say(code: str, **values: Any) -> str:
    """What the command prints, in the words of prompts/records/cli.yaml."""
    from bot.records.refusals import text

    return text("cli", code, **values)


def _now() -> datetime:
    return datetime.now(UTC)


def audited(runtime: Any, as_: str, attempted: str, kind: str, target: str | None) -> Any:
    """Audit the block's refusal (in a transaction of its own) before it reaches the terminal."""
    from bot.records.audit import refusals_audited

    return refusals_audited(runtime.store, as_, attempted, kind, target, _now())  # type: ignore[arg-type]


# ---------------------------------------------------------------- export


def export_command(
    as_: AsOption,
    out: Annotated[Path, typer.Option("--out", help="Where to write the file.")],
    format_: Annotated[str, typer.Option("--format", help="md, html, docx, pdf, json or csv.")] = "docx",
    user: Annotated[str | None, typer.Option("--user", help="One worker's records.")] = None,
    team: Annotated[str | None, typer.Option("--team", help="A team's records (its supervisors).")] = None,
    case: Annotated[str | None, typer.Option("--case", help="One case reference, e.g. HX-2291.")] = None,
    since: Annotated[str | None, typer.Option("--since", help="First day included, YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Last day included, YYYY-MM-DD.")] = None,
    progress: Annotated[
        bool | None, typer.Option("--progress/--no-progress", help="Force the progress bar on or off.")
    ] = None,
) -> None:
    """Export supervision records you may see, as a file for a supervision record."""
    from bot.records.access import Scope, day_range
    from bot.records.export import FORMATS, export

    if format_ not in FORMATS:
        raise typer.BadParameter(_say("bad_format", formats=", ".join(FORMATS)), param_hint="--format")
    start, end = day_range(_day(since, "--since"), _day(until, "--until"))
    scope = Scope(worker=user, team=team, case=case.upper() if case else None, since=start, until=end)

    async def work(runtime: Any) -> Any:
        bar = _ExportBar(enabled=progress is not False, after=0.0 if progress else PROGRESS_AFTER_S)
        try:
            settings = runtime.settings
            return await export(
                runtime.store,
                as_,
                scope,
                format_,
                out,
                bar.report,
                marking=settings.protective_marking,
                word_template=_path(settings.export_word_template),
                logo=_path(settings.export_logo),
            )
        finally:
            bar.stop()

    result = _run(work)
    wrote = "wrote_one_session" if result.count == 1 else "wrote_sessions"
    typer.echo(_say(wrote, count=result.count, subject=result.subject, out=out))


class _ExportBar:
    """A progress bar on stderr for an export still running after `after` seconds: sessions
    read and written, then the page layout (Word and PDF lay out at the end). A timer thread
    shows it, since laying out pages holds the event loop."""

    def __init__(self, enabled: bool, after: float) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            transient=True,
            console=_stderr_console(),
        )
        self.task = self.bar.add_task(_say("progress_reading"), total=None)
        self.lock = threading.Lock()
        self.shown = self.stopped = False
        self.timer = threading.Timer(after, self._show) if enabled else None
        if self.timer is not None:
            self.timer.daemon = True
            self.timer.start()

    def _show(self) -> None:
        with self.lock:
            if not self.stopped:
                self.bar.start()
                self.shown = True

    def report(self, done: int, total: int) -> None:
        with self.lock:
            described = _say("progress_laying_out") if done >= total else _say("progress_reading")
            self.bar.update(self.task, completed=done, total=total, description=described)

    def stop(self) -> None:
        with self.lock:
            self.stopped = True
            if self.timer is not None:
                self.timer.cancel()
            if self.shown:
                self.bar.stop()


def _path(value: str | None) -> Path | None:
    return Path(value).expanduser() if value else None


def _stderr_console() -> Any:
    from rich.console import Console

    return Console(file=sys.stderr)


# ---------------------------------------------------------------- overview, sign-off


def overview_command(
    as_: AsOption,
    team: Annotated[
        str | None, typer.Option("--team", help="The team (default: the one you supervise).")
    ] = None,
    month: Annotated[str | None, typer.Option("--month", help="YYYY-MM (default: this month).")] = None,
) -> None:
    """A team's month: sessions, group supervision, sign-off, and quality indicators."""
    from bot.records.overview import team_overview

    chosen = _day(f"{month}-01", "--month") if month else None

    async def work(runtime: Any) -> str:
        now = _now()
        result = await team_overview(runtime.store, as_, team, now, chosen, runtime.service.models)
        return str(runtime.service.wording.text("records/overview.j2", o=result, now=now))

    typer.echo(_plain(_run(work)))


def _plain(text: str) -> str:
    """Chat's light markdown (*bold*, _italic_) reads fine in a terminal without the marks."""
    return text.replace("*", "")


def agree_command(
    session: Annotated[str, typer.Argument(help="The session id (or its first 6+ characters).")],
    as_: AsOption,
) -> None:
    """Mark your own note agreed (the latest version)."""
    _signoff("agree", session, as_)


def sign_command(
    session: Annotated[str, typer.Argument(help="The session id (or its first 6+ characters).")],
    as_: AsOption,
) -> None:
    """Sign a supervisee's agreed note (the latest version)."""
    _signoff("sign", session, as_)


def notes_command(
    as_: AsOption,
    user: Annotated[
        str | None, typer.Option("--user", help="A supervisee's notes (default: your own).")
    ] = None,
) -> None:
    """List notes with where each stands: draft, awaiting agreement or signature, signed."""
    from bot.records import signoff
    from bot.records.people import load_directory

    async def work(runtime: Any) -> str:
        async with audited(runtime, as_, "listed", "person", None), runtime.store.read() as tx:
            directory = await load_directory(tx.people)
            requester = directory.requester(as_)
            lines = await signoff.notes_of(tx, requester, directory, user, _now())
        own = user is None or directory.resolve(user) == requester.person_id
        models = runtime.service.models
        return str(
            runtime.service.wording.text(
                "records/cli_notes.j2",
                lines=lines,
                own=own,
                whose=directory.name_of(directory.resolve(user) or user) if user else "",
                title=lambda s: models.get(s.model_id, s.model_version).title,
            )
        )

    typer.echo(_plain(_run(work)))


SessionArg = Annotated[str, typer.Argument(help="The session id (or its first 6+ characters).")]


async def _find(tx: Any, requester: Any, directory: Any, session: str) -> str:
    """The one session this requester may reach whose id starts with `session`."""
    from bot.records.access import not_found, reach

    owners = sorted(reach(requester, directory).owners)
    found = await tx.records.session_ids_with_prefix(session, owners)
    if len(found) != 1:
        raise not_found("no_note", ref=session)
    return str(found[0])


def show_command(session: SessionArg, as_: AsOption) -> None:
    """Print a note as chat shows it (your copy, or a supervisee's supervisor copy); audited."""
    from bot.records.people import load_directory

    async def work(runtime: Any) -> str:
        async with audited(runtime, as_, "viewed", "session", session), runtime.store.read() as tx:
            directory = await load_directory(tx.people)
            requester = directory.requester(as_)
            found = await _find(tx, requester, directory, session)
            result = await runtime.service.records_chat.show_note(tx, found, requester, directory, _now())
        return "\n\n".join(m.text.strip() for m in result.messages)

    typer.echo(_plain(_run(work)))


def amend_command(
    session: SessionArg,
    as_: AsOption,
    text: Annotated[
        str | None, typer.Option("--text", help="What to add (default: read from stdin).")
    ] = None,
) -> None:
    """Add to a note as a new version (never an edit); it needs agreeing and signing again."""
    from bot.records import signoff
    from bot.records.people import load_directory

    addition = text if text is not None else sys.stdin.read()

    async def work(runtime: Any) -> str:
        async with audited(runtime, as_, "amended", "session", session), runtime.store.read() as tx:
            directory = await load_directory(tx.people)
            requester = directory.requester(as_)
            found = await _find(tx, requester, directory, session)
            wording = runtime.service.wording
            version = await signoff.amend(tx, requester, directory, found, addition, _now(), wording, session)
        return str(runtime.service.wording.text("records/amended.j2", ref=session, version=version))

    typer.echo(_plain(_run(work)))


def _signoff(verb: str, session: str, as_: str) -> None:
    from bot.records import signoff
    from bot.records.people import load_directory

    async def work(runtime: Any) -> str:
        attempted = "agreed" if verb == "agree" else "signed"
        async with audited(runtime, as_, attempted, "session", session), runtime.store.read() as tx:
            directory = await load_directory(tx.people)
            requester = directory.requester(as_)
            found = await _find(tx, requester, directory, session)
            if verb == "agree":
                outcome = await signoff.agree(tx, requester, found, _now(), session)
            else:
                outcome = await signoff.sign(tx, requester, directory, found, _now(), session)
        status = status_words(runtime, outcome.status.code)
        key = f"{verb}_{'done' if outcome.done else 'already'}"
        return _say(key, version=outcome.version, status=status)

    typer.echo(_run(work))


def status_words(runtime: Any, code: str) -> str:
    """A note's status in the words chat uses (prompts/records/status.j2)."""
    module = runtime.service.wording.env.get_template("records/status.j2").module
    return str(module.status_words(code))


# ---------------------------------------------------------------- people


def _admin_work(as_: str | None, change: Callable[[Any], Awaitable[str]]) -> None:
    from bot.records.people import PeopleAdmin, load_directory

    async def work(runtime: Any) -> str:
        who = as_ or OPERATOR
        async with audited(runtime, who, "people_changed", "people", None), runtime.store.read() as tx:
            requester = (await load_directory(tx.people)).requester(who)
            return await change(PeopleAdmin(tx, requester, _now()))

    typer.echo(_run(work))


@people_app.command("add-person")
def people_add_person(
    person_id: Annotated[str, typer.Argument(help="A short handle, e.g. worker-a.")],
    name: Annotated[str, typer.Option("--name", help="How their name is shown.")],
    identity: Annotated[
        list[str] | None,
        typer.Option("--identity", help="A chat account: slack:TEAM:USER, teams:TENANT:USER."),
    ] = None,
    role: Annotated[
        list[str] | None, typer.Option("--role", help="practitioner, supervisor or admin.")
    ] = None,
    as_: OptionalAs = None,
) -> None:
    """Add a person (or add accounts and roles to one)."""

    async def change(admin: Any) -> str:
        created = await admin.add_person(
            person_id, name, tuple(identity or ()), tuple(role or ()), bootstrap=as_ is None
        )
        return _say("person_added" if created else "person_updated", person=person_id)

    _admin_work(as_, change)


@people_app.command("add-identity")
def people_add_identity(
    person: Annotated[str, typer.Argument(help="The person's handle.")],
    identity: Annotated[
        str, typer.Argument(help="slack:TEAM:USER, teams:TENANT:USER or console:local:NAME.")
    ],
    as_: OptionalAs = None,
) -> None:
    """Link a Slack, Teams or console account to a person."""

    async def change(admin: Any) -> str:
        await admin.add_identity(person, identity)
        return _say("identity_linked", identity=identity, person=person)

    _admin_work(as_, change)


@people_app.command("add-team")
def people_add_team(
    team_id: Annotated[str, typer.Argument(help="A short handle, e.g. harbour.")],
    name: Annotated[str | None, typer.Option("--name", help="How the team is shown.")] = None,
    as_: OptionalAs = None,
) -> None:
    """Add a team."""

    async def change(admin: Any) -> str:
        created = await admin.add_team(team_id, name)
        return _say("team_added" if created else "team_exists", team=team_id)

    _admin_work(as_, change)


@people_app.command("add-member")
def people_add_member(
    person: Annotated[str, typer.Argument()],
    team: Annotated[str, typer.Argument()],
    remove: Annotated[bool, typer.Option("--remove", help="Take them out of the team instead.")] = False,
    as_: OptionalAs = None,
) -> None:
    """Put a person in a team (or, with --remove, take them out)."""

    async def change(admin: Any) -> str:
        if remove:
            await admin.remove_member(person, team)
            return _say("member_removed", person=person, team=team)
        await admin.add_member(person, team)
        return _say("member_added", person=person, team=team)

    _admin_work(as_, change)


@people_app.command("set-role")
def people_set_role(
    person: Annotated[str, typer.Argument()],
    role: Annotated[str, typer.Argument(help="practitioner, supervisor or admin.")],
    remove: Annotated[bool, typer.Option("--remove", help="Take the role away instead.")] = False,
    as_: OptionalAs = None,
) -> None:
    """Give a person a role (or, with --remove, take it away)."""

    async def change(admin: Any) -> str:
        if remove:
            await admin.revoke_role(person, role)
            return _say("role_revoked", person=person, role=role)
        await admin.grant_role(person, role)
        return _say("role_granted", person=person, role=role)

    _admin_work(as_, change)


@people_app.command("link")
def people_link(
    supervisor: Annotated[str, typer.Argument(help="The supervisor's handle.")],
    person: Annotated[str | None, typer.Option("--person", help="A person they supervise.")] = None,
    team: Annotated[str | None, typer.Option("--team", help="A team they supervise.")] = None,
    remove: Annotated[bool, typer.Option("--remove", help="Remove the link instead.")] = False,
    as_: OptionalAs = None,
) -> None:
    """Make someone the supervisor of a person or a team."""
    if (person is None) == (team is None):
        raise typer.BadParameter(_say("person_or_team"))

    async def change(admin: Any) -> str:
        if remove:
            await admin.unlink(supervisor, person, team)
            return _say("unlinked", supervisor=supervisor, whom=person or team)
        await admin.link(supervisor, person, team)
        return _say("linked", supervisor=supervisor, whom=person or team)

    _admin_work(as_, change)


@people_app.command("set-pattern")
def people_set_pattern(
    person: Annotated[str, typer.Argument(help="The person's handle.")],
    as_: AsOption,
    days: Annotated[
        str | None,
        typer.Option("--days", help='Days and hours as a worker would say them: "mon-thu 9-5, fri 9-1".'),
    ] = None,
    region: Annotated[
        str | None,
        typer.Option("--region", help="Bank holidays: england-and-wales, scotland or northern-ireland."),
    ] = None,
) -> None:
    """Set someone's working days and hours, or their bank-holiday region (admins)."""
    from bot.engine.understand.working import read_pattern
    from bot.reminders.schedule import REGIONS

    words = None
    if days is not None:
        words = read_pattern(days if days.lower().startswith(("i ", "my ")) else f"i work {days}")
        if words is None:
            raise typer.BadParameter(_say("pattern_not_understood"), param_hint="--days")
    if region is not None and region not in REGIONS:
        raise typer.BadParameter(", ".join(REGIONS), param_hint="--region")
    if words is None and region is None:
        raise typer.BadParameter(_say("pattern_not_understood"), param_hint="--days")

    async def work(runtime: Any) -> str:
        from bot.records.people import PeopleAdmin, load_directory

        async with runtime.store.read() as tx:
            requester = (await load_directory(tx.people)).requester(as_)
            person_id, owners = await PeopleAdmin(tx, requester, _now()).pattern_owners(person)
            shown: str | None = await runtime.service.reminders.patterns.admin_set(
                tx, owners, words, region, _now()
            )
            if shown is None:
                raise typer.BadParameter(_say("pattern_not_understood"), param_hint="--days")
        return _say("pattern_set", person=person_id, accounts=len(owners)) + "\n" + shown

    typer.echo(_run(work))


@people_app.command("list")
def people_list(as_: AsOption) -> None:
    """Who's who: people, their roles and teams, and the teams."""
    from bot.records import audit
    from bot.records.access import require_admin
    from bot.records.people import load_directory

    async def work(runtime: Any) -> str:
        async with audited(runtime, as_, "listed", "people", None), runtime.store.read() as tx:
            directory = await load_directory(tx.people)
            requester = directory.requester(as_)
            require_admin(requester, "list people")
            count = {"count": len(directory.people())}
            await audit.record(tx.audit, requester, "listed", "people", None, count, _now())
        return str(runtime.service.wording.text("records/people.j2", directory=directory))

    typer.echo(_plain(_run(work)).replace("`", ""))


# ---------------------------------------------------------------- audit


@audit_app.command("export")
def audit_export(
    as_: AsOption,
    out: Annotated[Path, typer.Option("--out", help="Where to write the file.")],
    format_: Annotated[str, typer.Option("--format", help="csv or json.")] = "csv",
) -> None:
    """Export the whole audit trail (admins only); the export is itself recorded."""
    from bot.records.audit import export_audit
    from bot.records.people import load_directory

    if format_ not in ("csv", "json"):
        raise typer.BadParameter(_say("bad_audit_format"), param_hint="--format")

    async def work(runtime: Any) -> int:
        async with runtime.store.read() as tx:
            requester = (await load_directory(tx.people)).requester(as_)
        return await export_audit(runtime.store, requester, out, format_, _now())  # type: ignore[arg-type]

    count = _run(work)
    typer.echo(_say("wrote_audit", count=count, out=out))
