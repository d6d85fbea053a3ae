"""IIASA GAINS (ECLIPSE V6b, CHIN_PLUS) factors per EMF30 sector, and PM2.5 from their black carbon.

- ``EF = emissions / activity`` per EMF30 sector (kt/PJ = kg/GJ; CO2 Mt/PJ = t/GJ). Residential coal heating is
  excluded (its activity is incomplete, PROVENANCE-factors.md). A (fuel, sector) split into technologies also
  gets a pooled ``*`` factor: Σ emissions / Σ activity.
- ``EF_PM2.5 = EF_BC / (BC/PM2.5 ratio)`` with the CEDS China default ratio of the matching CEDS sector (ratio
  source undocumented → unverified).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from coreduce.accounting.builders._rows import row
from coreduce.accounting.builders.ceds import CEDS
from coreduce.accounting.library import ANY

GAINS_PUB = "IIASA GAINS, ECLIPSE V6b CLE (with super emitters, as prepared by CEDS)"
GAINS_CITE = "Klimont et al. 2017, Atmos. Chem. Phys. 17, 8681-8723; ECLIPSE V6b via JGCRI/CEDS input files"
GAINS_LICENCE = "IIASA GAINS/ECLIPSE terms: free with attribution for research; verify before commercial use"

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
PM25_SECTOR = {
    "power": "1A1a_Electricity-public",
    "industry": "1A2g_Ind-Comb-other",
    "residential": "1A4b_Residential",
    "services": "1A4a_Commercial-institutional",
    "transport": "1A3b_Road",
}


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


def gains(root: Path) -> list[dict]:
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
            row(
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


def pm25_from_bc(root: Path, gains_rows: list[dict]) -> list[dict]:
    ratio = pd.read_csv(root / "ceds" / "ceds_bc_to_pm25_default_ratio_chn.csv")
    rows = []
    for rec in gains_rows:
        ceds_sector = PM25_SECTOR.get(rec["sector"])
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
