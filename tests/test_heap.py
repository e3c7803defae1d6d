"""A server freezes its start-up objects out of the collector's scans (bot.heap)."""

from __future__ import annotations

import subprocess
import sys

from bot.heap import THRESHOLDS


def test_a_started_server_collects_only_what_turns_make() -> None:
    # In a child process: freezing this one would keep the test run's garbage for good.
    probe = (
        "import gc, bot.server; from bot.heap import settle_after_start; "
        "before = gc.get_freeze_count(); settle_after_start(); "
        "print(before, gc.get_freeze_count(), *gc.get_threshold())"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    before, frozen, *threshold = (int(word) for word in out.split())
    assert before == 0 and frozen > 50_000
    assert tuple(threshold) == THRESHOLDS
