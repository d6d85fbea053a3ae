"""The NQPF (new quality productive forces) composite index by province and year.

Steps, each a recorded convention:

1. indicator values from the system's formulas over the panel (:mod:`coreduce.indicators`); province-years
   lacking any input are left out and listed in ``missing`` with the absent series;
2. min–max standardisation with each indicator's direction, pooled over all province-years (``"pooled"``,
   comparable across years) or within each year (``"yearly"``);
3. weights: entropy (:mod:`coreduce.methods.entropy`, after the zero rule of :mod:`coreduce.methods.scaling`),
   CRITIC, or the fixed weights of the system file; with yearly normalisation the weights are computed per year;
4. scores: ``"linear"`` Σ_j w_j z_ij (a dimension's score is its additive part, weights not renormalised) or
   ``"topsis"`` closeness to the ideal and anti-ideal points (a dimension's score is TOPSIS over its own
   indicators with weights renormalised within it).

The conventions (:class:`~coreduce.analysis.conventions.ProvinceConventions`) give the window, ``system``,
``nqpf_method``, ``normalisation``, ``zero_rule``, ``epsilon`` and the grouping. ``nqpf_method`` combines steps 3
and 4: ``"entropy"`` (entropy weights, linear), ``"entropy-topsis"``, ``"critic"``,
``"critic-topsis"``, ``"fixed"``, ``"fixed-topsis"``. Regional scores are unweighted means of member provinces.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pandas as pd

from coreduce.analysis.conventions import WINDOW, ProvinceConventions
from coreduce.conventions import Convention
from coreduce.data.panel import Panel
from coreduce.geo import by_code, load_grouping, provinces
from coreduce.i18n import has_message
from coreduce.indicators import IndicatorSystem, IndicatorSystemError, load_system
from coreduce.methods.critic import critic_weights
from coreduce.methods.entropy import entropy_weights
from coreduce.methods.scaling import apply_zero_rule, minmax
from coreduce.methods.topsis import topsis
from coreduce.results import Missing, Note, Result, year_span

CONVENTION_KEYS = ("system", "nqpf_method", "normalisation", "zero_rule", "epsilon", "grouping")
NQPF_RULES = (Convention("nqpf_prices", "nominal_ratios"), Convention("nqpf_regions", "unweighted_mean"))


@dataclass(kw_only=True)
class NqpfResult(Result):
    """NQPF scores by province and year (main table ``scores``)."""

    title: ClassVar[str] = "result.nqpf"
    main: ClassVar[str] = "scores"

    scores: pd.DataFrame
    """geo, province, region, year, overall and one column per dimension."""
    weights: pd.DataFrame
    """Indicator, dimension, direction, formula, labels and weight (per year with yearly normalisation)."""
    standardised: pd.DataFrame
    """The min–max standardised indicator values by (geo, year)."""
    indicators: pd.DataFrame
    """The raw indicator values of the complete province-years."""
    regions: pd.DataFrame
    """Regional means by (region, year)."""
    system: IndicatorSystem
    """The indicator system used."""


def _missing_rows(system: IndicatorSystem, wide: pd.DataFrame, values: pd.DataFrame) -> list[Missing]:
    """One record per (series, geo): the years in which an indicator input is absent (or the ratio undefined)."""
    rows = []
    for var in system.variables:
        absent = wide[var].isna()
        users = ", ".join(i.key for i in system.indicators if var in i.variables)
        for geo, flags in absent.groupby(level="geo"):
            years = flags[flags].index.get_level_values("year")
            if len(years):
                rows.append(Missing.of(var, geo, year_span(years), "missing.needed_by", users=users))
    undefined = values.isna() & wide.notna().all(axis=1).to_numpy()[:, None]
    for key in values.columns:
        for geo, f in undefined[key].groupby(level="geo"):
            years = f[f].index.get_level_values("year")
            if len(years):
                rows.append(Missing.of(key, geo, year_span(years), "missing.undefined_ratio"))
    return rows


def _weights(z: pd.DataFrame, c: ProvinceConventions, system: IndicatorSystem) -> pd.DataFrame:
    base = c.nqpf_method.split("-")[0]
    if base == "entropy":
        return entropy_weights(apply_zero_rule(z, c.zero_rule, c.epsilon)).to_frame()
    if base == "critic":
        return critic_weights(z)
    fixed = system.fixed_weights
    if fixed is None:
        raise IndicatorSystemError(f"{system.origin}: method {c.nqpf_method!r} needs weights in the system file")
    return fixed.rename("weight").to_frame()


def _scores(z: pd.DataFrame, w: pd.Series, method: str, system: IndicatorSystem) -> pd.DataFrame:
    dims = system.dimension_of()
    out = pd.DataFrame(index=z.index)
    if method.endswith("topsis"):
        out["overall"] = topsis(z, w.reindex(z.columns), normalisation="none")["score"]
        for d in system.dimensions:
            cols = [c for c in z.columns if dims[c] == d.key]
            wd = w.reindex(cols)
            out[d.key] = topsis(z[cols], wd / wd.sum(), normalisation="none")["score"] if wd.sum() > 0 else np.nan
    else:
        out["overall"] = z.mul(w.reindex(z.columns)).sum(axis=1)
        for d in system.dimensions:
            cols = [c for c in z.columns if dims[c] == d.key]
            out[d.key] = z[cols].mul(w.reindex(cols)).sum(axis=1)
    return out


def _weighted_scores(z: pd.DataFrame, c: ProvinceConventions, system: IndicatorSystem):
    """Weights and scores over the pooled panel, or year by year with yearly normalisation."""
    if c.normalisation == "pooled":
        weights = _weights(z, c, system)
        return weights, _scores(z, weights["weight"], c.nqpf_method, system)
    parts, wparts = [], []
    for year, zy in z.groupby(level="year"):
        wy = _weights(zy, c, system)
        parts.append(_scores(zy, wy["weight"], c.nqpf_method, system))
        wparts.append(wy.assign(year=year))
    return pd.concat(wparts), pd.concat(parts)


def _indicator_table(system: IndicatorSystem, weights: pd.DataFrame, yearly: bool) -> pd.DataFrame:
    meta = pd.DataFrame(
        [
            {
                "indicator": i.key,
                "dimension": i.dimension,
                "direction": "+" if i.direction > 0 else "-",
                "formula": i.formula,
                "label_en": i.label_en,
                "label_zh": i.label_zh,
            }
            for i in system.indicators
        ]
    ).set_index("indicator")
    return (meta.join(weights, how="right") if yearly else meta.join(weights)).rename_axis("indicator")


def _values(panel: Panel, system: IndicatorSystem, c: ProvinceConventions, geos: list[str] | None):
    """Inputs over the window and the indicator values (±inf as NaN)."""
    system.check_variables(panel.variables)
    wide = panel.wide(system.variables, geos or [p.code for p in provinces()])
    year = wide.index.get_level_values("year")
    wide = wide[(year >= c.start) & (year <= c.end)]
    if wide.empty:
        raise IndicatorSystemError(
            f"{system.origin}: the panel has none of its variables for the chosen provinces/years"
        )
    return wide, system.evaluate(wide).replace([np.inf, -np.inf], np.nan)


def _unavailable(entry: str) -> Note:
    """A note naming an indicator the system cannot build: a catalogue key (``nqpf.unavailable.<key>``) of the
    built-in systems, or a user system's own text."""
    key = f"nqpf.unavailable.{entry}"
    return Note.of(key) if has_message(key, "en") else Note.of("note.nqpf.unavailable", indicator=entry)


