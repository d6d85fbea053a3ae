"""The five-year plans as papers and government analysts read them: national SO2 and NOx totals, CO2 and energy
per unit of GDP, and PM2.5 over the 11th–14th plans, beside each plan's binding target and the officially
reported achievement (:func:`coreduce.data.reference.plan_targets`, every value with its document).

* Change over a plan: its last year against the year before it starts (the 13th plan, 2016–2020, compares 2020
  with 2015), ``change = end / base − 1``, as the plans state their targets. A plan not over by the end of the
  window (the 14th) is compared up to the last year with data and marked ``partial``; its target is not judged.
* Totals are sums over the provinces with a value in both years (``matched``); provinces left out are named.
  A series with no provincial values (national CO2, PM2.5) is read from its national row.
* Intensities are ratios of sums at constant 2015 prices: CO2 ÷ Σ real GDP of the 31 provinces, energy ÷ Σ real
  GDP of the same matched provinces. Real GDP is the NBS provincial real GDP (``gdp_real``, 2015 nominal GDP
  chained with the NBS real index, 2010 on); earlier years are linked to its first year by nominal GDP and the
  national deflator (``deflator``): ``Y(t) = Y(L) · N(t) / N(L) · P(L) / P(t)``.
* A change across a definitional break of its series (SO2 of the environmental statistics, 2016) is not formed:
  the row says ``break`` and gives the change from the break year instead (``since_year``, ``change_since``); the
  modelled CEDS series, which has no break, is shown beside it (``alternative``).
* ``difference_pp`` = (change − official) × 100 and ``reason`` names, as a message key, why the data here
  differ from the official figure; ``met`` says whether the change reaches the target (a fall of at least it).
* PM2.5 (the national population-weighted satellite mean and the BTH/YRD/PRD clusters) against the WHO 2021
  guideline (5 µg/m³) and interim targets 1–4 (35, 25, 15, 10) and GB 3095-2012 grade II (35):
  :func:`coreduce.data.reference.pm25_standards`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pandas as pd

from coreduce.analysis._aggregate import province_codes, wide
from coreduce.analysis.conventions import ProvinceConventions
from coreduce.analysis.trends import CLUSTERS, SO2_BREAKS
from coreduce.conventions import Convention
from coreduce.data.panel import Panel
from coreduce.data.reference import plan_targets, pm25_standards
from coreduce.geo import NATIONAL_CODE
from coreduce.methods.intensity import FIVE_YEAR_PLANS, INTENSITY_UNIT, conversion_factor
from coreduce.results import Missing, Note, Result

REAL_GDP = "gdp_real"
ENERGY_INTENSITY_UNIT = "tce / (1e4 CNY)"
ALTERNATIVES = {"so2": "so2_ceds"}
"""A second series shown beside the conventions' one: the modelled CEDS SO2 has no 2016 break."""
NATIONAL_GDP_ROLE = "national_gdp"
"""Series label of the CO2 intensity on national GDP (national row × national deflator) beside the provinces'."""
CONVENTION_KEYS = ("start", "end", "national_co2", "so2", "nox", "energy", "pm25", "deflator")
PLAN_RULES = (
    Convention("plan_change", "end_vs_year_before"),
    Convention("plan_sums", "matched_provinces"),
    Convention("plan_real_gdp", "nbs_real_index_linked"),
    Convention("plan_so2_alternative", "so2_ceds"),
)
COLUMNS = [
    "plan",
    "indicator",
    "series",
    "role",
    "base_year",
    "end_year",
    "base",
    "end",
    "unit",
    "change",
    "target",
    "official",
    "difference_pp",
    "met",
    "status",
    "since_year",
    "change_since",
    "provinces",
    "reason",
    "target_source",
    "official_source",
    "official_verified",
]
WHO_LEVELS = ("aqg", "it4", "it3", "it2", "it1")


@dataclass(kw_only=True)
class PlansResult(Result):
    """Plan changes beside targets and official figures (main table ``table``), the national levels and PM2.5."""

    title: ClassVar[str] = "result.plans"
    main: ClassVar[str] = "table"

    table: pd.DataFrame
    """One row per plan, indicator and series (see ``COLUMNS``)."""
    national: pd.DataFrame
    """year, indicator, series, value, unit, provinces: national totals and intensities every year."""
    pm25: pd.DataFrame
    """geo, year, value, times_who_aqg, who_level (strictest WHO 2021 level met), gb3095_grade2 (met/exceeded)."""
    targets: pd.DataFrame
    """The reference rows used (targets and official figures with their documents)."""
    standards: pd.DataFrame
    """The PM2.5 limits used, with their documents."""


