"""`python -m bot` runs the `reflect` command (the tests use this to run the real CLI)."""

from bot.cli import app

app()
