"""Benchmark: CBAM embedded emissions of 10,000 goods with 3 precursor levels (target: under 2 s).

    python benchmarks/bench_cbam.py [--goods 10000] [--levels 3] [--repeat 3]

The problem: one installation with ``goods`` production processes on ``levels + 1`` levels (level 0 = simple goods;
a good of level k consumes 1–3 goods of level k − 1 and one bought precursor with the supplier's SEE), each with
a fuel stream through the factor library (natural gas, GJ), a process stream with a stated factor and grid
electricity (Hebei, 2023); one import line per good (80 % actual values, 20 % default values with the 2026
mark-up). Printed, each with the problem size and the machine load:

- ``embedded_emissions`` end to end on the parsed installation (factor lookup, attributed emissions, SEE of the
  whole graph, default values, the goods table) — the figure the target applies to;
- the vectorised SEE solver alone (:func:`coreduce.cbam.see.solve`);
- baseline: the same SEE formula evaluated good by good in plain Python (memoised recursion);
- parsing the installation from mappings (``Installation.from_mapping``: every field validated).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from functools import cache
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from _timing import measure
from coreduce.accounting import load_factor_library
from coreduce.cbam.conventions import CbamConventions
from coreduce.cbam.embedded import embedded_emissions
from coreduce.cbam.model import Installation
from coreduce.cbam.reference import load_reference
from coreduce.cbam.see import solve

LEVEL_GOODS = ("72011011", "72071111", "72083900", "73041100")  # pig iron → semi-finished → flat-rolled → tubes


def level_sizes(goods: int, levels: int) -> list[int]:
    weights = np.arange(levels + 1, 0, -1, dtype=float)
    sizes = np.floor(goods * weights / weights.sum()).astype(int)
    sizes[0] += goods - sizes.sum()
    return sizes.tolist()


def installation_mapping(goods: int, levels: int, seed: int = 7) -> dict:
    rng = np.random.default_rng(seed)
    processes, previous, k = [], [], 0
    for level, size in enumerate(level_sizes(goods, levels)):
        current = []
        for _ in range(size):
            pid = f"p{k}"
            process = {
                "process_id": pid,
                "cn": LEVEL_GOODS[min(level, len(LEVEL_GOODS) - 1)],
                "route": "" if level == 0 else "C",
                "activity_level_t": float(rng.uniform(500, 5000)),
                "source_streams": [
                    {
                        "name": "gas",
                        "kind": "fuel",
                        "quantity": float(rng.uniform(1e3, 1e4)),
                        "unit": "GJ",
                        "fuel": "natural_gas",
                    },
                    {
                        "name": "flux",
                        "kind": "process",
                        "quantity": float(rng.uniform(10, 100)),
                        "unit": "t",
                        "emission_factor": 0.44,
                        "factor_source": "stoichiometric CaCO3",
                    },
                ],
                "electricity_mwh": float(rng.uniform(100, 1000)),
            }
            if level:
                picks = rng.choice(previous, size=min(len(previous), int(rng.integers(1, 4))), replace=False)
                process["precursors"] = [
                    {"cn": LEVEL_GOODS[level - 1], "mass_t": float(rng.uniform(100, 900)), "from_process": str(p)}
                    for p in picks
                ] + [{"cn": "72021120", "mass_t": 5.0, "see_direct": 1.5, "see_indirect": 0.2}]
            processes.append(process)
            current.append(pid)
            k += 1
        previous = current
    return {
        "installation_id": "bench",
        "name": "bench steel works",
        "country": "CN",
        "region": "130000",
        "period": {"start": "2023-01-01", "end": "2023-12-31"},
        "processes": processes,
    }


def import_lines(inst: Installation, default_share: float = 0.2) -> list[dict]:
    lines = []
    for i, p in enumerate(inst.processes):
        if i % round(1 / default_share) == 0:
            lines.append({"cn": "25232900", "country": "CN", "mass_t": 10.0})
        else:
            lines.append({"cn": p.cn, "country": "CN", "mass_t": 10.0, "process_id": p.process_id, "route": p.route})
    return lines


def python_baseline(result) -> np.ndarray:
    """SEE direct of every process, good by good, by memoised recursion over the same links."""
    p = result.processes
    attr = dict(zip(p["process_id"], p["attributed_direct_t"], strict=True))
    al = dict(zip(p["process_id"], p["activity_level_t"], strict=True))
    links: dict[str, list[tuple[str, float, float]]] = {pid: [] for pid in attr}
    for r in result.precursors.to_dict("records"):
        links[r["process_id"]].append((r.get("from_process") or "", r["mass_t"], r.get("see_direct") or 0.0))

    @cache
    def see(pid: str) -> float:
        total = attr[pid]
        for src, mass, given in links[pid]:
            total += mass * (see(src) if isinstance(src, str) and src else given)
        return total / al[pid]

    return np.array([see(pid) for pid in attr])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--goods", type=int, default=10_000)
    parser.add_argument("--levels", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    library, ref = load_factor_library(), load_reference()
    mapping = installation_mapping(args.goods, args.levels)
    parse_s, parse_mb, inst = measure(lambda: Installation.from_mapping(mapping), repeat=1)
    lines = import_lines(inst)
    conv = CbamConventions()

    def run():
        return embedded_emissions(lines, installation=inst, conventions=conv, reference=ref, library=library)

    wall, peak, result = measure(run, repeat=args.repeat)
    cpu_start = time.process_time()
    run()
    cpu = time.process_time() - cpu_start
    p = result.processes
    links = result.precursors
    internal = links[links["source"] == "internal"]
    ids = {pid: i for i, pid in enumerate(p["process_id"])}
    arrays = (
        p[["attributed_direct_t", "attributed_indirect_t"]].to_numpy(),
        p["activity_level_t"].to_numpy(),
        np.zeros((len(p), 2)),
        np.zeros((len(p), 2)),
        (
            internal["from_process"].map(ids).to_numpy(),
            internal["process_id"].map(ids).to_numpy(),
            internal["mass_t"].to_numpy(),
        ),
    )
    solve_s, solve_mb, _ = measure(lambda: solve(*arrays), repeat=args.repeat)
    base_s, base_mb, base = measure(lambda: python_baseline(result), repeat=1)
    assert np.allclose(base, p["see_direct"].to_numpy(), rtol=1e-12), "baseline and solver disagree"
    load = os.getloadavg()[0]
    levels = np.bincount(p["level"].to_numpy()).tolist()
    print(
        f"CBAM embedded emissions: {len(p):,} goods on levels {levels}, {len(internal):,} internal precursor links, "
        f"{len(links) - len(internal):,} bought precursors, {len(lines):,} import lines "
        f"({(result.goods['values'] == 'default').mean():.0%} default values); "
        f"{os.cpu_count()} CPUs, load average {load:.1f}; best of {args.repeat}"
    )
    print(f"  embedded_emissions end to end      {wall:8.3f} s   peak {peak:8.1f} MiB   (target < 2 s)")
    print(f"    the same, CPU time of this process {cpu:8.3f} s   (less sensitive to the machine load)")
    print(f"  SEE solver alone (vectorised)      {solve_s:8.4f} s   peak {solve_mb:8.1f} MiB")
    print(f"  baseline: plain-Python recursion   {base_s:8.4f} s   peak {base_mb:8.1f} MiB   (same SEE, checked)")
    print(f"  parse installation from mappings   {parse_s:8.3f} s   peak {parse_mb:8.1f} MiB")


if __name__ == "__main__":
    main()
