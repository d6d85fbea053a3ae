"""Trends of co-reduction: national and regional CO2, CO2/SO2/NOx intensity and PM2.5 (the papers' two
trend figures, 2008–2022).

* National CO2 is the chosen national series (default ``co2_gcb``, GCB/OWID); national GDP, SO2 and NOx are
  sums over the 31 provinces, so national intensity = national CO2 ÷ Σ provincial GDP (PROVENANCE.md: 2008
  gives 2.321 t per 10^4 yuan against the paper's 2.325).
* Regional values are sums over member provinces of the provincial series (``co2``, default
  ``co2_ceads_energy``, CEADs; Tibet has none, so by the default ``membership="covered"`` the West and
  the provinces' sum are formed without it, and a record names it), and regional intensity is Σ emissions ÷ Σ
  GDP. The table ``national_co2`` puts the national series beside the sum of the provinces' ``co2``.
* PM2.5 (AQLI, population-weighted) exists only for China and the BTH/YRD/PRD city clusters; the regions'
  PM2.5 is reported missing, the clusters are given in the table ``pm25_clusters``.
* GDP is nominal by default; ``prices="constant"`` deflates every province's GDP with the national GDP deflator
  (``gdp_deflator``, World Bank NY.GDP.DEFL.ZS) rebased to ``base_year``:
  ``Y_real(t) = Y_nominal(t) · P(base_year) / P(t)``. Years without a deflator value have no intensity.
* The table ``plans`` gives the change of every intensity over each five-year plan that lies in the window
  (end year against the year before the start; ``methods.intensity.plan_period_change``) next to the plan's
  binding national CO2-intensity target of :func:`coreduce.data.reference.plan_targets` (12th −17 %, 13th −18 %,
  14th −18 %, each with its plan document; the targets are set at constant prices). The plans against every
  target and official figure are :mod:`coreduce.analysis.plans`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
import pandas as pd

from coreduce.analysis._aggregate import (
    Inputs,
    deflated,
    deflator_notes,
    gaps,
    group_sums,
    province_codes,
    read_inputs,
    wide,
)
from coreduce.analysis.co2_series import series_notes
from coreduce.analysis.conventions import WINDOW, ProvinceConventions, price_keys
from coreduce.analysis.paper import PAPER_COLUMNS, official_notes, paper_notes, paper_table
from coreduce.conventions import Convention
from coreduce.data.panel import MissingSeriesError, Panel
from coreduce.data.reference import plan_targets
from coreduce.geo import NATIONAL_CODE
from coreduce.methods.intensity import (
    FIVE_YEAR_PLANS,
    INTENSITY_UNIT,
    POLLUTANT_INTENSITY_UNIT,
    IntensityError,
    aggregate_intensity,
    average_annual_rate,
    conversion_factor,
    intensity,
    plan_period_change,
)
from coreduce.results import Missing, Note, Result, year_span

CLUSTERS = ("BTH", "YRD", "PRD")
INDICATORS = ("co2", "co2_intensity", "so2_intensity", "nox_intensity", "pm25")
SO2_BREAKS = {"so2_nbs": 2016}
"""First year of a new definition of a national SO2 statistic (the 2016 environmental statistics reform)."""
CONVENTION_KEYS = ("national_co2", "co2", "so2", "nox", "pm25", "grouping", "membership")
TRENDS_RULES = (
    Convention("intensity_rule", "ratio_of_sums"),
    Convention("plan_change", "end_vs_year_before"),
    Convention("intensity_units", "t_co2_kg_pollutants"),
    Convention("annual_rate", "geometric"),
)
"""Fixed rules of the trends, recorded so that the report prints them."""
SERIES_COLUMNS = ["level", "geo", "name", "year", "indicator", "value", "unit"]


@dataclass(kw_only=True)
class TrendsResult(Result):
    """National and regional trend series; ``indicators`` is the main table."""

    title: ClassVar[str] = "result.trends"
    main: ClassVar[str] = "indicators"

    indicators: pd.DataFrame
    """(level, geo, name, year) × indicator (co2, co2_intensity, so2_intensity, nox_intensity, pm25)."""
    series: pd.DataFrame
    """The same values long: level, geo, name, year, indicator, value, unit."""
    overview: pd.DataFrame
    """First and last values in the window and the average annual rate, by level, geo and indicator."""
    plans: pd.DataFrame
    """Change over each five-year plan inside the window, with the national CO2-intensity target."""
    paper: pd.DataFrame
    """The national CO2 intensity here beside the source paper's (empty at constant prices)."""
    pm25_clusters: pd.DataFrame
    """PM2.5 of the BTH, YRD and PRD city clusters: geo, year, value, unit."""
    national_co2: pd.DataFrame = field(default_factory=pd.DataFrame)
    """The national CO2 series (default GCB) beside the sum of the provinces' ``co2`` series, by year."""
    breaks: dict[str, int] = field(default_factory=dict)
    """Indicator → first year of a new definition of its series (e.g. so2_intensity → 2016 for so2_nbs)."""


