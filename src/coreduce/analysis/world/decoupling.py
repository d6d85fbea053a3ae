"""Tapio decoupling of CO2 from GDP for China, the groups, the World and every country, reusing
:func:`coreduce.methods.decoupling.tapio`.

e = (ΔC / C_0) / (ΔY / Y_0) (Tapio 2005, eq. 2), C territorial or consumption-based CO2 (Mt), Y GDP (int-$ 2011
PPP, constant prices). A group's C and Y are sums over the members with both series in both years (ratio of sums);
the others are named. ``countries`` holds the state of every country for the decoupling map.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import pandas as pd

from coreduce.analysis.world import _data
from coreduce.analysis.world.conventions import DecouplingConventions
from coreduce.data.panel import Panel
from coreduce.methods.decoupling import tapio
from coreduce.results import Missing, Note, Result, year_span


@dataclass(kw_only=True)
class WorldDecouplingResult(Result):
    title: ClassVar[str] = "world.decoupling.title"
    main: ClassVar[str] = "states"

    states: pd.DataFrame = field(default_factory=pd.DataFrame)
    """group, start, end, c0, cT, g0, gT, d_emissions, d_gdp, elasticity, state, state_zh, n_members."""
    countries: pd.DataFrame = field(default_factory=pd.DataFrame)
    """Every country with both series in the start and end year: geo, elasticity, state, state_zh."""


def _pairs(conv: DecouplingConventions) -> list[tuple[int, int]]:
    return [(conv.start, conv.end)] if conv.pairs == "period" else [(y, y + 1) for y in range(conv.start, conv.end)]


def decoupling(
    panel: Panel, conventions: DecouplingConventions | None = None, countries: tuple[str, ...] = ()
) -> WorldDecouplingResult:
    """Tapio states of the groups (each pair of years) and of every country over the whole period."""
    conv = conventions or DecouplingConventions()
    c = _data.emissions(conv)
    groups = _data.subjects(conv, countries)
    frame = _data.country_frame(panel, [c, "gdp"], (conv.start, conv.end), conv)
    ok = frame.notna().all(axis=1) & (frame > 0).all(axis=1)
    good = set(frame.index[ok])
    rows, missing = [], []
    for group, codes in groups.items():
        for t0, t1 in _pairs(conv):
            members = [m for m in codes if (m, t0) in good and (m, t1) in good]
            series = f"{_data.variables(conv)[c]}+gdp_ppp_owid"
            if len(codes) > 1:
                missing += [
                    Missing.of(series, m, year_span([t0, t1]), "world.missing.member", group=group)
                    for m in codes
                    if m not in members
                ]
            if not members:
                continue
            s0 = frame.loc[[(m, t0) for m in members]].sum()
            s1 = frame.loc[[(m, t1) for m in members]].sum()
            rows.append({"group": group, "start": t0, "end": t1, "c0": s0[c], "cT": s1[c], "g0": s0["gdp"],
                         "gT": s1["gdp"], "n_members": len(members)})  # fmt: skip
    table = pd.DataFrame(rows)
    states = tapio(table["c0"], table["cT"], table["g0"], table["gT"], boundary=conv.boundary)
    table = pd.concat([table, states], axis=1)
    start = frame.xs(conv.start, level="year")
    end = frame.xs(conv.end, level="year")
    both = start.index.intersection(end.index)
    both = [g for g in both if (g, conv.start) in good and (g, conv.end) in good]
    per_country = tapio(start.loc[both, c], end.loc[both, c], start.loc[both, "gdp"], end.loc[both, "gdp"],
                        boundary=conv.boundary)  # fmt: skip
    per_country = per_country.rename_axis("geo").reset_index()
    return WorldDecouplingResult(
        states=table,
        countries=per_country,
        conventions=conv.records(),
        notes=(_data.vintage_note(panel, conv), Note.of("world.note.constant_gdp")),
        missing=tuple(missing),
        sources=_data.sources(panel, [c, "gdp"], conv),
    )
