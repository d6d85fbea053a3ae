"""CEDS 2024 gridded emissions aggregated to GADM level-1 provinces by CREA, by CEDS sector, 2000–2022.

``ceds_provincial_crea/ceds_v2024_04_01_china_gadm1_by_sector_2000_2022.csv`` (columns GID_0, GID_1, NAME_1,
year, pollutant, emission, unit = ``kt/year``, sector). Hong Kong and Macau are dropped; GADM names
(``Nei Mongol``, ``Ningxia Hui``, ``Xinjiang Uygur``, ``Xizang``) resolve through :mod:`coreduce.geo`. Emits for
each of the 10 pollutants ``<pollutant>_ceds.sector.<sector>`` (as published, status ``reported``) and the
province total ``<pollutant>_ceds`` = Σ sectors (status ``derived``); units kt, CO2 in Mt. Coastal provinces
were buffered 20 km into the sea by CREA and so include some shipping emissions.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from coreduce.data.readers._base import Reader, ReaderError, ReaderOutput
from coreduce.data.readers._common import check_unique, long_rows, output, read_csv, to_geo, to_number, years

FILE = Path("ceds_provincial_crea/ceds_v2024_04_01_china_gadm1_by_sector_2000_2022.csv")
SOURCE = "ceds_crea_2024"
UNIT = "kt/year"
DROPPED = ("Hong Kong", "Macau", "Macao")
POLLUTANTS = {  # pollutant: (variable stem, canonical unit, what)
    "BC": ("bc_ceds", "kt", "black carbon"),
    "CH4": ("ch4_ceds", "kt", "CH4"),
    "CO": ("co_ceds", "kt", "CO"),
    "CO2": ("co2_ceds", "Mt", "CO2"),
    "N2O": ("n2o_ceds", "kt", "N2O"),
    "NH3": ("nh3_ceds", "kt", "NH3"),
    "NMVOC": ("nmvoc_ceds", "kt", "non-methane volatile organic compounds"),
    "NOx": ("nox_ceds", "kt", "NOx (as NO2)"),
    "OC": ("oc_ceds", "kt", "organic carbon"),
    "SO2": ("so2_ceds", "kt", "SO2"),
}
SECTORS = {
    "Agriculture": "agriculture",
    "Energy Sector": "energy",
    "Industrial Sector": "industry",
    "Transportation Sector": "transport",
    "Residential, Commercial, Other": "residential_commercial_other",
    "Solvents Production and Application": "solvents",
    "Waste": "waste",
    "International Shipping": "international_shipping",
}
PUBLISHER = "CEDS (PNNL/JGCRI), aggregated to provinces by CREA"


def _check_values(frame: pd.DataFrame, column: str, allowed, origin: str) -> None:
    bad = ~frame[column].isin(list(allowed))
    if bad.any():
        i = frame.index[bad.to_numpy().argmax()]
        raise ReaderError(
            f"{origin}: row {int(i) + 2}, column {column!r}: unexpected {frame.loc[i, column]!r}; "
            f"expected one of {', '.join(allowed)}"
        )


def read_file(path: Path) -> ReaderOutput:
    origin = str(path)
    columns = ["NAME_1", "year", "pollutant", "emission", "unit", "sector"]
    frame = read_csv(path, columns, "the CREA CEDS provincial file by sector")
    frame = frame[~frame["NAME_1"].str.strip().isin(DROPPED)]
    _check_values(frame, "pollutant", POLLUTANTS, origin)
    _check_values(frame, "sector", SECTORS, origin)
    _check_values(frame, "unit", [UNIT], origin)
    frame = frame.assign(
        geo=to_geo(frame["NAME_1"], origin, "NAME_1"),
        year=years(frame["year"], origin, "year"),
        value=to_number(frame["emission"], origin, "emission"),
    )
    check_unique(frame, ["geo", "year", "pollutant", "sector"], origin)
    parts, catalogue = [], []
    for pollutant, rows in frame.groupby("pollutant", sort=True):
        stem, unit, what = POLLUTANTS[pollutant]
        totals = rows.groupby(["geo", "year"], as_index=False)["value"].sum(min_count=1)
        parts.append(long_rows(totals, "value", stem, unit, SOURCE, status="derived", from_unit="kt"))
        definition = f"{what} emissions, sum of the 8 CEDS sectors (gridded, modelled inventory)"
        catalogue.append({"variable": stem, "unit": unit, "publisher": PUBLISHER, "source": SOURCE,
                          "definition": definition})  # fmt: skip
        for sector, part in rows.groupby("sector", sort=True):
            variable = f"{stem}.sector.{SECTORS[sector]}"
            parts.append(long_rows(part, "value", variable, unit, SOURCE, from_unit="kt"))
            catalogue.append({"variable": variable, "unit": unit, "publisher": PUBLISHER, "source": SOURCE,
                              "definition": f"{what} emissions, CEDS sector {sector!r}"})  # fmt: skip
    source = {
        "source": SOURCE,
        "publisher": PUBLISHER,
        "title": "CEDS 2024 release 0.1° gridded emissions aggregated to GADM 4 level-1 provinces (CREA creaemission)",
        "licence": "CC BY 4.0 (CEDS data); MIT (CREA creaemission package)",
        "citation": (
            "Hoesly, R. et al. CEDS 2024 release (v_2024_07_08), PNNL/JGCRI; Centre for Research on Energy and "
            "Clean Air, energyandcleanair/creaemission, data/ceds/provincial/chn.rds (commit 0b66f09)"
        ),
        "files": str(FILE),
    }
    return output(parts, catalogue, [source], origin=origin)


def read(root: Path) -> ReaderOutput:
    return read_file(root / FILE)


READER = Reader(name="ceds_provincial", read=read)
