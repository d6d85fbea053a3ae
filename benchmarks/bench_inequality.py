"""Time and peak memory of the Dagum Gini decomposition against a naive all-pairs version and PySAL's Gini.

    python benchmarks/bench_inequality.py [--repeat 3] [--sizes 31 3000 30000]

For n units split over the four regions in the proportions of China's 31 provinces (10 : 6 : 12 : 3), the
script times

* ``coreduce.methods.dagum.dagum_gini``: every sum of |differences| from sorted values and prefix sums,
  O(n log n);
* a naive Dagum decomposition that forms every pair |y_i − y_r| (O(n²) time; rows in blocks so that memory
  stays bounded), the way the decomposition is usually hand-coded;
* ``inequality.gini.Gini`` (PySAL), the ordinary Gini only (also sorting-based), as the reference value and
  time for the total.

It prints the best wall time of ``--repeat`` runs, the peak memory traced by tracemalloc and the largest
difference of G, G_w, G_nb and G_t from the naive version. Then the bootstrap: ``dagum_bootstrap`` (all
replicates in one vectorised pass) against a loop that calls ``dagum_gini`` once per resample, at n = 31 and
3,000. Last, the whole regional-imbalance analysis (Dagum, Theil, kernel density, σ- and β-convergence) runs on
the NQPF index of the bundled panel, 2008–2022, without and with 999 bootstrap replicates per year.
"""

from __future__ import annotations

import argparse

import numpy as np
from inequality.gini import Gini

from _timing import measure
from coreduce.methods.dagum import dagum_bootstrap, dagum_gini

SHARES = {"East": 10, "Central": 6, "West": 12, "Northeast": 3}
BLOCK = 1024


