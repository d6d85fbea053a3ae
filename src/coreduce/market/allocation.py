"""Unit output, emissions and free allocation under the MEE power-sector plans (vectorised over units).

Per unit *i* (plans 2019–2022, 附件1–2):

* generation  G_i = capacity_i × utilisation hours_i (MWh); net supply S_i = G_i × (1 − own-use rate);
* emissions   E_i = (G_i × HR_i × 1.05505585e-6 TJ/MWh·(Btu/kWh)⁻¹ + H_i / η / 1000) × EF_i / 1000 (t CO2),
  with heat rate HR (Btu/kWh), emission factor EF (kg CO2/TJ), heat supplied H (GJ) and boiler efficiency η;
* allocation  A_i = B_supply[c] × S_i × F_cool × F_heat × F_load + B_heat[c] × H_i
  (机组配额量 = 供电基准值 × 机组供电量 × 修正系数 + 供热基准值 × 机组供热量);
* pre-allocation P_i = 70 % × A_i evaluated on the base-year output; true-up = A_i − P_i.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coreduce.market.conventions import MarketConventions
from coreduce.market.plans import Plan, cooling_correction, heat_correction, load_correction, parameters_frame, plan
from coreduce.market.results import AllocationResult, UnitsResult
from coreduce.market.units import GEM_LICENCE, GEM_SOURCE, categorise
from coreduce.results import Missing, Note

BTU_KWH_TO_TJ_MWH = 1055.05585262e-9
"""1 Btu/kWh = 1055.05585262 J per kWh = 1.05505585e-6 TJ per MWh (International Table Btu)."""
GCE_KJ = 29.3076
"""kJ per gram of coal equivalent (标准煤, GB/T 2589)."""
CEC_2022_GCE_PER_KWH = 300.7
"""Net (supply) coal consumption of thermal plants ≥ 6 MW in 2022, g ce/kWh (CEC annual report 2023)."""
SUMS = ["capacity_mw", "generation_mwh", "supply_mwh", "heat_supply_gj", "emissions_t"]
SUMS += ["allocation_power_t", "allocation_heat_t", "allocation_t", "preallocation_t", "true_up_t"]


def unit_output(units: pd.DataFrame, conv: MarketConventions) -> pd.DataFrame:
    """Generation, supply, fuel heat and CO2 of each unit (columns added to a copy of ``units``)."""
    out = units.copy()
    out["heat_rate_scale"] = heat_rate_scale(out, conv)
    out["heat_rate_btu_kwh"] = out["heat_rate_btu_kwh"] * out["heat_rate_scale"]
    hours = out["utilisation_hours"].fillna(conv.utilisation_hours).to_numpy(float)
    out["hours_source"] = np.where(out["utilisation_hours"].notna(), "unit", "convention")
    out["generation_mwh"] = out["capacity_mw"].to_numpy() * hours
    out["supply_mwh"] = out["generation_mwh"] * (1.0 - conv.own_use_rate)
    power_tj = out["generation_mwh"] * out["heat_rate_btu_kwh"] * BTU_KWH_TO_TJ_MWH
    heat_tj = out["heat_supply_gj"].fillna(0.0) / conv.boiler_efficiency / 1000.0
    out["fuel_tj"] = power_tj + heat_tj
    out["emissions_t"] = out["fuel_tj"] * out["ef_kg_per_tj"] / 1000.0
    derived_ratio = np.where(out["fuel_tj"] > 0, heat_tj / out["fuel_tj"].where(out["fuel_tj"] > 0, 1.0), 0.0)
    ratio = out["heat_ratio"].where(out["heat_ratio"].notna(), np.where(heat_tj > 0, derived_ratio, conv.heat_ratio))
    out["heat_ratio"] = ratio.astype(float)
    return out


def heat_rate_scale(units: pd.DataFrame, conv: MarketConventions) -> np.ndarray:
    """Factor applied to GEM heat rates: 1 (``heat_rate_basis = gem``), or the factor that brings the GEM coal
    fleet's capacity-weighted net heat rate to CEC's 300.7 g ce/kWh for 2022 (``cec_2022``); user units keep 1.

    GEM's heat rates are generic values by technology (Sargent & Lundy 2009, US higher-heating-value practice),
    about a fifth above China's reported fleet average; the calibration keeps their relative order.
    """
    from coreduce.market.units import GEM_SOURCE

    gem = (units["source"] == GEM_SOURCE).to_numpy() & (units["fuel"] == "coal").to_numpy()
    if conv.heat_rate_basis == "gem" or not gem.any():
        return np.ones(len(units))
    net_mj = units["heat_rate_btu_kwh"].to_numpy(float)[gem] * 1.05505585262e-3 / (1.0 - conv.own_use_rate)
    weights = units["capacity_mw"].to_numpy(float)[gem]
    target = CEC_2022_GCE_PER_KWH * GCE_KJ / 1000.0
    return np.where(gem, target / np.average(net_mj, weights=weights), 1.0)


def _corrections(out: pd.DataFrame, conv: MarketConventions, p: Plan) -> pd.DataFrame:
    is_gas = (out["category"] == "gas").to_numpy()
    air = out["air_cooled"].fillna(float(conv.air_cooled)).to_numpy(float) > 0
    out["f_cooling"] = cooling_correction(air, is_gas, p)
    out["f_heat"] = heat_correction(out["heat_ratio"].to_numpy(float), is_gas, p)
    default_load = np.nan if conv.load_factor is None else conv.load_factor
    load = out["load_factor"].fillna(default_load).to_numpy(float)
    conventional = out["category"].isin(["coal_300_plus", "coal_300_below"]).to_numpy()
    condensing = out["heat_supply_gj"].fillna(0.0).to_numpy() <= 0
    applies = conventional & condensing & ~np.isnan(load)
    out["f_load"] = np.where(applies, load_correction(np.nan_to_num(load, nan=1.0)), 1.0)
    out["correction"] = out["f_cooling"] * out["f_heat"] * out["f_load"]
    return out


def allocate_units(units: pd.DataFrame, conv: MarketConventions) -> pd.DataFrame:
    """Every unit's output, emissions, corrections and allocation (excluded categories dropped)."""
    p = plan(conv.plan_year)
    units = units.assign(category=categorise(units, conv.size_threshold_mw))
    out = unit_output(units[units["category"] != "excluded"], conv)
    out = _corrections(out, conv, p)
    supply_b = out["category"].map({k: v.value for k, v in p.supply_benchmark.items()}).to_numpy(float)
    heat_b = out["category"].map({k: v.value for k, v in p.heat_benchmark.items()}).to_numpy(float)
    out["benchmark_supply"], out["benchmark_heat"] = supply_b, heat_b
    out["allocation_power_t"] = supply_b * out["supply_mwh"] * out["correction"]
    out["allocation_heat_t"] = heat_b * out["heat_supply_gj"].fillna(0.0)
    out["allocation_t"] = out["allocation_power_t"] + out["allocation_heat_t"]
    base = out["base_output_mwh"].fillna(out["generation_mwh"]) / out["generation_mwh"]
    out["preallocation_t"] = p.preallocation_share.value * out["allocation_t"] * base
    out["true_up_t"] = out["allocation_t"] - out["preallocation_t"]
    return out.reset_index(drop=True)


