"""Drivers of production emissions over the three sectors of value added (LMDI-I, one sub-category per sector).

Identity, one sub-category per sector i ∈ {primary, secondary, tertiary}::

    V_prod = Σ_i G · (Y_i / G) · (V_i / Y_i)

with G = GDP, Y_i = value added of sector i and V_i = the emissions of the sectors of the target's breakdown
``<target>.sector.<name>`` mapped to it (agriculture → primary; mining, manufacturing, utilities and
construction → secondary; transport, trade and other services → tertiary). Household emissions (``urban``,
``rural``) are not tied to value added and are left out. Effects: scale (G), structure (sector shares of value
added: industrial upgrading) and sector emission intensity (technological progress and energy revolution
together: sectoral energy use is not in the panel to separate them). The effect of each sector is in the table
``by_sector``. The CEADs sector inventories end in 2019, so the default window ends there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pandas as pd

from coreduce.analysis._aggregate import LEVELS, deflated, province_codes, read_inputs, wide
from coreduce.analysis.conventions import WINDOW, ProvinceConventions, price_keys
from coreduce.analysis.drivers import LMDI_RULES, effects_table, stack_levels, without_negatives
from coreduce.conventions import Convention
from coreduce.data.panel import MissingSeriesError, Panel
from coreduce.methods.lmdi import effects_by_subcategory
from coreduce.results import Missing, Note, Result, year_span

SECTORS = ("primary", "secondary", "tertiary")
VALUE_ADDED = ("va_primary", "va_secondary", "va_tertiary")
SECTOR_FACTORS = ("scale", "structure", "sector_intensity")
SECTOR_CHANNELS = {
    "scale": "economic scale",
    "structure": "industrial upgrading",
    "sector_intensity": "technological progress and energy revolution",
}
PRIMARY_SECTORS = ("agriculture_forestry_fishery",)
TERTIARY_SECTORS = ("transport_storage_post", "wholesale_retail_catering", "others")
HOUSEHOLD_SECTORS = ("urban", "rural")
DEFAULT = ProvinceConventions(end=2019)
"""The sectoral decomposition's default conventions: the window ends with the CEADs sector inventories (2019)."""


@dataclass(kw_only=True)
class SectorDriversResult(Result):
    """Sectoral LMDI effects by unit and period (main table ``effects``)."""

    title: ClassVar[str] = "result.sector_drivers"
    main: ClassVar[str] = "effects"

    effects: pd.DataFrame
    by_sector: pd.DataFrame
    """The additive effect of each factor split by sector."""
    quantities: pd.DataFrame
    """G, Y_i and V_i by unit and year."""
    unit: str


def sector_of(name: str) -> str:
    """The value-added sector of a CEADs sector (households are ``"households"``; industry and construction
    are secondary)."""
    if name in PRIMARY_SECTORS:
        return "primary"
    if name in TERTIARY_SECTORS:
        return "tertiary"
    if name in HOUSEHOLD_SECTORS:
        return "households"
    return "secondary"


def _breakdown(panel: Panel, target: str) -> list[str]:
    breakdown = [v for v in panel.variables if v.startswith(f"{target}.sector.")]
    if not breakdown:
        raise MissingSeriesError(f"the panel has no sector breakdown of {target} (series {target}.sector.<name>)")
    units = {v: panel.unit_of(v) for v in breakdown}
    if len(set(units.values())) > 1:
        raise ValueError(f"the sector series of {target} have different units: {units}")
    return breakdown


def _quantities(data, c: ProvinceConventions, sector: dict[str, str]) -> tuple[pd.DataFrame, list[Missing]]:
    """G, Y_i (deflated like G) and V_i by province-year, and the records of province-years without V_i."""
    p = data.provincial
    quantities = pd.DataFrame({"G": deflated(p, c.gdp, data.real)}, index=p.index)
    for name, column in zip(SECTORS, VALUE_ADDED, strict=True):
        quantities[f"Y_{name}"] = deflated(p, column, data.real)
        members = [v for v, s in sector.items() if s == name]
        quantities[f"V_{name}"] = p[members].sum(axis=1, min_count=len(members))
    absent = quantities[[f"V_{s}" for s in SECTORS]].isna().any(axis=1)
    target = next(iter(sector)).rsplit(".sector.", 1)[0]
    missing = [
        Missing.of(f"{target}.sector.*", geo, year_span(part.index.get_level_values("year")), "missing.not_in_panel")
        for geo, part in absent[absent].groupby(level="geo")
    ]
    return quantities, missing