def _rows(level: str, geo: str, name: str, indicator: str, values: pd.Series, unit: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "level": level,
            "geo": geo,
            "name": name,
            "year": values.index.astype(int),
            "indicator": indicator,
            "value": values.to_numpy(float),
            "unit": unit,
        }
    )


def _national_co2(panel: Panel, c: ProvinceConventions) -> tuple[pd.Series, str]:
    """The national row of ``national_co2`` if the panel has one, else the sum over the 31 provinces."""
    national = wide(panel, [c.national_co2], [NATIONAL_CODE], c.start, c.end)[c.national_co2].droplevel("geo")
    if national.notna().any():
        return national, "national"
    provincial = wide(panel, [c.national_co2], province_codes(), c.start, c.end)
    total, _ = group_sums(provincial, {NATIONAL_CODE: province_codes()})
    return total[c.national_co2].droplevel("geo"), "provinces"


def _national(panel: Panel, c: ProvinceConventions, data: Inputs, pollutants: list[str], units: dict) -> list:
    """National CO2, CO2 intensity (national CO2 ÷ Σ provincial GDP) and pollutant intensities (Σ ÷ Σ)."""
    gdp_sum, _ = group_sums(data.provincial[[c.gdp]], {NATIONAL_CODE: province_codes()})
    national_gdp = gdp_sum[c.gdp].droplevel("geo")
    national_co2, rule = _national_co2(panel, c)
    co2_int = intensity(
        national_co2, national_gdp, emissions_unit=units[c.national_co2], gdp_unit=units[c.gdp], out_unit=INTENSITY_UNIT
    )
    parts = [
        _rows("nation", NATIONAL_CODE, "China", "co2", national_co2, units[c.national_co2]),
        _rows("nation", NATIONAL_CODE, "China", "co2_intensity", co2_int, INTENSITY_UNIT),
    ]
    for var in pollutants:
        agg = aggregate_intensity(
            data.provincial,
            {NATIONAL_CODE: province_codes()},
            emissions=var,
            gdp=c.gdp,
            emissions_unit=units[var],
            gdp_unit=units[c.gdp],
            out_unit=POLLUTANT_INTENSITY_UNIT,
        ).set_index("year")["intensity"]
        indicator = "so2_intensity" if var == c.so2 else "nox_intensity"
        parts.append(_rows("nation", NATIONAL_CODE, "China", indicator, agg, POLLUTANT_INTENSITY_UNIT))
    return [parts, national_co2, national_gdp, rule]


