"""The shape every corpus check shares, and the arithmetic of the evaluation table.

A check is a module `tests/corpus/check_<name>.py` with:

    CATEGORY = "choices"            # the row in the table
    TARGET_RECALL = 1.0             # the least recall (and precision) the suite accepts
    TARGET_PRECISION = 1.0
    def results() -> Iterable[Result]: ...

A `Result` compares what a message must be read as (`expected`) with what the bot read
(`got`). `None` means "nothing": a near-miss that must not fire has `expected=None`; a
message the bot did not understand has `got=None`. So for every category alike:

    recall    = right readings / cases that expect something
    precision = right readings / cases where the bot read something

A check may also set `TARGET_FALSE_ALARMS` (optional): the most the share of near-misses
(cases that expect nothing) that the bot reads as something may be, e.g. 0.03 for the
immediate-risk boundary. Without it the figure is shown but not enforced.

    false alarms = near-misses read as something / near-misses
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Result:
    category: str
    case: str  # the message as the worker typed it (shown when it is got wrong)
    expected: Any
    got: Any
    subcategory: str = ""  # e.g. "sexual abuse", "yes/no with reasons"

    @property
    def correct(self) -> bool:
        return self.expected == self.got


@dataclass
class Row:
    category: str
    target_recall: float
    target_precision: float
    total: int = 0
    positives: int = 0
    predicted: int = 0
    right_positive: int = 0
    right_predicted: int = 0
    target_false_alarms: float | None = None
    negatives: int = 0
    false_alarm_count: int = 0
    wrong: list[Result] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.right_positive / self.positives if self.positives else 1.0

    @property
    def precision(self) -> float:
        return self.right_predicted / self.predicted if self.predicted else 1.0

    @property
    def false_alarms(self) -> float:
        return self.false_alarm_count / self.negatives if self.negatives else 0.0

    @property
    def understood(self) -> int:
        return self.total - len(self.wrong)

    @property
    def met(self) -> bool:
        alarms_ok = self.target_false_alarms is None or self.false_alarms <= self.target_false_alarms
        return self.recall >= self.target_recall and self.precision >= self.target_precision and alarms_ok


def summarise(
    category: str,
    results: Iterable[Result],
    target_recall: float,
    target_precision: float,
    target_false_alarms: float | None = None,
) -> Row:
    row = Row(category, target_recall, target_precision, target_false_alarms=target_false_alarms)
    for result in results:
        row.total += 1
        if result.expected is not None:
            row.positives += 1
            row.right_positive += result.correct
        else:
            row.negatives += 1
            row.false_alarm_count += result.got is not None
        if result.got is not None:
            row.predicted += 1
            row.right_predicted += result.correct
        if not result.correct:
            row.wrong.append(result)
    return row
