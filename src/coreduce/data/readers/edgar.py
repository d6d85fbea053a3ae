"""EDGAR 2024 GHG booklet (JRC/IEA, Crippa et al. 2024): GHG totals and emissions by gas and sector, 1970–2023.

``edgar2024/EDGAR_2024_GHG_booklet_2024.xlsx``, sheets ``GHG_totals_by_country`` (→ ``ghg_edgar``, Mt CO2e,
GWP100 AR5, LULUCF excluded) and ``GHG_by_sector_and_country`` (substance × sector rows): the total over the 8
sectors of each gas (``co2_edgar`` in Mt CO2; ``ch4_edgar``, ``n2o_edgar``, ``fgas_edgar`` in Mt CO2e; status
``derived``). :func:`sectors` returns the sector rows themselves (Power Industry … Waste) for callers that want
them; they are not put in the shipped panel (about 310,000 rows). The per-capita and per-GDP sheets are EDGAR's
own ratios and are not read.

geo: the EDGAR country code, which is the ISO alpha-3 code except ``ANT`` (Curaçao → ``CUW``); EDGAR's own
aggregates get ``edgar:`` codes (``edgar:GLOBAL_TOTAL``, ``edgar:EU27``, ``edgar:AIR`` international aviation,
``edgar:SEA`` international shipping, ``edgar:SCG`` Serbia and Montenegro together). Some EDGAR countries include
neighbours (France and Monaco, Italy with San Marino and the Holy See, Spain and Andorra, Switzerland and
Liechtenstein, Israel and Palestine, Sudan and South Sudan): their rows keep the larger country's code, as EDGAR
does.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from coreduce.data.readers._base import Reader, ReaderError, ReaderOutput
from coreduce.data.readers._common import XLSX, long_rows, output, read_workbook, to_number, where, years
from coreduce.data.readers.classification import EDGAR_AGGREGATES, EDGAR_RECODE

FILE = Path("edgar2024/EDGAR_2024_GHG_booklet_2024.xlsx")
SOURCE = "edgar_2024"
TOTALS, SECTORS = "GHG_totals_by_country", "GHG_by_sector_and_country"
SUBSTANCES = {"CO2": "co2_edgar", "GWP_100_AR5_CH4": "ch4_edgar", "GWP_100_AR5_N2O": "n2o_edgar",
              "GWP_100_AR5_F-gases": "fgas_edgar"}  # fmt: skip
OTHER = {"EU27": "edgar:EU27", "GLOBAL TOTAL": "edgar:GLOBAL_TOTAL"}


def _geo(code: object) -> str:
    text = str(code).strip()
    if text in EDGAR_AGGREGATES:
        return f"edgar:{text}"
    return OTHER.get(text, EDGAR_RECODE.get(text, text))


def _table(cells: pd.DataFrame, keys: list[str], origin: str) -> pd.DataFrame:
    """Header row → columns; the year columns (numbers) melted to long rows: keys, year, value."""
    header = cells.iloc[0].tolist()
    missing = [k for k in keys if k not in header]
    if missing:
        raise ReaderError(f"{origin}: row 1: missing column(s) {', '.join(missing)}; found {header[:6]}")
    year_cols = [i for i, h in enumerate(header) if h not in keys and pd.notna(h)]
    body = cells.iloc[1:].dropna(subset=[header.index(keys[-1])])
    year_values = years(pd.Series([header[i] for i in year_cols], index=year_cols), origin, "row 1", 1, "column")
    out = []
    for i, year in zip(year_cols, year_values, strict=True):
        part = body[[header.index(k) for k in keys]].copy()
        part.columns = keys
        part["year"] = int(year)
        part["value"] = to_number(body[i], origin, f"column {i + 1} ({int(year)})", XLSX)
        out.append(part)
    return pd.concat(out, ignore_index=True)


def _sheets(path: Path) -> dict[str, pd.DataFrame]:
    sheets = read_workbook(path, "the EDGAR 2024 GHG booklet")
    for name in (TOTALS, SECTORS):
        if name not in sheets:
            raise ReaderError(f"{path}: no sheet {name!r}; found {', '.join(sheets)}")
    return sheets


def sectors(path: Path, sheets: dict[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    """The sector rows: Substance, Sector, geo, year, value (Mt; CO2e for the non-CO2 gases)."""
    sheets = sheets or _sheets(path)
    rows = _table(sheets[SECTORS], ["Substance", "Sector", "EDGAR Country Code", "Country"], where(path, SECTORS))
    unknown = sorted(set(rows["Substance"]) - set(SUBSTANCES))
    if unknown:
        raise ReaderError(f"{where(path, SECTORS)}: column 'Substance': unknown {unknown}; expected {list(SUBSTANCES)}")
    rows["geo"] = rows["EDGAR Country Code"].map(_geo)
    return rows


def read_file(path: Path) -> ReaderOutput:
    sheets = _sheets(path)
    totals = _table(sheets[TOTALS], ["EDGAR Country Code", "Country"], where(path, TOTALS))
    totals["geo"] = totals["EDGAR Country Code"].map(_geo)
    by_sector = sectors(path, sheets)
    parts = [long_rows(totals, "value", "ghg_edgar", "Mt", SOURCE)]
    catalogue = [{"variable": "ghg_edgar", "unit": "Mt", "publisher": "EC JRC / IEA (EDGAR 2024)", "source": SOURCE,
                  "definition": "GHG emissions excluding LULUCF, Mt CO2-equivalent (GWP100, IPCC AR5)"}]  # fmt: skip
    for substance, base in SUBSTANCES.items():
        rows = by_sector[by_sector["Substance"] == substance]
        total = rows.groupby(["geo", "year"], as_index=False)["value"].sum(min_count=1)
        parts.append(long_rows(total, "value", base, "Mt", SOURCE, status="derived"))
        catalogue.append({"variable": base, "unit": "Mt", "publisher": "EC JRC / IEA (EDGAR 2024)", "source": SOURCE,
                          "definition": f"{substance} emissions, sum of the 8 EDGAR sectors"})  # fmt: skip
    source = {
        "source": SOURCE,
        "publisher": "European Commission, Joint Research Centre (EDGAR) and IEA",
        "title": "GHG emissions of all world countries – 2024 Report (EDGAR_2024_GHG booklet)",
        "licence": "CC BY 4.0",
        "citation": "Crippa, M. et al. (2024) GHG emissions of all world countries – JRC/IEA 2024 Report, "
        "Luxembourg, doi:10.2760/4002897, JRC138862",
        "files": str(FILE),
    }
    return output(parts, catalogue, [source], origin=str(path))


def read(root: Path) -> ReaderOutput:
    return read_file(root / FILE)


READER = Reader(name="edgar", read=read)
