"""CEADs provincial CO2 inventories (IPCC sectoral approach, scope 1), one xlsx workbook per year, 1997–2019.

Each workbook has a ``NOTE`` sheet and one sheet per province named ``<Province><Year>`` (``InnerMongolia2008``).
A sheet is a sector × fuel matrix in Mt CO2: header row (fuel names), a unit row, a blank row, the total row
(``Total Consumption`` in older vintages, ``TotalEmissions`` in newer) and 47 sector rows. Emits:

- ``co2_ceads``: the province total (total row, ``Scope 1 Total`` column);
- ``co2_ceads_energy``: the energy-related part, the total less the cement ``process`` column (the sum of the 17
  fuel columns as published); :mod:`coreduce.data.readers.ceads_derived` continues it after 2019;
- ``co2_ceads.fuel.<fuel>``: each fuel's total over sectors (total row), 17 fuels plus ``process`` (cement);
- ``co2_ceads.sector.<sector>``: each sector's total over fuels (``Scope 1 Total`` column).

The reader checks that the fuels add up to the total and the sectors add up to the total in every sheet.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from coreduce.data.readers._base import Reader, ReaderError, ReaderOutput
from coreduce.data.readers._ceads import SOURCE_FIELDS, fuel_columns, is_total_row, province_sheets, sector_names
from coreduce.data.readers._common import XLSX, output, read_workbook, to_number

FOLDER = Path("ceads_openclimate/provinces")
YEARS = range(1997, 2020)
SOURCE = "ceads_provinces"
UNIT = "Mt"
PROVINCES = 30
_FILE = re.compile(r"emission_inventories_for_30_provinces_(\d{4})\.xlsx", re.IGNORECASE)
TOLERANCE = 1e-6
"""Largest accepted gap (Mt, relative to max(1, total)) between the total and the sum of its parts."""


def files(root: Path) -> dict[int, Path]:
    """The workbook of each year 1997–2019 under ``root``; a missing year is an error naming the file."""
    folder = root / FOLDER
    if not folder.is_dir():
        raise ReaderError(f"{folder}: folder not found; expected the CEADs provincial workbooks")
    found = {int(m.group(1)): p for p in folder.iterdir() if (m := _FILE.fullmatch(p.name))}
    missing = [y for y in YEARS if y not in found]
    if missing:
        names = ", ".join(f"Emission_Inventories_for_30_Provinces_{y}.xlsx" for y in missing)
        raise ReaderError(f"{folder}: missing workbook(s) {names}")
    return {y: found[y] for y in YEARS}


def _check_sum(parts: np.ndarray, total: float, what: str, origin: str) -> None:
    gap = abs(float(np.nansum(parts)) - total)
    if gap > TOLERANCE * max(1.0, abs(total)):
        raise ReaderError(f"{origin}: the {what} add up to {np.nansum(parts):.6f} Mt, not the total {total:.6f} Mt")


def read_sheet(sheet: pd.DataFrame, origin: str) -> tuple[float, dict[str, float], dict[str, float]]:
    """(total, fuel totals, sector totals) in Mt of one province sheet (cells as read, no header)."""
    if sheet.shape[0] < 2 or sheet.shape[1] < 2:
        raise ReaderError(f"{origin}: the sheet is empty; expected a sector × fuel matrix")
    fuels, total_col = fuel_columns(sheet.iloc[0], origin, header_row=1)
    labels = sheet.iloc[:, 0].to_numpy(dtype=object)
    total_at = [i for i, label in enumerate(labels) if is_total_row(label)]
    if not total_at:
        raise ReaderError(f"{origin}: column A: no 'Total Consumption'/'TotalEmissions' row")
    first = total_at[0]
    body = [i for i in range(first + 1, len(labels)) if isinstance(labels[i], str) and labels[i].strip()]
    sectors = sector_names(pd.Series(labels[body], index=body), origin)
    positions = [first, *body]
    columns = {**fuels, "total": total_col}
    try:  # fast path: every cell is a number or empty
        block = np.asarray(sheet.to_numpy()[np.ix_(positions, list(columns.values()))], dtype="float64")
        numbers = {name: block[:, i] for i, name in enumerate(columns)}
    except (TypeError, ValueError):  # find the offending cell for the message
        rows = sheet.iloc[positions]
        numbers = {
            name: to_number(rows.iloc[:, col], origin, f"{name} (column {col + 1})", XLSX).to_numpy()
            for name, col in columns.items()
        }
    missing = [name for name, v in numbers.items() if np.isnan(v[0])]
    if missing:
        raise ReaderError(f"{origin}: row {first + 1}: the total row has empty cells in {', '.join(missing)}")
    total = float(numbers["total"][0])
    fuel_totals = {name: float(numbers[name][0]) for name in fuels}
    sector_totals = dict(zip(sectors, numbers["total"][1:], strict=True))
    _check_sum(np.array(list(fuel_totals.values())), total, "fuel columns", origin)
    _check_sum(numbers["total"][1:], total, "sector rows", origin)
    return total, fuel_totals, sector_totals


ENERGY_DEFINITION = (
    "Energy-related CO2 emissions, IPCC sectoral approach, scope 1 (17 fossil fuels; cement process CO2 excluded); "
    "30 provinces, Tibet not covered by CEADs"
)


def sheet_cells(sheet: pd.DataFrame, origin: str) -> pd.DataFrame:
    """The sector × fuel cells (Mt) of one province sheet: long frame ``sector, fuel, value`` (process included)."""
    fuels, _ = fuel_columns(sheet.iloc[0], origin, header_row=1)
    labels = sheet.iloc[:, 0].to_numpy(dtype=object)
    total_at = [i for i, label in enumerate(labels) if is_total_row(label)]
    if not total_at:
        raise ReaderError(f"{origin}: column A: no 'Total Consumption'/'TotalEmissions' row")
    body = [i for i in range(total_at[0] + 1, len(labels)) if isinstance(labels[i], str) and labels[i].strip()]
    sectors = sector_names(pd.Series(labels[body], index=body), origin)
    block = sheet.iloc[body, list(fuels.values())]
    values = {name: to_number(block.iloc[:, k], origin, name, XLSX) for k, name in enumerate(fuels)}
    wide = pd.DataFrame({name: v.to_numpy() for name, v in values.items()}, index=sectors).fillna(0.0)
    return wide.rename_axis("sector").reset_index().melt(id_vars="sector", var_name="fuel", value_name="value")


def read_cells(path: Path, year: int) -> pd.DataFrame:
    """Every province's sector × fuel cells of one year's workbook: ``geo, year, sector, fuel, value`` (Mt)."""
    book = read_workbook(path, f"a CEADs provincial inventory workbook for {year}")
    parts = []
    for geo, origin, sheet in province_sheets(book, path, year):
        parts.append(sheet_cells(sheet, origin).assign(geo=geo, year=year))
    return pd.concat(parts, ignore_index=True).loc[:, ["geo", "year", "sector", "fuel", "value"]]


def read_workbook_rows(path: Path, year: int) -> pd.DataFrame:
    """Canonical rows of one year's workbook (all provinces)."""
    book = read_workbook(path, f"a CEADs provincial inventory workbook for {year}")
    records: list[tuple[str, int, str, float]] = []
    geos: list[str] = []
    for geo, origin, sheet in province_sheets(book, path, year):
        geos.append(geo)
        total, fuels, sectors = read_sheet(sheet, origin)
        records.append((geo, year, "co2_ceads", total))
        records.append((geo, year, "co2_ceads_energy", total - fuels["process"]))
        records += [(geo, year, f"co2_ceads.fuel.{k}", v) for k, v in fuels.items()]
        records += [(geo, year, f"co2_ceads.sector.{k}", v) for k, v in sectors.items() if not np.isnan(v)]
    if len(geos) != PROVINCES:
        raise ReaderError(f"{path}: {len(geos)} province sheets; expected {PROVINCES} (all provinces but Tibet)")
    frame = pd.DataFrame.from_records(records, columns=["geo", "year", "variable", "value"])
    return frame.assign(unit=UNIT, source=SOURCE, status="reported")


