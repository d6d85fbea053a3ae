"""Wall and CPU time of each analysis behind ``coreduce report``, on the bundled panel.

    python benchmarks/bench_report_analyses.py [--repeat 3] [--busy]

The report is CPU-bound on a 2-core machine (two Python processes and Chromium share the cores), so each CPU
second an analysis saves is about half a second of the report's wall time. Each stage runs the analysis the
report's section runs, with the report's default conventions, best of ``--repeat`` (each run in a fresh
:func:`~coreduce.analysis._shared.shared_results` block, so nothing is reused between runs). The problem size and
the load average (1 min, before and after) are printed.

Side by side, where the earlier way remains or is a few lines: the panel read as before (DuckDB's ``.df()`` per
table over three connections, then every row checked by ``validate_panel``); the regressions (NQPF-effect
estimates, β-convergence of the imbalance) and the rank check of a fixed-effects design (alone, as the
difference-in-differences of the finance analyses runs it) with BLAS on the library's default number of threads
instead of one (:mod:`coreduce.methods.threads`).
``--busy`` keeps the other core busy with a spinning process while the stages run, as the report's second
process does: multi-threaded BLAS suffers most there.
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import os
from pathlib import Path

from _timing import cpu

BASELINE = "BLAS on its default threads"
BASELINES = {"panel load (store read)": ".df() per table, every row checked"}


def _spin() -> None:
    while True:
        pass


@contextlib.contextmanager
def default_blas_threads():
    """The regressions with BLAS on its default thread count (the way before :mod:`coreduce.methods.threads`)."""
    import coreduce.methods.convergence as convergence
    import coreduce.methods.econometrics as econometrics

    kept = econometrics.one_blas_thread, convergence.one_blas_thread
    econometrics.one_blas_thread = convergence.one_blas_thread = contextlib.nullcontext
    try:
        yield
    finally:
        econometrics.one_blas_thread, convergence.one_blas_thread = kept


def read_as_before():
    """The embedded store's panel the earlier way: ``.df()`` of each table, each over its own connection, and
    :meth:`Panel.from_frames` checking every row."""
    from coreduce.data.panel import Panel
    from coreduce.data.store import _COLUMNS, seeded_store

    store = seeded_store()
    frames = []
    for name, order in (("panel", "geo, year, variable"), ("catalogue", "variable"), ("sources", "source")):
        with store._connect() as con:
            frames.append(con.execute(f"SELECT {', '.join(_COLUMNS[name])} FROM {name} ORDER BY {order}").df())
    return Panel.from_frames(*frames)


def stages(panel):
    """(name, work, baseline work or None) of each analysis, in the order the report runs them."""
    from coreduce.analysis._aggregate import read_inputs
    from coreduce.analysis._shared import shared_results
    from coreduce.analysis.co2_series import co2_sensitivity
    from coreduce.analysis.conventions import ProvinceConventions
    from coreduce.analysis.costatus import costatus
    from coreduce.analysis.drivers import drivers
    from coreduce.analysis.imbalance import imbalance
    from coreduce.analysis.nqpf import nqpf_index
    from coreduce.analysis.nqpf_effect import nqpf_effect
    from coreduce.analysis.plans import plans
    from coreduce.analysis.regress import regression_data
    from coreduce.analysis.trends import trends
    from coreduce.data.open import open_panel
    from coreduce.methods.econometrics import check_rank
    from coreduce.report.sections.base import Context
    from coreduce.report.sections.market import _compute as market
    from coreduce.report.sections.methods import coverage_table

    c = ProvinceConventions()
    scores = nqpf_index(panel, c).scores
    design = regression_data(panel, c, mediators={}).frame[["nqpf", "ln_gdp_pc", "ln_population"]].dropna()
    inputs = read_inputs(panel, c, [c.pollutant, c.nox, c.co2, c.gdp, c.population])

    def fresh(work):
        def run():
            with shared_results():
                return work()

        return run

    def baseline(work):
        def run():
            with default_blas_threads(), shared_results():
                return work()

        return run

    return [
        ("panel load (store read)", lambda: open_panel(None), read_as_before),
        ("regional sums (5 series)", lambda: inputs.regions(c.membership), None),
        ("trends", fresh(lambda: trends(panel, c)), None),
        ("plans", fresh(lambda: plans(panel, c)), None),
        ("co-reduction status", fresh(lambda: costatus(panel, c)), None),
        ("CO2-series sensitivity", fresh(lambda: co2_sensitivity(panel, c)), None),
        ("drivers (LMDI)", fresh(lambda: drivers(panel, c)), None),
        ("NQPF index", fresh(lambda: nqpf_index(panel, c)), None),
        (
            "imbalance (Dagum, β)",
            fresh(lambda: imbalance(scores, "overall", c)),
            baseline(lambda: imbalance(scores, "overall", c)),
        ),
        ("NQPF-effect estimates", fresh(lambda: nqpf_effect(panel, c)), baseline(lambda: nqpf_effect(panel, c))),
        ("rank check, NQPF design", lambda: check_rank(design), baseline(lambda: check_rank(design))),
        ("carbon market (GEM units)", market, None),
        ("methods coverage table", lambda: coverage_table(Context(panel=panel, lang="zh")), None),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each stage (best is shown)")
    parser.add_argument("--busy", action="store_true", help="keep the other core busy while the stages run")
    args = parser.parse_args()
    os.environ.setdefault("COREDUCE_HOME", str(Path.home() / ".cache" / "coreduce-bench"))
    from coreduce.data.open import open_panel

    panel = open_panel(None)
    data = panel.data
    print(
        f"bundled panel: {len(data):,} values, {data['variable'].nunique()} series, {data['geo'].nunique()} places; "
        f"best of {args.repeat}; load average before {os.getloadavg()[0]:.2f}; "
        f"{'other core busy' if args.busy else 'other core as the machine has it'}"
    )
    spinner = multiprocessing.Process(target=_spin, daemon=True) if args.busy else None
    if spinner:
        spinner.start()
    try:
        header = f"{'stage':<26}{'wall s':>8}{'CPU s':>8}   {'baseline wall s':>16}{'CPU s':>8}  baseline"
        print(header)
        print("-" * len(header))
        for name, work, old in stages(panel):
            wall, spent, _ = cpu(work, args.repeat)
            line = f"{name:<26}{wall:>8.3f}{spent:>8.3f}"
            if old is not None:
                old_wall, old_spent, _ = cpu(old, args.repeat)
                line += f"   {old_wall:>16.3f}{old_spent:>8.3f}  {BASELINES.get(name, BASELINE)}"
            print(line)
    finally:
        if spinner:
            spinner.terminate()
    print(f"load average after {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
