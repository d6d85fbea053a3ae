"""Our World in Data CO2 and energy files, China rows: national CO2 (Global Carbon Budget), energy, coal share.

``owid/owid_co2_china_world_gcb2024.csv`` → ``co2_gcb`` (fossil and cement CO2, Mt) and ``primary_energy`` (TWh);
``owid/owid_energy_china_world.csv`` → ``coal_share`` = coal_consumption ÷ primary_energy_consumption (both TWh,
substitution method), a fraction, status ``derived``. The files' ``gdp`` column is PPP international dollars
(Maddison), not yuan, and is not read.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from coreduce.data.readers._base import Reader, ReaderError, ReaderOutput
from coreduce.data.readers._common import check_unique, long_rows, output, read_csv, to_number, years
from coreduce.geo import NATIONAL_CODE

CO2_FILE = Path("owid/owid_co2_china_world_gcb2024.csv")
ENERGY_FILE = Path("owid/owid_energy_china_world.csv")
COUNTRY = "China"
LICENCE = "CC BY 4.0"


def _china(path: Path, columns: list[str]) -> pd.DataFrame:
    """The China rows of an OWID file: geo, year and the numeric ``columns``."""
    origin = str(path)
    frame = read_csv(path, ["country", "year", *columns], f"an Our World in Data file with columns {columns}")
    frame = frame[frame["country"].str.strip() == COUNTRY]
    if frame.empty:
        raise ReaderError(f"{origin}: column 'country': no rows for {COUNTRY!r}")
    out = pd.DataFrame({"geo": NATIONAL_CODE, "year": years(frame["year"], origin, "year")}, index=frame.index)
    check_unique(out, ["geo", "year"], origin)
    for column in columns:
        out[column] = to_number(frame[column], origin, column)
    return out


def read_co2(path: Path) -> list[pd.DataFrame]:
    """``co2_gcb`` (Mt) and ``primary_energy`` (TWh) rows from the OWID CO2 file."""
    china = _china(path, ["co2", "primary_energy_consumption"])
    return [
        long_rows(china, "co2", "co2_gcb", "Mt", "owid_co2"),
        long_rows(china, "primary_energy_consumption", "primary_energy", "TWh", "owid_co2"),
    ]


def read_energy(path: Path) -> pd.DataFrame:
    """``coal_share`` rows (fraction, derived) from the OWID energy file; years lacking either part are absent."""
    china = _china(path, ["coal_consumption", "primary_energy_consumption"])
    denominator = china["primary_energy_consumption"].where(china["primary_energy_consumption"] > 0)
    china["share"] = china["coal_consumption"] / denominator
    return long_rows(china, "share", "coal_share", "fraction", "owid_energy", status="derived")


CATALOGUE = [
    {"variable": "co2_gcb", "unit": "Mt", "definition": "CO2 emissions from fossil fuels and cement (territorial)",
     "publisher": "Global Carbon Project (Global Carbon Budget 2024), via Our World in Data", "source": "owid_co2"},
    {"variable": "primary_energy", "unit": "TWh",
     "definition": "Primary energy consumption (substitution method)",
     "publisher": "Energy Institute Statistical Review; EIA, via Our World in Data", "source": "owid_co2"},
    {"variable": "coal_share", "unit": "fraction",
     "definition": "Coal share of primary energy consumption, derived as coal_consumption ÷ "
                   "primary_energy_consumption (TWh, substitution method); national",
     "publisher": "Energy Institute Statistical Review, via Our World in Data", "source": "owid_energy"},
]  # fmt: skip

SOURCES = [
    {"source": "owid_co2", "publisher": "Our World in Data (data from the Global Carbon Project)",
     "title": "OWID CO2 and greenhouse gas emissions dataset (Global Carbon Budget 2024), China rows",
     "licence": LICENCE,
     "citation": "Friedlingstein, P. et al. (2024) Global Carbon Budget 2024, Earth Syst. Sci. Data; "
                 "Our World in Data, owid/co2-data",
     "files": str(CO2_FILE)},
    {"source": "owid_energy", "publisher": "Our World in Data (data from the Energy Institute and Ember)",
     "title": "OWID energy dataset, China rows",
     "licence": LICENCE,
     "citation": "Energy Institute (2024) Statistical Review of World Energy; Our World in Data, owid/energy-data",
     "files": str(ENERGY_FILE)},
]  # fmt: skip


def read(root: Path) -> ReaderOutput:
    parts = [*read_co2(root / CO2_FILE), read_energy(root / ENERGY_FILE)]
    return output(parts, CATALOGUE, SOURCES, origin=str(root / "owid"))


READER = Reader(name="owid", read=read)