def catalogue(variables: list[str]) -> list[dict[str, str]]:
    rows = []
    for variable in variables:
        if variable == "co2_ceads":
            definition = "CO2 emissions, IPCC sectoral approach, scope 1 (17 fossil fuels and cement process)"
        elif variable == "co2_ceads_energy":
            definition = ENERGY_DEFINITION
        elif ".fuel." in variable:
            fuel = variable.rsplit(".", 1)[1]
            definition = f"CO2 emissions (scope 1) from {fuel.replace('_', ' ')}, all sectors"
        else:
            sector = variable.rsplit(".", 1)[1]
            definition = f"CO2 emissions (scope 1) of the sector {sector.replace('_', ' ')}, all fuels"
        rows.append(
            {"variable": variable, "unit": UNIT, "definition": definition, "publisher": "CEADs", "source": SOURCE}
        )
    return rows


def read(root: Path) -> ReaderOutput:
    """All 23 workbooks under ``root`` as canonical rows (30 provinces × 1997–2019)."""
    paths = files(root)
    data = [read_workbook_rows(path, year) for year, path in paths.items()]
    variables = sorted({v for frame in data for v in frame["variable"].unique()})
    source = {
        "source": SOURCE,
        "title": "China provincial CO2 emission inventories 1997–2019 (IPCC sectoral approach)",
        "files": ";".join(str(FOLDER / p.name) for p in paths.values()),
        **SOURCE_FIELDS,
    }
    return output(data, catalogue(variables), [source], origin=str(root / FOLDER))


READER = Reader(name=SOURCE, read=read)
