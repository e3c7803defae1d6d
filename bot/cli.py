"""The `reflect` command (Typer). See DESIGN.md for the contract."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
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


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())


__all__ = ["Path", "app"]
