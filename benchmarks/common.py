"""Shared measuring tools: percentiles, a results table, and the scripted reflection."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Any

# A whole post-visit reflection as a worker types it (invented words, no real data).
REFLECTION = [
    "reflect",
    "HX-{n:04d}",
    "2",
    "pretty bad",
    "Feet sticking to the floor, smell of smoke, television loud, no toys anywhere.",
    "Wakes alone at six, makes her own cereal, no bedtime routine I could see.",
    "no",
    "nothing, she was asleep",
    "Next time I'll ask to see her at school.",
    "Tense the whole time, and flat afterwards in the car.",
    "If I was tense after an hour, she lives with that every day.",
    "Mostly about her; some about the assessment deadline.",
    "Ten minutes with my manager tomorrow.",
    "Mum's low mood means nobody is running the home\nAn adult we haven't met is staying",
    "yes",  # the read-back
    "Curtains closed at noon, mum flat and tired",
    "She engaged well and kept the GP appointment",
    "Men's boots in the hall, two mugs by the bed",
    "Mum says her brother visits",
    "2",
    "If it were wrong I'd expect to see no sign of him at all.",
    "Mum has kept every health visitor appointment.",
    "Mum says the problem is money and the landlord.",
    "Whether anyone else lives there.",
    "2",
    "Ring school / me / Friday\nCheck with the health visitor / health visitor / 30 November",
    "yes",  # the read-back
    "share",
]
# Answers stored for one scripted reflection (commands and choices included; "reflect" and the
# "yes" that confirms a read-back are not answers).
ANSWERS_PER_REFLECTION = len(REFLECTION) - 1 - REFLECTION.count("yes")


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1))))
    return ordered[rank]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


@dataclass
class Result:
    name: str
    metrics: dict[str, Any] = field(default_factory=dict)
    target: str | None = None
    met: bool | None = None
    note: str | None = None


def table(results: list[Result]) -> str:
    rows = [("benchmark", "metric", "value", "target", "met")]
    for result in results:
        first = True
        for metric, value in result.metrics.items():
            shown = f"{value:.3f}" if isinstance(value, float) else str(value)
            rows.append(
                (
                    result.name if first else "",
                    metric,
                    shown,
                    (result.target or "") if first else "",
                    ("yes" if result.met else "no" if result.met is not None else "") if first else "",
                )
            )
            first = False
        if result.note:
            rows.append(("", "note", result.note, "", ""))
    widths = [max(len(str(row[i])) for row in rows) for i in range(5)]
    lines = [" | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(lines)