def _beside(data: Inputs, c: ProvinceConventions, national_co2: pd.Series) -> pd.DataFrame:
    """The national series beside Σ provinces of ``co2`` (members with every year of the window; the ones left
    out are recorded), and their ratio."""
    sums, absent = group_sums(
        data.provincial[[c.co2]], {NATIONAL_CODE: province_codes()}, membership="covered", label=c.co2
    )
    data.missing += absent
    total = sums[c.co2].droplevel("geo").reindex(national_co2.index)
    return pd.DataFrame(
        {
            "year": national_co2.index.astype(int),
            "national_series": c.national_co2,
            "national": national_co2.to_numpy(float),
            "provinces_series": c.co2,
            "provinces_sum": total.to_numpy(float),
            "ratio": (total / national_co2).to_numpy(float),
        }
    )


def _counted(data: Inputs, membership: str) -> tuple[pd.DataFrame, dict[str, list[str]]]:
    """The province-years that count toward region totals, and each region's members: with ``all`` a
    province-year counts only with every series (so a region-year is formed only when every member has every
    series); with ``covered`` members without any value of some series are left out and the others count as with
    ``all``; with ``complete_members`` members lacking any series in any year are left out of the region."""
    frame = data.provincial
    if membership == "all":
        return frame.where(frame.notna().all(axis=1)), {g: list(m) for g, m in data.groups.groups.items()}
    if membership == "covered":
        covered = frame.notna().groupby(level="geo").any().all(axis=1)
        members = {g: [x for x in m if covered.get(x, False)] for g, m in data.groups.groups.items()}
        return frame.where(frame.notna().all(axis=1)), members
    complete = frame.notna().all(axis=1).groupby(level="geo").all()
    return frame, {g: [x for x in m if complete.get(x, False)] for g, m in data.groups.groups.items()}


def _regional(c: ProvinceConventions, data: Inputs, pollutants: list[str], units: dict) -> list[pd.DataFrame]:
    """Regional CO2 (Σ members) and intensities (Σ emissions ÷ Σ GDP by ``aggregate_intensity``)."""
    sums, absent = group_sums(data.provincial, data.groups.groups, membership=c.membership)
    data.missing += absent
    counted, members = _counted(data, c.membership)
    names = {c.so2: "so2_intensity", c.nox: "nox_intensity", c.co2: "co2_intensity"}
    unit_of = {var: INTENSITY_UNIT if var == c.co2 else POLLUTANT_INTENSITY_UNIT for var in (c.co2, *pollutants)}
    formed = {g: m for g, m in members.items() if m}
    tables = {  # every region of a series at once (each region's sums are its own, as region by region)
        var: aggregate_intensity(
            counted, formed, emissions=var, gdp=c.gdp, emissions_unit=units[var], gdp_unit=units[c.gdp], out_unit=unit
        ).set_index("group")
        for var, unit in unit_of.items()
        if formed
    }
    parts = []
    for group in data.groups.groups:
        label = f"{group} ({data.groups.labels_zh.get(group, group)})"
        parts.append(_rows("region", group, label, "co2", sums.loc[group][c.co2], units[c.co2]))
        for var in (c.co2, *pollutants):
            unit = unit_of[var]
            if members[group]:
                agg = tables[var].loc[[group]].set_index("year")["intensity"]
            else:
                agg = pd.Series(np.nan, index=pd.Index(c.years, name="year"))
            parts.append(_rows("region", group, label, names[var], agg, unit))
    return parts


def _pm25(panel: Panel, c: ProvinceConventions, data: Inputs) -> tuple[list[pd.DataFrame], pd.DataFrame]:
    """National PM2.5 rows and the clusters' table; regions have no PM2.5 series (a record says so)."""
    clusters = pd.DataFrame(columns=["geo", "year", "value", "unit"])
    rows = []
    try:
        pm = wide(panel, [c.pm25], [NATIONAL_CODE, *CLUSTERS], c.start, c.end)[c.pm25]
        unit = panel.unit_of(c.pm25)
        rows.append(_rows("nation", NATIONAL_CODE, "China", "pm25", pm.loc[NATIONAL_CODE], unit))
        clusters = pm.drop(NATIONAL_CODE, level="geo").rename("value").reset_index().assign(unit=unit)
        data.missing += gaps(pm.to_frame())
    except MissingSeriesError:
        data.missing.append(Missing.of(c.pm25, NATIONAL_CODE, f"{c.start}–{c.end}", "missing.not_in_panel"))
    geos = ", ".join(data.groups.groups)
    data.missing.append(Missing.of(c.pm25, geos, f"{c.start}–{c.end}", "missing.pm25_regions"))
    return rows, clusters


