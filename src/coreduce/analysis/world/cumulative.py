"""Cumulative territorial CO2 since chosen years (1850, 1990 by default) and shares of the cumulative total.

    cumulative_G(s, T) = Σ_{t=s..T} Σ_{i∈G} C_{i,t}            share_G = cumulative_G / cumulative_World

The World total is OWID's World row (countries plus international aviation and shipping, as the Global Carbon
Budget's shares) or the sum of countries (``world="countries"``). Only published values are summed: a country's
missing years count as no emissions, as in OWID's cumulative_co2, and values the panel build filled by
interpolation are left out and counted in a note.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import pandas as pd

from coreduce.analysis.world import _data
from coreduce.analysis.world.conventions import CumulativeConventions
from coreduce.data.panel import Panel
from coreduce.geo.countries import WORLD as WORLD_ROW
from coreduce.results import Note, Result


@dataclass(kw_only=True)
class CumulativeResult(Result):
    title: ClassVar[str] = "world.cumulative.title"
    main: ClassVar[str] = "groups"

    groups: pd.DataFrame = field(default_factory=pd.DataFrame)
    """group, since, end, cumulative (Mt), share (fraction of the World total)."""
    countries: pd.DataFrame = field(default_factory=pd.DataFrame)
    """geo, since, end, cumulative (Mt), share; every country with emissions in the span."""


def cumulative(
    panel: Panel, conventions: CumulativeConventions | None = None, countries: tuple[str, ...] = ()
) -> CumulativeResult:
    """Cumulative emissions and shares of China, the groups, the World and every country (see the module doc)."""
    conv = conventions or CumulativeConventions()
    co2 = panel.series("co2_owid")
    groups = _data.subjects(conv, countries)
    is_country = co2["geo"].str.fullmatch(r"[A-Z]{3}")
    group_rows, country_rows, notes = [], [], [_data.vintage_note(panel, conv)]
    for since in conv.since:
        span = co2[(co2["year"] >= since) & (co2["year"] <= conv.end)]
        filled = int((span["status"] == "interpolated").sum())
        span = span[span["status"] != "interpolated"]
        by_country = span[is_country.loc[span.index]].groupby("geo")["value"].sum()
        world = by_country.sum()
        if conv.world == "with_bunkers":
            world = span.loc[span["geo"] == WORLD_ROW, "value"].sum()
        for group, codes in groups.items():
            total = by_country.reindex(list(codes)).sum()
            if group == _data.WORLD:
                total = world
            group_rows.append({"group": group, "since": since, "end": conv.end, "cumulative": total,
                               "share": total / world})  # fmt: skip
        country_rows.append(
            pd.DataFrame({"geo": by_country.index, "since": since, "end": conv.end,
                          "cumulative": by_country.to_numpy(), "share": (by_country / world).to_numpy()})
        )  # fmt: skip
        if filled:
            notes.append(Note.of("world.note.interpolated_years", n=filled, since=since))
    return CumulativeResult(
        groups=pd.DataFrame(group_rows),
        countries=pd.concat(country_rows, ignore_index=True).sort_values(["since", "cumulative"], ascending=False),
        conventions=conv.records(),
        notes=tuple(notes),
        sources=_data.sources(panel, ["co2"], conv),
    )
