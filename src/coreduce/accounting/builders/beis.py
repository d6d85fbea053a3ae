"""UK BEIS/Defra conversion factors: freight per t·km, primary materials per tonne, UK fuels; and freight
co-pollutants.

Freight co-pollutants: ``EF_p per t·km = EF_CO2 per t·km (BEIS) ÷ EF_CO2 per kWh of diesel (BEIS, net CV)
× EF_p per GJ (GAINS, diesel heavy-duty trucks)`` — the UK fuel use per t·km with China's truck factors.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from coreduce.accounting.builders._rows import row, slug
from coreduce.accounting.library import FactorError

BEIS_PUB = "UK BEIS and Defra (Ricardo Energy & Environment)"
BEIS_CITE = "UK Government GHG Conversion Factors for Company Reporting 2020, v1 (flat file), 2020-05-28"
BEIS_LICENCE = "Open Government Licence v3.0"


def beis(root: Path, gains_rows: list[dict]) -> list[dict]:
    frame = pd.read_excel(
        root / "uk_beis_ghg_conversion_factors_2020_flat_file.xlsx", sheet_name="Factors by Category", header=4
    )
    value_col = "GHG Conversion Factor 2020"
    missing = {"Level 1", "Level 2", "Level 3", "Column Text", "UOM", "GHG", value_col} - set(frame.columns)
    if missing:
        raise FactorError(f"BEIS flat file sheet 'Factors by Category' lacks columns {sorted(missing)}")
    frame = frame.dropna(subset=[value_col])
    ghg = {"kg CO2": "co2", "kg CO2e": "co2e"}

    def beis_row(rec: dict, **kw) -> dict:
        """A BEIS row: UK (GB) value of the record's greenhouse gas, with BEIS's publisher and licence."""
        pollutant, value = ghg[rec["GHG"]], float(rec[value_col])
        return row(
            source="beis", region="GB", pollutant=pollutant, value=value, publisher=BEIS_PUB, licence=BEIS_LICENCE, **kw
        )

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
        mode = "/".join(slug(p) for p in parts if isinstance(p, str))
        rows.append(
            beis_row(
                rec,
                activity_type="freight",
                mode=mode,
                unit="kg/(t*km)",
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
            beis_row(
                rec,
                activity_type="material",
                material=slug(rec["Level 3"]),
                unit="kg/t",
                citation=f"{BEIS_CITE}; Material use / {rec['Level 2']} / {rec['Level 3']} / primary production",
            )
        )
    units = {"kWh (Net CV)": "kg/kWh", "tonnes": "kg/t", "litres": "kg/L", "cubic metres": "kg/m**3"}
    fuels = frame[(frame["Level 1"] == "Fuels") & frame["UOM"].isin(units) & frame["GHG"].isin(ghg)]
    for rec in fuels.to_dict("records"):
        rows.append(
            beis_row(
                rec,
                activity_type="fuel",
                fuel="uk_" + slug(rec["Level 3"]),
                unit=units[rec["UOM"]],
                id_suffix=":per_" + slug(rec["UOM"]),
                citation=f"{BEIS_CITE}; Fuels / {rec['Level 2']} / {rec['Level 3']} / {rec['UOM']}",
                note="energy basis: net calorific value" if "Net CV" in rec["UOM"] else "",
            )
        )
    rows += freight_copollutants(frame, value_col, rows, gains_rows)
    return rows


def freight_copollutants(frame, value_col, beis_rows, gains_rows) -> list[dict]:
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
