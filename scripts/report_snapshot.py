"""Every number of the report on the bundled panel, as one long table: a regression fixture for refactors.

The report (English) is built in memory from the bundled panel; every numeric cell of every table (as its CSV
holds it where the report shows fewer rows) and of the data behind every figure becomes one row ``item, column,
row, value`` (``item`` is the table or figure key, ``column`` its header, ``row`` the row position).
``tests/report/test_report_snapshot.py`` compares a fresh run with the
committed fixture to 1e-12 (relative).

Regenerate the fixture (after a deliberate change of numbers, say why in the commit)::

    .venv/bin/python scripts/report_snapshot.py tests/report/data/report_numbers.csv.gz

Write the report's tables and figure data as CSV files too (to look at them)::

    .venv/bin/python scripts/report_snapshot.py /tmp/numbers.csv.gz --folder /tmp/report-tables
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

COLUMNS = ["item", "column", "row", "value"]


def report_frames(lang: str = "en") -> dict[str, pd.DataFrame]:
    """Key → frame of every table and every figure's data of the report on the bundled panel."""
    import matplotlib

    matplotlib.use("Agg")
    from coreduce.data import load_bundled
    from coreduce.report.build import make_report

    report, _ = make_report(load_bundled(), lang)
    frames = {f"figure:{fig.key}": fig.data for fig in report.figures}
    frames |= {f"table:{tab.key}": tab.frame.reset_index() if tab.index else _whole(tab) for tab in report.tables}
    return frames


def _whole(table) -> pd.DataFrame:
    """A table's rows as its CSV holds them: a table the report shows condensed to some of its rows (the same
    columns) counts whole, so that condensing it changes no number."""
    full = table.full
    return full if full is not None and list(full.columns) == list(table.frame.columns) else table.frame


def numbers(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The numeric cells of ``frames`` as rows (item, column, row, value); NaN kept as NaN."""
    parts = []
    for item, frame in frames.items():
        frame = frame.reset_index(drop=True)
        for position, column in enumerate(frame.columns):
            values = frame.iloc[:, position]
            if not (pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)):
                continue
            parts.append(
                pd.DataFrame(
                    {"item": item, "column": str(column), "row": np.arange(len(values)), "value": values.astype(float)}
                )
            )
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=COLUMNS)


def compare(expected: pd.DataFrame, actual: pd.DataFrame, rtol: float = 1e-12, atol: float = 1e-12) -> list[str]:
    """Differences between two number tables: cells present in one only, and values beyond the tolerance."""
    key = ["item", "column", "row"]
    merged = expected.merge(actual, on=key, how="outer", suffixes=("_expected", "_actual"), indicator=True)
    problems = []
    for side, label in (("left_only", "missing now"), ("right_only", "new")):
        part = merged[merged["_merge"] == side]
        for (item, column), cells in part.groupby(["item", "column"]):
            problems.append(f"{label}: {item} / {column} ({len(cells)} cells)")
    both = merged[merged["_merge"] == "both"]
    a, b = both["value_expected"].to_numpy(float), both["value_actual"].to_numpy(float)
    same = np.isclose(a, b, rtol=rtol, atol=atol) | (np.isnan(a) & np.isnan(b))
    for row in both[~same].head(50).itertuples(index=False):
        problems.append(
            f"changed: {row.item} / {row.column} row {row.row}: {row.value_expected!r} → {row.value_actual!r}"
        )
    if (~same).sum() > 50:
        problems.append(f"… {(~same).sum() - 50} more changed cells")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path, help="the numbers table to write (.csv or .csv.gz)")
    parser.add_argument("--folder", type=Path, help="also write every table and figure's data as CSV here")
    args = parser.parse_args(argv)
    frames = report_frames()
    table = numbers(frames)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(args.out, index=False, float_format="%.17g")
    if args.folder:
        args.folder.mkdir(parents=True, exist_ok=True)
        for item, frame in frames.items():
            frame.to_csv(args.folder / f"{item.replace(':', '_')}.csv", index=False)
    print(f"{len(table)} numbers of {len(frames)} tables and figures written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
