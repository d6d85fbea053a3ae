"""CEADs inventory labels: the 17 fuels plus cement process and the 47 sectors, harmonised across vintages.

CEADs workbooks spell the same column differently between years (``Raw Coal``, ``Raw_Coal``; ``Cleaned Coal``,
``CleanedCoal``) and pad sector names with spaces in older files. Labels are matched on a key that ignores
case, spaces, underscores and punctuation, and mapped to one snake_case name. The sector list is the IPCC
sectoral approach of Shan et al. (2018, Sci. Data 5:170201, Table 2): 45 industries plus urban and rural
households.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path

import pandas as pd

from coreduce.data.readers._base import ReaderError
from coreduce.data.readers._common import where
from coreduce.geo import UnknownProvinceError, code_of

SOURCE_FIELDS = {
    "publisher": "CEADs (Carbon Emission Accounts and Datasets)",
    "licence": "none stated (CEADs terms: freely available, cite properly)",
    "citation": (
        "Shan, Y. et al. (2018) China CO2 emission accounts 1997–2015, Sci. Data 5:170201; Shan, Y. et al. (2020) "
        "China CO2 emission accounts 2016–2017, Sci. Data 7:54; Guan, Y. et al. (2021) Assessment to China's recent "
        "emission pattern shifts, Earth's Future 9:e2021EF002241; via Open-Earth-Foundation/OpenClimate"
    ),
}

FUELS = {
    "Raw Coal": "raw_coal",
    "Cleaned Coal": "cleaned_coal",
    "Other Washed Coal": "other_washed_coal",
    "Briquettes": "briquettes",
    "Coke": "coke",
    "Coke Oven Gas": "coke_oven_gas",
    "Other Gas": "other_gas",
    "Other Coking Products": "other_coking_products",
    "Crude Oil": "crude_oil",
    "Gasoline": "gasoline",
    "Kerosene": "kerosene",
    "Diesel Oil": "diesel_oil",
    "Fuel Oil": "fuel_oil",
    "LPG": "lpg",
    "Refinery Gas": "refinery_gas",
    "Other Petroleum Products": "other_petroleum_products",
    "Natural Gas": "natural_gas",
    "Process": "process",
}
"""Scope-1 columns: 17 fossil fuels and cement process; their sum is the ``Scope 1 Total`` column."""

OTHER_COLUMNS = ("Scope 2 Heat", "Scope 2 Electricity", "Other Energy")
"""Columns present in every vintage but not part of scope 1 (zero in all files); read and ignored."""

TOTAL_COLUMN = "Scope 1 Total"
TOTAL_ROWS = ("Total Consumption", "Total Emissions")

SECTORS = {
    "Farming, Forestry, Animal Husbandry, Fishery and Water Conservancy": "agriculture_forestry_fishery",
    "Coal Mining and Dressing": "coal_mining",
    "Petroleum and Natural Gas Extraction": "oil_gas_extraction",
    "Ferrous Metals Mining and Dressing": "ferrous_metals_mining",
    "Nonferrous Metals Mining and Dressing": "nonferrous_metals_mining",
    "Nonmetal Minerals Mining and Dressing": "nonmetal_minerals_mining",
    "Other Minerals Mining and Dressing": "other_minerals_mining",
    "Logging and Transport of Wood and Bamboo": "logging_wood_bamboo",
    "Food Processing": "food_processing",
    "Food Production": "food_production",
    "Beverage Production": "beverage_production",
    "Tobacco Processing": "tobacco_processing",
    "Textile Industry": "textiles",
    "Garments and Other Fiber Products": "garments_fiber_products",
    "Leather, Furs, Down and Related Products": "leather_furs_down",
    "Timber Processing, Bamboo, Cane, Palm Fiber & Straw Products": "timber_processing",
    "Furniture Manufacturing": "furniture",
    "Papermaking and Paper Products": "paper",
    "Printing and Record Medium Reproduction": "printing",
    "Cultural, Educational and Sports Articles": "cultural_educational_sports_articles",
    "Petroleum Processing and Coking": "petroleum_processing_coking",
    "Raw Chemical Materials and Chemical Products": "chemicals",
    "Medical and Pharmaceutical Products": "pharmaceuticals",
    "Chemical Fiber": "chemical_fiber",
    "Rubber Products": "rubber_products",
    "Plastic Products": "plastic_products",
    "Nonmetal Mineral Products": "nonmetal_mineral_products",
    "Smelting and Pressing of Ferrous Metals": "ferrous_metals_smelting",
    "Smelting and Pressing of Nonferrous Metals": "nonferrous_metals_smelting",
    "Metal Products": "metal_products",
    "Ordinary Machinery": "ordinary_machinery",
    "Equipment for Special Purposes": "special_equipment",
    "Transportation Equipment": "transport_equipment",
    "Electric Equipment and Machinery": "electric_equipment",
    "Electronic and Telecommunications Equipment": "electronic_telecom_equipment",
    "Instruments, Meters, Cultural and Office Machinery": "instruments_office_machinery",
    "Other Manufacturing Industry": "other_manufacturing",
    "Scrap and waste": "scrap_waste",
    "Production and Supply of Electric Power, Steam and Hot Water": "power_heat_supply",
    "Production and Supply of Gas": "gas_supply",
    "Production and Supply of Tap Water": "water_supply",
    "Construction": "construction",
    "Transportation, Storage, Post and Telecommunication Services": "transport_storage_post",
    "Wholesale, Retail Trade and Catering Services": "wholesale_retail_catering",
    "Others": "others",
    "Urban": "urban",
    "Rural": "rural",
}


SECTOR_ALIASES = {
    "Farming, Forestry, Animal Husbandry, Fishery & Water Conservancy": "agriculture_forestry_fishery",
    "Petroleum and Naturl Gas Extraction": "oil_gas_extraction",
    "Timber Processing, Bamboo, Cane, Palm & Straw Products": "timber_processing",
    "Equipment for Special Purpose": "special_equipment",
    "Electric Power, Steam and Hot Water Production and Supply": "power_heat_supply",
    "Gas Production and Supply": "gas_supply",
    "Tap Water Production and Supply": "water_supply",
    "Transport, Storage, Postal & Telecommunications Services": "transport_storage_post",
    "Wholesale, Retail Trade and Catering Service": "wholesale_retail_catering",
    "Other": "others",
}
"""Spellings of the same sectors in the CEADs provincial energy inventories (2011–2022)."""


@cache
def key(label: object) -> str:
    """Matching key of a label: lower case, letters and digits only (``Raw_Coal`` and ``Raw Coal`` agree)."""
    return re.sub(r"[^0-9a-z]", "", str(label).lower())


_FUEL_KEYS = {key(k): v for k, v in FUELS.items()}
_OTHER_KEYS = {key(k) for k in OTHER_COLUMNS}
_SECTOR_KEYS = {key(k): v for k, v in (SECTORS | SECTOR_ALIASES).items()}
_TOTAL_ROW_KEYS = {key(k) for k in TOTAL_ROWS}


def fuel_columns(
    header: pd.Series, origin: str, header_row: int, *, total: bool = True, ignore: tuple[str, ...] = ()
) -> tuple[dict[str, int], int | None]:
    """Positions of the 18 scope-1 columns (by snake_case name) and of ``Scope 1 Total`` in a header row.

    ``total=False`` reads a header without ``Scope 1 Total`` and ``Process`` (the energy inventories, whose
    further columns ``ignore`` names). Raises naming the missing or unknown column labels.
    """
    fuels: dict[str, int] = {}
    at = None
    skip = _OTHER_KEYS | {key(k) for k in ignore}
    for position, label in header.items():
        if position == 0 or pd.isna(label):
            continue
        k = key(label)
        if k in _FUEL_KEYS and (total or _FUEL_KEYS[k] != "process"):
            fuels[_FUEL_KEYS[k]] = int(position)
        elif total and k == key(TOTAL_COLUMN):
            at = int(position)
        elif k not in skip:
            raise ReaderError(f"{origin}: row {header_row}: unknown column {label!r}; expected CEADs fuel names")
    missing = [name for name in FUELS if FUELS[name] not in fuels and (total or name != "Process")]
    if total and at is None:
        missing.append(TOTAL_COLUMN)
    if missing:
        raise ReaderError(f"{origin}: row {header_row}: missing column(s) {', '.join(missing)}")
    return fuels, at


def is_total_row(label: object) -> bool:
    return key(label) in _TOTAL_ROW_KEYS


def sector_names(labels: pd.Series, origin: str) -> list[str]:
    """snake_case names of the 47 sector labels (column A of a sheet read without header), in order.

    Unknown, missing or repeated sectors are errors naming the spreadsheet row.
    """
    names = []
    for i, label in labels.items():
        name = _SECTOR_KEYS.get(key(label))
        if name is None:
            raise ReaderError(f"{origin}: row {int(i) + 1}, column A: unknown sector {label!r}")
        if name in names:
            raise ReaderError(f"{origin}: row {int(i) + 1}, column A: duplicate sector {label!r}")
        names.append(name)
    missing = [label for label, name in SECTORS.items() if name not in names]
    if missing:
        raise ReaderError(f"{origin}: missing sector row(s) {', '.join(missing)}")
    return names


_SHEET = re.compile(r"^(?P<province>\D+?)\s*(?P<year>\d{4})$")


def province_sheets(book: Mapping[str, pd.DataFrame], path: Path, year: int) -> list[tuple[str, str, pd.DataFrame]]:
    """``(geo, origin, sheet)`` for every province sheet of a CEADs workbook of ``year`` (the NOTE sheet skipped).

    A sheet name other than ``<Province><year>``, one that names no province, or a second sheet for the same
    province is an error naming the file and sheet.
    """
    sheets, names = [], {}
    for name, sheet in book.items():
        if name.strip().upper() == "NOTE":
            continue
        origin = where(path, name)
        match = _SHEET.match(name.strip())
        if match is None or int(match["year"]) != year:
            raise ReaderError(f"{origin}: unexpected sheet name; expected '<Province>{year}' or 'NOTE'")
        try:
            geo = code_of(match["province"])
        except UnknownProvinceError as exc:
            raise ReaderError(f"{origin}: the sheet name names no province ({exc})") from exc
        if geo in names:
            raise ReaderError(f"{origin}: a second sheet for the province of sheet {names[geo]!r}")
        names[geo] = name
        sheets.append((geo, origin, sheet))
    return sheets
