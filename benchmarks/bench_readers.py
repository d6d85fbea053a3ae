"""Time and peak memory of every publisher reader on the public data, and of three ways to read the CEADs workbooks.

Run: ``python benchmarks/bench_readers.py [--repeat N]``. Prints, per reader, the input size, rows emitted, best
wall time over N runs and peak traced memory; then the 23 CEADs provincial workbooks (690 sheets) read by
openpyxl (pandas), calamine through pandas, and calamine directly (what the readers use).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from _timing import measure
from coreduce.data.readers import READERS
from coreduce.data.readers._common import read_workbook
from coreduce.data.readers.ceads_provinces import files
from coreduce.paths import shared_data_dir


def input_bytes(root: Path, files_field: pd.Series) -> int:
    return sum((root / f).stat().st_size for text in files_field for f in text.split(";"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    root = shared_data_dir()
    print(f"public data: {root}; best of {args.repeat} runs; peak = tracemalloc peak of one run\n")
    print(f"{'reader':<18}{'input MiB':>10}{'rows':>9}{'variables':>10}{'seconds':>9}{'peak MiB':>10}")
    total = 0.0
    for reader in READERS:
        seconds, peak, out = measure(lambda r=reader: r.read(root), args.repeat)
        total += seconds
        size = input_bytes(root, out.sources["files"]) / 2**20
        print(
            f"{reader.name:<18}{size:>10.2f}{len(out.data):>9,}{out.data['variable'].nunique():>10}"
            f"{seconds:>9.3f}{peak:>10.1f}"
        )
    print(f"{'all readers':<18}{'':>38}{total:>9.3f}\n")

    paths = list(files(root).values())
    ways = {
        "pandas + openpyxl (baseline)": lambda: [
            pd.read_excel(p, sheet_name=None, header=None, engine="openpyxl") for p in paths
        ],
        "pandas + calamine": lambda: [pd.read_excel(p, sheet_name=None, header=None, engine="calamine") for p in paths],
        "python-calamine direct (used)": lambda: [read_workbook(p, "a CEADs workbook") for p in paths],
    }
    sheets = sum(len(read_workbook(p, "")) for p in paths)
    print(f"CEADs provincial workbooks: {len(paths)} files, {sheets} sheets, "
          f"{sum(p.stat().st_size for p in paths) / 2**20:.2f} MiB")  # fmt: skip
    print(f"{'engine':<32}{'seconds':>9}{'peak MiB':>10}")
    for name, work in ways.items():
        seconds, peak, _ = measure(work, 1 if "openpyxl" in name else args.repeat)
        print(f"{name:<32}{seconds:>9.3f}{peak:>10.1f}")


if __name__ == "__main__":
    main()
