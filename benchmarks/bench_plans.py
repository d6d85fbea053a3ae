"""Time and peak memory of the five-year-plan table and of the NQPF index with its missing-value rule.

    python benchmarks/bench_plans.py [--repeat 3]

Problem size: the bundled panel (31 provinces; plans 2005–2022, 4 plans × 5 indicators and the alternative
series; NQPF ``long`` system, 8 indicators × 31 provinces × 15 years). The NQPF index runs with the default rule
(interpolation inside a series, then dimension re-weighting) beside the complete-case baseline, which scores
fewer province-years. Prints the machine load (``os.getloadavg``) so that a figure is read with it.
"""

from __future__ import annotations

import argparse
import os

from _timing import measure
from coreduce.analysis.conventions import ProvinceConventions
from coreduce.analysis.nqpf import nqpf_index
from coreduce.analysis.plans import plans
from coreduce.data.bundled import load_bundled


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    panel = load_bundled()
    print(f"load average (1, 5, 15 min): {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    wall, peak, result = measure(lambda: plans(panel), args.repeat)
    rows = len(result.table)
    print(f"plans: {rows} plan rows, {len(result.national)} national values: {wall:.3f} s, peak {peak:.1f} MiB")
    for rule in ("interpolate-reweight", "complete"):
        c = ProvinceConventions(system="long", nqpf_missing=rule)
        wall, peak, res = measure(lambda c=c: nqpf_index(panel, c), args.repeat)
        n = len(res.scores)
        print(f"nqpf_index ({rule}): {n} province-years scored of 465: {wall:.3f} s, peak {peak:.1f} MiB")
    print(f"load average after: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
