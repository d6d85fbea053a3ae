"""Trends of co-reduction: national and regional CO2, CO2/SO2/NOx intensity and PM2.5 (the papers' two
trend figures, 2008–2022).

* National CO2 is the chosen national series (default ``co2_gcb``, GCB/OWID); national GDP, SO2 and NOx are
  sums over the 31 provinces, so national intensity = national CO2 ÷ Σ provincial GDP (PROVENANCE.md: 2008
  gives 2.321 t per 10^4 yuan against the paper's 2.325).
* Regional values are sums over member provinces of the provincial series (``regional_co2``, default
  ``co2_ceds`` which covers all 31 provinces), and regional intensity is Σ emissions ÷ Σ GDP.
* PM2.5 (AQLI, population-weighted) exists only for China and the BTH/YRD/PRD city clusters; the regions'
  PM2.5 is reported missing, the clusters are given in the table ``pm25_clusters``.
* GDP is nominal by default; ``prices="constant"`` deflates every province's GDP with the national GDP deflator
  (``gdp_deflator``, World Bank NY.GDP.DEFL.ZS) rebased to ``base_year``:
  ``Y_real(t) = Y_nominal(t) · P(base_year) / P(t)``. Years without a deflator value have no intensity.
* The table ``plans`` gives the change of every intensity over each five-year plan that lies in the window
  (end year against the year before the start; ``methods.intensity.plan_period_change``) next to the plan's
  binding national CO2-intensity target: 12th plan (2011–2015) −17 %, 13th (2016–2020) −18 %,
  14th (2021–2025) −18 % (the plans' outlines as adopted by the National People's Congress in 2011, 2016
  and 2021; the targets are set at constant prices).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coreduce.analysis._aggregate import PRICES, gaps, group_sums, price_factor, province_codes, resolve_grouping, wide
from coreduce.analysis.results import AnalysisResult, missing_frame, year_span
from coreduce.data.panel import MissingSeriesError, Panel
from coreduce.geo import NATIONAL_CODE, Grouping
from coreduce.methods.intensity import (
    FIVE_YEAR_PLANS,
    INTENSITY_UNIT,
    IntensityError,
    average_annual_rate,
    conversion_factor,
    plan_period_change,
)

PAPER_NATIONAL_CO2_INTENSITY = {2008: 2.325, 2022: 1.001}
"""The paper's national CO2 intensity (t per 10^4 yuan) and its stated fall of 5.8 % a year."""
POLLUTANT_INTENSITY_UNIT = "kg / (1e4 CNY)"
CLUSTERS = ("BTH", "YRD", "PRD")
INDICATORS = {
    "co2": "CO2 emissions",
    "co2_intensity": "CO2 intensity",
    "so2_intensity": "SO2 intensity",
    "nox_intensity": "NOx intensity",
    "pm25": "PM2.5 annual mean",
}
OFFICIAL_CO2_INTENSITY_CHANGE = {(2005, 2014): -0.338}
"""National CO2 intensity change at constant prices as officially reported: 2014 against 2005, −33.8 %
(stated by the Premier at the meeting of the National Leading Group on Climate Change, Energy Saving and
Emission Reduction, 12 June 2015; reported e.g. at http://tanjiaoyi.com/article-10863-1.html)."""
PLAN_CO2_INTENSITY_TARGETS = {"12th": -0.17, "13th": -0.18, "14th": -0.18}
"""Binding national targets for the fall of CO2 per unit of GDP over each plan (constant prices)."""


def _national_total(panel: Panel, variable: str, start: int, end: int) -> tuple[pd.Series, str]:
    """The national row of ``variable`` if the panel has one, else the sum over the 31 provinces."""
    national = wide(panel, [variable], [NATIONAL_CODE], start, end)[variable].droplevel("geo")
    if national.notna().any():
        return national, f"{variable} national series"
    provincial = wide(panel, [variable], province_codes(), start, end)[variable]
    complete = provincial.notna().groupby(level="year").all()
    total = provincial.groupby(level="year").sum(min_count=1).where(complete)
    return total, f"{variable} summed over the 31 provinces"