def trends(panel: Panel, conventions: ProvinceConventions | None = None) -> TrendsResult:
    """National and regional trend series of CO2, CO2/SO2/NOx intensity and PM2.5 over the conventions' window.

    At constant prices (``prices="constant"``) GDP is in prices of ``base_year`` (national ``deflator``).
    """
    c = conventions or ProvinceConventions()
    c.require_span()
    panel.require([c.national_co2, c.co2, c.gdp])
    pollutants = [v for v in (c.so2, c.nox) if v in panel.variables]
    data = read_inputs(panel, c, [c.gdp, c.co2, *pollutants])
    data.missing[:0] = [
        Missing.of(v, "all", f"{c.start}–{c.end}", "missing.not_in_panel")
        for v in (c.so2, c.nox)
        if v not in pollutants
    ]
    data.provincial[c.gdp] = deflated(data.provincial, c.gdp, data.real)
    units = {v: panel.unit_of(v) for v in (c.national_co2, c.co2, c.gdp, *pollutants)}
    national, national_co2, national_gdp, rule = _national(panel, c, data, pollutants, units)
    regional = _regional(c, data, pollutants, units)
    beside = _beside(data, c, national_co2) if rule == "national" and c.co2 != c.national_co2 else pd.DataFrame()
    pm_rows, clusters = _pm25(panel, c, data)
    long = pd.concat([*national, *pm_rows, *regional], ignore_index=True)[SERIES_COLUMNS]
    table = long.set_index(["level", "geo", "name", "year", "indicator"])["value"].unstack("indicator")
    table = table.reindex(columns=[i for i in INDICATORS if i in table.columns]).sort_index(level=["level", "geo"])
    overview = _overview(long)
    plans, absent = _plans(long, c.start, c.end)
    to_t = conversion_factor(units[c.national_co2], units[c.gdp], INTENSITY_UNIT)
    notes = _notes(c, long, overview, national_co2, national_gdp, to_t, pollutants) + deflator_notes(panel, c)
    if not beside.empty:
        notes.append(_beside_note(beside))
    notes += series_notes(c.national_co2, c.co2)
    variables = [c.national_co2, c.co2, c.gdp, c.pm25, *pollutants, *c.price_series()]
    return TrendsResult(
        indicators=table,
        series=long,
        overview=overview,
        plans=plans,
        paper=paper_table(overview) if not c.constant else pd.DataFrame(columns=PAPER_COLUMNS),
        pm25_clusters=clusters,
        national_co2=beside,
        breaks={"so2_intensity": SO2_BREAKS[c.so2]} if c.so2 in SO2_BREAKS and c.so2 in pollutants else {},
        conventions=(
            *c.used(*WINDOW, *price_keys(c), *CONVENTION_KEYS),
            Convention("national_co2_from", rule),
            *TRENDS_RULES,
        ),
        notes=tuple(notes),
        missing=tuple(data.missing + absent),
        sources=panel.attribution(variables),
    )


def plans_outside(start: int, end: int) -> list[Missing]:
    """A record for each five-year plan that overlaps the window without lying inside it (its change needs the
    year before its start and its last year), so that no plan is left out silently."""
    return [
        Missing.of("plans", NATIONAL_CODE, f"{first - 1}–{last}", "missing.plan_outside_window", plan=name)
        for name, (first, last) in FIVE_YEAR_PLANS.items()
        if first <= end and last >= start and not (start <= first - 1 and last <= end)
    ]


