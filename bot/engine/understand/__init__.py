"""Understanding what a worker typed: one module per kind of reading (pure functions)."""