def trends(
    panel: Panel,
    start: int = 2008,
    end: int = 2022,
    *,
    grouping: str | Grouping = "four_regions",
    co2: str = "co2_gcb",
    regional_co2: str = "co2_ceds",
    so2: str = "so2_nbs",
    nox: str = "nox_ceds",
    pm25: str = "pm25_aqli",
    gdp: str = "gdp",
    membership: str = "all",
    prices: str = "nominal",
    base_year: int = 2015,
    deflator: str = "gdp_deflator",
) -> AnalysisResult:
    """National and regional trend series of CO2, CO2/SO2/NOx intensity and PM2.5 for ``start``–``end``.

    ``prices="constant"`` expresses GDP in prices of ``base_year`` with the national ``deflator`` series.
    """
    if end <= start:
        raise ValueError(f"end ({end}) must be after start ({start})")
    if prices not in PRICES:
        raise ValueError(f"prices must be one of {PRICES}, not {prices!r}")
    groups = resolve_grouping(grouping)
    panel.require([co2, regional_co2, gdp, *([deflator] if prices == "constant" else [])])
    missing: list[dict] = []
    pollutants = []
    for var in (so2, nox):
        if var in panel.variables:
            pollutants.append(var)
        else:
            missing.append({"series": var, "geo": "all", "years": f"{start}–{end}", "reason": "not in panel"})
    units = {v: panel.unit_of(v) for v in (co2, regional_co2, gdp, *pollutants)}

    provincial = wide(panel, list(dict.fromkeys([gdp, regional_co2, *pollutants])), province_codes(), start, end)
    missing += gaps(provincial)
    national_gdp = provincial[gdp].groupby(level="year").sum(min_count=1)
    national_gdp = national_gdp.where(provincial[gdp].notna().groupby(level="year").all())
    real, absent, gdp_rule = price_factor(
        panel, start, end, prices=prices, base_year=base_year, deflator=deflator, gdp=gdp
    )
    missing += absent
    national_gdp = national_gdp * real
    national_co2, national_co2_rule = _national_total(panel, co2, start, end)

    rows = []

    def add(level: str, geo: str, name: str, indicator: str, values: pd.Series, unit: str) -> None:
        for year, value in values.items():
            rows.append(
                {
                    "level": level,
                    "geo": geo,
                    "name": name,
                    "year": int(year),
                    "indicator": indicator,
                    "value": float(value),
                    "unit": unit,
                }
            )

    to_intensity = conversion_factor(units[co2], units[gdp], INTENSITY_UNIT)
    add("nation", NATIONAL_CODE, "China", "co2", national_co2, units[co2])
    add("nation", NATIONAL_CODE, "China", "co2_intensity", national_co2 / national_gdp * to_intensity, INTENSITY_UNIT)
    names = {so2: "so2_intensity", nox: "nox_intensity"}
    for var, indicator in ((v, names[v]) for v in pollutants):
        total = provincial[var].groupby(level="year").sum(min_count=1)
        total = total.where(provincial[var].notna().groupby(level="year").all())
        factor = conversion_factor(units[var], units[gdp], POLLUTANT_INTENSITY_UNIT)
        add("nation", NATIONAL_CODE, "China", indicator, total / national_gdp * factor, POLLUTANT_INTENSITY_UNIT)

    sums, absent = group_sums(provincial, groups.groups, membership=membership)
    missing += absent
    for group in groups.groups:
        part = sums.loc[group]
        name = groups.labels_zh.get(group, group)
        add("region", group, f"{group} ({name})", "co2", part[regional_co2], units[regional_co2])
        for var, indicator, unit in (
            (regional_co2, "co2_intensity", INTENSITY_UNIT),
            *((v, names[v], POLLUTANT_INTENSITY_UNIT) for v in pollutants),
        ):
            factor = conversion_factor(units[var], units[gdp], unit)
            region_gdp = part[gdp] * real.reindex(part.index)
            add("region", group, f"{group} ({name})", indicator, part[var] / region_gdp * factor, unit)

    clusters = pd.DataFrame(columns=["geo", "year", "value", "unit"])
    try:
        pm = wide(panel, [pm25], [NATIONAL_CODE, *CLUSTERS], start, end)[pm25]
        pm_unit = panel.unit_of(pm25)
        add("nation", NATIONAL_CODE, "China", "pm25", pm.loc[NATIONAL_CODE], pm_unit)
        clusters = pm.drop(NATIONAL_CODE, level="geo").rename("value").reset_index().assign(unit=pm_unit)
        missing += gaps(pm.to_frame())
    except MissingSeriesError:
        missing.append({"series": pm25, "geo": NATIONAL_CODE, "years": f"{start}–{end}", "reason": "not in panel"})
    missing.append(
        {
            "series": pm25,
            "geo": ", ".join(groups.groups),
            "years": f"{start}–{end}",
            "reason": "PM2.5 exists only for China and the BTH/YRD/PRD clusters (AQLI); no provincial series",
        }
    )

    long = pd.DataFrame(rows)
    table = long.set_index(["level", "geo", "name", "year", "indicator"])["value"].unstack("indicator")
    table = table.reindex(columns=[c for c in INDICATORS if c in table.columns]).sort_index(level=["level", "geo"])
    summary = _summary(long, start, end)
    plans, absent = _plans(long, start, end)
    missing += absent
    if prices == "nominal":
        notes = _paper_comparison(summary, co2, national_co2, national_gdp, to_intensity)
    else:
        notes = [
            "The paper's figures (2.325 in 2008, 1.001 in 2022) match nominal GDP; run with prices='nominal' to "
            "compare with them.",
            *_official_comparison(long),
        ]
    if so2 in pollutants and so2 == "so2_nbs":
        notes.append(
            "so2_nbs has a definitional break in 2016 (new environmental statistics system; the national sum falls "
            "from 18.6 to 8.9 Mt): changes across 2015→2016 mix the break with real reductions."
        )
    short = summary[summary["end_year"] < end]
    for r in short.itertuples(index=False):
        notes.append(
            f"{r.indicator} for {r.name} ends in {int(r.end_year)}: "
            f"its rate is over {int(r.start_year)}–{int(r.end_year)}."
        )
    variables = [co2, regional_co2, gdp, pm25, *pollutants, *([deflator] if prices == "constant" else [])]
    return AnalysisResult(
        title=f"Co-reduction trends {start}–{end}",
        table=table,
        conventions={
            "national CO2": national_co2_rule,
            "national GDP": f"sum over the 31 provinces of {gdp_rule}",
            "regional CO2": f"{regional_co2} summed over member provinces",
            "SO2": f"{so2} summed over provinces / member provinces",
            "NOx": f"{nox} summed over provinces / member provinces",
            "intensity": f"ratio of sums (Σ emissions ÷ Σ GDP), {prices} GDP"
            + (f" in {base_year} prices" if prices == "constant" else ""),
            "five-year plans": "end year against the year before the plan's first year (e.g. 13th: 2020 vs 2015)",
            "intensity units": f"CO2 {INTENSITY_UNIT}; SO2 and NOx {POLLUTANT_INTENSITY_UNIT}",
            "average annual rate": "geometric, (x_end / x_start)^(1/(end − start)) − 1",
            "grouping": groups.name,
            "region totals": {
                "all": "formed only in years when every member has every series",
                "complete_members": "members lacking any series in any year are left out (listed under missing)",
            }[membership],
        },
        sources=panel.attribution(variables),
        missing=missing_frame(missing),
        notes=notes,
        tables={"long": long, "summary": summary, "plans": plans, "pm25_clusters": clusters},
    )


