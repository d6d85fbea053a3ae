"""Drivers of emissions: LMDI decomposition by province, region and nation.

Identity (one sub-category per unit; the form common in Chinese provincial studies, e.g. "economic scale,
industrial structure, energy intensity, energy structure, emission coefficient")::

    V = G · (S / G) · (E / S) · (E_coal / E) · (V / E_coal)

with G = GDP, S = value added of the structure sector (``va_secondary`` by default), E = total energy use,
E_coal = coal_share · E and V = the emissions (CO2, SO2 or NOx). Factors and the papers' channels:

========================  ===================  ===========================
factor                    effect               channel
========================  ===================  ===========================
G                         scale                economic scale
S / G                     structure            industrial upgrading
E / S                     energy intensity     technological progress
E_coal / E                energy mix           energy revolution
V / E_coal                emission factor      energy revolution
========================  ===================  ===========================

The structure and energy-intensity factors share S, so a fall of the secondary share with unchanged energy
use shows as a negative structure effect and a positive energy-intensity effect: read them together.
Regions and the nation sum G, S, E, E_coal and V over member provinces before forming the factors.
G and S are nominal by default; with ``prices="constant"`` both are deflated with the national deflator
rebased to ``base_year`` (the structure share S/G is unchanged; the scale effect then excludes inflation,
which otherwise shows as scale and is offset in the energy-intensity effect).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pandas as pd

from coreduce.analysis._aggregate import LEVELS, deflated, group_sums, province_codes, read_inputs
from coreduce.analysis.co2_series import series_notes
from coreduce.analysis.conventions import WINDOW, ProvinceConventions, price_keys
from coreduce.conventions import Convention
from coreduce.data.panel import Panel
from coreduce.geo import NATIONAL_CODE, Grouping
from coreduce.methods.lmdi import lmdi
from coreduce.results import Missing, Note, Result, year_span

FACTORS = ("scale", "structure", "energy_intensity", "energy_mix", "emission_factor")
FACTORS_NO_MIX = ("scale", "structure", "energy_intensity", "emission_factor")
CHANNELS = {
    "scale": "economic scale",
    "structure": "industrial upgrading",
    "energy_intensity": "technological progress",
    "energy_mix": "energy revolution",
    "emission_factor": "energy revolution",
}
"""Factor → the papers' channel (message id ``channel.<name with underscores>``)."""
LMDI_RULES = (
    Convention("lmdi_method", "lmdi_i", "Ang (2005); zero values by the analytic limits, Ang & Liu (2007)"),
    Convention("lmdi_regions", "complete_members"),
)


@dataclass(kw_only=True)
class DriversResult(Result):
    """LMDI effects by unit and period (main table ``effects``)."""

    title: ClassVar[str] = "result.drivers"
    main: ClassVar[str] = "effects"

    effects: pd.DataFrame
    """level, geo, start, end, V0, V1, one column per factor, total and ``channel: <channel>`` sums."""
    factors: pd.DataFrame
    """The factor values by unit and year."""
    unit: str
    """Unit of the additive effects (the target's unit), or ``ratio`` for the multiplicative form."""


def without_negatives(quantities: pd.DataFrame, names: dict[str, str]) -> tuple[pd.DataFrame, list[Missing]]:
    """Blank the province-years where a quantity is negative (impossible for GDP, value added, energy or
    emissions: a defect of the source) and record them; ``names`` maps columns to series."""
    negative = quantities < 0
    rows = []
    for column in quantities.columns[negative.any()]:
        bad = quantities.loc[negative[column], column]
        for geo, part in bad.groupby(level="geo"):
            years = part.index.get_level_values("year")
            shown = ", ".join(f"{v:,.1f} in {y}" for y, v in zip(years, part.to_numpy(), strict=True))
            rows.append(Missing.of(names.get(column, column), geo, year_span(years), "missing.negative", values=shown))
    return quantities.mask(negative.any(axis=1), np.nan), rows


def stack_levels(
    quantities: pd.DataFrame, levels: tuple[str, ...], groups: Grouping, label: str
) -> tuple[pd.DataFrame, dict[str, str], list[Missing]]:
    """Provinces, regions and the nation (sums over members with data in every year) as asked in ``levels``."""
    unknown = [lv for lv in levels if lv not in LEVELS]
    if unknown or not levels:
        raise ValueError(f"levels must be a non-empty subset of {LEVELS}; got {levels}")
    parts, level_of, missing = [], {}, []
    if "province" in levels:
        parts.append(quantities)
        level_of.update({c: "province" for c in province_codes()})
    for level, level_groups in (("region", groups.groups), ("nation", {NATIONAL_CODE: province_codes()})):
        if level in levels:
            sums, absent = group_sums(quantities, level_groups, membership="complete_members", label=label)
            parts.append(sums)
            missing += absent
            level_of.update({g: level for g in level_groups})
    return pd.concat(parts), level_of, missing


