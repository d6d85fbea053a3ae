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

``method`` combines steps 3 and 4: ``"entropy"`` (entropy weights, linear), ``"entropy-topsis"``, ``"critic"``,
``"critic-topsis"``, ``"fixed"``, ``"fixed-topsis"``. Regional scores are unweighted means of member provinces.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coreduce.analysis.results import AnalysisResult, missing_frame, year_span
from coreduce.data.panel import Panel
from coreduce.geo import by_code, load_grouping, provinces
from coreduce.indicators import IndicatorSystem, IndicatorSystemError, load_system
from coreduce.methods.critic import critic_weights
from coreduce.methods.entropy import entropy_weights
from coreduce.methods.scaling import IndicatorError, apply_zero_rule, minmax
from coreduce.methods.topsis import topsis

METHODS = ("entropy", "entropy-topsis", "critic", "critic-topsis", "fixed", "fixed-topsis")
NORMALISATIONS = ("pooled", "yearly")


def _missing_rows(system: IndicatorSystem, wide: pd.DataFrame, values: pd.DataFrame) -> list[dict]:
    """One row per (series, geo): the years in which an indicator input is absent (or the ratio undefined)."""
    rows = []
    for var in system.variables:
        absent = wide[var].isna()
        for geo, flags in absent.groupby(level="geo"):
            years = flags[flags].index.get_level_values("year")
            if len(years):
                users = [i.key for i in system.indicators if var in i.variables]
                reason = f"absent; needed by {', '.join(users)}"
                rows.append({"series": var, "geo": geo, "years": year_span(years), "reason": reason})
    undefined = values.isna() & wide.notna().all(axis=1).to_numpy()[:, None]
    for key in values.columns:
        flags = undefined[key]
        for geo, f in flags.groupby(level="geo"):
            years = f[f].index.get_level_values("year")
            if len(years):
                reason = "undefined (division by 0)"
                rows.append({"series": key, "geo": geo, "years": year_span(years), "reason": reason})
    return rows


def _weights(z: pd.DataFrame, method: str, system: IndicatorSystem, zero: str, epsilon: float) -> pd.DataFrame:
    base = method.split("-")[0]
    if base == "entropy":
        return entropy_weights(apply_zero_rule(z, zero, epsilon)).to_frame()
    if base == "critic":
        return critic_weights(z)
    fixed = system.fixed_weights
    if fixed is None:
        raise IndicatorSystemError(f"{system.origin}: method {method!r} needs weights in the system file")
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


def nqpf_index(
    panel: Panel,
    system: str | IndicatorSystem = "default",
    *,
    method: str = "entropy-topsis",
    normalisation: str = "pooled",
    zero: str = "shift",
    epsilon: float = 1e-4,
    years: tuple[int, int] | None = None,
    geos: list[str] | None = None,
    grouping: str = "four_regions",
) -> AnalysisResult:
    """NQPF scores (overall and by dimension) by province-year; see the module docstring for the conventions.

    Tables: main (geo, province, region, year, overall, <dimensions>), ``weights``, ``standardised``,
    ``indicators`` (raw indicator values) and ``regions`` (regional means by year).
    """
    if method not in METHODS:
        raise IndicatorError(f"method must be one of {', '.join(METHODS)}; got {method!r}")
    if normalisation not in NORMALISATIONS:
        raise IndicatorError(f"normalisation must be one of {', '.join(NORMALISATIONS)}; got {normalisation!r}")
    sys_ = system if isinstance(system, IndicatorSystem) else load_system(system)
    sys_.check_variables(panel.variables)
    codes = geos or [p.code for p in provinces()]
    wide = panel.wide(sys_.variables, codes)
    if years is not None:
        year = wide.index.get_level_values("year")
        wide = wide[(year >= years[0]) & (year <= years[1])]
    if wide.empty:
        raise IndicatorSystemError(f"{sys_.origin}: the panel has none of its variables for the chosen provinces/years")
    values = sys_.evaluate(wide).replace([np.inf, -np.inf], np.nan)
    missing = missing_frame(_missing_rows(sys_, wide, values))
    complete = values.dropna()
    if len(complete) < 2:
        raise IndicatorSystemError(
            f"{sys_.origin}: fewer than 2 province-years have every indicator; see the missing series: "
            + ", ".join(sorted(set(missing["series"])))
        )
    year_of = complete.index.get_level_values("year")
    z = minmax(complete, sys_.directions(), by=year_of if normalisation == "yearly" else None)
    if normalisation == "pooled":
        wtab = _weights(z, method, sys_, zero, epsilon)
        scores = _scores(z, wtab["weight"], method, sys_)
        weights = wtab
    else:
        parts, wparts = [], []
        for year, zy in z.groupby(level="year"):
            wy = _weights(zy, method, sys_, zero, epsilon)
            parts.append(_scores(zy, wy["weight"], method, sys_))
            wparts.append(wy.assign(year=year))
        scores = pd.concat(parts)
        weights = pd.concat(wparts)
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
            for i in sys_.indicators
        ]
    ).set_index("indicator")
    weights = (meta.join(weights, how="right") if normalisation == "yearly" else meta.join(weights)).rename_axis(
        "indicator"
    )
    group_of = load_grouping(grouping).group_of()
    table = scores.reset_index()
    names = by_code()
    table.insert(1, "province", [names[g].name_en if g in names else g for g in table["geo"]])
    table.insert(2, "region", table["geo"].map(group_of))
    regions = table.groupby(["region", "year"])[["overall", *[d.key for d in sys_.dimensions]]].mean()
    yrs = sorted(set(year_of))
    conventions = {
        "indicator system": f"{sys_.name} ({sys_.origin}): {len(sys_.indicators)} indicators in "
        + ", ".join(f"{d.key} ({d.name_en})" for d in sys_.dimensions),
        "method": method,
        "weights": {"entropy": "entropy weights", "critic": "CRITIC weights", "fixed": "fixed weights from the file"}[
            method.split("-")[0]
        ]
        + (" per year" if normalisation == "yearly" else " over the pooled panel"),
        "scores": "TOPSIS closeness (dimension: TOPSIS on its indicators, weights renormalised)"
        if method.endswith("topsis")
        else "weighted sum of standardised values (dimension: its additive part)",
        "normalisation": "min–max, pooled over all province-years"
        if normalisation == "pooled"
        else "min–max within each year (scores comparable only within a year)",
        "zero handling (entropy)": {
            "limit": "0·ln0 = 0",
            "shift": f"z + ε, ε = {epsilon:g}",
            "squeeze": f"z → [ε, 1−ε], ε = {epsilon:g}",
        }[zero],
        "prices": "nominal (ratios of nominal values)",
        "regional score": f"unweighted mean of member provinces ({grouping})",
        "sample": f"{complete.index.get_level_values('geo').nunique()} provinces, {year_span(yrs)}, "
        f"{len(complete)} complete province-years",
    }
    notes = [f"indicator not available: {m}" for m in sys_.missing]
    return AnalysisResult(
        title=f"NQPF index ({method}, {sys_.name})",
        table=table,
        conventions=conventions,
        sources=panel.attribution(sys_.variables),
        missing=missing,
        notes=notes,
        tables={
            "weights": weights,
            "standardised": z,
            "indicators": complete,
            "regions": regions,
        },
    )
