"""GCAM minimum (fully controlled) non-CO2 emission coefficients: floors, not average factors (ECL-2.0)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from coreduce.accounting.builders._rows import row
from coreduce.accounting.library import GCAM_LICENCE_FILE

GCAM_PUB = "JGCRI/PNNL GCAM (gcam-core @ 6f8109dc, A51.min_coeff.csv)"
GCAM_CITE = "GCAM minimum (fully controlled) non-CO2 emission coefficients, from GCAM3 NonCO2_energy_input.xls"
GCAM_LICENCE = f"ECL-2.0 (licence text shipped as coreduce/accounting/data/{GCAM_LICENCE_FILE})"
_GCAM_SECTORS = {"electricity": "power", "industrial energy use": "industry"}
_GCAM_FUELS = {"coal": "coal", "gas": "natural_gas", "refined liquids": "light_liquid_fuel", "biomass": "biomass"}


def gcam(root: Path) -> list[dict]:
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
                row(
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
