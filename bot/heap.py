"""How a long-running server's memory is collected.

A server's start-up objects (modules, compiled patterns, word lists, templates, the ORM's
metadata: some 240,000) live as long as the process, yet Python's collector scanned them all
at every full collection, pausing every turn in flight for up to a tenth of a second. Once
the server has started they are frozen out of its scans, and the youngest objects, which a
turn makes by the thousand, are collected less often. Reference cycles are still collected.
"""

from __future__ import annotations

import gc

# Objects made between collections of the youngest generation (Python's default: 700), and
# how many of those collections make one of the next (the default's 10, 10).
THRESHOLDS = (20_000, 20, 10)


def settle_after_start() -> None:
    """Call once everything a server keeps for its lifetime is loaded (`reflect serve`)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
