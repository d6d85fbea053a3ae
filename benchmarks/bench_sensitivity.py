"""Time of the CO2-series sensitivity table and of the NQPF-effect robustness analysis on the bundled panel.

    python benchmarks/bench_sensitivity.py [--repeat 3]

Problem size: 31 provinces (and China) × 5 CO2 series, 2008–2022, for the sensitivity table; 11 two-way
fixed-effects regressions (≈ 390 province-years each, with the NQPF index rebuilt for each) plus 6 co-reduction
status runs for the NQPF-effect analysis. Prints the best wall time, the CPU time of one run (which a loaded
machine does not inflate), the traced peak memory and the machine load (os.getloadavg). Baseline side by side:
one co-reduction status run (the analysis the sensitivity table repeats per series).
"""

from __future__ import annotations

import argparse
import os
import time

from _timing import measure
from coreduce.analysis.co2_series import SENSITIVITY_SERIES, co2_sensitivity
from coreduce.analysis.costatus import costatus
from coreduce.analysis.nqpf_effect import nqpf_effect
from coreduce.data import load_bundled


def cpu(work) -> float:
    start = time.process_time()
    work()
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    panel = load_bundled()
    print(f"machine load (1, 5, 15 min): {os.getloadavg()}")
    cases = {
        "co-reduction status, 1 CO2 series (baseline)": lambda: costatus(panel),
        f"sensitivity table, {len(SENSITIVITY_SERIES)} CO2 series": lambda: co2_sensitivity(panel),
        "NQPF effect: 11 FE regressions + 6 coupling variants": lambda: nqpf_effect(panel),
    }
    for label, work in cases.items():
        repeat = 1 if label.startswith("NQPF") else args.repeat
        wall, peak, _ = measure(work, repeat=repeat)
        print(f"{label:<56} wall {wall:8.2f} s  cpu {cpu(work):7.2f} s  peak {peak:7.1f} MiB")
    print(f"machine load after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
