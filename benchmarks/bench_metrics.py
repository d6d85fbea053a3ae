"""Time and peak memory of the co-reduction metrics on two problem sizes.

    python benchmarks/bench_metrics.py [--repeat 5]

Sizes: 31 provinces × 15 years (the papers' panel) and a synthetic 3,000 units × 25 years panel. For each
metric the best wall time of ``--repeat`` runs and the peak memory traced by tracemalloc are printed. LMDI
has a side-by-side baseline: the same LMDI-I formulas evaluated in a plain Python loop per unit and year
(the way the method is usually hand-coded), to show what the vectorised form saves. No LMDI, Tapio or
coupling-coordination package exists on PyPI to compare against. Last, the three analyses (trends,
co-reduction status, LMDI drivers) run on the bundled panel of the 31 provinces, 2008–2022, when it is there.
"""

from __future__ import annotations

import argparse
import math

import numpy as np
import pandas as pd

from _timing import measure
from coreduce.methods.cocontrol import cocontrol
from coreduce.methods.coupling import coupling_coordination
from coreduce.methods.decoupling import tapio
from coreduce.methods.intensity import aggregate_intensity, average_annual_rate, intensity
from coreduce.methods.lmdi import lmdi
from coreduce.methods.synergy import order_degree, subsystem_order, synergy_degree


def lmdi_loop(x0: np.ndarray, xT: np.ndarray) -> np.ndarray:
    """Baseline: additive LMDI-I with a Python loop over units, years and sub-categories (no zero values)."""
    units, periods, n_sub, k = x0.shape
    out = np.zeros((units, periods, k))
    for u in range(units):
        for t in range(periods):
            for i in range(n_sub):
                v0, v1 = math.prod(x0[u, t, i]), math.prod(xT[u, t, i])
                w = v1 if v0 == v1 else (v1 - v0) / (math.log(v1) - math.log(v0))
                for f in range(k):
                    out[u, t, f] += w * math.log(xT[u, t, i, f] / x0[u, t, i, f])
    return out


def problem(units: int, years: int, seed: int = 0) -> dict:
    rng = np.random.default_rng(seed)
    growth = rng.uniform(0.9, 1.15, size=(units, years, 5)).cumprod(axis=1)
    level = rng.uniform(0.5, 2.0, size=(units, 1, 5))
    factors = level * growth  # scale, structure, energy intensity, mix, emission factor
    gdp = 1000 * factors[..., 0]
    co2 = factors.prod(axis=-1)
    so2 = co2 * rng.uniform(0.5, 1.5, size=(units, years)).cumprod(axis=1) ** 0.1
    idx = pd.MultiIndex.from_product([[f"u{i}" for i in range(units)], range(years)], names=["geo", "year"])
    frame = pd.DataFrame({"co2": co2.ravel(), "gdp": gdp.ravel()}, index=idx)
    groups = {f"g{g}": [f"u{i}" for i in range(g, units, 4)] for g in range(4)}
    sectors = np.stack([factors, factors * 1.1, factors * 0.9], axis=2)  # units × years × 3 sectors × 5 factors
    return dict(
        units=units,
        years=years,
        gdp=gdp,
        co2=co2,
        so2=so2,
        frame=frame,
        groups=groups,
        factors=factors[:, :, np.newaxis, :],
        sectors=sectors,
    )


