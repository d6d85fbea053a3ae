"""China's published grid CO2 factors (national, regional, provincial) and their co-pollutants from MEIC.

Co-pollutants: ``EF_p = EF_CO2,grid × (E_p / E_CO2)`` of the MEIC power sector in its latest year (Zheng et al.
2018), i.e. the power sector's pollutant-to-CO2 ratio applied to each published grid factor.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from coreduce.accounting.builders._rows import row
from coreduce.accounting.library import FactorError

GRID_LICENCE = "facts published in government announcements"
MEIC_CITE = "Zheng et al. 2018, Atmos. Chem. Phys. 18, 14095-14111, Fig. 3 (MEIC power sector)"
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


def grid(root: Path) -> list[dict]:
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
            row(
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


def grid_copollutants(root: Path, grid_rows: list[dict]) -> list[dict]:
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