def _plans(long: pd.DataFrame, start: int, end: int) -> tuple[pd.DataFrame, list[Missing]]:
    """Change of every series over each five-year plan inside the window, with the national CO2 target."""
    rows, missing = [], plans_outside(start, end)
    refs = plan_targets()
    targets = refs[(refs["indicator"] == "co2_intensity") & (refs["kind"] == "target")]
    co2_targets = dict(zip(targets["plan"], targets["value"], strict=True))
    inside = [name for name, span in FIVE_YEAR_PLANS.items() if start <= span[0] - 1 and span[1] <= end]
    for (level, geo, name, indicator), part in long.groupby(["level", "geo", "name", "indicator"], sort=False):
        series = part.set_index("year")["value"].rename(f"{indicator} [{geo}]")
        for plan in inside:
            try:
                change = plan_period_change(series, plan)
            except IntensityError:
                first, last = FIVE_YEAR_PLANS[plan]
                years = f"{first - 1}, {last}"
                missing.append(Missing.of(indicator, geo, years, "missing.plan_change", plan=plan))
                continue
            target = np.nan
            if level == "nation" and indicator == "co2_intensity":
                target = co2_targets.get(plan, np.nan)
            rows.append({"level": level, "geo": geo, "name": name, "indicator": indicator, **change, "target": target})
    columns = ["level", "geo", "name", "indicator", "plan", "base_year", "end_year", "base", "end", "change"]
    return pd.DataFrame(rows, columns=[*columns, "annual_rate", "target"]), missing


def _beside_note(beside: pd.DataFrame) -> Note:
    """National figures keep the national series; the provinces' sum is beside it (last year with both)."""
    both = beside.dropna(subset=["national", "provinces_sum"])
    last = both.iloc[-1] if not both.empty else beside.iloc[-1]
    return Note.of(
        "note.trends.national_beside",
        national=str(last["national_series"]),
        provinces=str(last["provinces_series"]),
        year=int(last["year"]),
        ratio=round(float(last["ratio"]) * 100, 1),
    )


def _overview(long: pd.DataFrame) -> pd.DataFrame:
    """First and last available (positive) values in the window and the average annual rate between them."""
    rows = []
    for (level, geo, name, indicator), part in long.groupby(["level", "geo", "name", "indicator"], sort=False):
        series = part.set_index("year")["value"].dropna()
        series = series[series > 0]
        row = {"level": level, "geo": geo, "name": name, "indicator": indicator, "unit": part["unit"].iloc[0]}
        if len(series) >= 2:
            y0, y1 = int(series.index.min()), int(series.index.max())
            rate = float(average_annual_rate(series.loc[y0], series.loc[y1], y1 - y0))
            row.update(start_year=y0, start=series.loc[y0], end_year=y1, end=series.loc[y1], annual_rate=rate)
        else:
            row.update(start_year=np.nan, start=np.nan, end_year=np.nan, end=np.nan, annual_rate=np.nan)
        row["years_present"] = year_span(series.index)
        rows.append(row)
    return pd.DataFrame(rows)


def _notes(
    c: ProvinceConventions,
    long: pd.DataFrame,
    overview: pd.DataFrame,
    national_co2: pd.Series,
    national_gdp: pd.Series,
    to_t: float,
    pollutants: list[str],
) -> list[Note]:
    notes = (
        paper_notes(c, overview, national_co2, national_gdp, to_t)
        if not c.constant
        else [
            Note.of("note.trends.paper_needs_nominal"),
            *official_notes(long),
        ]
    )
    if c.so2 in pollutants and c.so2 in SO2_BREAKS:
        notes.append(
            Note.of("note.trends.so2_break", series=c.so2, year=SO2_BREAKS[c.so2], before=SO2_BREAKS[c.so2] - 1)
        )
    short = overview[overview["end_year"] < c.end]
    for r in short.itertuples(index=False):
        key = "note.trends.short_series_national" if r.geo == NATIONAL_CODE else "note.trends.short_series"
        notes.append(
            Note.of(
                key,
                indicator=r.indicator,
                geo=r.geo,
                start=int(r.start_year),
                end=int(r.end_year),
            )
        )
    return notes
