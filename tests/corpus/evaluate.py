"""`make eval`: run every labelled corpus through the bot's own code and print the table.

Writes tests/corpus/results.json beside the corpora. Exit status 1 when a category misses
its target, so the same figures gate `make test` (tests/corpus/test_targets.py).
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import sys
from pathlib import Path

from tests.corpus.framework import Row, summarise

HERE = Path(__file__).parent


def rows() -> list[Row]:
    found: list[Row] = []
    names = sorted(m.name for m in pkgutil.iter_modules([str(HERE)]) if m.name.startswith("check_"))
    for name in names:
        module = importlib.import_module(f"tests.corpus.{name}")
        found.append(
            summarise(
                module.CATEGORY,
                module.results(),
                module.TARGET_RECALL,
                module.TARGET_PRECISION,
                getattr(module, "TARGET_FALSE_ALARMS", None),
            )
        )
    return found


def table(found: list[Row]) -> str:
    header = (
        f"{'category':<22} {'understood':>12} {'recall':>8} {'precision':>10} {'false alarms':>13} "
        f"{'target':>18} {'met':>4}"
    )
    lines = [header, "-" * len(header)]
    for row in found:
        target = f"{row.target_recall:.0%}/{row.target_precision:.0%}"
        if row.target_false_alarms is not None:
            target += f"/<={row.target_false_alarms:.0%}"
        alarms = f"{row.false_alarm_count}/{row.negatives} {row.false_alarms:.1%}" if row.negatives else "-"
        lines.append(
            f"{row.category:<22} {f'{row.understood}/{row.total}':>12} {row.recall:>8.1%} "
            f"{row.precision:>10.1%} {alarms:>13} {target:>18} {'yes' if row.met else 'no':>4}"
        )
    return "\n".join(lines)


def wrong_cases(found: list[Row], limit: int = 40) -> str:
    lines: list[str] = []
    for row in found:
        for result in row.wrong[:limit]:
            lines.append(
                f"[{row.category}] {result.case!r}: expected {result.expected!r}, got {result.got!r}"
            )
        if len(row.wrong) > limit:
            lines.append(f"[{row.category}] ... and {len(row.wrong) - limit} more")
    return "\n".join(lines)


def main() -> int:
    found = rows()
    print(table(found))
    wrong = wrong_cases(found)
    print("\nGot wrong:\n" + (wrong or "nothing"))
    report = [
        {
            "category": r.category,
            "total": r.total,
            "understood": r.understood,
            "positives": r.positives,
            "recall": round(r.recall, 4),
            "precision": round(r.precision, 4),
            "target_recall": r.target_recall,
            "target_precision": r.target_precision,
            "false_alarms": round(r.false_alarms, 4),
            "target_false_alarms": r.target_false_alarms,
            "met": r.met,
            "wrong": [
                {
                    "case": w.case,
                    "expected": repr(w.expected),
                    "got": repr(w.got),
                    "subcategory": w.subcategory,
                }
                for w in r.wrong
            ],
        }
        for r in found
    ]
    (HERE / "results.json").write_text(json.dumps(report, indent=2) + "\n")
    return 0 if all(r.met for r in found) else 1


if __name__ == "__main__":
    sys.exit(main())
