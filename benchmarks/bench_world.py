"""Time and peak memory of loading the full country panel and of a Kaya LMDI of every country, year by year.

    python benchmarks/bench_world.py [--repeat 3] [--start 1990] [--end 2023]

Steps timed (best wall time of ``--repeat`` runs, tracemalloc peak of one more):

* load: the bundled panel (``coreduce.data.load_bundled``) and the (country, year) frame of CO2, population,
  GDP and primary energy for every country (``coreduce.analysis.world._data.country_frame``);
* kaya: ``coreduce.analysis.world.kaya_all_countries`` — additive LMDI of C = P·(Y/P)·(E/Y)·(C/E) for every
  country and every pair of consecutive years, vectorised over countries × years;
* baseline: the same effects from a Python loop over countries and years with the scalar formula
  ΔC_k = L(C_T, C_0)·ln(x_k,T/x_k,0), the way it is usually hand-coded; the largest difference is printed.

The issue's target: load plus Kaya of all countries × 1990–2023 under 2 s. GDP ends in 2022, so the pairs
ending in 2023 have NaN effects. Measured on the 2-core development machine (load average printed): see the
output; figures are not asserted anywhere.
"""

from __future__ import annotations

import argparse
import itertools
import math
import os

import numpy as np

from _timing import measure
from coreduce.analysis.world import KayaConventions, kaya_all_countries
from coreduce.analysis.world._data import country_frame
from coreduce.analysis.world.kaya import COLUMNS, FACTORS, kaya_factors
from coreduce.data import load_bundled


def baseline(frame) -> dict[tuple[str, int], list[float]]:
    """Scalar LMDI in a Python loop over countries and years."""
    factors = kaya_factors(frame.where(frame > 0))
    out = {}
    for geo, part in factors.groupby(level="geo"):
        rows = part.droplevel("geo").sort_index()
        years = list(rows.index)
        for y0, y1 in itertools.pairwise(years):
            a, b = rows.loc[y0], rows.loc[y1]
            c0, c1 = float(np.prod(a)), float(np.prod(b))
            if y1 != y0 + 1 or not (c0 > 0 and c1 > 0):
                continue
            log_ratio = math.log(c1) - math.log(c0)
            weight = c0 if log_ratio == 0 else (c1 - c0) / log_ratio
            out[(geo, y1)] = [weight * math.log(b[k] / a[k]) for k in FACTORS]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--start", type=int, default=1990)
    parser.add_argument("--end", type=int, default=2023)
    args = parser.parse_args()
    conv = KayaConventions(start=args.start, end=args.end, pairs="yearly")

    def load():
        return country_frame(load_bundled(), COLUMNS, (args.start, args.end))

    t_load, m_load, frame = measure(load, args.repeat)
    panel = load_bundled()
    t_kaya, m_kaya, effects = measure(lambda: kaya_all_countries(panel, conv), args.repeat)
    t_base, m_base, base = measure(lambda: baseline(frame), 1)
    n_geo = frame.index.get_level_values("geo").nunique()
    diffs = [
        abs(row[k] - base[(row["geo"], row["end"])][i])
        for _, row in effects.dropna().iterrows()
        for i, k in enumerate(FACTORS)
        if (row["geo"], row["end"]) in base
    ]
    print(f"problem: {n_geo} countries × {args.start}–{args.end} ({len(effects)} country-year pairs, "
          f"{len(effects.dropna())} with all four series); load average {os.getloadavg()}")  # fmt: skip
    print(f"load panel + country frame   {t_load:8.3f} s   peak {m_load:7.1f} MiB")
    print(f"Kaya LMDI, all countries     {t_kaya:8.3f} s   peak {m_kaya:7.1f} MiB")
    print(f"  total (target < 2 s)       {t_load + t_kaya:8.3f} s")
    print(f"baseline Python loop         {t_base:8.3f} s   peak {m_base:7.1f} MiB   max |Δ| {max(diffs):.2e} Mt")


if __name__ == "__main__":
    main()
