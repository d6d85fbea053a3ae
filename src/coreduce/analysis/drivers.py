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

import numpy as np
import pandas as pd

from coreduce.analysis._aggregate import gaps, group_sums, price_factor, province_codes, resolve_grouping, wide
from coreduce.analysis.results import AnalysisResult, missing_frame, year_span
from coreduce.data.panel import MissingSeriesError, Panel
from coreduce.geo import NATIONAL_CODE, Grouping
from coreduce.methods.lmdi import effects_by_subcategory, lmdi

FACTORS = ("scale", "structure", "energy_intensity", "energy_mix", "emission_factor")
FACTORS_NO_MIX = ("scale", "structure", "energy_intensity", "emission_factor")
CHANNELS = {
    "scale": "economic scale",
    "structure": "industrial upgrading",
    "energy_intensity": "technological progress",
    "energy_mix": "energy revolution",
    "emission_factor": "energy revolution",
}
LEVELS = ("province", "region", "nation")


def _without_negatives(quantities: pd.DataFrame, names: dict[str, str]) -> tuple[pd.DataFrame, list[dict]]:
    """Blank the province-years where a quantity is negative (impossible for GDP, value added, energy or
    emissions: a defect of the source) and name them in ``missing`` rows; ``names`` maps columns to series."""
    negative = quantities < 0
    rows = []
    for column in quantities.columns[negative.any()]:
        bad = quantities.loc[negative[column], column]
        for geo, part in bad.groupby(level="geo"):
            years = part.index.get_level_values("year")
            shown = ", ".join(f"{v:,.1f} in {y}" for y, v in zip(years, part.to_numpy(), strict=True))
            rows.append(
                {
                    "series": names.get(column, column),
                    "geo": geo,
                    "years": year_span(years),
                    "reason": f"negative value ({shown}): a defect in the source; province-year left out",
                }
            )
    return quantities.mask(negative.any(axis=1), np.nan), rows


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


