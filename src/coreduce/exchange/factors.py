"""The emission-factor library: CO2 and co-pollutant factors per unit of activity, each citing its publisher.

One compact table (``exchange/data/factor_library.csv``) derived by :func:`build_factor_library` from the public
files in ``shared/data/factors`` (see ``PROVENANCE-factors.md``); :func:`load_factor_library` reads it.

Columns: ``factor_id, activity_type, key, fuel, sector, technology, region, year, material, mode, pollutant,
value, unit, publisher, licence, citation, verified, status, note``. ``activity_type`` is one of
``fuel / electricity / material / freight``; ``key`` joins the fields that identify the activity for that type
(fuel/sector/technology, grid region/year, material, mode); ``"*"`` in a field means "any". ``unit`` is a
pint-parsable mass per unit of activity (``kg/GJ``, ``kg/kWh``, ``kg/t``, ``kg/(t*km)``). ``status`` is
``reported`` (a value printed by the publisher) or ``derived`` (computed here; the formula is in ``note``).
``verified`` is False where ``PROVENANCE-factors.md`` marks an input unverified or undocumented.

Derivations (all in :func:`build_factor_library`):

- CEDS CO2: ``EF = emission coefficient × fraction oxidised`` (CEDS ``CO2_base_EF.xlsx``; China coal 0.96).
- CEDS SO2, China public power, hard coal (kg/t): ``EF = (64.064/32.06) × S × (1 − ash retention) × (1 − control)``
  with the China parameters of Liu et al. 2015 (S 1.01 % in 1990 → 0.95 % in 2010, linear between; ash retention
  0.15; control 0 / 0.05 / 0.70 in 2000 / 2005 / 2010); technology ``uncontrolled`` = no control.
- Bond/SPEW BC and OC (kg/t of fuel, East Asia, latest year) for the CEDS sector of each library sector.
- GAINS (ECLIPSE V6b, CHIN_PLUS): ``EF = emissions / activity`` per EMF30 sector (kt/PJ = kg/GJ; CO2 Mt/PJ =
  t/GJ). Residential coal heating is excluded (its activity is incomplete, PROVENANCE-factors.md).
- PM2.5 for GAINS fuels: ``EF_PM2.5 = EF_BC / (BC/PM2.5 ratio)`` with the CEDS China default ratio of the
  matching CEDS sector (ratio source undocumented → unverified).
- China grid co-pollutants: ``EF_p = EF_CO2,grid × (E_p / E_CO2)`` of the MEIC power sector in its latest year
  (Zheng et al. 2018), i.e. the power sector's pollutant-to-CO2 ratio applied to each published grid factor.
- Freight co-pollutants: ``EF_p per t·km = EF_CO2 per t·km (BEIS) ÷ EF_CO2 per kWh of diesel (BEIS, net CV)
  × EF_p per GJ (GAINS, diesel heavy-duty trucks)`` — the UK fuel use per t·km with China's truck factors.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

LIBRARY_FILE = "factor_library.csv"
GCAM_LICENCE_FILE = "GCAM-ECL-2.0-LICENSE.txt"
COLUMNS = [
    "factor_id",
    "activity_type",
    "key",
    "fuel",
    "sector",
    "technology",
    "region",
    "year",
    "material",
    "mode",
    "pollutant",
    "value",
    "unit",
    "publisher",
    "licence",
    "citation",
    "verified",
    "status",
    "note",
]
ACTIVITY_TYPES = ("fuel", "electricity", "material", "freight")
KEY_FIELDS = {
    "fuel": ("fuel", "sector", "technology"),
    "electricity": ("region",),
    "material": ("material",),
    "freight": ("mode",),
}
ANY = "*"

# Fuels of the library: CEDS names; each may fall back to the broader GAINS fuel group it belongs to.
FUEL_GROUPS = {
    "hard_coal": "coal",
    "brown_coal": "coal",
    "diesel_oil": "heavy_liquid_fuel",
    "heavy_oil": "heavy_liquid_fuel",
    "light_oil": "light_liquid_fuel",
}

CEDS = "Community Emissions Data System (CEDS), JGCRI/PNNL, March-2025 release (JGCRI/CEDS @ 5ba82ec6)"
CEDS_LICENCE = "CC BY 4.0"
GAINS_PUB = "IIASA GAINS, ECLIPSE V6b CLE (with super emitters, as prepared by CEDS)"
GAINS_CITE = "Klimont et al. 2017, Atmos. Chem. Phys. 17, 8681-8723; ECLIPSE V6b via JGCRI/CEDS input files"
GAINS_LICENCE = "IIASA GAINS/ECLIPSE terms: free with attribution for research; verify before commercial use"
GRID_LICENCE = "facts published in government announcements"
BEIS_PUB = "UK BEIS and Defra (Ricardo Energy & Environment)"
BEIS_CITE = "UK Government GHG Conversion Factors for Company Reporting 2020, v1 (flat file), 2020-05-28"
BEIS_LICENCE = "Open Government Licence v3.0"
GCAM_PUB = "JGCRI/PNNL GCAM (gcam-core @ 6f8109dc, A51.min_coeff.csv)"
GCAM_CITE = "GCAM minimum (fully controlled) non-CO2 emission coefficients, from GCAM3 NonCO2_energy_input.xls"
GCAM_LICENCE = f"ECL-2.0 (licence text shipped as coreduce/exchange/data/{GCAM_LICENCE_FILE})"
BOND_PUB = "SPEW database (Bond et al. 2007, ver. 2016-02-27) as processed by CEDS"
BOND_CITE = "Bond et al. 2007, Global Biogeochem. Cycles 21, GB2018; CEDS CD.{BC,OC}_bond_EF_region.csv (East Asia)"
LIU_CITE = "Liu et al. 2015, Atmos. Chem. Phys. 15, 13299-13317, via CEDS EF_parameters (China coal electricity)"
MEIC_CITE = "Zheng et al. 2018, Atmos. Chem. Phys. 18, 14095-14111, Fig. 3 (MEIC power sector)"

# GAINS EMF30 fuel codes → library fuel names.
_GAINS_FUELS = {
    "Coal": "coal",
    "NatGas": "natural_gas",
    "HLF": "heavy_liquid_fuel",
    "LLF": "light_liquid_fuel",
    "Bio": "biomass",
}
_GAINS_SPECIES = {
    "BC": "bc",
    "OC": "oc",
    "CO": "co",
    "CO2": "co2",
    "NH3": "nh3",
    "NOx": "nox",
    "SO2": "so2",
    "VOC": "voc",
}
# Library sector → CEDS sector whose China BC/PM2.5 ratio converts GAINS BC to PM2.5.
_PM25_SECTOR = {
    "power": "1A1a_Electricity-public",
    "industry": "1A2g_Ind-Comb-other",
    "residential": "1A4b_Residential",
    "services": "1A4a_Commercial-institutional",
    "transport": "1A3b_Road",
}
_GCAM_SECTORS = {"electricity": "power", "industrial energy use": "industry"}
_GCAM_FUELS = {"coal": "coal", "gas": "natural_gas", "refined liquids": "light_liquid_fuel", "biomass": "biomass"}
_GRID_REGIONS = {
    "North China (华北)": "north",
    "Northeast (东北)": "northeast",
    "East China (华东)": "east",
    "Central China (华中)": "central",
    "Northwest (西北)": "northwest",
    "South (南方)": "south",
    "Southwest (西南)": "southwest",
}
_GRID_VARIANTS = {
    "national average": "national",
    "national fossil-fuel electricity only": "national_fossil",
    "national average excluding market-traded non-fossil electricity": "national_excl_market_nonfossil",
}


class FactorError(ValueError):
    """A factor file that does not hold what the library expects, or a factor that cannot be found."""


@dataclass(frozen=True)
class FactorLibrary:
    """The factor table plus the licence notices that must travel with it (``notices``: file name → text)."""

    frame: pd.DataFrame
    notices: dict[str, str] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.frame)

    def attribution(self, factor_ids=None) -> pd.DataFrame:
        """Publisher and licence of the given factors (all when None): one row per pair, with the number of
        factors, how many are unverified, and the notice file shipped with the library where the licence asks
        for its text to travel with the data."""
        frame = self.frame if factor_ids is None else self.frame[self.frame["factor_id"].isin(list(factor_ids))]
        cols = ["publisher", "licence"]
        out = frame.groupby(cols, as_index=False).agg(
            factors=("factor_id", "size"), unverified=("verified", lambda s: int((~s.astype(bool)).sum()))
        )
        out["notice"] = [
            next((name for name in self.notices if "ECL-2.0" in lic and "ECL" in name), "") for lic in out["licence"]
        ]
        return out.sort_values(cols, ignore_index=True)

    def get(self, factor_id: str) -> pd.Series:
        hit = self.frame[self.frame["factor_id"] == factor_id]
        if hit.empty:
            raise FactorError(f"no factor with factor_id {factor_id!r} in the library")
        return hit.iloc[0]


# ---------------------------------------------------------------------------------------------------- builders


def _row(**kw) -> dict:
    base = dict.fromkeys(("fuel", "sector", "technology", "region", "material", "mode"), ANY)
    base.update(year=np.nan, verified=True, status="reported", note="")
    base.update(kw)
    return base


def _ceds_co2(root: Path) -> list[dict]:
    coef = pd.read_csv(root / "ceds" / "ceds_co2_base_ef_emission_coefficient.csv")
    oxid = pd.read_csv(root / "ceds" / "ceds_co2_base_ef_fraction_oxidized.csv")
    units = {"kt CO2/kJ": ("kt/kJ", "kg/GJ"), "kt CO2/TJ": ("kt/TJ", "kg/GJ"), "kt CO2/kt": ("kt/kt", "kg/t")}
    from coreduce.data.units import factor as unit_factor

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
            _row(
                source="ceds",
                activity_type="fuel",
                fuel=rec.fuel,
                pollutant="co2",
                value=value,
                unit=target,
                publisher=CEDS,
                licence=CEDS_LICENCE,
                citation=f"CEDS CO2_base_EF.xlsx: emission coefficient ({rec.source}) × fraction oxidised ({iso})",
                status="derived",
                note=f"{rec.emission_coefficient:.6g} {rec.units_2} × fraction oxidised {fraction}",
            )
        )
    return rows


def _gains_sector(code: str) -> tuple[str, str, str] | None:
    """EMF30 sector code → (fuel, sector, technology), or None for sectors that are not fuel combustion.

    ``Power_Gen_Coal_Old`` → (coal, power, old); ``End_Use_Transport_HDT_HLF`` → (heavy_liquid_fuel, transport,
    hdt); ``End_Use_Industry_Coal`` → (coal, industry, *).
    """
    parts = code.split("_")
    if code.startswith("Power_Gen_") and len(parts) >= 3:
        fuel, tech = parts[2], parts[3:]
        sector = "power"
    elif code.startswith("End_Use_Transport_") and len(parts) == 5:
        fuel, tech, sector = parts[4], parts[3:4], "transport"
    elif code.startswith("End_Use_") and len(parts) >= 4:
        fuel, tech, sector = parts[3], parts[4:], parts[2].lower()
    else:
        return None
    if fuel not in _GAINS_FUELS:
        return None
    return _GAINS_FUELS[fuel], sector, "_".join(tech).lower() or ANY


def _gains(root: Path) -> list[dict]:
    frame = pd.read_csv(root / "ceds" / "gains_eclipse_v6b_emf30_chin_plus_emissions_and_activity.csv")
    frame = frame[(frame["year"] <= 2020) & (frame["emf30_sector"] != "End_Use_Residential_Coal_Heat")]
    # End_Use_Residential_Coal_Heat is dropped: its activity is incomplete, ratios ~10x too high (provenance).
    ident = {code: _gains_sector(code) for code in frame["emf30_sector"].unique()}
    frame = frame[frame["emf30_sector"].map(lambda c: ident[c] is not None)].copy()
    frame[["fuel", "sector", "technology"]] = [ident[c] for c in frame["emf30_sector"]]
    act = frame[(frame["variable"] == "activity") & (frame["unit"] == "PJ") & (frame["value"] > 0)]
    act = act[["emf30_sector", "year", "value"]].rename(columns={"value": "activity"})
    em = frame[frame["variable"].isin(_GAINS_SPECIES)].merge(act, on=["emf30_sector", "year"]).dropna(subset=["value"])
    # A (fuel, sector) split into technologies also gets a pooled "*" factor: Σ emissions / Σ activity.
    split = em.groupby(["fuel", "sector"])["technology"].transform(lambda t: ANY not in set(t) and t.nunique() > 1)
    pooled = (
        em[split]
        .groupby(["fuel", "sector", "variable", "unit", "year"], as_index=False)
        .agg(value=("value", "sum"), activity=("activity", "sum"), emf30_sector=("emf30_sector", _join_codes))
        .assign(technology=ANY)
    )
    rows = []
    for rec in pd.concat([em, pooled], ignore_index=True).to_dict("records"):
        co2 = rec["variable"] == "CO2"
        rows.append(
            _row(
                source="gains",
                activity_type="fuel",
                fuel=rec["fuel"],
                sector=rec["sector"],
                technology=rec["technology"],
                region="CN",
                year=int(rec["year"]),
                pollutant=_GAINS_SPECIES[rec["variable"]],
                value=rec["value"] / rec["activity"] * (1000.0 if co2 else 1.0),
                unit="kg/GJ",
                publisher=GAINS_PUB,
                licence=GAINS_LICENCE,
                citation=f"{GAINS_CITE}; EMF30 sector {rec['emf30_sector']}",
                status="derived",
                note=f"{rec['value']:.6g} {rec['unit']} / {rec['activity']:.6g} PJ"
                + ("; 2020 is a CLE projection" if rec["year"] == 2020 else ""),
            )
        )
    return rows


def _join_codes(codes: pd.Series) -> str:
    return " + ".join(sorted(set(codes)))


def _pm25_from_bc(root: Path, gains_rows: list[dict]) -> list[dict]:
    ratio = pd.read_csv(root / "ceds" / "ceds_bc_to_pm25_default_ratio_chn.csv")
    rows = []
    for rec in gains_rows:
        ceds_sector = _PM25_SECTOR.get(rec["sector"])
        if rec["pollutant"] != "bc" or ceds_sector is None:
            continue
        sel = ratio[(ratio["sector"] == ceds_sector) & (ratio["year"] <= rec["year"])].sort_values("year")
        if sel.empty or not sel["bc_to_pm25_ratio"].iloc[-1] > 0:
            continue
        r, ryear = float(sel["bc_to_pm25_ratio"].iloc[-1]), int(sel["year"].iloc[-1])
        rows.append(
            {
                **rec,
                "pollutant": "pm25",
                "value": rec["value"] / r,
                "publisher": f"{GAINS_PUB}; {CEDS}",
                "citation": f"{rec['citation']}; CEDS CD.BC_to_PM25_defaultratio (chn, {ceds_sector}, {ryear})",
                "verified": False,
                "note": f"BC {rec['value']:.6g} kg/GJ / BC-to-PM2.5 ratio {r:.4g} (CEDS ratio source undocumented)",
            }
        )
    return rows


def _bond(root: Path) -> list[dict]:
    """Bond/SPEW BC and OC per mass of fuel (East Asia), latest year, for the CEDS sector of each library sector."""
    frame = pd.read_csv(root / "ceds" / "bond_spew_bc_oc_ef_east_asia_by_sector_fuel_1850-2010.csv")
    sector_of = {ceds: lib for lib, ceds in _PM25_SECTOR.items()}
    frame = frame[frame["sector"].isin(sector_of)].dropna(subset=["ef_kt_per_kt_fuel"])
    latest = frame.loc[frame.groupby(["em", "fuel", "sector"])["year"].idxmax()]
    rows = []
    for rec in latest.to_dict("records"):
        rows.append(
            _row(
                source="bond",
                activity_type="fuel",
                fuel=rec["fuel"],
                sector=sector_of[rec["sector"]],
                region="east_asia",
                year=int(rec["year"]),
                pollutant=rec["em"].lower(),
                value=rec["ef_kt_per_kt_fuel"] * 1000.0,
                unit="kg/t",
                publisher=BOND_PUB,
                licence=CEDS_LICENCE,
                citation=f"{BOND_CITE}; {rec['sector']} / {rec['fuel']} / {rec['year']}",
                note=f"{rec['ef_kt_per_kt_fuel']:.6g} kt/kt fuel × 1000 = kg/t; Bond region East Asia, not China only",
            )
        )
    return rows


def _ceds_so2_china(root: Path) -> list[dict]:
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
                _row(
                    source="ceds",
                    activity_type="fuel",
                    fuel="hard_coal",
                    sector="power",
                    technology=tech,
                    region="CN",
                    year=year,
                    pollutant="so2",
                    value=ratio * s * (1 - ash) * (1 - c) * 1000.0,
                    unit="kg/t",
                    publisher=CEDS,
                    licence=CEDS_LICENCE,
                    citation=f"{LIU_CITE}; CEDS U.SO2_China_coal_heat_elec_control_percent ({year})",
                    status="derived",
                    note=f"{ratio:.5f} × S {s:.5g} × (1 − ash retention {ash}) × (1 − control {c}) × 1000 kg/t",
                )
            )
    return rows


def _gcam(root: Path) -> list[dict]:
    frame = pd.read_csv(root / "gcam" / "gcam_A51_min_coeff_nonco2_kg_per_GJ.csv", comment="#")
    species = {"SO2": "so2", "NOx": "nox", "CO": "co", "BC": "bc", "OC": "oc", "NMVOC": "voc"}
    rows = []
    for rec in frame.to_dict("records"):
        sector = _GCAM_SECTORS.get(rec["supplysector"])
        fuel = _GCAM_FUELS.get(rec["subsector"])
        if sector is None or fuel is None:
            continue
        for col, pol in species.items():
            if pd.isna(rec[col]):
                continue
            rows.append(
                _row(
                    source="gcam",
                    activity_type="fuel",
                    fuel=fuel,
                    sector=sector,
                    technology=f"gcam_min:{rec['stub.technology']}",
                    pollutant=pol,
                    value=float(rec[col]),
                    unit="kg/GJ",
                    publisher=GCAM_PUB,
                    licence=GCAM_LICENCE,
                    citation=f"{GCAM_CITE}; {rec['supplysector']} / {rec['subsector']} / {rec['stub.technology']}",
                    note="fully controlled floor (global), not an average factor",
                )
            )
    return rows


def _grid(root: Path) -> list[dict]:
    frame = pd.read_csv(root / "china_grid_emission_factors.csv", dtype={"geography_code": str})
    rows = []
    for rec in frame.to_dict("records"):
        if rec["variant"] in _GRID_VARIANTS:
            region = _GRID_VARIANTS[rec["variant"]]
        elif rec["variant"] == "regional grid average":
            region = _GRID_REGIONS.get(rec["geography"])
        elif rec["variant"] == "provincial average":
            region = str(rec["geography_code"]).split(".")[0]
        else:
            region = "national_ets" if "ETS" in str(rec["geography"]) else None
        if region is None:
            raise FactorError(f"china_grid_emission_factors.csv: {rec['geography']!r} is not a known grid region")
        rows.append(
            _row(
                source="grid",
                activity_type="electricity",
                region=region,
                year=int(rec["year"]),
                pollutant="co2",
                value=float(rec["factor_kgco2_per_kwh"]),
                unit="kg/kWh",
                publisher=rec["publisher"],
                licence=GRID_LICENCE,
                citation=rec["source_reference"],
                verified=str(rec["verified"]).strip().lower() == "yes",
                note=f"{rec['geography']}, {rec['variant']}; {rec['verification_note']}",
            )
        )
    return rows


def _grid_copollutants(root: Path, grid_rows: list[dict]) -> list[dict]:
    meic = pd.read_csv(root / "ceds" / "zheng2018_meic_china_emissions_by_sector_2010-2017.csv")
    power = meic[meic["sector"] == "Power"].drop_duplicates(["pollutant", "year"])
    year = int(power["year"].max())
    latest = power[power["year"] == year].set_index("pollutant")["value_tg"]
    rows = []
    for pol in ("SO2", "NOx", "PM2.5", "BC", "OC"):
        if pol not in latest.index:
            raise FactorError(f"zheng2018 MEIC file has no Power {pol} row for {year}")
        ratio = float(latest[pol]) / float(latest["CO2"])
        for rec in grid_rows:
            rows.append(
                {
                    **rec,
                    "pollutant": pol.lower().replace(".", ""),
                    "value": rec["value"] * ratio,
                    "publisher": f"{rec['publisher']}; MEIC (Tsinghua University)",
                    "citation": f"{rec['citation']}; {MEIC_CITE}, {year}",
                    "status": "derived",
                    "verified": False,
                    "note": f"grid CO2 {rec['value']} kg/kWh × MEIC power {pol}/CO2 {year} = {ratio:.4g} "
                    "(pollutant/CO2 ratio of an earlier year: overstates after later ultra-low-emission retrofits)",
                }
            )
    return rows


def _beis(root: Path, gains_rows: list[dict]) -> list[dict]:
    frame = pd.read_excel(
        root / "uk_beis_ghg_conversion_factors_2020_flat_file.xlsx", sheet_name="Factors by Category", header=4
    )
    value_col = "GHG Conversion Factor 2020"
    missing = {"Level 1", "Level 2", "Level 3", "Column Text", "UOM", "GHG", value_col} - set(frame.columns)
    if missing:
        raise FactorError(f"BEIS flat file sheet 'Factors by Category' lacks columns {sorted(missing)}")
    frame = frame.dropna(subset=[value_col])
    ghg = {"kg CO2": "co2", "kg CO2e": "co2e"}
    rows = []
    freight = frame[
        (frame["Level 1"] == "Freighting goods")
        & (frame["UOM"] == "tonne.km")
        & frame["GHG"].isin(ghg)
        & ~frame["Column Text"].isin(["0% Laden", "50% Laden", "100% Laden"])
    ]
    for rec in freight.to_dict("records"):
        parts = [rec["Level 2"], rec["Level 3"], rec.get("Level 4")]
        if isinstance(rec["Column Text"], str) and rec["Column Text"] != "Average laden":
            parts.append(rec["Column Text"])  # e.g. freight flights "With RF" / "Without RF"
        mode = "/".join(_slug(p) for p in parts if isinstance(p, str))
        rows.append(
            _row(
                source="beis",
                activity_type="freight",
                mode=mode,
                region="GB",
                pollutant=ghg[rec["GHG"]],
                value=float(rec[value_col]),
                unit="kg/(t*km)",
                publisher=BEIS_PUB,
                licence=BEIS_LICENCE,
                citation=f"{BEIS_CITE}; Freighting goods / {' / '.join(p for p in parts if isinstance(p, str))}",
            )
        )
    material = frame[
        (frame["Level 1"] == "Material use")
        & (frame["Column Text"] == "Primary material production")
        & frame["GHG"].isin(ghg)
    ]
    for rec in material.to_dict("records"):
        rows.append(
            _row(
                source="beis",
                activity_type="material",
                material=_slug(rec["Level 3"]),
                region="GB",
                pollutant=ghg[rec["GHG"]],
                value=float(rec[value_col]),
                unit="kg/t",
                publisher=BEIS_PUB,
                licence=BEIS_LICENCE,
                citation=f"{BEIS_CITE}; Material use / {rec['Level 2']} / {rec['Level 3']} / primary production",
            )
        )
    units = {"kWh (Net CV)": "kg/kWh", "tonnes": "kg/t", "litres": "kg/L", "cubic metres": "kg/m**3"}
    fuels = frame[(frame["Level 1"] == "Fuels") & frame["UOM"].isin(units) & frame["GHG"].isin(ghg)]
    for rec in fuels.to_dict("records"):
        rows.append(
            _row(
                source="beis",
                activity_type="fuel",
                fuel="uk_" + _slug(rec["Level 3"]),
                region="GB",
                pollutant=ghg[rec["GHG"]],
                value=float(rec[value_col]),
                unit=units[rec["UOM"]],
                id_suffix=":per_" + _slug(rec["UOM"]),
                publisher=BEIS_PUB,
                licence=BEIS_LICENCE,
                citation=f"{BEIS_CITE}; Fuels / {rec['Level 2']} / {rec['Level 3']} / {rec['UOM']}",
                note="energy basis: net calorific value" if "Net CV" in rec["UOM"] else "",
            )
        )
    rows += _freight_copollutants(frame, value_col, rows, gains_rows)
    return rows


def _freight_copollutants(frame, value_col, beis_rows, gains_rows) -> list[dict]:
    diesel = frame[
        (frame["Level 1"] == "Fuels")
        & (frame["Level 3"] == "Diesel (100% mineral diesel)")
        & (frame["UOM"] == "kWh (Net CV)")
        & (frame["GHG"] == "kg CO2")
    ]
    if diesel.empty:
        raise FactorError("BEIS flat file: no 'Diesel (100% mineral diesel)' kWh (Net CV) kg CO2 factor")
    diesel_kg_per_kwh = float(diesel[value_col].iloc[0])
    gains = [
        r
        for r in gains_rows
        if r["sector"] == "transport" and r["technology"] == "hdt" and r["fuel"] == "heavy_liquid_fuel"
    ]
    if not gains:
        return []
    year = max(r["year"] for r in gains if r["year"] <= 2015)
    truck = {r["pollutant"]: r for r in gains if r["year"] == year and r["pollutant"] not in ("co2",)}
    rows = []
    for rec in beis_rows:
        if rec["activity_type"] != "freight" or rec["pollutant"] != "co2" or not rec["mode"].startswith("hgv"):
            continue
        gj_per_tkm = rec["value"] / diesel_kg_per_kwh * 0.0036  # kWh → GJ
        for pol, g in truck.items():
            rows.append(
                {
                    **rec,
                    "region": "CN",
                    "year": year,
                    "pollutant": pol,
                    "value": gj_per_tkm * g["value"],
                    "publisher": f"{BEIS_PUB}; {g['publisher']}",
                    "licence": f"{BEIS_LICENCE}; {g['licence']}",
                    "citation": f"{rec['citation']}; {g['citation']} ({year})",
                    "status": "derived",
                    "verified": bool(g["verified"]),
                    "note": f"{rec['value']} kg CO2/t·km ÷ {diesel_kg_per_kwh} kg CO2/kWh diesel (net CV) × "
                    f"{g['value']:.4g} kg/GJ (GAINS heavy-duty diesel trucks, China {year}): UK fuel use per t·km",
                }
            )
    return rows


def _slug(text: str) -> str:
    out = "".join(ch.lower() if ch.isalnum() else "_" for ch in str(text).strip())
    while "__" in out:
        out = out.replace("__", "_")
    return out.strip("_")


def build_factor_library(root: str | Path | None = None, out: str | Path | None = None) -> pd.DataFrame:
    """Derive the compact factor library from ``root`` (default ``shared/data/factors``) and write it atomically.

    ``out`` defaults to the package file ``coreduce/exchange/data/factor_library.csv``. Returns the frame.
    """
    if root is None:
        from coreduce.paths import shared_data_dir

        root = shared_data_dir() / "factors"
    root = Path(root)
    if not root.is_dir():
        raise FactorError(f"factor folder {root} does not exist")
    gains = _gains(root)
    grid = _grid(root)
    pm25 = _pm25_from_bc(root, gains)
    rows = _ceds_co2(root) + _ceds_so2_china(root) + gains + pm25 + _bond(root) + _gcam(root) + grid
    rows += _grid_copollutants(root, grid) + _beis(root, gains + pm25)
    frame = pd.DataFrame(rows)
    frame["year"] = frame["year"].astype("Int64")
    frame["key"] = [
        "/".join(str(r[f]) for f in KEY_FIELDS[r["activity_type"]])
        + (f"/{r['year']}" if r["activity_type"] == "electricity" else "")
        for r in frame.to_dict("records")
    ]
    suffix = frame["id_suffix"].fillna("") if "id_suffix" in frame else ""
    frame["factor_id"] = [
        f"{src}:{key}:{reg}:{pol}" + ("" if pd.isna(y) or at == "electricity" else f":{y}")
        for src, key, reg, pol, y, at in zip(
            frame["source"],
            frame["key"],
            frame["region"],
            frame["pollutant"],
            frame["year"],
            frame["activity_type"],
            strict=True,
        )
    ]
    frame["factor_id"] += suffix
    dup = frame["factor_id"].duplicated(keep=False)
    if dup.any():
        raise FactorError(f"duplicate factor ids: {sorted(frame.loc[dup, 'factor_id'].unique())[:5]}")
    frame = frame[COLUMNS].sort_values(["activity_type", "factor_id"], ignore_index=True)
    _write_atomic(frame, Path(out) if out else _data_dir() / LIBRARY_FILE)
    return frame


def _write_atomic(frame: pd.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            frame.to_csv(handle, index=False, float_format="%.8g")
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _data_dir() -> Path:
    return Path(str(resources.files("coreduce.exchange.data")))


@cache
def _load(path: str) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype={"region": str, "note": str}, keep_default_na=False, na_values={"year": [""]})
    missing = set(COLUMNS) - set(frame.columns)
    if missing:
        raise FactorError(f"{path}: factor library lacks columns {sorted(missing)}")
    frame["year"] = frame["year"].astype("Int64")
    frame["verified"] = frame["verified"].astype(str).str.lower().map({"true": True, "false": False})
    if frame["verified"].isna().any():
        row = int(frame.index[frame["verified"].isna()][0]) + 2
        raise FactorError(f"{path}: line {row}, column 'verified': expected True or False")
    return frame


def load_factor_library(path: str | Path | None = None) -> FactorLibrary:
    """The factor library (the shipped file unless ``path`` is given) with the GCAM ECL-2.0 licence notice."""
    path = Path(path) if path else _data_dir() / LIBRARY_FILE
    if not path.is_file():
        raise FactorError(f"factor library {path} does not exist; run build_factor_library()")
    notice = _data_dir() / GCAM_LICENCE_FILE
    notices = {GCAM_LICENCE_FILE: notice.read_text(encoding="utf-8")} if notice.is_file() else {}
    return FactorLibrary(_load(str(path)).copy(), notices)
