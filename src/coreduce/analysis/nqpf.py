"""The NQPF (new quality productive forces) composite index by province and year.

Steps, each a recorded convention:

1. indicator values from the system's formulas over the panel (:mod:`coreduce.indicators`); absent inputs are
   listed in ``missing`` with the series. Absent indicator values follow ``nqpf_missing``:
   ``"interpolate-reweight"`` (default) interpolates linearly inside each province's series (never before its
   first or after its last value), then scores a province-year that still lacks indicators on the present ones
   with their dimension's weight moved onto them (:mod:`coreduce.methods.reweight`); ``"interpolate"`` and
   ``"reweight"`` do one of the two; ``"complete"`` keeps only province-years with every indicator. A
   province-year with fewer than ``nqpf_min_share`` (default 0.3) of a dimension's indicators is left out and
   named in ``missing`` with the dimensions it lacks;
   ``imputed`` lists every interpolated value and every re-weighted province-year;
2. min–max standardisation with each indicator's direction, pooled over all province-years (``"pooled"``,
   comparable across years) or within each year (``"yearly"``);
3. weights: entropy (:mod:`coreduce.methods.entropy`, after the zero rule of :mod:`coreduce.methods.scaling`),
   CRITIC, or the fixed weights of the system file, estimated on the province-years with every indicator; with
   yearly normalisation the weights are computed per year;
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

from coreduce.analysis._aggregate import years_by_geo
from coreduce.analysis._shared import shared
from coreduce.analysis.conventions import WINDOW, ProvinceConventions
from coreduce.conventions import Convention
from coreduce.data.panel import Panel
from coreduce.geo import by_code, load_grouping, provinces
from coreduce.i18n import has_message
from coreduce.indicators import IndicatorSystem, IndicatorSystemError, load_system
from coreduce.methods.critic import critic_weights
from coreduce.methods.entropy import entropy_weights
from coreduce.methods.reweight import reweighted_scores
from coreduce.methods.scaling import apply_zero_rule, minmax
from coreduce.results import Missing, Note, Result, year_span

CONVENTION_KEYS = (
    "system",
    "nqpf_method",
    "normalisation",
    "zero_rule",
    "epsilon",
    "nqpf_missing",
    "nqpf_min_share",
    "grouping",
)
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
    """The indicator values of the scored province-years (interpolated values included, NaN where re-weighted)."""
    imputed: pd.DataFrame
    """geo, year, indicator, how (``interpolated`` or ``reweighted``): every value the missing rule supplied."""
    regions: pd.DataFrame
    """Regional means by (region, year)."""
    system: IndicatorSystem
    """The indicator system used."""


def _missing_rows(system: IndicatorSystem, wide: pd.DataFrame, values: pd.DataFrame) -> list[Missing]:
    """One record per (series, geo): the years in which an indicator input is absent (or the ratio undefined)."""
    rows = []
    inputs = {i.key: i.variables for i in system.indicators}  # each formula parsed once
    for var in dict.fromkeys(v for used in inputs.values() for v in used):
        users = ", ".join(key for key, used in inputs.items() if var in used)
        for geo, years in years_by_geo(wide[var].isna()):
            rows.append(Missing.of(var, geo, year_span(years), "missing.needed_by", users=users))
    undefined = values.isna() & wide.notna().all(axis=1).to_numpy()[:, None]
    for key in values.columns:
        for geo, years in years_by_geo(undefined[key]):
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


def _scores(z: pd.DataFrame, c: ProvinceConventions, system: IndicatorSystem) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Weights from the rows with every indicator, scores of every row (absent values re-weighted)."""
    complete = z.dropna()
    if len(complete) < 2:
        raise IndicatorSystemError(f"{system.origin}: fewer than 2 province-years have every indicator")
    weights = _weights(complete, c, system)
    method = "topsis" if c.nqpf_method.endswith("topsis") else "linear"
    scores = reweighted_scores(z, weights["weight"], system.dimension_of(), method=method)
    return weights, scores[["overall", *[d.key for d in system.dimensions]]]


def _weighted_scores(z: pd.DataFrame, c: ProvinceConventions, system: IndicatorSystem):
    """Weights and scores over the pooled panel, or year by year with yearly normalisation."""
    if c.normalisation == "pooled":
        return _scores(z, c, system)
    parts, wparts = [], []
    for year, zy in z.groupby(level="year"):
        wy, sy = _scores(zy, c, system)
        parts.append(sy)
        wparts.append(wy.assign(year=year))
    return pd.concat(wparts), pd.concat(parts)


