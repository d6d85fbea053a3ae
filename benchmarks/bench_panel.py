"""Time and peak memory of building the panel from the public data, storing it, and loading the bundled panel.

Run: ``python benchmarks/bench_panel.py [--repeat N]``. Each step runs in a fresh child process so that its peak
resident memory (``ru_maxrss``) is its own; inside the child the step is timed and its Python allocations traced
(``tracemalloc`` peak). Steps:

- ``build``: :func:`coreduce.data.build.build_panel` on ``shared_data_dir()`` (10 readers, checks, corrections,
  interpolation) — once, it reads ~9 MB of CSV and xlsx;
- ``store``: :meth:`coreduce.data.store.Store.write_panel` of the built panel into a new DuckDB file, then
  :meth:`~coreduce.data.store.Store.panel` back;
- ``load_bundled``: :func:`coreduce.data.load_bundled` (target < 0.5 s), best of N; the baseline beside it is
  reading the same rows from the long CSV export (what a user without the Parquet file would do).

Problem sizes (rows, variables, geographies, years, bytes on disk) are printed with each result.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _timing import measure

STEPS = ("build", "store", "load_bundled", "load_csv_baseline")


def _size(panel) -> dict:
    data = panel.data
    return {
        "rows": len(data),
        "variables": int(data["variable"].nunique()),
        "geos": int(data["geo"].nunique()),
        "years": f"{int(data['year'].min())}–{int(data['year'].max())}",
    }


def run_step(step: str, repeat: int, scratch: Path) -> dict:
    """Run one step in this process and return its figures (called in the child)."""
    import pandas as pd

    from coreduce.data import load_bundled
    from coreduce.data.build import build_panel
    from coreduce.data.bundled import HERE
    from coreduce.data.store import Store
    from coreduce.paths import shared_data_dir

    if step == "build":
        root = shared_data_dir()
        size_in = sum(p.stat().st_size for p in root.rglob("*") if p.is_file())
        seconds, peak, result = measure(lambda: build_panel(root, progress=False))
        return {**_size(result.panel), "input_MiB": size_in / 2**20, "seconds": seconds, "traced_MiB": peak}
    if step == "store":
        panel = load_bundled()

        def write_and_read():
            path = scratch / f"store-{time.perf_counter_ns()}.duckdb"
            store = Store(path)
            store.write_panel(panel)
            return store.panel(), path

        seconds, peak, (back, path) = measure(write_and_read)
        return {**_size(back), "file_MiB": path.stat().st_size / 2**20, "seconds": seconds, "traced_MiB": peak}
    if step == "load_bundled":
        seconds, peak, panel = measure(load_bundled, repeat)
        on_disk = sum(p.stat().st_size for p in HERE.iterdir() if p.is_file() and p.suffix in (".parquet", ".csv"))
        return {**_size(panel), "file_MiB": on_disk / 2**20, "seconds": seconds, "traced_MiB": peak}
    if step == "load_csv_baseline":
        csv = scratch / "panel.csv"
        load_bundled().data.to_csv(csv, index=False)
        seconds, peak, frame = measure(lambda: pd.read_csv(csv, dtype={"geo": str}), repeat)
        return {"rows": len(frame), "file_MiB": csv.stat().st_size / 2**20, "seconds": seconds, "traced_MiB": peak}
    raise ValueError(f"unknown step {step!r}; expected one of {STEPS}")


def child(step: str, repeat: int, scratch: Path) -> None:
    figures = run_step(step, repeat, scratch)
    figures["maxrss_MiB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB
    print(json.dumps(figures))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5, help="runs of each load step (best is shown)")
    parser.add_argument("--step", choices=STEPS, help=argparse.SUPPRESS)
    parser.add_argument("--scratch", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        child(args.step, args.repeat, args.scratch)
        return
    print(f"python {sys.version.split()[0]}; each step in its own process; load steps best of {args.repeat}")
    print("traced = tracemalloc peak of one run (Python allocations); maxrss = peak resident set of the process\n")
    header = f"{'step':<20}{'seconds':>9}{'traced MiB':>12}{'maxrss MiB':>12}  size"
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory() as scratch:
        for step in STEPS:
            done = subprocess.run(
                [sys.executable, __file__, "--step", step, "--repeat", str(args.repeat), "--scratch", scratch],
                capture_output=True,
                text=True,
                check=True,
            )
            figures = json.loads(done.stdout.strip().splitlines()[-1])
            size = ", ".join(
                f"{k} {v:.2f}" if isinstance(v, float) else f"{k} {v}"
                for k, v in figures.items()
                if k not in ("seconds", "traced_MiB", "maxrss_MiB")
            )
            print(
                f"{step:<20}{figures['seconds']:>9.3f}{figures['traced_MiB']:>12.1f}{figures['maxrss_MiB']:>12.1f}"
                f"  {size}"
            )
    print("\ntarget: load_bundled < 0.5 s")


if __name__ == "__main__":
    main()
