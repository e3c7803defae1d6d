"""Signals read from free text: immediate risk, follow-ups worth asking, identifiers (pure functions)."""