def _plans(long: pd.DataFrame, start: int, end: int) -> tuple[pd.DataFrame, list[dict]]:
    """Change of every series over each five-year plan inside the window, with the national CO2 target."""
    rows, missing = [], []
    inside = {name: span for name, span in FIVE_YEAR_PLANS.items() if start <= span[0] - 1 and span[1] <= end}
    for (level, geo, name, indicator), part in long.groupby(["level", "geo", "name", "indicator"], sort=False):
        series = part.set_index("year")["value"].rename(f"{indicator} [{geo}]")
        for plan in inside:
            try:
                change = plan_period_change(series, plan)
            except IntensityError as exc:
                first, last = FIVE_YEAR_PLANS[plan]
                reason = f"{plan} plan change not formed: {exc}"
                missing.append({"series": indicator, "geo": geo, "years": f"{first - 1}, {last}", "reason": reason})
                continue
            target = np.nan
            if level == "nation" and indicator == "co2_intensity":
                target = PLAN_CO2_INTENSITY_TARGETS.get(plan, np.nan)
            rows.append({"level": level, "geo": geo, "name": name, "indicator": indicator, **change, "target": target})
    columns = ["level", "geo", "name", "indicator", "plan", "base_year", "end_year", "base", "end", "change"]
    return pd.DataFrame(rows, columns=[*columns, "annual_rate", "target"]), missing


