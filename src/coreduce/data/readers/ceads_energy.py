"""CEADs provincial energy inventories 2011–2022: the activity data behind the CEADs sectoral CO2 inventories.

One xlsx workbook per year (``ceads_energy_inventory/ceads_provincial_energy_inventory_YYYY.xlsx``), one sheet per
province (``<Province><Year>``) plus ``NOTE``. A sheet is the provincial energy balance of the China Energy
Statistical Yearbook as CEADs reformats it: a header of 20 energy columns (the 17 fossil fuels of the CO2
inventories, then Heat, Electricity, Other_Energy), a unit row, ``Total Final Consumption``, the 47 sectors of the
CO2 inventories (spelled slightly differently, see :data:`coreduce.data.readers._ceads.SECTOR_ALIASES`), then the
transformation block (``Thermal Power``, ``Heating Supply`` … inputs +, outputs −) and ``Non-Energy Use``.

:func:`read_energy` returns the cells the CEADs CO2 accounting uses, in physical units, as a long frame
``geo, year, row, fuel, value``: ``row`` is a sector name, ``thermal_power``, ``heating_supply`` or
``non_energy_use``. It emits no panel rows itself; :mod:`coreduce.data.readers.ceads_derived` turns it into CO2.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from coreduce.data.readers._base import ReaderError
from coreduce.data.readers._ceads import fuel_columns, key, province_sheets, sector_names
from coreduce.data.readers._common import XLSX, read_workbook, to_number

FOLDER = Path("ceads_energy_inventory")
YEARS = range(2011, 2023)
PROVINCES = 30
OTHER_ENERGY = ("Heat", "Electricity", "Other_Energy")
"""Energy columns outside the CO2 accounting (secondary energy and 'other', no scope-1 emissions)."""
EXTRA_ROWS = {"Thermal Power": "thermal_power", "Heating Supply": "heating_supply", "Non-Energy Use": "non_energy_use"}
UNITS = {
    **dict.fromkeys(
        (
            "raw_coal",
            "cleaned_coal",
            "other_washed_coal",
            "briquettes",
            "coke",
            "other_coking_products",
            "crude_oil",
            "gasoline",
            "kerosene",
            "diesel_oil",
            "fuel_oil",
            "lpg",
            "refinery_gas",
            "other_petroleum_products",
        ),
        "10^4 ton",
    ),
    **dict.fromkeys(("coke_oven_gas", "other_gas", "natural_gas"), "10^8 cu.m"),
}
"""The physical unit of each fuel (unit row of every sheet); a factor recovered in one unit applies only to it."""
_FINAL = key("Total Final Consumption")


def path_of(root: Path, year: int) -> Path:
    return root / FOLDER / f"ceads_provincial_energy_inventory_{year}.xlsx"


def _units(sheet: pd.DataFrame, fuels: dict[str, int], origin: str) -> None:
    for fuel, col in fuels.items():
        found = str(sheet.iat[1, col]).strip().lower()
        if found != UNITS[fuel].lower():
            raise ReaderError(
                f"{origin}: row 2, column {col + 1} ({fuel}): unit {sheet.iat[1, col]!r}; expected {UNITS[fuel]!r}"
            )


def sheet_cells(sheet: pd.DataFrame, origin: str) -> pd.DataFrame:
    """The activity cells of one province sheet: long frame ``row, fuel, value`` in the units of :data:`UNITS`."""
    if sheet.shape[0] < 3 or sheet.shape[1] < 2:
        raise ReaderError(f"{origin}: the sheet is empty; expected an energy balance (fuels × sectors)")
    fuels, _ = fuel_columns(sheet.iloc[0], origin, header_row=1, total=False, ignore=OTHER_ENERGY)
    _units(sheet, fuels, origin)
    labels = [key(v) if isinstance(v, str) else "" for v in sheet.iloc[:, 0]]
    if _FINAL not in labels:
        raise ReaderError(f"{origin}: column A: no 'Total Final Consumption' row")
    first = labels.index(_FINAL) + 1
    body = list(range(first, first + 47))
    names = sector_names(sheet.iloc[body, 0], origin)
    extra = []
    for label, name in EXTRA_ROWS.items():
        at = [i for i, k in enumerate(labels) if k == key(label)]
        if len(at) != 1:
            raise ReaderError(f"{origin}: column A: expected one {label!r} row, found {len(at)}")
        extra.append((at[0], name))
    rows = body + [i for i, _ in extra]
    block = sheet.iloc[rows, list(fuels.values())]
    values = {fuel: to_number(block.iloc[:, k], origin, fuel, XLSX).fillna(0.0) for k, fuel in enumerate(fuels)}
    wide = pd.DataFrame({f: v.to_numpy() for f, v in values.items()}, index=names + [n for _, n in extra])
    return wide.rename_axis("row").reset_index().melt(id_vars="row", var_name="fuel", value_name="value")


def read_year(path: Path, year: int) -> pd.DataFrame:
    """All provinces of one workbook: ``geo, year, row, fuel, value``."""
    book = read_workbook(path, f"a CEADs provincial energy inventory workbook for {year}")
    sheets = province_sheets(book, path, year)
    parts = []
    for geo, origin, sheet in sheets:
        parts.append(sheet_cells(sheet, origin).assign(geo=geo, year=year))
    if len(sheets) != PROVINCES:
        raise ReaderError(f"{path}: {len(sheets)} province sheets; expected {PROVINCES} (all provinces but Tibet)")
    return pd.concat(parts, ignore_index=True).loc[:, ["geo", "year", "row", "fuel", "value"]]


def read_energy(root: Path, years: range = YEARS) -> pd.DataFrame:
    """The activity cells of every year in ``years`` under the public data root ``root``."""
    return pd.concat([read_year(path_of(root, y), y) for y in years], ignore_index=True)
