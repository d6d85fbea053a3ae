"""Every number of the report on the bundled panel equals the committed snapshot (to 1e-12).

The fixture ``data/report_numbers.csv.gz`` holds every numeric cell of the report's tables and figure data; a
change of numbers must be deliberate: regenerate it with
``.venv/bin/python scripts/report_snapshot.py tests/report/data/report_numbers.csv.gz`` and say why in the commit.
"""

from __future__ import annotations

import runpy
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = Path(__file__).parent / "data" / "report_numbers.csv.gz"


@pytest.fixture(scope="module")
def snapshot():
    return runpy.run_path(str(ROOT / "scripts" / "report_snapshot.py"), run_name="snapshot")


@pytest.mark.slow
def test_report_numbers_equal_the_snapshot(snapshot):
    from coreduce.data import BundledDataMissingError

    try:
        frames = snapshot["report_frames"]()
    except BundledDataMissingError as exc:
        pytest.skip(str(exc))
    expected = pd.read_csv(FIXTURE, dtype={"item": str, "column": str})
    problems = snapshot["compare"](expected, snapshot["numbers"](frames))
    assert not problems, "\n".join(problems)


def test_compare_finds_a_changed_cell_and_a_missing_column(snapshot):
    frame = pd.DataFrame({"a": [1.0, float("nan")], "b": [0.1 + 0.2, 2.0], "c": ["x", "y"]})
    expected = snapshot["numbers"]({"table:t": frame})
    assert set(expected["column"]) == {"a", "b"}
    assert snapshot["compare"](expected, snapshot["numbers"]({"table:t": frame.copy()})) == []
    changed = frame.assign(b=[0.3 * (1 + 1e-9), 2.0])
    assert any(
        p.startswith("changed: table:t / b row 0")
        for p in snapshot["compare"](expected, snapshot["numbers"]({"table:t": changed}))
    )
    dropped = snapshot["compare"](expected, snapshot["numbers"]({"table:t": frame.drop(columns="a")}))
    assert dropped == ["missing now: table:t / a (2 cells)"]