@dataclass
class _Series:
    """One indicator's numerator (and denominator) as read from the panel."""

    indicator: str
    series: str
    values: pd.DataFrame | pd.Series
    """geo × year (provinces) or a year-indexed national series."""
    unit: str
    scale: float = 1.0
    gdp: pd.DataFrame | None = None


def real_gdp(panel: Panel, c: ProvinceConventions, years: range) -> pd.DataFrame:
    """Provinces × years real GDP at 2015 prices (module docstring: NBS real index, linked before its first year)."""
    codes = province_codes()
    nominal = wide(panel, [c.gdp], codes, years[0], years[-1])[c.gdp].unstack("year")
    if REAL_GDP not in panel.variables:
        raise ValueError(f"the panel has no {REAL_GDP} (NBS provincial real GDP) for the plan intensities")
    real = wide(panel, [REAL_GDP], codes, years[0], years[-1])[REAL_GDP].unstack("year")
    full = real.columns[real.notna().all()]
    if full.empty:
        return real
    link = int(full.min())
    price = panel.series(c.deflator, [NATIONAL_CODE]).set_index("year")["value"]
    for year in [y for y in real.columns if y < link]:
        if year in price.index and link in price.index:
            real[year] = real[link] * nominal[year] / nominal[link] * price[link] / price[year]
    return real


def national_real_gdp(panel: Panel, c: ProvinceConventions, years: range) -> pd.Series:
    """National GDP (its national row) at 2015 prices with the national deflator: ``N(t) · P(2015) / P(t)``;
    NaN where either series lacks the year."""
    nominal = panel.series(c.gdp, [NATIONAL_CODE]).set_index("year")["value"].reindex(years)
    price = panel.series(c.deflator, [NATIONAL_CODE]).set_index("year")["value"]
    if 2015 not in price.index:
        return nominal * np.nan
    return nominal * price[2015] / price.reindex(years)


def _read(panel: Panel, c: ProvinceConventions, gdp: pd.DataFrame) -> list[_Series]:
    """The numerators of every plan indicator: provinces if the series has any, else its national row."""
    specs = [
        ("so2", c.so2, None),
        ("so2", ALTERNATIVES["so2"], None),
        ("nox", c.nox, None),
        ("co2_intensity", c.national_co2, INTENSITY_UNIT),
        ("energy_intensity", c.energy, ENERGY_INTENSITY_UNIT),
        ("pm25", c.pm25, None),
    ]
    out = []
    for indicator, series, per_gdp in specs:
        if series not in panel.variables or (indicator == "so2" and out and out[-1].series == series):
            continue
        frame = wide(panel, [series], province_codes(), c.start, c.end)[series].unstack("year")
        if frame.isna().all().all():
            frame = wide(panel, [series], [NATIONAL_CODE], c.start, c.end)[series].droplevel("geo")
        unit = panel.unit_of(series)
        scale = 1.0
        if per_gdp:
            scale = conversion_factor(unit, panel.unit_of(c.gdp), per_gdp)
            unit = per_gdp
        out.append(_Series(indicator, series, frame, unit, scale, gdp if per_gdp else None))
    national = national_real_gdp(panel, c, range(c.start, c.end + 1))
    co2 = [s for s in out if s.indicator == "co2_intensity" and isinstance(s.values, pd.Series)]
    if co2 and national.notna().any():
        out.insert(
            out.index(co2[0]) + 1,
            _Series("co2_intensity", NATIONAL_GDP_ROLE, co2[0].values, co2[0].unit, co2[0].scale, national),
        )
    return out


