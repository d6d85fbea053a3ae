"""CEDS (Community Emissions Data System) factors: CO2 of every fuel and SO2 of coal in China's power plants.

- CO2: ``EF = emission coefficient × fraction oxidised`` (CEDS ``CO2_base_EF.xlsx``; China coal 0.96).
- SO2, China public power, hard coal (kg/t): ``EF = (64.064/32.06) × S × (1 − ash retention) × (1 − control)``
  with the China parameters of Liu et al. 2015 (S 1.01 % in 1990 → 0.95 % in 2010, linear between; ash retention
  0.15; control 0 / 0.05 / 0.70 in 2000 / 2005 / 2010); technology ``uncontrolled`` = no control.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from coreduce.accounting.builders._rows import row
from coreduce.accounting.library import FactorError
from coreduce.units import factor as unit_factor

CEDS = "Community Emissions Data System (CEDS), JGCRI/PNNL, March-2025 release (JGCRI/CEDS @ 5ba82ec6)"
CEDS_LICENCE = "CC BY 4.0"
LIU_CITE = "Liu et al. 2015, Atmos. Chem. Phys. 15, 13299-13317, via CEDS EF_parameters (China coal electricity)"


def ceds_row(**kw) -> dict:
    """A row derived here from CEDS inputs (publisher CEDS, CC BY 4.0)."""
    return row(source="ceds", publisher=CEDS, licence=CEDS_LICENCE, status="derived", **kw)


def ceds_co2(root: Path) -> list[dict]:
    coef = pd.read_csv(root / "ceds" / "ceds_co2_base_ef_emission_coefficient.csv")
    oxid = pd.read_csv(root / "ceds" / "ceds_co2_base_ef_fraction_oxidized.csv")
    units = {"kt CO2/kJ": ("kt/kJ", "kg/GJ"), "kt CO2/TJ": ("kt/TJ", "kg/GJ"), "kt CO2/kt": ("kt/kt", "kg/t")}

    rows = []
    for rec in coef[coef["sector"] == "default"].itertuples():
        source_unit, target = units.get(rec.units_2, (None, None))
        if source_unit is None:
            raise FactorError(f"{rec.units_2!r} in CO2_base_EF units_2 is not a known CEDS unit")
        ox = oxid[(oxid["fuel"] == rec.fuel) & (oxid["iso"] == "chn")]
        ox = ox if not ox.empty else oxid[(oxid["fuel"] == rec.fuel) & (oxid["iso"] == "default")]
        fraction = float(ox["Fraction_Oxidized"].iloc[0]) if not ox.empty else 1.0
        iso = ox["iso"].iloc[0] if not ox.empty else "none (1.0 assumed)"
        value = rec.emission_coefficient * unit_factor(source_unit, target) * fraction
        rows.append(
            ceds_row(
                activity_type="fuel",
                fuel=rec.fuel,
                pollutant="co2",
                value=value,
                unit=target,
                citation=f"CEDS CO2_base_EF.xlsx: emission coefficient ({rec.source}) × fraction oxidised ({iso})",
                note=f"{rec.emission_coefficient:.6g} {rec.units_2} × fraction oxidised {fraction}",
            )
        )
    return rows


def ceds_so2_china(root: Path) -> list[dict]:
    """SO2 of coal burned in China's public power plants from the CEDS China parameters (Hoesly et al. 2018 method):

    ``EF = (M_SO2 / M_S) × S × (1 − ash retention) × (1 − control)`` kg SO2 per kg coal, with ``M_SO2/M_S =
    64.064/32.06``; S content linear between the printed years (1990 1.01 %, 2010 0.95 %); technology
    ``uncontrolled`` = control 0.
    """
    folder = root / "ceds" / "ef_parameters_china"
    sulfur = pd.read_csv(folder / "U.SO2_China_coal_electricity_s_content.csv")
    ash = float(pd.read_csv(folder / "U.SO2_China_coal_electricity_s_ash_ret.csv")["ash_ret"].iloc[0])
    control = pd.read_csv(folder / "U.SO2_China_coal_heat_elec_control_percent.csv")
    control = control[control["sector"] == "1A1a_Electricity-public"]
    if sulfur.empty or control.empty:
        raise FactorError(f"{folder}: no 1A1a_Electricity-public rows for China coal SO2 parameters")
    s_years = {int(c[1:]): float(sulfur[c].iloc[0]) for c in sulfur.columns if c.startswith("X")}
    c_years = {int(c[1:]): float(control[c].iloc[0]) for c in control.columns if c.startswith("X")}
    ratio = 64.064 / 32.06
    rows = []
    for year, ctrl in sorted(c_years.items()):
        s = float(np.interp(year, sorted(s_years), [s_years[y] for y in sorted(s_years)]))
        for tech, c in (("*", ctrl), ("uncontrolled", 0.0)):
            rows.append(
                ceds_row(
                    activity_type="fuel",
                    fuel="hard_coal",
                    sector="power",
                    technology=tech,
                    region="CN",
                    year=year,
                    pollutant="so2",
                    value=ratio * s * (1 - ash) * (1 - c) * 1000.0,
                    unit="kg/t",
                    citation=f"{LIU_CITE}; CEDS U.SO2_China_coal_heat_elec_control_percent ({year})",
                    note=f"{ratio:.5f} × S {s:.5g} × (1 − ash retention {ash}) × (1 − control {c}) × 1000 kg/t",
                )
            )
    return rows
