"""China's position in the Global South distribution of per-capita and per-GDP CO2, year by year.

For each year: China's value; the Global South (excluding China) distribution across its member countries —
percentiles 10, 25, 50, 75, 90 (unweighted) — and China's percentile rank in it, both unweighted (share of
countries below China) and population-weighted (share of the South's population living in countries below
China); the ratio-of-sums values of the Global South excl. China, the Global North and the World.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
import pandas as pd

from coreduce.analysis.world import _data
from coreduce.analysis.world.conventions import PeriodConventions
from coreduce.data.panel import Panel
from coreduce.geo.country_groups import CHINA, NORTH, SOUTH, load_country_grouping
from coreduce.results import Note, Result

QUANTILES = (0.1, 0.25, 0.5, 0.75, 0.9)


@dataclass(kw_only=True)
class ChinaPositionResult(Result):
    title: ClassVar[str] = "world.position.title"
    main: ClassVar[str] = "position"

    position: pd.DataFrame = field(default_factory=pd.DataFrame)
    """measure, year, china, south_p10 … south_p90, rank (unweighted), rank_pop (population-weighted),
    south_excl_china, north, world (ratios of sums), n_south."""


def _ratio(frame: pd.DataFrame, codes, num: str, den: str, scale: float) -> pd.Series:
    part = frame[frame.index.get_level_values("geo").isin(codes)].dropna(subset=[num, den])
    sums = part.groupby(level="year")[[num, den]].sum()
    return sums[num] * scale / sums[den]


def position(panel: Panel, conventions: PeriodConventions | None = None) -> ChinaPositionResult:
    """China against the Global South distribution (see the module doc); the grouping's South must be named
    ``Global South`` (UN M49 or a user file using that name)."""
    conv = conventions or PeriodConventions()
    c = _data.emissions(conv)
    grouping = load_country_grouping(conv.grouping)
    south = [m for m in grouping.members(SOUTH) if m != CHINA]
    north = grouping.groups.get(NORTH, ())
    frame = _data.country_frame(panel, [c, "population", "gdp"], (conv.start, conv.end), conv)
    measures = {"co2_per_capita": ("population", 1e6), "co2_per_gdp": ("gdp", 1e9)}
    rows = []
    for measure, (den, scale) in measures.items():
        values = (frame[c] * scale / frame[den]).rename("v").to_frame().join(frame["population"]).dropna()
        for year, part in values.groupby(level="year"):
            part = part.droplevel("year")
            if CHINA not in part.index:
                continue
            china = part.loc[CHINA, "v"]
            pool = part[part.index.isin(south)]
            below = pool["v"] < china
            row = {"measure": measure, "year": year, "china": china, "n_south": len(pool)}
            row.update({f"south_p{int(q * 100)}": float(np.quantile(pool["v"], q)) for q in QUANTILES})
            row["rank"] = float(below.mean())
            row["rank_pop"] = float(pool.loc[below, "population"].sum() / pool["population"].sum())
            rows.append(row)
        for name, codes in (("south_excl_china", south), ("north", north), ("world", list(frame.index.levels[0]))):
            ratio = _ratio(frame, codes, c, den, scale)
            for row in rows:
                if row["measure"] == measure:
                    row[name] = ratio.get(row["year"], float("nan"))
    return ChinaPositionResult(
        position=pd.DataFrame(rows),
        conventions=conv.records(),
        notes=(_data.vintage_note(panel, conv), Note.of("world.note.position")),
        sources=_data.sources(panel, [c, "population", "gdp"], conv),
    )