def effects_table(
    arr: np.ndarray, geos: list[str], window: list[int], names: list[str], form: str, level_of: dict
) -> tuple[pd.DataFrame, np.ndarray]:
    """LMDI effects of a geos × years × sub-categories × factors array between consecutive years of ``window``,
    with V0, V1 and the total; also returns the raw effects (geos × periods × sub-categories × factors)."""
    x0, xT = arr[:, :-1], arr[:, 1:]
    effects = lmdi(x0, xT, form=form).reshape(-1, len(names))
    v = np.prod(arr, axis=-1).sum(axis=-1)
    table = pd.DataFrame(effects, columns=names)
    table.insert(0, "V1", v[:, 1:].ravel())
    table.insert(0, "V0", v[:, :-1].ravel())
    table.insert(0, "end", np.tile(window[1:], len(geos)))
    table.insert(0, "start", np.tile(window[:-1], len(geos)))
    table.insert(0, "geo", np.repeat(geos, len(window) - 1))
    table.insert(0, "level", table["geo"].map(level_of))
    combine = "sum" if form == "additive" else "prod"
    table["total"] = getattr(table[names], combine)(axis=1, skipna=False)
    return table, x0


def _factors(frame: pd.DataFrame, mix: bool) -> pd.DataFrame:
    """The factors from summed quantities G, S, E, (E_coal,) V; without the mix, emission factor = V / E."""
    with np.errstate(divide="ignore", invalid="ignore"):
        out = {
            "scale": frame["G"],
            "structure": frame["S"] / frame["G"],
            "energy_intensity": frame["E"] / frame["S"],
        }
        if mix:
            out["energy_mix"] = frame["E_coal"] / frame["E"]
            out["emission_factor"] = frame["V"] / frame["E_coal"]
        else:
            out["emission_factor"] = frame["V"] / frame["E"]
        return pd.DataFrame(out, index=frame.index)


def _uses_mix(panel: Panel, c: ProvinceConventions) -> bool:
    if c.energy_mix == "auto":
        return c.coal_share in panel.variables and panel.series(c.coal_share, province_codes()).shape[0] > 0
    return c.energy_mix == "yes"


def _quantities(data, c: ProvinceConventions, target: str, mix: bool, window: list[int]) -> pd.DataFrame:
    p = data.provincial
    quantities = pd.DataFrame(
        {
            "G": deflated(p, c.gdp, data.real),
            "S": deflated(p, c.structure, data.real),
            "E": p[c.energy],
            **({"E_coal": p[c.coal_share] * p[c.energy]} if mix else {}),
            "V": p[target],
        }
    )
    return quantities[quantities.index.get_level_values("year").isin(window)]


def drivers(
    panel: Panel,
    conventions: ProvinceConventions | None = None,
    *,
    target: str | None = None,
    levels: tuple[str, ...] = LEVELS,
) -> DriversResult:
    """LMDI-I decomposition of ``target`` (default: the ``lmdi_co2`` convention) between the window's ends, or
    year by year (``lmdi_yearly``), into five factors.

    ``energy_mix``: include the coal-share factor (``yes``), leave it out so that the emission factor is V / E
    (``no``), or decide by whether the panel has provincial ``coal_share`` values (``auto``).
    """
    c = conventions or ProvinceConventions()
    c.require_span()
    target = target or c.lmdi_co2
    mix = _uses_mix(panel, c)
    variables = [c.gdp, c.structure, c.energy, *([c.coal_share] if mix else []), target]
    data = read_inputs(panel, c, variables)
    names = list(FACTORS if mix else FACTORS_NO_MIX)
    window = list(c.years) if c.lmdi_yearly else [c.start, c.end]
    series = {"G": c.gdp, "S": c.structure, "E": c.energy, "E_coal": f"{c.coal_share} × {c.energy}", "V": target}
    quantities, negative = without_negatives(_quantities(data, c, target, mix, window), series)
    stacked, level_of, absent = stack_levels(quantities, levels, data.groups, ", ".join(variables))
    factors = _factors(stacked, mix)
    geos = list(dict.fromkeys(factors.index.get_level_values("geo")))
    cube = factors.reindex(pd.MultiIndex.from_product([geos, window], names=["geo", "year"]))
    arr = cube.to_numpy().reshape(len(geos), len(window), 1, len(names))
    table, _ = effects_table(arr, geos, window, names, c.lmdi_form, level_of)
    combine = "sum" if c.lmdi_form == "additive" else "prod"
    for channel in dict.fromkeys(CHANNELS.values()):
        members = [f for f, ch in CHANNELS.items() if ch == channel and f in names]
        table[f"channel: {channel}"] = getattr(table[members], combine)(axis=1, skipna=False)
    undone = [
        Missing.of(target, row.geo, f"{row.start}–{row.end}", "missing.lmdi_not_possible")
        for row in table[table[names].isna().any(axis=1)].itertuples(index=False)
    ]
    return DriversResult(
        effects=table,
        factors=cube.reset_index(),
        unit=panel.unit_of(target) if c.lmdi_form == "additive" else "ratio",
        conventions=(
            *c.used(*WINDOW, *price_keys(c), "structure", "energy", "grouping", "lmdi_form", "lmdi_yearly"),
            Convention("lmdi_target", target),
            Convention("lmdi_identity", "energy_mix" if mix else "no_mix"),
            *([Convention("coal_share", c.coal_share)] if mix else []),
            *LMDI_RULES,
        ),
        notes=(
            Note.of("note.drivers.shared_s"),
            *([] if c.constant else [Note.of("note.drivers.nominal")]),
            *series_notes(target),
        ),
        missing=tuple(data.missing + negative + absent + undone),
        sources=panel.attribution([*variables, *c.price_series()]),
    )
