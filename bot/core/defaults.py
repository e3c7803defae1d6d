"""Defaults that settings and storage must agree on."""

from __future__ import annotations

# Where the database lives when REFLECT_DATABASE_URL is not set.
DEFAULT_DATABASE_URL = "sqlite:///./data/reflect.db"