def _by_sector(detail: np.ndarray, table: pd.DataFrame) -> pd.DataFrame:
    by_sector = pd.DataFrame(
        detail.reshape(-1, len(SECTOR_FACTORS)), columns=[f"{f} (additive)" for f in SECTOR_FACTORS]
    )
    by_sector.insert(0, "sector", np.tile(SECTORS, len(table)))
    for column in ("end", "start", "geo", "level"):
        by_sector.insert(0, column, np.repeat(table[column].to_numpy(), len(SECTORS)))
    return by_sector


def _array(cube: pd.DataFrame, geos: list[str], window: list[int]) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        per_sector = [
            np.stack(
                [
                    cube["G"].to_numpy(),
                    (cube[f"Y_{s}"] / cube["G"]).to_numpy(),
                    (cube[f"V_{s}"] / cube[f"Y_{s}"]).to_numpy(),
                ],
                axis=-1,
            )
            for s in SECTORS
        ]
        return np.stack(per_sector, axis=-2).reshape(len(geos), len(window), len(SECTORS), len(SECTOR_FACTORS))


def sector_drivers(
    panel: Panel, conventions: ProvinceConventions | None = None, *, levels: tuple[str, ...] = LEVELS
) -> SectorDriversResult:
    """LMDI-I decomposition of the production emissions of ``sector_co2`` over the three sectors."""
    c = conventions or DEFAULT
    c.require_span()
    target = c.sector_co2
    breakdown = _breakdown(panel, target)
    data = read_inputs(panel, c, [c.gdp, *VALUE_ADDED])
    data.provincial = data.provincial.join(wide(panel, breakdown, province_codes(), c.start, c.end))
    sector = {v: sector_of(v.rsplit(".", 1)[1]) for v in breakdown}
    quantities, missing = _quantities(data, c, sector)
    window = list(c.years) if c.lmdi_yearly else [c.start, c.end]
    quantities = quantities[quantities.index.get_level_values("year").isin(window)]
    names = {"G": c.gdp, **{f"Y_{n}": v for n, v in zip(SECTORS, VALUE_ADDED, strict=True)}}
    names |= {f"V_{n}": f"{target}.sector.* ({n})" for n in SECTORS}
    quantities, negative = without_negatives(quantities, names)
    stacked, level_of, absent = stack_levels(
        quantities, levels, data.groups, f"{c.gdp}, value added, {target} by sector"
    )
    geos = list(dict.fromkeys(stacked.index.get_level_values("geo")))
    cube = stacked.reindex(pd.MultiIndex.from_product([geos, window], names=["geo", "year"]))
    arr = _array(cube, geos, window)
    table, x0 = effects_table(arr, geos, window, list(SECTOR_FACTORS), c.lmdi_form, level_of)
    for factor, channel in SECTOR_CHANNELS.items():
        table[f"channel: {channel}"] = table[factor]
    undone = [
        Missing.of(target, row.geo, f"{row.start}–{row.end}", "missing.sector_lmdi_not_possible")
        for row in table[table[list(SECTOR_FACTORS)].isna().any(axis=1)].itertuples(index=False)
    ]
    mapping = tuple((s, tuple(sorted(v.rsplit(".", 1)[1] for v, m in sector.items() if m == s))) for s in SECTORS)
    households = tuple(v.rsplit(".", 1)[1] for v, s in sector.items() if s == "households")
    return SectorDriversResult(
        effects=table,
        by_sector=_by_sector(effects_by_subcategory(x0, arr[:, 1:]), table),
        quantities=cube.reset_index(),
        unit=panel.unit_of(breakdown[0]) if c.lmdi_form == "additive" else "ratio",
        conventions=(
            *c.used(*WINDOW, *price_keys(c), "sector_co2", "grouping", "lmdi_form", "lmdi_yearly"),
            Convention("sector_mapping", mapping),
            Convention("households_left_out", households),
            *LMDI_RULES,
        ),
        notes=(Note.of("note.sectors.joint_intensity"),),
        missing=tuple(data.missing + missing + negative + absent + undone),
        sources=panel.attribution([c.gdp, *VALUE_ADDED, *breakdown, *c.price_series()]),
    )
