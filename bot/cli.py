"""The `reflect` command (Typer). See DESIGN.md for the contract."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from bot.config import Settings, load_settings
from bot.errors import ConfigError
from bot.logs import configure_logging
from supervision_models.registry import default_registry

T = TypeVar("T")

app = typer.Typer(
    help="A reflective supervision assistant for child-safeguarding social workers.",
    no_args_is_help=True,
    add_completion=False,
    # Locals can hold tokens or a worker's words: never print them in a traceback.
    pretty_exceptions_show_locals=False,
)
db_app = typer.Typer(help="Database commands.", no_args_is_help=True)
keys_app = typer.Typer(help="Encryption key commands.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(keys_app, name="keys")


def _settings(quiet: bool = False) -> Settings:
    try:
        settings = load_settings().check()
    except ConfigError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(2) from None
    # In the terminal chat the worker reads stdout and stderr: keep routine logs out of the way.
    configure_logging("WARNING" if quiet else settings.log_level, settings.log_format)
    return settings


@app.command()
def chat(
    user: Annotated[str | None, typer.Option(help="Your user id (defaults to your login name).")] = None,
    model: Annotated[str | None, typer.Option(help="Which reflection: see `reflect models`.")] = None,
    case: Annotated[str | None, typer.Option(help="The pseudonymous case reference, e.g. HX-2291.")] = None,
) -> None:
    """One reflection in the terminal. One message per line; works with piped input."""
    from bot.adapters.console import ConsoleChat, default_user
    from bot.runtime import open_runtime

    settings = _settings(quiet=True)
    if model and default_registry().find(model) is None:
        names = ", ".join(m.id for m in default_registry().latest())
        typer.echo(f"There is no reflection called '{model}'. Choose one of: {names}", err=True)
        raise typer.Exit(2)

    async def run() -> None:
        async with open_runtime(settings) as runtime:
            await ConsoleChat(runtime.service, user or default_user()).run(model=model, case=case)

    asyncio.run(run())


@app.command()
def models() -> None:
    """List the reflection models."""
    for model in default_registry().latest():
        typer.echo(f"{model.id:<18} v{model.version}  {model.minutes:>3} min  {model.title}: {model.summary}")


async def _until_stopped() -> None:
    """Wait for Ctrl+C or SIGTERM (how a container is stopped), then return to shut down cleanly."""
    import contextlib
    import signal

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        # Not available on Windows, where Ctrl+C still interrupts.
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, stop.set)
    await stop.wait()


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on (0.0.0.0 in a container).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 3978,
) -> None:
    """Serve Slack (POST /slack/events), Teams (POST /api/messages) and GET /healthz over HTTP."""
    from aiohttp import web

    from bot.heap import settle_after_start
    from bot.runtime import open_runtime
    from bot.server import build_app

    settings = _settings()
    if not settings.slack_enabled and not settings.teams_enabled:
        typer.echo(
            "Warning: no chat platform is configured (SLACK_BOT_TOKEN, SLACK_CLIENT_ID or MICROSOFT_APP_ID), "
            "so only GET /healthz is served.",
            err=True,
        )
    if settings.slack_enabled and settings.slack_signing_secret is None:
        typer.echo(
            "Warning: SLACK_SIGNING_SECRET is not set, so Slack over HTTP is off. "
            "Use `reflect slack-socket` for Socket Mode.",
            err=True,
        )

    async def run() -> None:
        async with open_runtime(settings) as runtime:
            runner = web.AppRunner(build_app(runtime), access_log=None)
            await runner.setup()
            settle_after_start()
            try:
                await web.TCPSite(runner, host, port).start()
            except OSError as error:
                await runner.cleanup()
                typer.echo(f"Could not listen on {host}:{port}: {error.strerror or error}", err=True)
                raise typer.Exit(1) from None
            typer.echo(f"Listening on http://{host}:{port} (Ctrl+C to stop).", err=True)
            try:
                await _until_stopped()
            finally:
                await runner.cleanup()  # finishes in-flight turns before the database closes

    asyncio.run(run())


@app.command("slack-socket")
def slack_socket() -> None:
    """Connect to Slack over Socket Mode: no public URL needed."""
    from slack_sdk.errors import SlackApiError, SlackClientError

    from bot.adapters.slack.socket import socket_mode
    from bot.runtime import open_runtime

    settings = _settings()
    missing = [
        name
        for name, value in (
            ("SLACK_BOT_TOKEN", settings.slack_bot_token),
            ("SLACK_APP_TOKEN", settings.slack_app_token),
        )
        if value is None
    ]
    if missing:
        typer.echo(
            f"Socket Mode needs {' and '.join(missing)}: the bot token (xoxb-...) and an app-level token "
            "(xapp-..., scope connections:write). See docs/slack.md, 'Socket Mode'.",
            err=True,
        )
        raise typer.Exit(2)

    async def run() -> None:
        from bot.heap import settle_after_start
        from bot.privacy.schedule import purge_running
        from bot.reminders.loop import reminders_running

        async with (
            open_runtime(settings) as runtime,
            socket_mode(runtime),
            reminders_running(runtime),  # through the outbox, like every reply
            purge_running(runtime.store, clock=runtime.service.clock),  # as `reflect serve` does
        ):
            settle_after_start()
            typer.echo("Connected to Slack over Socket Mode (Ctrl+C to stop).", err=True)
            await _until_stopped()

    try:
        asyncio.run(run())
    except SlackApiError as error:
        code = error.response.get("error", "unknown error")
        typer.echo(
            f"Slack refused the connection ({code}). Check SLACK_APP_TOKEN and SLACK_BOT_TOKEN.", err=True
        )
        raise typer.Exit(1) from None
    except (SlackClientError, OSError) as error:
        typer.echo(
            f"Could not reach Slack ({type(error).__name__}). Check the network and SLACK_API_URL.", err=True
        )
        raise typer.Exit(1) from None


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply database migrations."""
    from storage.database import create_engine
    from storage.migrate import current_revision, upgrade

    settings = _settings()

    async def run() -> str | None:
        engine = create_engine(settings.database_url)
        try:
            await upgrade(engine)
            return await current_revision(engine)
        finally:
            await engine.dispose()

    typer.echo(f"Database is at revision {asyncio.run(run())}.")