def problem(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Log-normal values with region-specific means; region sizes in the 10 : 6 : 12 : 3 proportions."""
    rng = np.random.default_rng(seed)
    total = sum(SHARES.values())
    sizes = [max(2, round(n * k / total)) for k in SHARES.values()]
    sizes[-1] = n - sum(sizes[:-1])
    labels = np.repeat(list(SHARES), sizes)
    shift = {"East": 0.4, "Central": 0.0, "West": -0.2, "Northeast": -0.1}
    y = rng.lognormal(np.array([shift[g] for g in labels]), 0.5)
    return y, labels


def _pair_sums(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """Σ max(a_i − b_r, 0) and Σ max(b_r − a_i, 0) over all pairs, in row blocks."""
    up = down = 0.0
    for start in range(0, a.size, BLOCK):
        diff = a[start : start + BLOCK, None] - b[None, :]
        up += np.maximum(diff, 0.0).sum()
        down += np.maximum(-diff, 0.0).sum()
    return up, down


def naive_dagum(y: np.ndarray, labels: np.ndarray) -> tuple[float, float, float, float]:
    """Dagum (1997) G, G_w, G_nb, G_t with every pairwise difference formed explicitly (O(n²))."""
    n, mean = y.size, y.mean()
    names = list(dict.fromkeys(labels))
    parts = {g: y[labels == g] for g in names}
    p = {g: parts[g].size / n for g in names}
    s = {g: parts[g].sum() / y.sum() for g in names}
    m = {g: parts[g].mean() for g in names}
    g_w = 0.0
    for g in names:
        up, down = _pair_sums(parts[g], parts[g])
        g_w += (up + down) / (2 * parts[g].size ** 2 * m[g]) * p[g] * s[g]
    g_nb = g_t = 0.0
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            hi, lo = (a, b) if m[a] >= m[b] else (b, a)
            d, q = _pair_sums(parts[hi], parts[lo])
            pairs = parts[hi].size * parts[lo].size
            d, q = d / pairs, q / pairs
            g_jh = (d + q) / (m[hi] + m[lo])
            weight = p[hi] * s[lo] + p[lo] * s[hi]
            big_d = (d - q) / (d + q)
            g_nb += g_jh * weight * big_d
            g_t += g_jh * weight * (1 - big_d)
    up, down = _pair_sums(y, y)
    return (up + down) / (2 * n**2 * mean), g_w, g_nb, g_t


def bootstrap_loop(y: np.ndarray, labels: np.ndarray, reps: int, seed: int = 0) -> np.ndarray:
    """Baseline: resample within groups and call dagum_gini once per replicate (G_nb of each)."""
    rng = np.random.default_rng(seed)
    index = {g: np.flatnonzero(labels == g) for g in dict.fromkeys(labels)}
    out = np.empty(reps)
    for b in range(reps):
        pick = np.concatenate([idx[rng.integers(0, idx.size, idx.size)] for idx in index.values()])
        out[b] = dagum_gini(y[pick], labels[pick]).between
    return out


def bootstrap_rows(repeat: int) -> None:
    print(f"\n{'n':>7} {'reps':>5} {'bootstrap':<28} {'time':>12} {'peak MiB':>9}")
    for n, reps in ((31, 999), (3000, 199)):
        y, labels = problem(n)
        t_vec, m_vec, _ = measure(lambda y=y, labels=labels, r=reps: dagum_bootstrap(y, labels, reps=r), repeat)
        t_loop, m_loop, _ = measure(lambda y=y, labels=labels, r=reps: bootstrap_loop(y, labels, r), 1)
        print(f"{n:>7} {reps:>5} {'vectorised (dagum_bootstrap)':<28} {t_vec * 1e3:9.2f} ms {m_vec:9.2f}")
        print(f"{n:>7} {reps:>5} {'loop of dagum_gini':<28} {t_loop * 1e3:9.2f} ms {m_loop:9.2f}")


def bundled_imbalance(repeat: int) -> None:
    from coreduce.analysis.conventions import ProvinceConventions as C
    from coreduce.analysis.imbalance import imbalance
    from coreduce.analysis.nqpf import nqpf_index
    from coreduce.data import BundledDataMissingError, load_bundled

    try:
        panel = load_bundled()
    except BundledDataMissingError as exc:
        print(f"bundled panel: skipped ({exc})")
        return
    t_index, m_index, index = measure(lambda: nqpf_index(panel, C(system="long")), repeat)
    frame = index.to_frame()
    t_imb, m_imb, _ = measure(lambda: imbalance(frame, "overall"), repeat)
    t_boot, m_boot, _ = measure(lambda: imbalance(frame, "overall", C(bootstrap=999)), repeat)
    print(
        f"\nbundled panel, NQPF 'long' system 2008–2022 ({len(frame)} province-years):\n"
        f"  nqpf_index (entropy-TOPSIS)                       {t_index * 1e3:9.1f} ms  {m_index:7.1f} MiB\n"
        f"  imbalance (Dagum, Theil, KDE, σ, β by 4 regions)  {t_imb * 1e3:9.1f} ms  {m_imb:7.1f} MiB\n"
        f"  the same with 999 bootstrap replicates per year   {t_boot * 1e3:9.1f} ms  {m_boot:7.1f} MiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sizes", type=int, nargs="+", default=[31, 3000, 30000])
    args = parser.parse_args()
    print(f"{'n':>7} {'method':<28} {'time':>12} {'peak MiB':>9}  {'max |Δ| vs naive':>18}")
    for n in args.sizes:
        y, labels = problem(n)
        t_fast, m_fast, fast = measure(lambda y=y, labels=labels: dagum_gini(y, labels), args.repeat)
        naive_repeat = 1 if n > 5000 else args.repeat
        t_naive, m_naive, slow = measure(lambda y=y, labels=labels: naive_dagum(y, labels), naive_repeat)
        t_pysal, m_pysal, pysal = measure(lambda y=y: Gini(y), args.repeat)
        parts = (fast.total, fast.within, fast.between, fast.transvariation)
        diff = max(abs(a - b) for a, b in zip(parts, slow, strict=True))
        rows = [
            ("coreduce dagum_gini (sorted)", t_fast, m_fast, f"{diff:.1e}"),
            ("naive all-pairs Dagum", t_naive, m_naive, "0"),
            ("PySAL inequality Gini (G)", t_pysal, m_pysal, f"{abs(pysal.g - slow[0]):.1e}"),
        ]
        for label, t, m, d in rows:
            print(f"{n:>7} {label:<28} {t * 1e3:9.2f} ms {m:9.2f}  {d:>18}")
        print(f"{'':>7} naive time ÷ sorted time: {t_naive / t_fast:,.2f}")
    bootstrap_rows(args.repeat)
    bundled_imbalance(args.repeat)


if __name__ == "__main__":
    main()