def run(units: int, years: int, repeat: int) -> list[dict]:
    p = problem(units, years)
    flat_c, flat_g = p["co2"].ravel(), p["gdp"].ravel()
    c0, c1 = p["co2"][:, :-1].ravel(), p["co2"][:, 1:].ravel()
    g0, g1 = p["gdp"][:, :-1].ravel(), p["gdp"][:, 1:].ravel()
    s0, s1 = p["so2"][:, :-1].ravel(), p["so2"][:, 1:].ravel()
    ind = np.column_stack([p["so2"].ravel() / flat_g, flat_c / flat_g])
    lo, hi = ind.min(axis=0), ind.max(axis=0)

    def synergy():
        u = order_degree(ind, lower=lo, upper=hi, positive=[False, False]).reshape(units, years, 2)
        orders = np.stack([subsystem_order(u[..., j].reshape(-1, 1)).reshape(units, years) for j in range(2)], -1)
        return synergy_degree(orders[:, :-1], orders[:, 1:])

    def coupling():
        u = order_degree(ind, lower=lo, upper=hi, positive=[False, False])
        return coupling_coordination(u), coupling_coordination(u, form="modified")

    tasks = {
        "intensity (unit-years)": lambda: intensity(flat_c, flat_g),
        "aggregate intensity (4 groups)": lambda: aggregate_intensity(
            p["frame"], p["groups"], emissions="co2", gdp="gdp"
        ),
        "average annual rate": lambda: average_annual_rate(p["co2"][:, 0], p["co2"][:, -1], years - 1),
        "Tapio, year by year": lambda: tapio(c0, c1, g0, g1),
        "co-control, year by year": lambda: cocontrol(s0, s1, c0, c1),
        "coupling coordination (both forms)": coupling,
        "synergy degree, year by year": synergy,
        "LMDI additive, 5 factors": lambda: lmdi(p["factors"][:, :-1], p["factors"][:, 1:]),
        "LMDI multiplicative, 5 factors": lambda: lmdi(
            p["factors"][:, :-1], p["factors"][:, 1:], form="multiplicative"
        ),
        "LMDI additive, 3 sectors × 5 factors": lambda: lmdi(p["sectors"][:, :-1], p["sectors"][:, 1:]),
        "baseline: LMDI loop, 3 sectors × 5 factors": lambda: lmdi_loop(p["sectors"][:, :-1], p["sectors"][:, 1:]),
    }
    vec = lmdi(p["sectors"][:, :-1], p["sectors"][:, 1:])
    base = lmdi_loop(p["sectors"][:, :-1], p["sectors"][:, 1:])
    assert np.allclose(vec, base, rtol=1e-9), "vectorised LMDI and the loop baseline disagree"
    rows = []
    for name, func in tasks.items():
        seconds, peak, _ = measure(func, 1 if name.startswith("baseline") and units > 100 else repeat)
        rows.append({"size": f"{units} × {years}", "metric": name, "time_ms": seconds * 1e3, "peak_MiB": peak})
    return rows


def run_analyses(repeat: int) -> list[dict]:
    """The analyses end to end on the bundled panel (31 provinces, four regions and the nation, 2008–2022)."""
    from coreduce.analysis.conventions import ProvinceConventions as C
    from coreduce.analysis.costatus import costatus
    from coreduce.analysis.drivers import drivers
    from coreduce.analysis.sectors import sector_drivers
    from coreduce.analysis.trends import trends
    from coreduce.data import BundledDataMissingError, load_bundled

    try:
        panel = load_bundled()
    except BundledDataMissingError as exc:
        print(f"bundled panel absent, analyses not timed: {exc}")
        return []
    size = f"panel ({len(panel.data):,} rows), 31 × 15"
    tasks = {
        "analysis: trends": lambda: trends(panel),
        "analysis: trends, constant prices 2008–2019": lambda: trends(panel, C(end=2019, prices="constant")),
        "analysis: co-reduction status": lambda: costatus(panel),
        "analysis: LMDI drivers, yearly, all levels": lambda: drivers(panel, C(lmdi_yearly=True)),
        "analysis: sectoral LMDI 2008–2019, yearly, all levels": lambda: sector_drivers(
            panel, C(end=2019, lmdi_yearly=True)
        ),
    }
    rows = []
    for name, func in tasks.items():
        seconds, peak, _ = measure(func, repeat)
        rows.append({"size": size, "metric": name, "time_ms": seconds * 1e3, "peak_MiB": peak})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rows = run(31, 15, args.repeat) + run(3000, 25, args.repeat) + run_analyses(args.repeat)
    table = pd.DataFrame(rows)
    with pd.option_context("display.width", 140, "display.float_format", "{:,.2f}".format):
        print(table.to_string(index=False))
    for size, part in table.groupby("size", sort=False):
        part = part.set_index("metric")["time_ms"]
        if "baseline: LMDI loop, 3 sectors × 5 factors" not in part:
            continue
        ratio = part["baseline: LMDI loop, 3 sectors × 5 factors"] / part["LMDI additive, 3 sectors × 5 factors"]
        print(f"{size}: vectorised LMDI is {ratio:,.0f}× faster than the per-unit-year loop")


if __name__ == "__main__":
    main()
