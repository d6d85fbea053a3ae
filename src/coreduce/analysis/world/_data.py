"""The country panel and the groups the world analyses work on; group totals as sums over members.

Countries are the panel geographies with an ISO alpha-3 code (three capital letters); OWID, EDGAR and World
Bank aggregate rows (``owid:…``, ``edgar:…``, ``wb:…``) never enter a sum. A group figure for a year is the sum
over the members that have every series the figure needs in that year (so a ratio is Σ numerator ÷ Σ
denominator over the same countries); members left out are named in :class:`~coreduce.results.Missing`
records.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from coreduce.data.panel import Panel
from coreduce.geo import NATIONAL_CODE
from coreduce.geo.countries import by_iso3, resolve_country
from coreduce.geo.country_groups import CHINA, load_country_grouping
from coreduce.results import Missing, Note, year_span

VARIABLES = {
    "co2": "co2_owid",
    "co2_consumption": "co2_consumption_owid",
    "population": "population_owid",
    "gdp": "gdp_ppp_owid",
    "energy": "primary_energy_owid",
}
CO2_BY_VINTAGE = {"owid_2024": "co2_owid", "edgar_2024": "co2_edgar"}
"""Territorial CO2 series of each data vintage (EDGAR 2024: sum of its 8 sectors, fossil and process CO2)."""
WORLD, CHINA_NAME = "World", "China"
BUNKERS = ("owid:international_aviation", "owid:international_shipping")


def variables(conventions=None) -> dict[str, str]:
    """Column → panel variable, with the CO2 series of the conventions' data vintage."""
    out = dict(VARIABLES)
    if conventions is not None:
        out["co2"] = CO2_BY_VINTAGE[conventions.vintage]
    return out


def country_frame(
    panel: Panel, columns: Sequence[str], years: tuple[int, int] | None = None, conventions=None
) -> pd.DataFrame:
    """(geo, year) × ``columns`` (keys of :data:`VARIABLES`) for countries only."""
    names = [variables(conventions)[c] for c in columns]
    panel.require(names)
    data = panel.data
    rows = data[data["variable"].isin(names)]
    if years is not None:
        rows = rows[(rows["year"] >= years[0]) & (rows["year"] <= years[1])]
    rows = rows[rows["geo"].str.fullmatch(r"[A-Z]{3}")]
    wide = rows.set_index(["geo", "year", "variable"])["value"].unstack("variable")
    wide = wide.reindex(columns=names)
    wide.columns = list(columns)
    return wide.sort_index()


def emissions(conventions) -> str:
    """The emissions column the conventions ask for: ``co2`` (territorial) or ``co2_consumption``."""
    return "co2" if conventions.basis == "territorial" else "co2_consumption"


def subjects(conventions, countries: Iterable[str] = ()) -> dict[str, tuple[str, ...]]:
    """China, the groups of the grouping (China inside or beside), the World (every country), and any further
    ``countries`` (names or codes) as groups of one."""
    grouping = load_country_grouping(conventions.grouping, china=conventions.china)
    out: dict[str, tuple[str, ...]] = {}
    if CHINA_NAME not in grouping.groups:
        out[CHINA_NAME] = (CHINA,)
    out.update(grouping.groups)
    out[WORLD] = tuple(by_iso3())
    for name in countries:
        country = resolve_country(name)
        out.setdefault(country.name_en, (country.iso3,))
    return out


def group_totals(
    frame: pd.DataFrame, groups: dict[str, tuple[str, ...]], columns: Sequence[str], block: str, conventions=None
) -> tuple[pd.DataFrame, list[Missing]]:
    """Σ over members of ``columns`` per group and year, over the members that have all ``columns`` that year.

    Returns (frame indexed by (group, year) with ``columns`` and ``n_<block>``, missing records naming the members
    left out and the years). A year in which no member has data gives no row.
    """
    data = frame[list(columns)]
    complete = data.notna().all(axis=1).to_numpy()
    years = sorted(data.index.get_level_values("year").unique())
    geo = data.index.get_level_values("geo")
    have = pd.Series(complete, index=data.index)
    rows, lacking_in = [], {}
    for group, members in groups.items():
        part = data[geo.isin(members) & complete]
        sums = part.groupby(level="year").sum()
        sums[f"n_{block}"] = part.groupby(level="year").size()
        sums.index = pd.MultiIndex.from_product([[group], sums.index], names=["group", "year"])
        rows.append(sums)
        for member in members:
            lacking_in.setdefault(member, []).append(group)
    missing = []
    for member, in_groups in lacking_in.items():
        lacking = [y for y in years if not have.get((member, y), False)]
        if lacking:
            series = "+".join(variables(conventions)[c] for c in columns)
            missing.append(
                Missing.of(series, member, year_span(lacking), "world.missing.member", group=", ".join(in_groups))
            )
    return pd.concat(rows), missing


def _value(panel: Panel, geo: str, variable: str, year: int = 2022) -> str:
    data = panel.data
    found = data[(data["geo"] == geo) & (data["year"] == year) & (data["variable"] == variable)]["value"]
    return f"{found.iloc[0]:,.1f}" if len(found) else "—"


def vintage_note(panel: Panel, conventions=None) -> Note:
    """Which CO2 vintage the result uses, with China 2022 in it, in the other vintage and in the GCB-2024 national
    series (``co2_gcb``) when the panel has them."""
    owid, edgar = _value(panel, CHINA, "co2_owid"), _value(panel, CHINA, "co2_edgar")
    gcb = _value(panel, NATIONAL_CODE, "co2_gcb")
    if conventions is not None and conventions.vintage == "edgar_2024":
        return Note.of("world.note.vintage_edgar", china=edgar, owid=owid, gcb=gcb)
    return Note.of("world.note.vintage", china=owid, gcb=gcb)


def sources(panel: Panel, columns: Iterable[str], conventions=None) -> pd.DataFrame:
    return panel.attribution([variables(conventions)[c] for c in columns])
