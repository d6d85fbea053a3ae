"""The yearbook-style provincial panel 1990–2025 (WangMeng0734's compilation of NBS yearbooks and CEADs).

``wangmeng_provincial_panel/raw_data.csv``: one row per province (Chinese name, full or short: 吉林省, 黑龙江,
内蒙古) and year, one column per series. Read faithfully: empty cells are absent rows (never zeros), and the
known-bad 2021–22 GDP of four provinces is left as published for the project's checks to detect and correct.
SO2 is converted from 10^4 t to kt. ``va_primary`` is derived as GDP − secondary − tertiary value added
(status ``derived``), so it inherits any defect in those three columns; where secondary + tertiary exceed GDP
(Beijing 2011–2017, Anhui 2024 in this file) the inputs contradict each other and no primary value is derived
(a negative value added would be impossible): it stays missing.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from coreduce.data.readers._base import Reader, ReaderOutput
from coreduce.data.readers._common import check_unique, long_rows, output, read_csv, to_geo, to_number, years

FILE = Path("wangmeng_provincial_panel/raw_data.csv")
SOURCE = "yearbook_panel"
NBS = "NBS (China Statistical Yearbook; provincial statistical yearbooks)"
NBS_ENERGY = "NBS (China Energy Statistical Yearbook; China Statistical Yearbook)"


class Series(NamedTuple):
    column: str
    variable: str
    unit: str
    from_unit: str
    definition: str
    publisher: str


SERIES = (
    Series("Regional GDP", "gdp", "1e8 CNY", "1e8 CNY", "Gross regional product, current prices", NBS),
    Series("Secondary industry value added", "va_secondary", "1e8 CNY", "1e8 CNY",
           "Value added of the secondary industry, current prices", NBS),
    Series("Tertiary industry value added from Long", "va_tertiary", "1e8 CNY", "1e8 CNY",
           "Value added of the tertiary industry, current prices", NBS),
    Series("GDP per capita from Long", "gdp_per_capita", "CNY/person", "CNY/person",
           "Gross regional product per person, current prices", NBS),
    Series("Industrial value added from Long", "va_industry", "1e8 CNY", "1e8 CNY",
           "Industrial value added, current prices", NBS),
    Series("Total electricity generation", "electricity_generation", "1e8 kWh", "1e8 kWh",
           "Electricity generation, all sources", NBS_ENERGY),
    Series("Population", "population", "1e4 person", "1e4 person", "Resident population (year end)", NBS),
    Series("Hydropower generation from Long", "electricity_hydro", "1e8 kWh", "1e8 kWh",
           "Hydropower generation", NBS_ENERGY),
    Series("Raw coal production from Long", "coal_production", "1e4 t", "1e4 t", "Raw coal production", NBS_ENERGY),
    Series("Non fossil electricity generation", "electricity_nonfossil", "1e8 kWh", "1e8 kWh",
           "Electricity generation from non-fossil sources", NBS_ENERGY),
    Series("SO2 emissions", "so2_nbs", "kt", "1e4 t",
           "SO2 emissions, environmental statistics (definitional break in 2016: new statistical system)",
           "NBS/MEE (China Statistical Yearbook on Environment)"),
    Series("Natural gas production from Long", "gas_production", "1e8 m3", "1e8 m3",
           "Natural gas production", NBS_ENERGY),
    Series("Total apparent CO2 emissions (mt)", "co2_apparent", "Mt", "Mt",
           "CO2 emissions, apparent (reference) approach, CEADs provincial inventory; 30 provinces, no Tibet",
           "CEADs"),
    Series("Total energy consumption", "energy_total", "1e4 tce", "1e4 tce",
           "Total energy consumption (standard coal equivalent)", NBS_ENERGY),
)  # fmt: skip

VA_PRIMARY = {
    "variable": "va_primary",
    "unit": "1e8 CNY",
    "definition": "Value added of the primary industry, current prices, derived as gdp − va_secondary − va_tertiary",
    "publisher": NBS,
    "source": SOURCE,
}


def read_file(path: Path) -> ReaderOutput:
    """Canonical rows of the panel file at ``path``."""
    origin = str(path)
    frame = read_csv(path, ["Province", "Year", *(s.column for s in SERIES)], "the provincial panel raw_data.csv")
    frame = frame.assign(
        geo=to_geo(frame["Province"], origin, "Province"),
        year=years(frame["Year"], origin, "Year"),
    )
    check_unique(frame, ["geo", "year"], origin)
    parts, values = [], {}
    for s in SERIES:
        values[s.variable] = to_number(frame[s.column], origin, s.column)
        part = frame[["geo", "year"]].assign(value=values[s.variable])
        parts.append(long_rows(part, "value", s.variable, s.unit, SOURCE, from_unit=s.from_unit))
    primary = values["gdp"] - values["va_secondary"] - values["va_tertiary"]
    primary = primary.where(primary >= 0)  # secondary + tertiary above GDP: inconsistent inputs, no primary sector
    parts.append(long_rows(frame[["geo", "year"]].assign(value=primary), "value", "va_primary", "1e8 CNY", SOURCE,
                           status="derived"))  # fmt: skip
    catalogue = [
        {"variable": s.variable, "unit": s.unit, "definition": s.definition, "publisher": s.publisher, "source": SOURCE}
        for s in SERIES
    ] + [VA_PRIMARY]
    source = {
        "source": SOURCE,
        "publisher": "NBS yearbooks and CEADs, compiled by WangMeng0734 (china-provincial-energy-consumption-panel)",
        "title": "China provincial energy-consumption panel 1990–2025, raw (pre-imputation) sheet",
        "licence": "none stated (underlying sources remain subject to their providers' terms)",
        "citation": (
            "WangMeng0734, china-provincial-energy-consumption-panel, commit 8c7cd491a6e5, "
            "energy-consumption-forecasting-china/02_Data/csv/raw_data.csv"
        ),
        "files": str(FILE),
    }
    return output(parts, catalogue, [source], origin=origin)


def read(root: Path) -> ReaderOutput:
    return read_file(root / FILE)


READER = Reader(name=SOURCE, read=read)