@keys_app.command("generate")
def keys_generate() -> None:
    """Print a new encryption key for REFLECT_ENCRYPTION_KEY."""
    from storage.crypto import FieldCipher

    typer.echo(FieldCipher.generate_key())


@keys_app.command("rotate")
def keys_rotate(
    batch_size: Annotated[int, typer.Option(help="Rows re-encrypted per transaction.")] = 500,
) -> None:
    """Re-encrypt every stored field with the first key in REFLECT_ENCRYPTION_KEY.

    Put the new key first and keep the old one after it (comma-separated) until this finishes.
    Safe to run again if interrupted.
    """
    from storage.crypto import FieldCipher
    from storage.database import create_engine
    from storage.rotation import rotate_keys

    settings = _settings()
    cipher = FieldCipher.from_setting(settings.encryption_keys())
    if not cipher.enabled:
        typer.echo(
            "Set REFLECT_ENCRYPTION_KEY first: the new key, then the old one, comma-separated.", err=True
        )
        raise typer.Exit(2)

    async def run() -> None:
        engine = create_engine(settings.database_url)
        try:
            for report in await rotate_keys(engine, cipher, batch_size):
                typer.echo(f"{report.table:<20} {report.rows} rows re-encrypted")
        finally:
            await engine.dispose()

    asyncio.run(run())


# Supervision files: export, people, audit, overview, agree, sign (see bot/records/cli.py).
def _register_records_commands() -> None:
    from bot.records.cli import register

    register(app, _settings)


_register_records_commands()


# ------------------------------------------------------------------ data protection (issue 7)
retention_app = typer.Typer(
    help="Retention: delete what has expired (see docs/data-protection.md).", no_args_is_help=True
)
hold_app = typer.Typer(help="Legal holds on a person or a case reference.", no_args_is_help=True)
sar_app = typer.Typer(help="Subject access requests.", no_args_is_help=True)
app.add_typer(retention_app, name="retention")
app.add_typer(hold_app, name="hold")
app.add_typer(sar_app, name="sar")
PRIVACY_OPERATOR = "cli:local:operator"
ActorOption = Annotated[
    str, typer.Option("--as", help="Who is doing this, recorded in the audit trail (a person id).")
]


def _privacy_run(work: Callable[[Any], Awaitable[T]]) -> T:
    """Open the runtime, run `work(store)`, print refusals kindly (exit 3)."""
    from bot.errors import AccessDenied, InvalidRequest, NotFound
    from bot.runtime import open_runtime

    settings = _settings()

    async def main() -> T:
        async with open_runtime(settings) as runtime:
            await require_registered_operator(runtime)
            return await work(runtime.store)

    from bot.operator import cli_operator, require_registered_operator

    try:
        with cli_operator():  # its audit rows also name the OS user who ran the command
            return asyncio.run(main())
    except (AccessDenied, InvalidRequest, NotFound) as refusal:
        typer.echo(refusal.user_message, err=True)
        raise typer.Exit(3) from None


def _one_of(**options: str | None) -> tuple[str, str]:
    given = [(name, value) for name, value in options.items() if value]
    if len(given) != 1:
        typer.echo(f"Give exactly one of {', '.join('--' + n for n in options)}.", err=True)
        raise typer.Exit(2)
    return given[0][0], str(given[0][1])


def _utc() -> datetime:
    return datetime.now(UTC)


@retention_app.command("purge")
def retention_purge(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Count what would go; delete nothing.")] = False,
    as_: ActorOption = PRIVACY_OPERATOR,
) -> None:
    """Delete every record past its retention period, except what a legal hold covers."""
    from bot.privacy.retention import purge

    report = _privacy_run(lambda store: purge(store, _utc(), dry_run=dry_run, actor=as_))
    verb = "would delete" if dry_run else "deleted"
    for name, count in report.counts.items():
        held = report.held.get(name, 0)
        typer.echo(f"{name:<18} {verb} {count}" + (f" (kept for a legal hold: {held})" if held else ""))