def _interpolated(values: pd.DataFrame, rule: str) -> pd.DataFrame:
    """Linear interpolation in the year inside each province's series (no extrapolation) if ``rule`` asks.

    As pandas' ``interpolate(method="index", limit_area="inside")`` of each province's rows: a gap between two
    reported years gets ``np.interp`` over the province's reported (year, value) points; gaps before the first or
    after the last reported year stay NaN. Done on the array, province by province, without a frame per province.
    """
    if "interpolate" not in rule:
        return values
    filled = values.to_numpy(dtype=float, copy=True)
    years = values.index.get_level_values("year").to_numpy()
    for rows in values.groupby(level="geo", sort=False).indices.values():
        x, block = years[rows], filled[rows]
        for column in block.T:  # views into block
            valid = ~np.isnan(column)
            reported = np.flatnonzero(valid)
            if not len(reported):
                continue
            inside = ~valid
            inside[: reported[0]] = inside[reported[-1] + 1 :] = False
            if inside.any():
                order = np.argsort(x[valid])
                column[inside] = np.interp(x[inside], x[valid][order], column[valid][order])
        filled[rows] = block
    return pd.DataFrame(filled, index=values.index, columns=values.columns).astype(values.dtypes.to_dict())


def _apply_missing_rule(values: pd.DataFrame, c: ProvinceConventions, system: IndicatorSystem):
    """The scored province-years, the imputed-values table and the records of the province-years left out."""
    filled = _interpolated(values, c.nqpf_missing)
    dims = system.dimension_of()
    if "reweight" in c.nqpf_missing:
        share = filled.notna().T.groupby(lambda col: dims[col]).mean().T
        by_dim = share.ge(c.nqpf_min_share - 1e-12)
        keep = by_dim.all(axis=1)
    else:
        by_dim = None
        keep = filled.notna().all(axis=1)
    rows = []
    for how, flags in (("interpolated", values.isna() & filled.notna()), ("reweighted", filled.isna())):
        cells = flags[keep].stack()
        hit = cells.index[cells.to_numpy(dtype=bool)]
        rows += [{"geo": geo, "year": int(year), "indicator": key, "how": how} for geo, year, key in hit]
    imputed = pd.DataFrame(rows, columns=["geo", "year", "indicator", "how"])
    names = {d.key: (d.name_en or d.key, d.name_zh or d.key) for d in system.dimensions}
    names |= {i.key: (i.label_en or i.key, i.label_zh or i.key) for i in system.indicators}
    left = []
    gaps = filled.isna() if by_dim is None else ~by_dim  # what each province-year lacks: indicators or dimensions
    lacking_of = gaps[~keep].groupby(level="geo").any()
    for geo, years in years_by_geo(~keep):
        absent = lacking_of.loc[geo]
        lacking = list(absent.index[absent.to_numpy()])
        left.append(
            Missing.of(
                "nqpf",
                geo,
                year_span(years),
                "missing.nqpf_left_out",
                lacking=", ".join(lacking),
                lacking_en=", ".join(names[k][0] for k in lacking),
                lacking_zh="、".join(names[k][1] for k in lacking),
            )
        )
    return filled[keep], imputed, left


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


def _rule_note(rule: str, imputed: pd.DataFrame, left_out: list[Missing]) -> Note:
    """How many values the missing rule interpolated, how many province-years it re-weighted, and who is out."""
    interpolated = int((imputed["how"] == "interpolated").sum())
    reweighted = imputed[imputed["how"] == "reweighted"][["geo", "year"]].drop_duplicates()
    out = ", ".join(sorted({m.geo for m in left_out})) or "-"
    return Note.of(
        "note.nqpf.missing_rule", rule=rule, interpolated=interpolated, reweighted=len(reweighted), left_out=out
    )


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
    keys = (*WINDOW, *CONVENTION_KEYS)
    return shared("nqpf_index", panel, c, keys, lambda: _index(panel, c, geos), tuple(geos) if geos else None)


def _index(panel: Panel, c: ProvinceConventions, geos: list[str] | None) -> NqpfResult:
    system = load_system(c.system)
    wide, values = _values(panel, system, c, geos)
    missing = _missing_rows(system, wide, values)
    complete, imputed, left_out = _apply_missing_rule(values, c, system)
    if complete.dropna().shape[0] < 2:
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
        imputed=imputed,
        regions=regions,
        system=system,
        conventions=(
            *c.used(*WINDOW, *CONVENTION_KEYS),
            Convention("nqpf_system", f"{system.name} ({system.origin})"),
            Convention("nqpf_sample", sample),
            *NQPF_RULES,
        ),
        notes=(*(_unavailable(m) for m in system.missing), _rule_note(c.nqpf_missing, imputed, left_out)),
        missing=tuple(missing + left_out),
        sources=panel.attribution(system.variables),
    )