def totals(units: pd.DataFrame, by: str | list[str] | None) -> pd.DataFrame:
    """Sums of :data:`SUMS` by ``by`` (None → the nation), with unit counts and the intensity E ÷ S."""
    cols = [c for c in SUMS if c in units.columns]
    if by is None:
        table = units[cols].sum().to_frame().T.assign(units=len(units))
        table.index = pd.Index(["China"], name="geo")
    else:
        table = units.groupby(by, dropna=False)[cols].sum().join(units.groupby(by, dropna=False).size().rename("units"))
    table["emissions_per_supply"] = table["emissions_t"] / table["supply_mwh"]
    return table


def allocate(units: pd.DataFrame, conv: MarketConventions | None = None) -> AllocationResult:
    """Allocation of every unit, with province, owner, category and national totals (sums of the units)."""
    conv = conv or MarketConventions()
    table = allocate_units(units, conv)
    left_out = units[categorise(units, conv.size_threshold_mw) == "excluded"]
    missing = tuple(
        Missing.of(f"unit {row.unit_id}", str(row.province), str(conv.plan_year), "missing.market.no_category")
        for row in left_out.itertuples()
    )
    params = parameters_frame(conv.plan_year)
    notes = [Note.of("note.market.unverified", count=int((~params["verified"]).sum()), total=len(params))]
    notes.append(Note.of("note.market.no_gas_units") if not (table["category"] == "gas").any() else None)
    if conv.plan_year in (2021, 2022):  # reported by the MEE and IKI, not modelled until the plan text is read
        notes.append(Note.of("note.market.plan_2021_unmodelled"))
    if conv.load_factor is None and table["load_factor"].isna().all():
        notes.append(Note.of("note.market.no_load_correction"))
    return AllocationResult(
        units=table,
        provinces=totals(table, "province"),
        owners=totals(table, "owner"),
        categories=totals(table, "category"),
        nation=totals(table, None),
        parameters=params,
        conventions=conv.records(),
        notes=tuple(n for n in notes if n is not None),
        missing=missing,
        sources=sources_frame(table),
    )


def sources_frame(units: pd.DataFrame) -> pd.DataFrame:
    rows = [
        {"source": s, "publisher": s, "licence": GEM_LICENCE if s == GEM_SOURCE else "user data"}
        for s in units["source"].dropna().unique()
    ]
    return pd.DataFrame(rows, columns=["source", "publisher", "licence"])


def describe_units(units: pd.DataFrame, conv: MarketConventions | None = None) -> UnitsResult:
    """The units with their plan category, output and emissions; totals by category and province."""
    conv = conv or MarketConventions()
    units = units.assign(category=categorise(units, conv.size_threshold_mw))
    table = unit_output(units, conv)
    notes = [] if (table["category"] == "gas").any() else [Note.of("note.market.no_gas_units")]
    missing = tuple(
        Missing.of(f"unit {row.unit_id}", str(row.province), str(conv.plan_year), "missing.market.no_category")
        for row in table[table["category"] == "excluded"].itertuples()
    )
    return UnitsResult(
        units=table,
        categories=totals(table, "category"),
        provinces=totals(table, "province"),
        conventions=conv.records(),
        notes=tuple(notes),
        missing=missing,
        sources=sources_frame(table),
    )
