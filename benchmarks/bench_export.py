"""Time of the Excel and Stata exports of the whole panel, beside the writer the Excel export used before.

Run: ``python benchmarks/bench_export.py [--repeat N] [--no-baseline]``.

- ``xlsx``: :func:`coreduce.data.export.export_panel` to ``.xlsx`` (three sheets, the long panel in ``data``),
  written by the columnar Rust writer (goal: < 5 s for the whole panel on a quiet 2-core machine);
- ``xlsx baseline``: the same three sheets through ``pandas.ExcelWriter(engine="xlsxwriter")``, the writer used
  before (13–73 s measured on the loaded machine);
- ``dta``: the Stata export, wide, over the analysis window 2008–2022.

Each line gives the best wall time of N runs and the CPU time of the process during the best run (wall time on a
machine shared with other work is mostly waiting; CPU time is what the writer costs), the problem size (rows ×
columns, cells, bytes written) and the machine load (``os.getloadavg``) before and after.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import pandas as pd

from coreduce.data import load_bundled
from coreduce.data.export import export_panel
from coreduce.data.schema import PANEL_COLUMNS


def _baseline(panel, path: Path) -> Path:
    with pd.ExcelWriter(path, engine="xlsxwriter") as xl:
        panel.data.loc[:, list(PANEL_COLUMNS)].to_excel(xl, sheet_name="data", index=False)
        panel.catalogue.to_excel(xl, sheet_name="catalogue", index=False)
        panel.sources.to_excel(xl, sheet_name="sources", index=False)
    return path


def _time(work, repeat: int) -> tuple[float, float, Path]:
    best, cpu, result = float("inf"), float("nan"), None
    for _ in range(repeat):
        wall0, cpu0 = time.perf_counter(), time.process_time()
        result = work()
        wall = time.perf_counter() - wall0
        if wall < best:
            best, cpu = wall, time.process_time() - cpu0
    return best, cpu, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--no-baseline", action="store_true", help="Skip the slow pandas/xlsxwriter baseline.")
    args = parser.parse_args()
    panel = load_bundled()
    rows, columns = len(panel.data), len(PANEL_COLUMNS)
    load = os.getloadavg()
    print(f"panel: {rows:,} rows × {columns} columns ({rows * columns:,} cells), {len(panel.variables)} variables")
    print(f"cores {os.cpu_count()}; load before {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    out = Path(tempfile.mkdtemp(prefix="bench-export-"))
    cases = {
        "xlsx (rust writer)": lambda: export_panel(panel, out / "panel.xlsx"),
        "dta wide 2008-2022": lambda: export_panel(panel, out / "panel.dta", years=(2008, 2022)),
    }
    if not args.no_baseline:
        cases["xlsx baseline (pandas+xlsxwriter)"] = lambda: _baseline(panel, out / "baseline.xlsx")
    times = {}
    for name, work in cases.items():
        wall, cpu, path = _time(work, args.repeat if "baseline" not in name else 1)
        times[name] = wall
        print(f"{name:36} wall {wall:7.2f} s  cpu {cpu:7.2f} s  {path.stat().st_size / 2**20:6.1f} MiB")
    if "xlsx baseline (pandas+xlsxwriter)" in times:
        ratio = times["xlsx baseline (pandas+xlsxwriter)"] / times["xlsx (rust writer)"]
        print(f"xlsx: the rust writer is {ratio:.1f}× faster than the baseline in wall time")
    load = os.getloadavg()
    print(f"load after {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
