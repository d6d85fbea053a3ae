"""Time and peak memory of the vectorised entity bootstrap of the mediation analysis against refitting loops.

    python benchmarks/bench_bootstrap.py [--repeat 3] [--entities 31 300 3000] [--periods 15] [--replicates 999]

For a panel of E entities × T periods with two-way fixed effects, one treatment x, one control z and one
mediator m, the script times the B bootstrap replicates of the a path (m on x, z and the effects):

* ``coreduce.methods.econometrics.batched_wls`` on the entity-demeaned design with year dummies, all replicates
  at once (the weights of every replicate times the row-wise outer products of the design);
* a loop over replicates calling ``numpy.linalg.lstsq`` on the same weighted, entity-demeaned design (what a
  hand-written bootstrap does), timed on a subset of replicates and scaled to B;
* a loop over replicates refitting ``linearmodels.PanelOLS`` on the resampled panel (entities drawn with
  replacement get new ids), timed on a subset and scaled to B.

It prints the best wall time of ``--repeat`` runs, the peak memory traced by tracemalloc and the largest
difference between the vectorised and the looped coefficients. Last, the whole mediation analysis of the
bundled panel (three channels, 999 replicates) is timed.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from _timing import measure
from coreduce.methods.econometrics import (
    _effect_columns,
    _fe_transform,
    batched_wls,
    entity_bootstrap_weights,
)


def problem(entities: int, periods: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    idx = pd.MultiIndex.from_product([[f"e{i:05d}" for i in range(entities)], range(periods)], names=["geo", "year"])
    mu = np.repeat(rng.normal(size=entities), periods)
    x = rng.normal(size=entities * periods) + mu
    z = rng.normal(size=entities * periods)
    m = 0.8 * x + 0.5 * z + mu + rng.normal(size=entities * periods)
    return pd.DataFrame({"x": x, "z": z, "m": m}, index=idx)


def vectorised(data: pd.DataFrame, w: np.ndarray) -> np.ndarray:
    t = _fe_transform(data, ["m", "x", "z"], True, True)
    design = np.column_stack([t[["x", "z"]].to_numpy(), _effect_columns(data.index, True, True)])
    return batched_wls(design, t["m"].to_numpy(), w, [0])[:, 0]


def lstsq_loop(data: pd.DataFrame, w: np.ndarray) -> np.ndarray:
    t = _fe_transform(data, ["m", "x", "z"], True, True)
    design = np.column_stack([t[["x", "z"]].to_numpy(), _effect_columns(data.index, True, True)])
    y = t["m"].to_numpy()
    out = np.empty(len(w))
    for b, row in enumerate(w):
        s = np.sqrt(row)
        out[b] = np.linalg.lstsq(design * s[:, None], y * s, rcond=None)[0][0]
    return out


def panelols_loop(data: pd.DataFrame, w: np.ndarray) -> np.ndarray:
    from linearmodels.panel import PanelOLS

    entities = data.index.get_level_values(0).to_numpy()
    labels, first = np.unique(entities, return_index=True)
    out = np.empty(len(w))
    for b, row in enumerate(w):
        counts = row[first].astype(int)
        parts = [
            data.xs(e, level="geo", drop_level=False).rename(index={e: f"{e}#{k}"}, level="geo")
            for e, c in zip(labels, counts, strict=True)
            for k in range(c)
        ]
        sample = pd.concat(parts)
        out[b] = PanelOLS(sample["m"], sample[["x", "z"]], entity_effects=True, time_effects=True).fit().params["x"]
    return out


def run_size(e: int, periods: int, b: int, repeat: int) -> None:
    """Print the three methods' rows for E = ``e`` entities."""
    data = problem(e, periods)
    w = entity_bootstrap_weights(data.index.get_level_values(0).to_numpy(), b, seed=1)
    size = f"{e}×{periods}"
    t, mem, fast = measure(lambda: vectorised(data, w), repeat)
    print(f"{size:>17} {'vectorised (coreduce)':<34} {t:9.3f} {mem:9.1f} {'':>11}")
    for label, func, subset in (
        ("lstsq loop", lstsq_loop, max(10, min(b, int(20000 / e)))),
        ("PanelOLS refits", panelols_loop, max(2, min(b, int(300 / e)))),
    ):
        t, mem, slow = measure(lambda func=func, subset=subset: func(data, w[:subset]), 1)
        diff = np.abs(slow - fast[:subset]).max()
        text = f"{label} ({subset} reps, ×{b / subset:.0f})"
        print(f"{size:>17} {text:<34} {t * b / subset:9.3f} {mem:9.1f} {diff:11.2e}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--entities", type=int, nargs="+", default=[31, 300, 3000])
    parser.add_argument("--periods", type=int, default=15)
    parser.add_argument("--replicates", type=int, default=999)
    args = parser.parse_args()
    b = args.replicates
    print(f"entity bootstrap of one mediation path, two-way fixed effects, B = {b} replicates")
    print(f"{'entities×periods':>17} {'method':<34} {'time s':>9} {'peak MiB':>9} {'max |diff|':>11}")
    for e in args.entities:
        run_size(e, args.periods, b, args.repeat)

    from coreduce.analysis.regress import regression_data
    from coreduce.data import load_bundled
    from coreduce.methods.econometrics import mediation

    reg = regression_data(load_bundled())
    t0 = time.perf_counter()
    meds = mediation(reg.frame, reg.outcome, "nqpf", reg.mediators, reg.controls, n_boot=999)
    elapsed = time.perf_counter() - t0
    print(
        f"bundled panel: mediation of nqpf → {reg.outcome} through {len(meds)} channels, "
        f"{meds[0].nobs} province-years, 999 replicates: {elapsed:.2f} s"
    )


if __name__ == "__main__":
    main()
