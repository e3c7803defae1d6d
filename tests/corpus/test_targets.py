"""Every labelled corpus meets its target: the same figures `make eval` prints."""

from __future__ import annotations

import pytest

from tests.corpus.evaluate import rows, wrong_cases

ROWS = rows()


@pytest.mark.parametrize("row", ROWS, ids=[r.category for r in ROWS])
def test_category_meets_its_target(row) -> None:  # type: ignore[no-untyped-def]
    assert row.total > 0
    assert row.met, f"{row.category}: recall {row.recall:.1%}, precision {row.precision:.1%}\n" + wrong_cases(
        [row]
    )
