"""Benchmark: supply-chain roll-up on a random cyclic supply graph, side by side with bw2calc (Brightway).

    python benchmarks/bench_rollup.py [--products 100000] [--edges 1000000] [--pollutants 4] [--small]

The graph: ``n`` products, ``m`` random edges (src, dst, amount) — so it is full of cycles — with the amounts
scaled so every column of A sums to 0.5 (a productive chain, ρ(A) ≤ 0.5); ``p`` pollutants of random direct
emissions. Every case runs in its own process (same seed, same matrix) and reports the solve time and the
process's peak resident memory (ru_maxrss) before and after the solve.

- ``coreduce iterative``: :func:`coreduce.exchange.rollup.roll_up` — totals of *all n products × p pollutants*
  (one BiCGSTAB solve per pollutant plus the productivity check).
- ``coreduce direct``: the same with SuperLU (only at the small size: LU fill-in on a random graph grows far
  beyond memory at 100,000 products).
- ``bw2calc ...``: Brightway's LCA on the same technosphere (production 1 on the diagonal, inputs −A) and
  biosphere (D) matrices. An LCA solves one functional unit per solve, so it gives the totals of *one* product
  (all pollutants from its inventory); the time for all n products is that × n (printed as an extrapolation).
  ``LCA`` uses scipy ``spsolve`` (no pypardiso here), only at the small size; ``JacobiGMRESLCA`` is bw2calc's
  iterative solver without a direct first solve.
Each case checks its product-0 totals against the coreduce iterative result.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

import numpy as np


def graph(n: int, m: int, p: int, seed: int = 42):
    rng = np.random.default_rng(seed)
    src = rng.integers(0, n, m)
    dst = rng.integers(0, n, m)
    amount = rng.random(m)
    col = np.bincount(dst, weights=amount, minlength=n)
    amount = amount * 0.5 / col[dst]
    direct = rng.random((n, p))
    return src, dst, amount, direct


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _bw_datapackage(src, dst, amount, direct):
    import bw_processing as bwp

    n, p = direct.shape
    dp = bwp.create_datapackage()
    prod = np.arange(n)
    tech_idx = np.empty(n + src.size, dtype=bwp.INDICES_DTYPE)
    tech_idx["row"] = np.concatenate([prod, src])
    tech_idx["col"] = np.concatenate([prod, dst])
    dp.add_persistent_vector(
        matrix="technosphere_matrix",
        indices_array=tech_idx,
        data_array=np.concatenate([np.ones(n), amount]),
        flip_array=np.concatenate([np.zeros(n, dtype=bool), np.ones(src.size, dtype=bool)]),
    )
    flows = n + np.arange(p)  # biosphere flow ids distinct from product ids
    bio_idx = np.empty(n * p, dtype=bwp.INDICES_DTYPE)
    bio_idx["row"] = np.repeat(flows[None, :], n, axis=0).ravel()
    bio_idx["col"] = np.repeat(prod, p)
    dp.add_persistent_vector(matrix="biosphere_matrix", indices_array=bio_idx, data_array=direct.ravel())
    cf_idx = np.empty(p, dtype=bwp.INDICES_DTYPE)
    cf_idx["row"], cf_idx["col"] = flows, flows
    dp.add_persistent_vector(matrix="characterization_matrix", indices_array=cf_idx, data_array=np.ones(p))
    return dp


def run_case(case: str, n: int, m: int, p: int) -> dict:
    import warnings

    warnings.filterwarnings("ignore")
    src, dst, amount, direct = graph(n, m, p)
    rss_before = _rss_mb()
    if case.startswith("coreduce"):
        from coreduce.exchange.chain.rollup import roll_up

        start = time.perf_counter()
        result = roll_up(direct, (src, dst, amount), method=case.split()[1])
        seconds = time.perf_counter() - start
        product0 = result.totals[0].tolist()
        scope = f"all {n} products"
        extra = {"residual": result.conventions["max_relative_residual"]}
    else:
        import bw2calc as bc

        dp = _bw_datapackage(src, dst, amount, direct)
        cls = {"bw2calc LCA": bc.LCA, "bw2calc JacobiGMRESLCA": bc.JacobiGMRESLCA}[case]
        start = time.perf_counter()
        lca = cls({0: 1}, data_objs=[dp])
        lca.lci()
        seconds = time.perf_counter() - start
        inv = np.asarray(lca.inventory.sum(axis=1)).ravel()
        flows = [lca.dicts.biosphere[n + k] for k in range(p)]
        product0 = [float(inv[f]) for f in flows]
        scope = "1 product (matrix build + solve)"
        extra = {"all_products_extrapolated_s": seconds * n}
    return {
        "case": case,
        "seconds": seconds,
        "scope": scope,
        "rss_before_mb": rss_before,
        "peak_rss_mb": _rss_mb(),
        "product0": product0,
        **extra,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--edges", type=int, default=1_000_000)
    parser.add_argument("--pollutants", type=int, default=4)
    parser.add_argument("--small", type=int, default=3_000, help="size of the small run with the direct solvers")
    parser.add_argument("--timeout", type=int, default=900)
    parser.add_argument("--case", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:
        print(json.dumps(run_case(args.case, args.products, args.edges, args.pollutants)))
        return
    small = (args.small, args.small * 10)
    plans = [
        (small, ["coreduce iterative", "coreduce direct", "bw2calc LCA", "bw2calc JacobiGMRESLCA"]),
        ((args.products, args.edges), ["coreduce iterative", "bw2calc JacobiGMRESLCA"]),
    ]
    for (n, m), cases in plans:
        print(f"\nrandom cyclic supply graph: {n:,} products, {m:,} edges, {args.pollutants} pollutants")
        print(f"{'case':<26}{'scope':<34}{'time (s)':>10}{'peak RSS (MB)':>15}{'RSS before':>12}  check")
        reference = None
        for case in cases:
            cmd = [sys.executable, __file__, "--case", case, "--products", str(n), "--edges", str(m)]
            cmd += ["--pollutants", str(args.pollutants)]
            try:
                out = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout, check=True)
            except subprocess.TimeoutExpired:
                print(f"{case:<26}{'':<34}{'> ' + str(args.timeout):>10}  timed out")
                continue
            except subprocess.CalledProcessError as exc:
                print(f"{case:<26}failed: {exc.stderr.strip().splitlines()[-1]}")
                continue
            r = json.loads(out.stdout.strip().splitlines()[-1])
            reference = reference or r["product0"]
            diff = float(np.max(np.abs(np.subtract(r["product0"], reference)) / np.abs(reference)))
            line = (
                f"{case:<26}{r['scope']:<34}{r['seconds']:>10.3f}{r['peak_rss_mb']:>15.0f}{r['rss_before_mb']:>12.0f}"
            )
            line += f"  product 0 rel. diff {diff:.1e}"
            if "all_products_extrapolated_s" in r:
                line += f"; all products ≈ {r['all_products_extrapolated_s']:,.0f} s"
            if "residual" in r:
                line += f"; residual {r['residual']:.1e}"
            print(line, flush=True)


if __name__ == "__main__":
    main()