def _official_comparison(long: pd.DataFrame) -> list[str]:
    """Notes that set the constant-price national CO2 intensity next to officially reported changes."""
    series = long[(long["level"] == "nation") & (long["indicator"] == "co2_intensity")].set_index("year")["value"]
    notes = []
    for (y0, y1), official in OFFICIAL_CO2_INTENSITY_CHANGE.items():
        if np.isfinite(series.get(y0, np.nan)) and np.isfinite(series.get(y1, np.nan)):
            here = series[y1] / series[y0] - 1
            notes.append(
                f"National CO2 intensity {y1} vs {y0} at constant prices: {here * 100:+.1f} % here vs "
                f"{official * 100:+.1f} % officially reported (State Council, June 2015). The official figure uses "
                "the NBS national GDP index and the official energy-based CO2 accounting; here the CO2 series is "
                "divided by the provincial GDP sum deflated with the national deflator."
            )
    return notes


def _summary(long: pd.DataFrame, start: int, end: int) -> pd.DataFrame:
    """First and last available values in the window and the average annual rate between them."""
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


def _paper_comparison(
    summary: pd.DataFrame, co2: str, national_co2: pd.Series, national_gdp: pd.Series, to_t: float
) -> list[str]:
    """Notes that set the national CO2 intensity next to the paper's 2.325 (2008), 1.001 (2022) and 5.8 % a year."""
    row = summary[(summary["level"] == "nation") & (summary["indicator"] == "co2_intensity")]
    if row.empty:
        return []
    row = row.iloc[0]
    notes = []
    for year, value in ((row["start_year"], row["start"]), (row["end_year"], row["end"])):
        if year in PAPER_NATIONAL_CO2_INTENSITY and np.isfinite(value):
            paper = PAPER_NATIONAL_CO2_INTENSITY[year]
            implied = paper * national_gdp.get(year, np.nan) / to_t
            notes.append(
                f"National CO2 intensity {int(year)}: {value:.3f} t per 10^4 yuan here vs {paper:.3f} in the paper "
                f"({(value / paper - 1) * 100:+.1f} %); at this GDP the paper's value implies {implied:,.0f} Mt of "
                f"CO2 against {national_co2.get(year, np.nan):,.0f} Mt in {co2}."
            )
    if (row["start_year"], row["end_year"]) == (2008, 2022) and np.isfinite(row["annual_rate"]):
        paper_rate = float(average_annual_rate(2.325, 1.001, 14))
        notes.append(
            f"Average annual change 2008–2022: {row['annual_rate'] * 100:.2f} % here vs "
            f"{paper_rate * 100:.2f} % from the paper's 2.325 → 1.001 (printed as a 5.8 % fall a year)."
        )
        notes.append(
            "The gap is one of data vintage: the paper does not state its CO2 source or GDP vintage; here CO2 is "
            f"{co2} (GCB 2024 release, which revised China's recent years) and GDP is the sum of provincial GDP "
            "(initial-release 2021–22 values for Shandong, Jiangsu, Hebei and Hainan, later vintages elsewhere), "
            "so the 2008 values agree within 0.2 % while the 2022 values differ by a few per cent."
        )
    return notes
