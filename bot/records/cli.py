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


def _signoff(verb: str, session: str, as_: str) -> None:
    from bot.records import signoff
    from bot.records.access import not_found, reach
    from bot.records.people import load_directory

    async def work(runtime: Any) -> str:
        async with runtime.store.read() as tx:
            directory = await load_directory(tx.people)
            requester = directory.requester(as_)
            owners = sorted(reach(requester, directory).owners)
            found = await tx.records.session_ids_with_prefix(session, owners)
            if len(found) != 1:
                raise not_found("no_note", ref=session)
            if verb == "agree":
                outcome = await signoff.agree(tx, requester, found[0], _now(), session)
            else:
                outcome = await signoff.sign(tx, requester, directory, found[0], _now(), session)
        status = outcome.status.code.replace("_", " ")
        key = "signoff_done" if outcome.done else "signoff_already"
        return _say(key, version=outcome.version, verb=verb, status=status)

    typer.echo(_run(work))


# ---------------------------------------------------------------- people


def _admin_work(as_: str | None, change: Callable[[Any], Awaitable[str]]) -> None:
    from bot.records.people import PeopleAdmin, load_directory
    from storage.records_repository import records

    async def work(runtime: Any) -> str:
        async with runtime.store.read() as tx:
            rtx = records(tx)
            requester = (await load_directory(rtx)).requester(as_ or OPERATOR)
            return await change(PeopleAdmin(rtx, requester, _now()))

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


@people_app.command("list")
def people_list(as_: AsOption) -> None:
    """Who's who: people, their roles and teams, and the teams."""
    from bot.records.access import require_admin
    from bot.records.people import load_directory

    async def work(runtime: Any) -> str:
        async with runtime.store.read() as tx:
            directory = await load_directory(tx.people)
            require_admin(directory.requester(as_), "list people")
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
