"""The `reflect` command (Typer). See DESIGN.md for the contract."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer

from bot.config import Settings, load_settings
from bot.errors import ConfigError
from bot.logs import configure_logging
from supervision_models.registry import default_registry

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

    from bot.runtime import open_runtime
    from bot.server import build_app

    settings = _settings()
    if not settings.slack_enabled and not settings.teams_enabled:
        typer.echo(
            "Warning: no chat platform is configured (SLACK_BOT_TOKEN or MICROSOFT_APP_ID), "
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
        from bot.adapters.slack.reminders import SlackReminderDeliverer
        from bot.reminders.loop import reminders_running

        async with (
            open_runtime(settings) as runtime,
            socket_mode(runtime) as adapter,
            reminders_running(runtime, {"slack": SlackReminderDeliverer(adapter.client)}),
        ):
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
