"""Regional imbalance of a province-year measure: Dagum Gini, Theil T, kernel density and convergence.

The measure is any column of a (geo, year, value) frame: the NQPF index (``nqpf_index(...).to_frame()``), an
emission intensity built from the panel with :func:`measure_from_panel` (e.g. ``"co2_ceads / gdp"``) or a
synergy measure of the co-reduction status analysis with :func:`synergy_measure` (the coupling coordination
degree D of pollution and carbon reduction, by province and year). Provinces are grouped by a grouping of
:mod:`coreduce.geo` (the four regions by default). Conventions (kernel, bandwidth rule, convergence span,
controls, groups) are recorded in the result.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from coreduce.analysis.results import AnalysisResult, missing_frame, year_span
from coreduce.data.panel import Panel
from coreduce.geo import load_grouping, provinces
from coreduce.indicators.formula import evaluate, variables
from coreduce.methods.convergence import beta_convergence, sigma_convergence
from coreduce.methods.dagum import InequalityError, dagum_bootstrap, dagum_gini
from coreduce.methods.kde import BANDWIDTHS, KERNELS, kernel_density
from coreduce.methods.theil import theil_decomposition


def measure_from_panel(panel: Panel, formula: str, *, name: str | None = None) -> pd.DataFrame:
    """A (geo, year, <name>) frame of ``formula`` over panel variables for the 31 provinces (NaN rows dropped)."""
    needed = variables(formula, where=f"measure {formula!r}")
    panel.require(needed)
    wide = panel.wide(needed, [p.code for p in provinces()])
    values = evaluate(formula, wide, where=f"measure {formula!r}").replace([np.inf, -np.inf], np.nan)
    return values.rename(name or formula).dropna().reset_index()


def with_controls(frame: pd.DataFrame, panel: Panel, formulas: Sequence[str]) -> pd.DataFrame:
    """``frame`` (geo, year, …) with one column per control formula over panel variables (for conditional
    β-convergence); a province-year without a control keeps NaN and drops out of that regression only."""
    out = frame.copy()
    for formula in formulas:
        if formula in out.columns:
            raise InequalityError(f"control {formula!r} clashes with a column of the measure frame")
        control = measure_from_panel(panel, formula)
        out = out.merge(control, on=["geo", "year"], how="left")
    return out


SYNERGY_COLUMNS = {"D": "coupling coordination degree", "C": "coupling degree", "T": "comprehensive index"}


def synergy_measure(
    panel: Panel, start: int = 2008, end: int = 2022, *, column: str = "D", **options
) -> tuple[pd.DataFrame, AnalysisResult]:
    """A (geo, year, ``coupling_<column>``) frame of the provinces' pollution–carbon coupling coordination.

    Runs :func:`coreduce.analysis.costatus.costatus` (``options`` go to it) and keeps its province rows of the
    ``coupling`` table; ``column`` is ``"D"`` (coordination degree, default), ``"C"`` or ``"T"``. The
    co-reduction result is returned too, for its conventions and sources.
    """
    from coreduce.analysis.costatus import costatus

    if column not in SYNERGY_COLUMNS:
        raise InequalityError(f"synergy column must be one of {', '.join(SYNERGY_COLUMNS)}; got {column!r}")
    result = costatus(panel, start, end, **options)
    coupling = result.to_frame("coupling")
    rows = coupling[coupling["level"] == "province"]
    name = f"coupling_{column}"
    frame = rows[["geo", "year", column]].rename(columns={column: name}).dropna().reset_index(drop=True)
    return frame, result


def imbalance(
    frame: pd.DataFrame,
    value: str,
    *,
    grouping: str = "four_regions",
    years: tuple[int, int] | None = None,
    kernel: str = "epanechnikov",
    bandwidth: str | float = "stata",
    kde_points: int = 50,
    span: int = 1,
    controls: Sequence[str] = (),
    min_group_size: int = 2,
    bootstrap: int = 0,
    level: float = 0.95,
    seed: int = 0,
    sources: pd.DataFrame | None = None,
) -> AnalysisResult:
    """Dagum decomposition (main table), Theil, kernel density, σ- and β-convergence of ``frame[value]``.

    ``frame`` has columns ``geo``, ``year`` and ``value`` (plus any ``controls`` for conditional β-convergence).
    Tables: ``matrix`` (G_jj and G_jh by year), ``theil``, ``kde`` (year, point, density), ``sigma``
    (CV and sd of logs, all provinces and by region) and ``beta`` (absolute and conditional convergence, all
    provinces and by region). With ``bootstrap`` replicates (> 0), the table ``bootstrap`` holds percentile
    intervals at ``level`` of G, G_w, G_nb, G_t and their shares by year (provinces resampled within regions).
    """
    if kernel not in KERNELS:
        raise InequalityError(f"kernel must be one of {', '.join(KERNELS)}; got {kernel!r}")
    named = isinstance(bandwidth, str)
    if (named and bandwidth not in BANDWIDTHS) or (not named and bandwidth <= 0):
        rules = ", ".join(BANDWIDTHS)
        raise InequalityError(f"bandwidth must be one of {rules} or a positive number; got {bandwidth!r}")
    limits = (("span", span, 1), ("kde_points", kde_points, 2), ("min_group_size", min_group_size, 1))
    if bootstrap:
        limits += (("bootstrap", bootstrap, 2),)
        if not 0 < level < 1:
            raise InequalityError(f"confidence level must lie in (0, 1); got {level}")
    for name, number, least in limits:
        if number < least:
            raise InequalityError(f"{name} must be at least {least}; got {number}")
    missing_cols = [c for c in ("geo", "year", value, *controls) if c not in frame.columns]
    if missing_cols:
        raise InequalityError(f"the frame lacks column(s) {', '.join(missing_cols)}")
    groups = load_grouping(grouping)
    group_of = groups.group_of()
    data = frame[frame["geo"].isin(group_of)].copy()
    if years is not None:
        data = data[(data["year"] >= years[0]) & (data["year"] <= years[1])]
    lacking = data[data[value].isna()]
    data = data.dropna(subset=[value])
    if data.empty:
        raise InequalityError(f"no province-year has a value of {value!r}")
    data["region"] = data["geo"].map(group_of)
    rows, mats, theil_rows, kde_rows, boot_rows = [], [], [], [], []
    for year, part in data.groupby("year"):
        y, g = part[value].to_numpy(float), part["region"].to_numpy()
        try:
            dec = dagum_gini(y, g, min_group_size=min_group_size)
            th = theil_decomposition(y, g)
            points, density, h = kernel_density(y, kernel=kernel, bw=bandwidth, n_points=kde_points)
            if bootstrap:
                ci = dagum_bootstrap(y, g, reps=bootstrap, level=level, seed=seed, min_group_size=min_group_size)
                boot_rows.append(ci.reset_index().assign(year=year))
        except InequalityError as exc:
            raise InequalityError(f"{value!r} in {year}: {exc}") from None
        rows.append(
            {
                "year": year,
                "n": len(part),
                "G": dec.total,
                "G_w": dec.within,
                "G_nb": dec.between,
                "G_t": dec.transvariation,
                **dec.contributions().filter(like="share_").to_dict(),
            }
        )
        mat = dec.matrix.rename_axis(index="region_a", columns="region_b")
        m = mat.stack().rename("gini").reset_index()
        mats.append(m.assign(year=year))
        theil_rows.append({"year": year, "T": th.total, "T_between": th.between, "T_within": th.within})
        kde_rows.append(pd.DataFrame({"year": year, "point": points, "density": density, "bandwidth": h}))
    main = pd.DataFrame(rows).set_index("year")
    sigma_all = sigma_convergence(data, value).assign(region="All")
    sigma_reg = [sigma_convergence(part, value).assign(region=r) for r, part in data.groupby("region")]
    sigma = pd.concat([sigma_all, *sigma_reg]).reset_index().set_index(["region", "year"])
    beta_rows = []
    for label, part in [("All", data), *data.groupby("region")]:
        for form, ctrl in (("absolute", ()), ("conditional", tuple(controls))):
            try:
                fe = form == "conditional"
                res = beta_convergence(part, value, span=span, controls=ctrl, fixed_effects=fe)
            except (InequalityError, ValueError) as exc:
                beta_rows.append({"region": label, "form": form, "note": str(exc)})
                continue
            beta_rows.append(
                {
                    "region": label,
                    "form": form,
                    "beta": res.beta,
                    "std_error": res.std_error,
                    "pvalue": res.pvalue,
                    "speed": res.speed,
                    "half_life": res.half_life,
                    "nobs": res.nobs,
                }
            )
    miss = missing_frame(
        [
            {"series": value, "geo": geo, "years": year_span(part["year"]), "reason": "missing value"}
            for geo, part in lacking.groupby("geo")
        ]
    )
    conventions = {
        "measure": value,
        "groups": f"{grouping}: " + "; ".join(f"{k} ({len(v)})" for k, v in groups.groups.items()),
        "Gini": "Dagum (1997) decomposition G = G_w + G_nb + G_t; sums of |differences| by sorting, O(n log n)",
        "Theil": "Theil T with between/within decomposition",
        "kernel density": f"kernel {kernel}, bandwidth {bandwidth}"
        + {
            "stata": " (0.9·min(sd, IQR/1.349)·n^(−1/5), quartiles as Stata's summarize, detail)",
            "silverman": " (0.9·min(sd, IQR/1.349)·n^(−1/5), linearly interpolated quartiles)",
            "scott": " (1.059·sd·n^(−1/5))",
        }.get(str(bandwidth), "")
        + f"; {kde_points} points from min − h to max + h each year",
        "σ-convergence": "coefficient of variation (sd with ddof = 1) and sd of logs by year",
        "β-convergence": f"ln(y_t+T / y_t) on ln y_t, T = {span}; absolute: pooled OLS with a constant; "
        f"conditional: two-way fixed effects{' + controls ' + ', '.join(controls) if controls else ''}; "
        "errors clustered by province; λ = −ln(1+β)/T",
        "sample": f"{data['geo'].nunique()} provinces, {year_span(data['year'])}",
    }
    tables = {
        "matrix": pd.concat(mats, ignore_index=True),
        "theil": pd.DataFrame(theil_rows).set_index("year"),
        "kde": pd.concat(kde_rows, ignore_index=True),
        "sigma": sigma,
        "beta": pd.DataFrame(beta_rows),
    }
    if bootstrap:
        tables["bootstrap"] = pd.concat(boot_rows).set_index(["year", "component"])
        conventions["bootstrap"] = (
            f"{bootstrap} resamples of provinces with replacement within each region (sizes fixed), "
            f"percentile intervals at {level:.0%}, seed {seed}"
        )
    notes = []
    if main["n"].nunique() > 1:
        low = main.index[main["n"] < main["n"].max()]
        notes.append(
            f"the number of provinces varies from {main['n'].min()} to {main['n'].max()} "
            f"(fewer in {year_span(low)}): each year's measures cover the provinces with a value that year"
        )
    return AnalysisResult(
        title=f"Regional imbalance of {value}",
        table=main,
        conventions=conventions,
        sources=pd.DataFrame() if sources is None else sources,
        missing=miss,
        notes=notes,
        tables=tables,
    )
