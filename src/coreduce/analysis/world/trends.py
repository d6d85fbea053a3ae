"""Emissions, per-capita and per-GDP emissions, territorial vs consumption-based CO2 and net CO2 imported in
trade, for China, the Global South, the Global North, the World and any country.

For a group G and year t (ratio of sums over the members with every series that year, DESIGN.md)::

    CO2 per capita (t)      = Σ_i C_i / Σ_i P_i              (Mt × 10⁶ ÷ persons)
    CO2 per GDP (kg/$)      = Σ_i C_i / Σ_i Y_i              (Mt × 10⁹ ÷ int-$ 2011 PPP, OWID's co2_per_gdp unit)
    net imported CO2 (Mt)   = Σ_i (C^cons_i − C^terr_i)       (> 0: the group consumes more than it emits;
                                                                 OWID's trade_co2, Global Carbon Budget)

``aggregation="mean_of_ratios"`` gives the unweighted mean of the members' ratios instead, when asked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import pandas as pd

from coreduce.analysis.world import _data
from coreduce.analysis.world.conventions import PeriodConventions
from coreduce.data.panel import Panel
from coreduce.results import Note, Result


@dataclass(kw_only=True)
class WorldTrendsResult(Result):
    title: ClassVar[str] = "world.trends.title"
    main: ClassVar[str] = "series"

    series: pd.DataFrame = field(default_factory=pd.DataFrame)
    """group, year, co2 (Mt), population, gdp, co2_per_capita (t), co2_per_gdp (kg/$), n_members; and, over the
    members with consumption-based data (n_trade), co2_consumption, net_imported (Mt), consumption_per_capita (t)
    and consumption_per_gdp (kg/$). With ``basis="consumption"`` the two ratios are the consumption-based ones."""


def _ratios(frame: pd.DataFrame, members: dict[str, tuple[str, ...]]) -> pd.DataFrame:
    """Unweighted mean of the members' ratios (the ``mean_of_ratios`` convention)."""
    per = pd.DataFrame(
        {"co2_per_capita": frame["co2"] * 1e6 / frame["population"], "co2_per_gdp": frame["co2"] * 1e9 / frame["gdp"]}
    )
    geo = per.index.get_level_values("geo")
    parts = []
    for group, codes in members.items():
        mean = per[geo.isin(codes)].groupby(level="year").mean()
        mean.index = pd.MultiIndex.from_product([[group], mean.index], names=["group", "year"])
        parts.append(mean)
    return pd.concat(parts)


def trends(
    panel: Panel, conventions: PeriodConventions | None = None, countries: tuple[str, ...] = ()
) -> WorldTrendsResult:
    """Group and country series of emissions and their ratios (see the module doc)."""
    conv = conventions or PeriodConventions()
    groups = _data.subjects(conv, countries)
    years = (conv.start, conv.end)
    frame = _data.country_frame(panel, ["co2", "population", "gdp"], years, conv)
    main, missing = _data.group_totals(frame, groups, ["co2", "population", "gdp"], "members", conv)
    main["co2_per_capita"] = main["co2"] * 1e6 / main["population"]
    main["co2_per_gdp"] = main["co2"] * 1e9 / main["gdp"]
    if conv.aggregation == "mean_of_ratios":
        main.update(_ratios(frame, groups))
    # consumption and net trade always pair OWID's consumption with OWID's territorial series (same vintage)
    owid = _data.country_frame(panel, ["co2", "co2_consumption", "population", "gdp"], years)
    trade, missing_trade = _data.group_totals(owid, groups, ["co2", "co2_consumption", "population", "gdp"], "trade")
    trade["net_imported"] = trade["co2_consumption"] - trade["co2"]
    trade["consumption_per_capita"] = trade["co2_consumption"] * 1e6 / trade["population"]
    trade["consumption_per_gdp"] = trade["co2_consumption"] * 1e9 / trade["gdp"]
    columns = ["co2_consumption", "net_imported", "consumption_per_capita", "consumption_per_gdp", "n_trade"]
    table = main.join(trade[columns], how="left")
    if conv.basis == "consumption":
        table["co2_per_capita"] = table["consumption_per_capita"]
        table["co2_per_gdp"] = table["consumption_per_gdp"]
    notes = (
        _data.vintage_note(panel, conv),
        Note.of("world.note.ratio_of_sums"),
        Note.of("world.note.world_countries"),
    )
    return WorldTrendsResult(
        series=table.reset_index(),
        conventions=conv.records(),
        notes=notes,
        missing=tuple(missing + missing_trade),
        sources=pd.concat(
            [_data.sources(panel, ["co2", "population", "gdp"], conv), _data.sources(panel, ["co2_consumption"])]
        ).drop_duplicates("source"),
    )
