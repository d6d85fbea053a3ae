"""Regional imbalance of a province-year measure: Dagum Gini, Theil T, kernel density and convergence.

The measure is any column of a (geo, year, value) frame: the NQPF index (``nqpf_index(...).to_frame()``), an
emission intensity built from the panel with :func:`measure_from_panel` (e.g. ``"co2_ceads / gdp"``) or a
synergy measure of the co-reduction status analysis with :func:`synergy_measure` (the coupling coordination
degree D of pollution and carbon reduction, by province and year). Provinces are grouped by a grouping of
:mod:`coreduce.geo` (the four regions by default). :func:`regional_imbalance` chooses the measure by the
``measure`` convention (``nqpf``, ``coupling`` or a formula); :func:`imbalance` works on any frame. Conventions
(kernel, bandwidth rule, convergence span, controls, groups) are recorded in the result.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pandas as pd

from coreduce.analysis.conventions import WINDOW, ProvinceConventions
from coreduce.conventions import Convention
from coreduce.data.panel import Panel
from coreduce.geo import load_grouping, provinces
from coreduce.indicators.formula import evaluate, variables
from coreduce.methods.convergence import beta_convergence, sigma_convergence
from coreduce.methods.dagum import InequalityError, dagum_bootstrap, dagum_gini
from coreduce.methods.kde import kernel_density
from coreduce.methods.theil import theil_decomposition
from coreduce.results import Missing, Note, Result, year_span

CONVENTION_KEYS = ("grouping", "kernel", "bandwidth", "kde_points", "span", "min_group_size")
BOOTSTRAP_KEYS = ("bootstrap", "level", "seed")
IMBALANCE_RULES = (
    Convention("gini", "dagum_1997", "Dagum (1997)"),
    Convention("theil", "theil_t"),
    Convention("sigma", "cv_and_log_sd"),
    Convention("beta", "fe_clustered"),
)
SYNERGY_COLUMNS = ("D", "C", "T")


@dataclass(kw_only=True)
class ImbalanceResult(Result):
    """Dagum decomposition by year (main table ``dagum``) and the other measures of imbalance."""

    title: ClassVar[str] = "result.imbalance"
    main: ClassVar[str] = "dagum"

    dagum: pd.DataFrame
    """By year: n, G, G_w, G_nb, G_t and their shares."""
    matrix: pd.DataFrame
    """G_jj and G_jh by year (region_a, region_b, gini, year)."""
    theil: pd.DataFrame
    kde: pd.DataFrame
    """year, point, density, bandwidth."""
    sigma: pd.DataFrame
    beta: pd.DataFrame
    bootstrap: pd.DataFrame
    """Percentile intervals of the Dagum parts by year (empty without a bootstrap)."""
    measure: str
    """The column of the frame whose imbalance this is."""


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
        out = out.merge(measure_from_panel(panel, formula), on=["geo", "year"], how="left")
    return out


def synergy_measure(panel: Panel, conventions: ProvinceConventions | None = None, *, column: str = "D"):
    """A (geo, year, ``coupling_<column>``) frame of the provinces' pollution–carbon coupling coordination and
    the co-reduction status result it comes from (its coupling table only: ``costatus(..., coupling_only=True)``;
    ``column``: ``D`` coordination degree, ``C`` or ``T``); a
    province-year without a value (e.g. Tibet, which the CEADs CO2 does not cover) is a NaN row."""
    from coreduce.analysis.costatus import costatus

    if column not in SYNERGY_COLUMNS:
        raise InequalityError(f"synergy column must be one of {', '.join(SYNERGY_COLUMNS)}; got {column!r}")
    result = costatus(panel, conventions, coupling_only=True)
    rows = result.coupling[result.coupling["level"] == "province"]
    name = f"coupling_{column}"
    # rows without a value stay (NaN), so that the analyses using the measure name the provinces it lacks
    frame = rows[["geo", "year", column]].rename(columns={column: name}).reset_index(drop=True)
    return frame, result


def measure_frame(panel: Panel, conventions: ProvinceConventions) -> tuple[pd.DataFrame, str, pd.DataFrame]:
    """The (geo, year, value) frame of the ``measure`` convention, the value column and the sources used:
    ``nqpf`` (overall NQPF score), ``coupling`` (coupling coordination D) or a formula over panel variables."""
    from coreduce.analysis.nqpf import nqpf_index

    measure = conventions.measure
    if measure == "nqpf":
        index = nqpf_index(panel, conventions)
        return index.scores, "overall", index.sources
    if measure == "coupling":
        frame, status = synergy_measure(panel, conventions)
        return frame, "coupling_D", status.sources
    frame = measure_from_panel(panel, measure)
    return frame, measure, panel.attribution(variables(measure, where=f"measure {measure!r}"))


def regional_imbalance(
    panel: Panel, conventions: ProvinceConventions | None = None, *, controls: Sequence[str] = ()
) -> ImbalanceResult:
    """Regional imbalance of the measure the conventions name (``measure``), with optional controls of the
    conditional β-convergence (formulas over panel variables)."""
    c = conventions or ProvinceConventions()
    frame, value, sources = measure_frame(panel, c)
    if controls:
        frame = with_controls(frame, panel, controls)
    return imbalance(frame, value, c, controls=controls, sources=sources)


def _yearly(data: pd.DataFrame, value: str, c: ProvinceConventions) -> dict[str, list]:
    """Dagum, Theil, kernel density (and bootstrap) of each year."""
    out = {"rows": [], "matrix": [], "theil": [], "kde": [], "boot": []}
    for year, part in data.groupby("year"):
        y, g = part[value].to_numpy(float), part["region"].to_numpy()
        try:
            dec = dagum_gini(y, g, min_group_size=c.min_group_size)
            th = theil_decomposition(y, g)
            points, density, h = kernel_density(y, kernel=c.kernel, bw=c.bandwidth, n_points=c.kde_points)
            if c.bootstrap:
                ci = dagum_bootstrap(
                    y, g, reps=c.bootstrap, level=c.level, seed=c.seed, min_group_size=c.min_group_size
                )
                out["boot"].append(ci.reset_index().assign(year=year))
        except InequalityError as exc:
            raise InequalityError(f"{value!r} in {year}: {exc}") from None
        shares = dec.contributions().filter(like="share_").to_dict()
        out["rows"].append(
            {
                "year": year,
                "n": len(part),
                "G": dec.total,
                "G_w": dec.within,
                "G_nb": dec.between,
                "G_t": dec.transvariation,
                **shares,
            }
        )
        mat = dec.matrix.rename_axis(index="region_a", columns="region_b")
        out["matrix"].append(mat.stack().rename("gini").reset_index().assign(year=year))
        out["theil"].append({"year": year, "T": th.total, "T_between": th.between, "T_within": th.within})
        out["kde"].append(pd.DataFrame({"year": year, "point": points, "density": density, "bandwidth": h}))
    return out


def _beta(data: pd.DataFrame, value: str, span: int, controls: Sequence[str]) -> pd.DataFrame:
    """Absolute and conditional β-convergence for all provinces and each region."""
    rows = []
    for label, part in [("All", data), *data.groupby("region")]:
        for form, ctrl in (("absolute", ()), ("conditional", tuple(controls))):
            try:
                res = beta_convergence(part, value, span=span, controls=ctrl, fixed_effects=form == "conditional")
            except (InequalityError, ValueError) as exc:
                rows.append({"region": label, "form": form, "note": str(exc)})
                continue
            rows.append(
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
    return pd.DataFrame(rows)


def _prepared(frame: pd.DataFrame, value: str, c: ProvinceConventions, controls: Sequence[str]):
    missing_cols = [col for col in ("geo", "year", value, *controls) if col not in frame.columns]
    if missing_cols:
        raise InequalityError(f"the frame lacks column(s) {', '.join(missing_cols)}")
    group_of = load_grouping(c.grouping).group_of()
    data = frame[frame["geo"].isin(group_of)].copy()
    data = data[(data["year"] >= c.start) & (data["year"] <= c.end)]
    lacking = data[data[value].isna()]
    data = data.dropna(subset=[value])
    if data.empty:
        raise InequalityError(f"no province-year has a value of {value!r}")
    data["region"] = data["geo"].map(group_of)
    missing = [
        Missing.of(value, geo, year_span(part["year"]), "missing.value_missing") for geo, part in lacking.groupby("geo")
    ]
    return data, missing


def imbalance(
    frame: pd.DataFrame,
    value: str,
    conventions: ProvinceConventions | None = None,
    *,
    controls: Sequence[str] = (),
    sources: pd.DataFrame | None = None,
) -> ImbalanceResult:
    """Dagum decomposition (main table), Theil, kernel density, σ- and β-convergence of ``frame[value]``.

    ``frame`` has columns ``geo``, ``year`` and ``value`` (plus any ``controls`` for conditional β-convergence);
    the conventions give the window, grouping, kernel, bandwidth, points, span, smallest group and the bootstrap
    (replicates > 0: percentile intervals at ``level`` of G, G_w, G_nb, G_t by year, provinces resampled within
    regions).
    """
    c = conventions or ProvinceConventions()
    data, missing = _prepared(frame, value, c, controls)
    parts = _yearly(data, value, c)
    main = pd.DataFrame(parts["rows"]).set_index("year")
    sigma_all = sigma_convergence(data, value).assign(region="All")
    sigma_reg = [sigma_convergence(part, value).assign(region=r) for r, part in data.groupby("region")]
    sigma = pd.concat([sigma_all, *sigma_reg]).reset_index().set_index(["region", "year"])
    notes = []
    if main["n"].nunique() > 1:
        low = main.index[main["n"] < main["n"].max()]
        notes.append(
            Note.of(
                "note.imbalance.varying_n", low=int(main["n"].min()), high=int(main["n"].max()), years=year_span(low)
            )
        )
    sample = (int(data["geo"].nunique()), year_span(data["year"]))
    return ImbalanceResult(
        dagum=main,
        matrix=pd.concat(parts["matrix"], ignore_index=True),
        theil=pd.DataFrame(parts["theil"]).set_index("year"),
        kde=pd.concat(parts["kde"], ignore_index=True),
        sigma=sigma,
        beta=_beta(data, value, c.span, controls),
        bootstrap=pd.concat(parts["boot"]).set_index(["year", "component"]) if c.bootstrap else pd.DataFrame(),
        measure=value,
        conventions=(
            *c.used(*WINDOW, *CONVENTION_KEYS, *(BOOTSTRAP_KEYS if c.bootstrap else ())),
            Convention("imbalance_measure", value),
            Convention("beta_controls", tuple(controls)),
            Convention("imbalance_sample", sample),
            *IMBALANCE_RULES,
        ),
        notes=tuple(notes),
        missing=tuple(missing),
        sources=pd.DataFrame() if sources is None else sources,
    )