def drivers(
    panel: Panel,
    target: str = "co2_apparent",
    start: int = 2008,
    end: int = 2022,
    *,
    levels: tuple[str, ...] = LEVELS,
    grouping: str | Grouping = "four_regions",
    structure: str = "va_secondary",
    gdp: str = "gdp",
    energy: str = "energy_total",
    coal_share: str = "coal_share",
    energy_mix: bool | None = None,
    form: str = "additive",
    yearly: bool = False,
    prices: str = "nominal",
    base_year: int = 2015,
    deflator: str = "gdp_deflator",
) -> AnalysisResult:
    """LMDI-I decomposition of ``target`` between ``start`` and ``end`` (or year by year) into five factors.

    ``energy_mix``: include the coal-share factor (True), leave it out so that the emission factor is V / E
    (False), or decide by whether the panel has provincial ``coal_share`` values (None, the default).
    ``prices``: G and S at ``"nominal"`` or ``"constant"`` prices of ``base_year`` (national ``deflator``).
    """
    if end <= start:
        raise ValueError(f"end ({end}) must be after start ({start})")
    unknown = [lv for lv in levels if lv not in LEVELS]
    if unknown or not levels:
        raise ValueError(f"levels must be a non-empty subset of {LEVELS}; got {levels}")
    panel.require([gdp, structure, energy, target, *([deflator] if prices == "constant" else [])])
    real, price_missing, gdp_rule = price_factor(
        panel, start, end, prices=prices, base_year=base_year, deflator=deflator, gdp=gdp
    )
    if energy_mix is None:
        energy_mix = coal_share in panel.variables and panel.series(coal_share, province_codes()).shape[0] > 0
    if energy_mix:
        panel.require([coal_share])
    variables = [gdp, structure, energy, *([coal_share] if energy_mix else []), target]
    factor_names = list(FACTORS if energy_mix else FACTORS_NO_MIX)
    groups = resolve_grouping(grouping)
    provincial = wide(panel, variables, province_codes(), start, end)
    missing = gaps(provincial) + price_missing
    deflate_by = real.reindex(provincial.index.get_level_values("year")).to_numpy()
    window = [start, end] if not yearly else list(range(start, end + 1))
    quantities = pd.DataFrame(
        {
            "G": provincial[gdp] * deflate_by,
            "S": provincial[structure] * deflate_by,
            "E": provincial[energy],
            **({"E_coal": provincial[coal_share] * provincial[energy]} if energy_mix else {}),
            "V": provincial[target],
        }
    )
    quantities = quantities[quantities.index.get_level_values("year").isin(window)]
    names = {"G": gdp, "S": structure, "E": energy, "E_coal": f"{coal_share} × {energy}", "V": target}
    quantities, negative = _without_negatives(quantities, names)
    missing += negative
    parts, level_of = [], {}
    label = ", ".join(variables)
    if "province" in levels:
        parts.append(quantities)
        level_of.update({c: "province" for c in province_codes()})
    if "region" in levels:
        sums, absent = group_sums(quantities, groups.groups, membership="complete_members", label=label)
        parts.append(sums)
        missing += absent
        level_of.update({g: "region" for g in groups.groups})
    if "nation" in levels:
        sums, absent = group_sums(
            quantities, {NATIONAL_CODE: province_codes()}, membership="complete_members", label=label
        )
        parts.append(sums)
        missing += absent
        level_of[NATIONAL_CODE] = "nation"
    factors = _factors(pd.concat(parts), energy_mix)
    geos = list(dict.fromkeys(factors.index.get_level_values("geo")))
    cube = factors.reindex(pd.MultiIndex.from_product([geos, window], names=["geo", "year"]))
    arr = cube.to_numpy().reshape(len(geos), len(window), 1, len(factor_names))
    x0, xT = arr[:, :-1], arr[:, 1:]
    effects = lmdi(x0, xT, form=form).reshape(-1, len(factor_names))
    v = np.prod(arr[..., 0, :], axis=-1)
    table = pd.DataFrame(effects, columns=factor_names)
    table.insert(0, "V1", v[:, 1:].ravel())
    table.insert(0, "V0", v[:, :-1].ravel())
    table.insert(0, "end", np.tile(window[1:], len(geos)))
    table.insert(0, "start", np.tile(window[:-1], len(geos)))
    table.insert(0, "geo", np.repeat(geos, len(window) - 1))
    table.insert(0, "level", table["geo"].map(level_of))
    combine = "sum" if form == "additive" else "prod"
    table["total"] = getattr(table[factor_names], combine)(axis=1, skipna=False)
    for channel in dict.fromkeys(CHANNELS.values()):
        members = [f for f, c in CHANNELS.items() if c == channel and f in factor_names]
        table[f"channel: {channel}"] = getattr(table[members], combine)(axis=1, skipna=False)
    undone = table[table[factor_names].isna().any(axis=1)]
    for row in undone.itertuples(index=False):
        missing.append(
            {
                "series": target,
                "geo": row.geo,
                "years": f"{row.start}–{row.end}",
                "reason": "decomposition not possible: a factor is missing or zero in one of the two years",
            }
        )
    unit = panel.unit_of(target)
    return AnalysisResult(
        title=f"LMDI drivers of {target} {start}–{end} ({form})",
        table=table,
        conventions={
            "method": f"LMDI-I {form} (Ang 2005); zero values by the analytic limits (Ang & Liu 2007)",
            "identity": f"{target} = G · (S/G) · (E/S) · (E_coal/E) · ({target}/E_coal)"
            if energy_mix
            else f"{target} = G · (S/G) · (E/S) · ({target}/E) (no provincial coal share: mix and factor combined)",
            "G": gdp_rule,
            "S (structure sector)": f"{structure}" + (", deflated like G" if prices == "constant" else ""),
            "E": energy,
            "E_coal": f"{coal_share} × {energy}" if energy_mix else "not used",
            "periods": "year by year" if yearly else f"{start}→{end}",
            "channels": "; ".join(f"{f} → {c}" for f, c in CHANNELS.items() if f in factor_names),
            "regions and nation": f"sums over member provinces ({groups.name}) with data in every year of the "
            "window; members without are left out and listed under missing",
            "effects unit": unit if form == "additive" else "ratio (V1/V0)",
        },
        sources=panel.attribution([*variables, *([deflator] if prices == "constant" else [])]),
        missing=missing_frame(missing),
        notes=[
            "Structure (S/G) and energy intensity (E/S) share the secondary value added: read them together.",
            *(
                [
                    "G and S are nominal: the scale effect includes inflation and the energy-intensity effect offsets "
                    "it; prices='constant' separates real growth where the deflator covers the years."
                ]
                if prices == "nominal"
                else []
            ),
        ],
        tables={"factors": cube.reset_index()},
    )


SECTORS = ("primary", "secondary", "tertiary")
SECTOR_FACTORS = ("scale", "structure", "sector_intensity")
SECTOR_CHANNELS = {
    "scale": "economic scale",
    "structure": "industrial upgrading",
    "sector_intensity": "technological progress and energy revolution",
}
PRIMARY_SECTORS = ("agriculture_forestry_fishery",)
TERTIARY_SECTORS = ("transport_storage_post", "wholesale_retail_catering", "others")
HOUSEHOLD_SECTORS = ("urban", "rural")