def _level(s: _Series, years: tuple[int, ...]) -> tuple[dict[int, float], list[str]]:
    """Values in ``years`` over the provinces present in all of them (ratio of sums for intensities), and the
    provinces left out."""
    if isinstance(s.values, pd.Series):
        value = {y: float(s.values.get(y, np.nan)) for y in years}
        if isinstance(s.gdp, pd.Series):
            total = {y: s.gdp.get(y, np.nan) for y in years}
            value = {y: value[y] / total[y] * s.scale for y in years}
        elif s.gdp is not None:
            total = {y: s.gdp[y].sum(min_count=len(s.gdp)) if y in s.gdp else np.nan for y in years}
            value = {y: value[y] / total[y] * s.scale for y in years}
        return value, []
    cols = [y for y in years if y in s.values.columns]
    if len(cols) < len(years):
        return dict.fromkeys(years, np.nan), []
    values = s.values[cols].to_numpy(dtype=float)  # provinces × years, summed on the array (same order, same sums)
    gdp = None if s.gdp is None else s.gdp.reindex(s.values.index)[cols].to_numpy(dtype=float)
    present = ~np.isnan(values).any(axis=1) & (True if gdp is None else ~np.isnan(gdp).any(axis=1))
    if not present.any():
        return dict.fromkeys(years, np.nan), list(s.values.index)
    value = {y: float(values[present, j].sum()) for j, y in enumerate(years)}
    if gdp is not None:
        value = {y: value[y] / float(gdp[present, j].sum()) * s.scale for j, y in enumerate(years)}
    return value, sorted(s.values.index[~present])


def _last_year(s: _Series, last: int) -> int | None:
    values = s.values if isinstance(s.values, pd.Series) else s.values.sum(min_count=1)
    years = [int(y) for y in values.dropna().index if y <= last]
    return max(years) if years else None


def _role(s: _Series) -> str:
    return "alternative" if s.series in (*ALTERNATIVES.values(), NATIONAL_GDP_ROLE) else "main"


def _reason(indicator: str, series: str, plan: str, status: str) -> str:
    """Message key of why the change here differs from the official figure (or why there is none)."""
    if status == "break":
        return "plans.reason.so2_break"
    if series.endswith("_ceds"):
        return "plans.reason.ceds_modelled"
    if series == NATIONAL_GDP_ROLE:
        return "plans.reason.co2_intensity_national"
    if indicator == "so2":
        return "plans.reason.so2_rebased" if plan == "12th" else "plans.reason.so2_sum_of_provinces"
    return f"plans.reason.{indicator}"


def _reference(refs: pd.DataFrame, plan: str, indicator: str, kind: str) -> pd.Series | None:
    rows = refs[(refs["plan"] == plan) & (refs["indicator"] == indicator) & (refs["kind"] == kind)]
    return None if rows.empty else rows.iloc[0]


def _source(row: pd.Series | None) -> str:
    return "" if row is None else f"{row['document']}, {row['location']}"


def _plan_row(s: _Series, plan: str, role: str, last: int, refs: pd.DataFrame, missing: list[Missing]) -> dict:
    """The change of one series over one plan, its target, official figure and the reason for a difference."""
    first, final = FIVE_YEAR_PLANS[plan]
    base_year = first - 1
    end_year = final if final <= last else (_last_year(s, last) or 0)
    target, official = (_reference(refs, plan, s.indicator, k) for k in ("target", "achieved"))
    row = dict.fromkeys(COLUMNS, np.nan) | {
        "plan": plan,
        "indicator": s.indicator,
        "series": s.series,
        "role": role,
        "base_year": base_year,
        "end_year": end_year,
        "unit": s.unit,
        "target": np.nan if target is None else target["value"],
        "official": np.nan if official is None else official["value"],
        "target_source": _source(target),
        "official_source": _source(official),
        "official_verified": "" if official is None else official["verified"],
        "reason": "",
    }
    value, left = _level(s, (base_year, end_year)) if end_year > base_year else ({}, [])
    if not (np.isfinite(value.get(base_year, np.nan)) and np.isfinite(value.get(end_year, np.nan))):
        row["status"] = "no_data"
        missing.append(Missing.of(s.series, NATIONAL_CODE, f"{base_year}, {final}", "missing.plan_change", plan=plan))
        return row
    row.update(base=value[base_year], end=value[end_year], change=value[end_year] / value[base_year] - 1)
    row["provinces"] = 31 - len(left) if not isinstance(s.values, pd.Series) else np.nan
    if left:
        names = ", ".join(left)
        missing.append(
            Missing.of(s.series, NATIONAL_CODE, f"{base_year}, {end_year}", "missing.plan_left_out", members=names)
        )
    row["status"] = "partial" if end_year < final else "complete"
    brk = SO2_BREAKS.get(s.series)
    if brk is not None and base_year < brk <= end_year:
        since, _ = _level(s, (brk, end_year))
        row.update(status="break", change=np.nan, since_year=brk, change_since=since[end_year] / since[brk] - 1)
    if row["status"] == "complete" and np.isfinite(row["change"]):
        if np.isfinite(row["target"]):
            row["met"] = bool(row["change"] <= row["target"] + 1e-12)
        if np.isfinite(row["official"]):
            row["difference_pp"] = (row["change"] - row["official"]) * 100
    if np.isfinite(row["official"]) or row["status"] == "break" or (s.indicator == "pm25" and target is not None):
        row["reason"] = _reason(s.indicator, s.series, plan, row["status"])
    return row