@hold_app.command("add")
def hold_add(
    reason: Annotated[str, typer.Option(help="Why (e.g. the proceedings). Stored encrypted.")],
    person: Annotated[str | None, typer.Option(help="A person id or chat identity.")] = None,
    case: Annotated[str | None, typer.Option(help="A case reference.")] = None,
    as_: ActorOption = PRIVACY_OPERATOR,
) -> None:
    """Place a legal hold: nothing it covers is purged or erased until it is released."""
    from bot.privacy.holds import add_hold

    kind, subject = _one_of(person=person, case=case)
    subject = subject.upper() if kind == "case" else subject

    async def work(store: Any) -> int:
        async with store.turn("privacy:holds") as tx:
            return await add_hold(tx, "person" if kind == "person" else "case", subject, reason, as_, _utc())

    typer.echo(f"Legal hold {_privacy_run(work)} placed on {kind} {subject}.")


@hold_app.command("list")
def hold_list(
    all_: Annotated[bool, typer.Option("--all", help="Include released holds.")] = False,
) -> None:
    """List legal holds (active ones unless --all)."""
    from bot.privacy.holds import Hold, list_holds

    async def work(store: Any) -> list[Hold]:
        async with store.read() as tx:
            return await list_holds(tx, include_released=all_)

    holds = _privacy_run(work)
    if not holds:
        typer.echo("No legal holds.")
    for h in holds:
        state = f"released {h.released_at:%Y-%m-%d} by {h.released_by}" if h.released_at else "active"
        typer.echo(
            f"{h.id:>4}  {h.kind:<6} {h.subject:<24} {h.created_at:%Y-%m-%d} by {h.created_by}  {state}  {h.reason}"
        )


@hold_app.command("release")
def hold_release(
    hold_id: Annotated[int, typer.Argument(help="The hold's number (see `reflect hold list`).")],
    as_: ActorOption = PRIVACY_OPERATOR,
) -> None:
    """Release a legal hold; the hold stays in the history."""
    from bot.privacy.holds import release_hold

    async def work(store: Any) -> str:
        async with store.turn("privacy:holds") as tx:
            hold = await release_hold(tx, hold_id, as_, _utc())
            return f"{hold.kind} {hold.subject}"

    typer.echo(f"Legal hold {hold_id} on {_privacy_run(work)} released.")


@sar_app.command("export")
def sar_export(
    out: Annotated[
        Path, typer.Option(help="Where to write: .json, or .zip for JSON plus notes as markdown.")
    ],
    person: Annotated[str | None, typer.Option(help="A person id: every identity of theirs.")] = None,
    owner: Annotated[str | None, typer.Option(help="One chat identity, e.g. slack:T01:U02.")] = None,
    case: Annotated[str | None, typer.Option(help="A case reference.")] = None,
    as_: ActorOption = PRIVACY_OPERATOR,
) -> None:
    """Export everything held about a worker or a case, for a subject access request."""
    from bot.privacy.subject_access import export

    kind, ref = _one_of(person=person, owner=owner, case=case)
    found = _privacy_run(
        lambda store: export(
            store,
            "person" if kind == "person" else "owner" if kind == "owner" else "case",
            ref,
            out,
            as_,
            _utc(),
        )
    )
    typer.echo(f"Wrote {out}: " + ", ".join(f"{n} {k}" for k, n in found.items()))


@app.command("erase")
def erase_command(
    person: Annotated[str | None, typer.Option(help="A person id or chat identity.")] = None,
    case: Annotated[str | None, typer.Option(help="A case reference.")] = None,
    force_signed: Annotated[bool, typer.Option(help="Also erase signed-off supervision records.")] = False,
    reason: Annotated[str | None, typer.Option(help="Why signed-off records are erased (recorded).")] = None,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
    as_: ActorOption = PRIVACY_OPERATOR,
) -> None:
    """Erase a worker's or a case's records where lawful; held and signed-off ones are refused."""
    from bot.privacy.erasure import erase, preview

    kind, ref = _one_of(person=person, case=case)
    ekind: Any = kind
    if not yes:
        plan = _privacy_run(lambda store: preview(store, ekind, ref, force_signed))
        typer.echo(f"This will erase {plan.summary()}.")
        if not typer.confirm("Go ahead?"):
            raise typer.Exit(1)
    done = _privacy_run(lambda store: erase(store, ekind, ref, as_, _utc(), force_signed, reason))
    typer.echo(
        f"Erased {len(done.sessions)} sessions, {len(done.group_sessions)} group sessions, "
        f"{len(done.reminders)} reminders" + (", and the person record." if done.erase_person else ".")
    )
    if done.kept_shared:
        typer.echo(
            f"Kept {len(done.kept_shared)} group sessions shared with other members: review them with your DPO."
        )
    if done.refused:
        typer.echo("Not erased, and why:")
        for refusal in done.refused:
            typer.echo(f"  - {refusal.sentence()}")