def _sector_of(name: str) -> str:
    """The value-added sector of a CEADs sector (households are ``"households"``; industry and construction
    are secondary)."""
    if name in PRIMARY_SECTORS:
        return "primary"
    if name in TERTIARY_SECTORS:
        return "tertiary"
    if name in HOUSEHOLD_SECTORS:
        return "households"
    return "secondary"


def sector_drivers(
    panel: Panel,
    target: str = "co2_ceads",
    start: int = 2008,
    end: int = 2019,
    *,
    levels: tuple[str, ...] = LEVELS,
    grouping: str | Grouping = "four_regions",
    gdp: str = "gdp",
    value_added: tuple[str, str, str] = ("va_primary", "va_secondary", "va_tertiary"),
    form: str = "additive",
    yearly: bool = False,
    prices: str = "nominal",
    base_year: int = 2015,
    deflator: str = "gdp_deflator",
) -> AnalysisResult:
    """LMDI-I decomposition of production emissions over the three sectors of value added.

    Identity, one sub-category per sector i ∈ {primary, secondary, tertiary}::

        V_prod = Σ_i G · (Y_i / G) · (V_i / Y_i)

    with G = GDP, Y_i = value added of sector i and V_i = the emissions of the sectors of ``target``'s
    breakdown ``<target>.sector.<name>`` mapped to it (agriculture → primary; mining, manufacturing, utilities
    and construction → secondary; transport, trade and other services → tertiary). Household emissions
    (``urban``, ``rural``) are not tied to value added and are left out. Effects: scale (G), structure
    (sector shares of value added: industrial upgrading) and sector emission intensity (technological progress
    and energy revolution together: sectoral energy use is not in the panel to separate them). The effect of
    each sector is in the table ``by_sector``.
    """
    if end <= start:
        raise ValueError(f"end ({end}) must be after start ({start})")
    unknown = [lv for lv in levels if lv not in LEVELS]
    if unknown or not levels:
        raise ValueError(f"levels must be a non-empty subset of {LEVELS}; got {levels}")
    breakdown = [v for v in panel.variables if v.startswith(f"{target}.sector.")]
    if not breakdown:
        raise MissingSeriesError(f"the panel has no sector breakdown of {target} (series {target}.sector.<name>)")
    panel.require([gdp, *value_added, *([deflator] if prices == "constant" else [])])
    units = {v: panel.unit_of(v) for v in breakdown}
    if len(set(units.values())) > 1:
        raise ValueError(f"the sector series of {target} have different units: {units}")
    real, missing, gdp_rule = price_factor(
        panel, start, end, prices=prices, base_year=base_year, deflator=deflator, gdp=gdp
    )
    groups = resolve_grouping(grouping)
    window = [start, end] if not yearly else list(range(start, end + 1))
    provincial = wide(panel, [gdp, *value_added, *breakdown], province_codes(), start, end)
    sector = {v: _sector_of(v.rsplit(".", 1)[1]) for v in breakdown}
    deflate_by = real.reindex(provincial.index.get_level_values("year")).to_numpy()
    quantities = pd.DataFrame({"G": provincial[gdp] * deflate_by}, index=provincial.index)
    for name, column in zip(SECTORS, value_added, strict=True):
        quantities[f"Y_{name}"] = provincial[column] * deflate_by
        members = [v for v, s in sector.items() if s == name]
        quantities[f"V_{name}"] = provincial[members].sum(axis=1, min_count=len(members))
    households = [v for v, s in sector.items() if s == "households"]
    missing += gaps(provincial[[gdp, *value_added]])
    absent_v = quantities[[f"V_{s}" for s in SECTORS]].isna().any(axis=1)
    for geo, part in absent_v[absent_v].groupby(level="geo"):
        years = year_span(part.index.get_level_values("year"))
        missing.append({"series": f"{target}.sector.*", "geo": geo, "years": years, "reason": "not in panel"})
    quantities = quantities[quantities.index.get_level_values("year").isin(window)]
    names = {"G": gdp, **{f"Y_{n}": c for n, c in zip(SECTORS, value_added, strict=True)}}
    names |= {f"V_{n}": f"{target}.sector.* ({n})" for n in SECTORS}
    quantities, negative = _without_negatives(quantities, names)
    missing += negative
    parts, level_of = [], {}
    label = f"{gdp}, value added, {target} by sector"
    if "province" in levels:
        parts.append(quantities)
        level_of.update({c: "province" for c in province_codes()})
    for level, level_groups in (("region", groups.groups), ("nation", {NATIONAL_CODE: province_codes()})):
        if level in levels:
            sums, absent = group_sums(quantities, level_groups, membership="complete_members", label=label)
            parts.append(sums)
            missing += absent
            level_of.update({g: level for g in level_groups})
    summed = pd.concat(parts)
    geos = list(dict.fromkeys(summed.index.get_level_values("geo")))
    cube = summed.reindex(pd.MultiIndex.from_product([geos, window], names=["geo", "year"]))
    with np.errstate(divide="ignore", invalid="ignore"):
        arr = np.stack(
            [
                np.stack(
                    [
                        cube["G"].to_numpy(),
                        (cube[f"Y_{s}"] / cube["G"]).to_numpy(),
                        (cube[f"V_{s}"] / cube[f"Y_{s}"]).to_numpy(),
                    ],
                    axis=-1,
                )
                for s in SECTORS
            ],
            axis=-2,
        ).reshape(len(geos), len(window), len(SECTORS), len(SECTOR_FACTORS))
    x0, xT = arr[:, :-1], arr[:, 1:]
    effects = lmdi(x0, xT, form=form).reshape(-1, len(SECTOR_FACTORS))
    detail = effects_by_subcategory(x0, xT)  # geos × periods × sectors × factors (additive)
    v = np.prod(arr, axis=-1).sum(axis=-1)
    starts, ends = np.tile(window[:-1], len(geos)), np.tile(window[1:], len(geos))
    table = pd.DataFrame(effects, columns=list(SECTOR_FACTORS))
    table.insert(0, "V1", v[:, 1:].ravel())
    table.insert(0, "V0", v[:, :-1].ravel())
    table.insert(0, "end", ends)
    table.insert(0, "start", starts)
    table.insert(0, "geo", np.repeat(geos, len(window) - 1))
    table.insert(0, "level", table["geo"].map(level_of))
    combine = "sum" if form == "additive" else "prod"
    table["total"] = getattr(table[list(SECTOR_FACTORS)], combine)(axis=1, skipna=False)
    for factor, channel in SECTOR_CHANNELS.items():
        table[f"channel: {channel}"] = table[factor]
    by_sector = pd.DataFrame(
        detail.reshape(-1, len(SECTOR_FACTORS)), columns=[f"{f} (additive)" for f in SECTOR_FACTORS]
    )
    by_sector.insert(0, "sector", np.tile(SECTORS, len(table)))
    for column in ("end", "start", "geo", "level"):
        by_sector.insert(0, column, np.repeat(table[column].to_numpy(), len(SECTORS)))
    for row in table[table[list(SECTOR_FACTORS)].isna().any(axis=1)].itertuples(index=False):
        missing.append(
            {
                "series": target,
                "geo": row.geo,
                "years": f"{row.start}–{row.end}",
                "reason": "decomposition not possible: a sector's emissions or value added is missing",
            }
        )
    mapping = "; ".join(
        f"{s}: {', '.join(sorted(v.rsplit('.', 1)[1] for v, m in sector.items() if m == s))}" for s in SECTORS
    )
    return AnalysisResult(
        title=f"Sectoral LMDI drivers of {target} {start}–{end} ({form})",
        table=table,
        conventions={
            "method": f"LMDI-I {form} (Ang 2005); zero values by the analytic limits (Ang & Liu 2007)",
            "identity": f"{target} (production) = Σ_i G · (Y_i/G) · (V_i/Y_i), i = primary, secondary, tertiary",
            "G": gdp_rule,
            "Y_i": ", ".join(value_added) + (", deflated like G" if prices == "constant" else ""),
            "sectors of the breakdown": mapping,
            "households": f"left out ({', '.join(v.rsplit('.', 1)[1] for v in households) or 'none'})",
            "periods": "year by year" if yearly else f"{start}→{end}",
            "channels": "; ".join(f"{f} → {c}" for f, c in SECTOR_CHANNELS.items()),
            "regions and nation": f"sums over member provinces ({groups.name}) with data in every year of the "
            "window; members without are left out and listed under missing",
            "effects unit": units[breakdown[0]] if form == "additive" else "ratio (V1/V0)",
        },
        sources=panel.attribution([gdp, *value_added, *breakdown, *([deflator] if prices == "constant" else [])]),
        missing=missing_frame(missing),
        notes=[
            "The sector intensity effect joins technological progress and the energy revolution: the panel has no "
            "energy use by sector to separate energy intensity from the carbon factor of energy."
        ],
        tables={"by_sector": by_sector, "quantities": cube.reset_index()},
    )