def _national(series: list[_Series], years: range) -> pd.DataFrame:
    """Every indicator's national value each year (over the provinces with a value that year)."""
    rows = []
    for s in series:
        for year in years:
            value, left = _level(s, (year,))
            if np.isfinite(value[year]):
                n = np.nan if isinstance(s.values, pd.Series) else 31 - len(left)
                rows.append((year, s.indicator, s.series, value[year], s.unit, n))
    return pd.DataFrame(rows, columns=["year", "indicator", "series", "value", "unit", "provinces"])


def pm25_levels(values: pd.DataFrame, standards: pd.DataFrame) -> pd.DataFrame:
    """Each PM2.5 value (columns geo, year, value) against the WHO 2021 levels and GB 3095-2012 grade II: the
    multiple of the guideline, the strictest WHO level it meets (``above_it1`` if none), grade II met or not."""
    limit = standards.set_index(["standard", "level"])["value"]
    who = [(level, float(limit[("who_2021", level)])) for level in WHO_LEVELS]
    out = values[["geo", "year", "value"]].copy()
    out["times_who_aqg"] = out["value"] / limit[("who_2021", "aqg")]
    out["who_level"] = [next((lv for lv, cap in who if v <= cap), "above_it1") for v in out["value"]]
    grade2 = float(limit[("gb3095_2012", "grade2")])
    out["gb3095_grade2"] = np.where(out["value"] <= grade2, "met", "exceeded")
    return out.reset_index(drop=True)


def plans(panel: Panel, conventions: ProvinceConventions | None = None) -> PlansResult:
    """The 11th–14th five-year plans: change of every indicator here beside the target and the official figure."""
    c = conventions or ProvinceConventions()
    first = min(span[0] for span in FIVE_YEAR_PLANS.values()) - 1
    window = c.replace(start=min(first, c.start))
    years = range(window.start, window.end + 1)
    panel.require([c.gdp, c.deflator])
    gdp = real_gdp(panel, window, years)
    series = _read(panel, window, gdp)
    refs = plan_targets()
    missing: list[Missing] = []
    rows = [
        _plan_row(s, plan, _role(s), window.end, refs, missing)
        for plan in FIVE_YEAR_PLANS
        for s in series
        if s.indicator != "pm25" or _reference(refs, plan, "pm25", "target") is not None
    ]
    table = pd.DataFrame(rows, columns=COLUMNS)
    pm = wide(panel, [c.pm25], [NATIONAL_CODE, *CLUSTERS], window.start, window.end)[c.pm25].dropna()
    standards = pm25_standards()
    notes = [Note.of("note.trends.so2_break", series=s, year=y, before=y - 1) for s, y in SO2_BREAKS.items()]
    notes += [Note.of("note.plans.unverified", n=int((refs["verified"] == "no").sum()))]
    return PlansResult(
        table=table,
        national=_national(series, years),
        pm25=pm25_levels(pm.rename("value").reset_index(), standards),
        targets=refs,
        standards=standards,
        conventions=(
            *window.used(*CONVENTION_KEYS),
            *PLAN_RULES,
        ),
        notes=tuple(notes),
        missing=tuple(missing),
        sources=panel.attribution([s.series for s in series] + [c.gdp, REAL_GDP, c.deflator]),
    )
