"""CEADs national CO2 inventory (IPCC sectoral approach, scope 1), 1997–2019, for China as a whole.

Sheet ``sum`` is a year × fuel matrix (header row of fuel names, one row per year, ``Scope 1 Total``); sheet
``Sum-Sec-Scope 1`` is a sector × year matrix (header row of years, the total row, 47 sector rows). Emits for
geo ``100000``: ``co2_ceads`` (Mt), ``co2_ceads.fuel.<fuel>`` and ``co2_ceads.sector.<sector>``, named as in
:mod:`coreduce.data.readers.ceads_provinces`. The national total is not the sum of the provinces
(interprovincial electricity, statistical differences).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from coreduce.data.readers._base import Reader, ReaderError, ReaderOutput
from coreduce.data.readers._ceads import SOURCE_FIELDS, fuel_columns, is_total_row, sector_names
from coreduce.data.readers._common import XLSX, output, read_workbook, to_number, where, years
from coreduce.data.readers.ceads_provinces import catalogue
from coreduce.geo import NATIONAL_CODE

FILE = Path("ceads_openclimate/national/China_CO2_Inventory_1997-2019_IPCC_Sectoral_Emissions.xlsx")
SOURCE = "ceads_national"
UNIT = "Mt"
FUEL_SHEET = "sum"
SECTOR_SHEET = "Sum-Sec-Scope 1"


def _sheet(book: dict[str, pd.DataFrame], name: str, path: Path) -> pd.DataFrame:
    if name not in book:
        raise ReaderError(f"{path}: missing sheet {name!r}; found sheets {', '.join(book)}")
    return book[name]


def read_fuels(sheet: pd.DataFrame, origin: str) -> pd.DataFrame:
    """Rows of ``co2_ceads`` and ``co2_ceads.fuel.<fuel>`` from the year × fuel sheet."""
    fuels, total = fuel_columns(sheet.iloc[0], origin, header_row=1)
    body = sheet.iloc[1:]
    body = body[body.notna().any(axis=1)]
    year = years(body.iloc[:, 0], origin, "year (column A)", XLSX)
    parts = []
    for name, col in {"co2_ceads": total, **{f"co2_ceads.fuel.{k}": v for k, v in fuels.items()}}.items():
        value = to_number(body.iloc[:, col], origin, f"{name} (column {col + 1})", XLSX)
        parts.append(pd.DataFrame({"year": year.to_numpy(), "variable": name, "value": value.to_numpy()}))
    frame = pd.concat(parts, ignore_index=True)
    if frame.duplicated(["year", "variable"]).any():
        raise ReaderError(f"{origin}: column A: a year appears twice")
    return frame


def read_sectors(sheet: pd.DataFrame, origin: str) -> pd.DataFrame:
    """Rows of ``co2_ceads.sector.<sector>`` from the sector × year sheet."""
    header = sheet.iloc[0, 1:]
    header = header[header.notna()]
    year = years(header, origin, "row 1 (years)", XLSX, axis="column")
    labels = sheet.iloc[:, 0]
    total_at = [i for i, label in enumerate(labels) if is_total_row(label)]
    if not total_at:
        raise ReaderError(f"{origin}: column A: no 'Total Consumption' row")
    body = sheet.iloc[total_at[0] + 1 :]
    body = body[body.iloc[:, 0].notna()]
    sectors = sector_names(body.iloc[:, 0], origin)
    variables = [f"co2_ceads.sector.{s}" for s in sectors]
    parts = []
    for col, y in zip(header.index, year, strict=True):
        value = to_number(body[col], origin, f"{y} (column {col + 1})", XLSX)
        parts.append(pd.DataFrame({"year": y, "variable": variables, "value": value.to_numpy()}))
    return pd.concat(parts, ignore_index=True)


def read(root: Path) -> ReaderOutput:
    """The national workbook under ``root`` as canonical rows for geo ``100000``."""
    path = root / FILE
    book = read_workbook(path, "the CEADs national inventory workbook with sheets 'sum' and 'Sum-Sec-Scope 1'")
    fuels = read_fuels(_sheet(book, FUEL_SHEET, path), where(path, FUEL_SHEET))
    sectors = read_sectors(_sheet(book, SECTOR_SHEET, path), where(path, SECTOR_SHEET))
    totals = fuels[fuels["variable"] == "co2_ceads"].set_index("year")["value"]
    for label, part in (("fuel columns", fuels[fuels["variable"] != "co2_ceads"]), ("sector rows", sectors)):
        sums = part.groupby("year")["value"].sum().reindex(totals.index)
        off = (sums - totals).abs() > 1e-6 * totals.abs().clip(lower=1.0)
        if off.any():
            year = int(off.idxmax())
            raise ReaderError(f"{path}: the {label} of {year} add up to {sums[year]:.6f} Mt, not {totals[year]:.6f}")
    data = pd.concat([fuels, sectors], ignore_index=True)
    data = data[data["value"].notna()].assign(geo=NATIONAL_CODE, unit=UNIT, source=SOURCE, status="reported")
    source = {
        "source": SOURCE,
        "title": "China CO2 emission inventory 1997–2019 (IPCC sectoral approach)",
        "files": str(FILE),
        **SOURCE_FIELDS,
    }
    variables = sorted(data["variable"].unique())
    rows = [{**row, "source": SOURCE} for row in catalogue(variables)]
    return output([data], rows, [source], origin=str(path))


READER = Reader(name=SOURCE, read=read)