def nqpf_index(
    panel: Panel, conventions: ProvinceConventions | None = None, *, geos: list[str] | None = None
) -> NqpfResult:
    """NQPF scores (overall and by dimension) by province-year; see the module docstring for the conventions."""
    c = conventions or ProvinceConventions()
    system = load_system(c.system)
    wide, values = _values(panel, system, c, geos)
    missing = _missing_rows(system, wide, values)
    complete = values.dropna()
    if len(complete) < 2:
        raise IndicatorSystemError(
            f"{system.origin}: fewer than 2 province-years have every indicator; see the missing series: "
            + ", ".join(sorted({m.series for m in missing}))
        )
    year_of = complete.index.get_level_values("year")
    z = minmax(complete, system.directions(), by=year_of if c.normalisation == "yearly" else None)
    weights, scores = _weighted_scores(z, c, system)
    table = scores.reset_index()
    names = by_code()
    table.insert(1, "province", [names[g].name_en if g in names else g for g in table["geo"]])
    table.insert(2, "region", table["geo"].map(load_grouping(c.grouping).group_of()))
    regions = table.groupby(["region", "year"])[["overall", *[d.key for d in system.dimensions]]].mean()
    sample = (complete.index.get_level_values("geo").nunique(), year_span(sorted(set(year_of))), len(complete))
    return NqpfResult(
        scores=table,
        weights=_indicator_table(system, weights, c.normalisation == "yearly"),
        standardised=z,
        indicators=complete,
        regions=regions,
        system=system,
        conventions=(
            *c.used(*WINDOW, *CONVENTION_KEYS),
            Convention("nqpf_system", f"{system.name} ({system.origin})"),
            Convention("nqpf_sample", sample),
            *NQPF_RULES,
        ),
        notes=tuple(_unavailable(m) for m in system.missing),
        missing=tuple(missing),
        sources=panel.attribution(system.variables),
    )
