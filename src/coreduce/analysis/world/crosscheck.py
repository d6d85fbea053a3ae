"""Territorial CO2 of each country in the two vintages side by side: OWID (Global Carbon Budget 2023) and EDGAR
2024 (sum of its 8 sectors), the difference and the ratio, largest differences first.

    ratio = C_EDGAR / C_OWID          difference = C_EDGAR − C_OWID (Mt)

EDGAR counts more process and fuel-exploitation CO2 than the Global Carbon Budget (China 2022: 12,526.8 against
11,350.5 Mt); countries whose ratio lies outside [1 − tolerance, 1 + tolerance] are flagged, and countries present
in only one source are named.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
import pandas as pd

from coreduce.analysis.world import _data
from coreduce.analysis.world.conventions import WorldConventions
from coreduce.conventions import option, year_between
from coreduce.data.panel import Panel
from coreduce.results import Missing, Result


@dataclass(frozen=True)
class CrossCheckConventions(WorldConventions):
    year: int = option(2022, check=year_between(1970, 2023), key="check_year")
    tolerance: float = option(
        0.2, check=lambda v: None if isinstance(v, float) and 0 < v < 1 else "a fraction in (0, 1)",
        source="share by which the two vintages may differ before a country is flagged", key="check_tolerance",
    )  # fmt: skip


@dataclass(kw_only=True)
class CrossCheckResult(Result):
    title: ClassVar[str] = "world.crosscheck.title"
    main: ClassVar[str] = "countries"

    countries: pd.DataFrame = field(default_factory=pd.DataFrame)
    """geo, co2_owid, co2_edgar (Mt), difference (Mt), ratio, flagged; largest |difference| first."""


def crosscheck(panel: Panel, conventions: CrossCheckConventions | None = None) -> CrossCheckResult:
    """OWID and EDGAR territorial CO2 of every country in one year (see the module doc)."""
    conv = conventions or CrossCheckConventions()
    panel.require(["co2_owid", "co2_edgar"])
    data = panel.data[(panel.data["year"] == conv.year) & panel.data["variable"].isin(["co2_owid", "co2_edgar"])]
    data = data[data["geo"].str.fullmatch(r"[A-Z]{3}")]
    table = data.pivot_table(index="geo", columns="variable", values="value", aggfunc="first")
    table = table.reindex(columns=["co2_owid", "co2_edgar"])
    only = table[table.isna().any(axis=1)]
    missing = [
        Missing.of(
            "co2_edgar" if np.isnan(r.co2_edgar) else "co2_owid", geo, str(conv.year), "world.missing.one_source"
        )
        for geo, r in only.iterrows()
    ]
    both = table.dropna().copy()
    both["difference"] = both["co2_edgar"] - both["co2_owid"]
    both["ratio"] = both["co2_edgar"] / both["co2_owid"].where(both["co2_owid"] > 0)
    both["flagged"] = (both["ratio"] - 1).abs() > conv.tolerance
    both = both.reindex(both["difference"].abs().sort_values(ascending=False).index).reset_index()
    return CrossCheckResult(
        countries=both,
        conventions=conv.records(),
        notes=(_data.vintage_note(panel, conv),),
        missing=tuple(missing),
        sources=panel.attribution(["co2_owid", "co2_edgar"]),
    )
