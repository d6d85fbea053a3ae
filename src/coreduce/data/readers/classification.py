"""Country classifications: UN M49 (2020 edition, with the developed / developing column) and the World Bank
country and lending groups (FY2025), into the panel and into the country table of :mod:`coreduce.geo.countries`.

``country_class/un_m49_country_codes_datahub_2020-10.csv`` (UNSD M49 columns compiled by datahub.io, ODC-PDDL)
gives ISO 3166 alpha-3 codes, M49 codes, UN region and sub-region, the English and Chinese names and the column
"Developed / Developing Countries" (UNSD removed that column after 2020, so this is its last published state).
``country_class/CLASS_FY2025.xlsx`` (World Bank, CC BY 4.0), sheet "List of economies": code, region, income
group (2023 GNI per capita, Atlas method) and lending category.

Panel rows, one per classified economy: ``un_developing`` (1 developing, 0 developed; year 2020, the edition) and
``wb_income_group`` (1 low, 2 lower-middle, 3 upper-middle, 4 high income; year 2024, the start of FY2025). An
economy without a class (Taiwan in M49, Venezuela in FY2025) has no row: missing stays missing.

:func:`country_table` joins both files with the entity names used by the OWID and EDGAR files into the table
shipped as ``coreduce/geo/countries.csv``; a test checks the shipped table equals what it makes from the files.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from coreduce.data.readers._base import Reader, ReaderError, ReaderOutput
from coreduce.data.readers._common import XLSX, output, read_csv, read_workbook, require_columns, where

M49_FILE = Path("country_class/un_m49_country_codes_datahub_2020-10.csv")
CLASS_FILE = Path("country_class/CLASS_FY2025.xlsx")
OWID_FILE = Path("owid_full/owid-co2-data.parquet")
EDGAR_FILE = Path("edgar2024/EDGAR_2024_GHG_booklet_2024.xlsx")

M49_COLUMNS = {
    "ISO3166-1-Alpha-3": "iso3",
    "M49": "m49",
    "official_name_en": "name_en",
    "official_name_cn": "official_zh",
    "UNTERM Chinese Short": "short_zh",
    "UNTERM English Short": "unterm_en",
    "CLDR display name": "cldr",
    "Region Name": "un_region",
    "Sub-region Name": "un_subregion",
    "Developed / Developing Countries": "un_class",
    "Least Developed Countries (LDC)": "ldc",
    "Land Locked Developing Countries (LLDC)": "lldc",
    "Small Island Developing States (SIDS)": "sids",
}
INCOME = {"Low income": "L", "Lower middle income": "LM", "Upper middle income": "UM", "High income": "H"}
INCOME_CODE = {"L": 1, "LM": 2, "UM": 3, "H": 4}
# Economies the M49 file lacks, with their names; codes as the World Bank (XKX, CHI) and ISO (TWN) use them.
EXTRA = {
    "TWN": {"name_en": "Taiwan", "name_zh": "中国台湾", "un_region": "Asia", "un_subregion": "Eastern Asia"},
    "XKX": {"name_en": "Kosovo", "name_zh": "科索沃", "un_region": "Europe", "un_subregion": "Southern Europe"},
    "CHI": {"name_en": "Channel Islands", "name_zh": "海峡群岛", "un_region": "Europe",
            "un_subregion": "Northern Europe"},
}  # fmt: skip
# World Bank and EDGAR codes that are not the ISO code of the same economy (the World Bank's list gives Serbia
# as SCG, EDGAR gives Curaçao as ANT); EDGAR's own aggregates (bunkers, Serbia and Montenegro together) are
# not countries.
WB_RECODE = {"SCG": "SRB"}
EDGAR_RECODE = {"ANT": "CUW"}
EDGAR_AGGREGATES = {"AIR": "International Aviation", "SEA": "International Shipping", "SCG": "Serbia and Montenegro"}
M49_YEAR, WB_YEAR = 2020, 2024
SOURCE_M49, SOURCE_WB = "un_m49_2020", "wb_class_fy2025"


def read_m49(path: Path) -> pd.DataFrame:
    """The M49 rows with an ISO alpha-3 code, columns renamed as in :data:`M49_COLUMNS`."""
    frame = read_csv(path, list(M49_COLUMNS), "the UN M49 country-codes file (datahub 2020-10)")
    frame = frame.rename(columns=M49_COLUMNS)[list(M49_COLUMNS.values())].fillna("")
    frame = frame[frame["iso3"].str.strip() != ""].copy()
    shorter = frame["official_zh"].str.len() < frame["short_zh"].str.len()
    frame["name_zh"] = frame["short_zh"].where((frame["short_zh"] != "") & ~shorter, frame["official_zh"])
    bad = frame.index[~frame["un_class"].isin(["Developed", "Developing", ""])]
    if len(bad):
        i = bad[0]
        raise ReaderError(
            f"{path}: row {i + 2}, column 'Developed / Developing Countries': expected Developed or Developing, "
            f"found {frame.loc[i, 'un_class']!r}"
        )
    frame["un_class"] = frame["un_class"].str.lower()
    for column in ("ldc", "lldc", "sids"):
        frame[column] = frame[column].str.strip().str.lower() == "x"
    return frame


def read_wb(path: Path) -> pd.DataFrame:
    """Economies of the World Bank list (rows with a region): iso3, wb_name, wb_region, wb_income, wb_lending;
    rows without a region are the World Bank's aggregates, returned with ``wb_region`` empty."""
    sheet = "List of economies"
    sheets = read_workbook(path, "the World Bank CLASS workbook (sheet 'List of economies')")
    if sheet not in sheets:
        raise ReaderError(f"{path}: no sheet {sheet!r}; found {', '.join(sheets)}")
    cells = sheets[sheet]
    frame = cells.iloc[1:].copy()
    frame.columns = [str(c).strip() for c in cells.iloc[0]]
    origin = where(path, sheet)
    require_columns(frame, ["Economy", "Code", "Region", "Income group", "Lending category"], origin)
    frame = frame.dropna(subset=["Code"])
    income = frame["Income group"].fillna("")
    bad = frame.index[~income.isin([*INCOME, ""])]
    if len(bad):
        raise ReaderError(
            f"{origin}: row {bad[0] + XLSX}, column 'Income group': expected one of {', '.join(INCOME)}, "
            f"found {income[bad[0]]!r}"
        )
    return pd.DataFrame(
        {
            "iso3": frame["Code"].str.strip().replace(WB_RECODE),
            "wb_code": frame["Code"].str.strip(),
            "wb_name": frame["Economy"].str.strip(),
            "wb_region": frame["Region"].fillna(""),
            "wb_income": income.map(INCOME).fillna(""),
            "wb_lending": frame["Lending category"].fillna(""),
        }
    ).reset_index(drop=True)


def _entity_names(root: Path) -> dict[str, set[str]]:
    """ISO code → names used by the OWID and EDGAR files (aliases)."""
    import pyarrow.parquet as pq

    names: dict[str, set[str]] = {}
    owid = pq.read_table(root / OWID_FILE, columns=["country", "iso_code"]).to_pandas().dropna().drop_duplicates()
    for iso, name in zip(owid["iso_code"], owid["country"], strict=True):
        names.setdefault(iso, set()).add(name)
    edgar = read_workbook(root / EDGAR_FILE, "the EDGAR 2024 GHG booklet")["GHG_totals_by_country"]
    for code, name in zip(edgar[0].iloc[1:], edgar[1].iloc[1:], strict=True):
        if isinstance(code, str) and len(code) == 3 and code not in EDGAR_AGGREGATES:
            names.setdefault(EDGAR_RECODE.get(code, code), set()).add(str(name))
    return names


def country_table(root: Path) -> pd.DataFrame:
    """One row per country or area: codes, names, aliases, UN class, UN region, World Bank region and income.

    Rows: every ISO-coded M49 entry, the economies of :data:`EXTRA`, and every ISO-coded OWID entity.
    """
    m49 = read_m49(root / M49_FILE)
    m49 = m49[~m49["iso3"].isin(list(EXTRA))]
    wb = read_wb(root / CLASS_FILE)
    wb = wb[wb["wb_region"] != ""]
    extra = pd.DataFrame([{"iso3": k, **v} for k, v in EXTRA.items()])
    table = pd.concat([m49, extra], ignore_index=True)
    for column in ("ldc", "lldc", "sids"):
        table[column] = table[column].eq(True)
    table = table.merge(wb, on="iso3", how="left").fillna("")
    names = _entity_names(root)
    unknown = sorted(set(names) - set(table["iso3"]))
    if unknown:
        raise ReaderError(f"{root / OWID_FILE}: ISO codes not in the M49 list or the extras: {', '.join(unknown)}")
    aliases = []
    for row in table.itertuples():
        found = {row.unterm_en, row.cldr, row.wb_name, row.official_zh, *names.get(row.iso3, ())}
        found = {str(n) for n in found if isinstance(n, str)} - {"", row.name_en, row.name_zh}
        aliases.append(";".join(sorted(found)))
    table["aliases"] = aliases
    columns = ["iso3", "m49", "name_en", "name_zh", "aliases", "un_region", "un_subregion", "un_class", "ldc",
               "lldc", "sids", "wb_region", "wb_income", "wb_lending"]  # fmt: skip
    return table[columns].sort_values("iso3").reset_index(drop=True)


OWID_COUNTRIES = {"Kosovo": "XKX"}
"""OWID rows without an ISO code that are countries (the World Bank code is used)."""


def owid_aggregate_code(name: str) -> str:
    """Geo code of an OWID aggregate row: ``owid:`` and its name in lower case with ``_`` for other characters."""
    slug = "".join(ch if ch.isalnum() else "_" for ch in name.lower())
    return "owid:" + "_".join(part for part in slug.split("_") if part)


def aggregate_table(root: Path) -> pd.DataFrame:
    """Rows that are not countries: OWID's regions, income groups, bunkers and other entities, EDGAR's totals,
    bunkers and combined entities, the World Bank's aggregates; columns code, name, publisher."""
    import pyarrow.parquet as pq

    owid = pq.read_table(root / OWID_FILE, columns=["country", "iso_code"]).to_pandas()
    names = sorted(set(owid.loc[owid["iso_code"].isna(), "country"]) - set(OWID_COUNTRIES))
    rows = [{"code": owid_aggregate_code(n), "name": n, "publisher": "owid"} for n in names]
    rows += [{"code": f"edgar:{c}", "name": n, "publisher": "edgar"} for c, n in EDGAR_AGGREGATES.items()]
    rows += [{"code": "edgar:EU27", "name": "EU27", "publisher": "edgar"},
             {"code": "edgar:GLOBAL_TOTAL", "name": "GLOBAL TOTAL", "publisher": "edgar"}]  # fmt: skip
    wb = read_wb(root / CLASS_FILE)
    wb = wb[wb["wb_region"] == ""]
    pairs = zip(wb["wb_code"], wb["wb_name"], strict=True)
    rows += [{"code": f"wb:{c}", "name": n, "publisher": "wb"} for c, n in pairs]
    return pd.DataFrame(rows).drop_duplicates("code").reset_index(drop=True)


CATALOGUE = [
    {"variable": "un_developing", "unit": "dimensionless",
     "definition": "UN M49 class: 1 = developing, 0 = developed region (M49 column 'Developed / Developing "
                   "Countries', 2020 edition; year = edition)",
     "publisher": "United Nations Statistics Division (M49)", "source": SOURCE_M49},
    {"variable": "wb_income_group", "unit": "dimensionless",
     "definition": "World Bank income group, FY2025 (2023 GNI per capita, Atlas method): 1 low, 2 lower-middle, "
                   "3 upper-middle, 4 high income (year 2024 = start of FY2025)",
     "publisher": "World Bank", "source": SOURCE_WB},
]  # fmt: skip
SOURCES = [
    {"source": SOURCE_M49, "publisher": "United Nations Statistics Division (compiled by datahub.io)",
     "title": "Standard country or area codes for statistical use (M49), with the developed/developing column, "
              "2020 edition",
     "licence": "ODC-PDDL (compilation); UNSD facts",
     "citation": "UNSD, Methodology: Standard country or area codes for statistical use (M49); datasets/"
                 "country-codes data/country-codes.csv, commit 4b783b0 (2020-10-15)",
     "files": str(M49_FILE)},
    {"source": SOURCE_WB, "publisher": "World Bank",
     "title": "World Bank country and lending groups, FY2025",
     "licence": "CC BY 4.0",
     "citation": "World Bank (2024) World Bank country and lending groups, FY2025 (CLASS.xlsx)",
     "files": str(CLASS_FILE)},
]  # fmt: skip


def read(root: Path) -> ReaderOutput:
    m49 = read_m49(root / M49_FILE)
    wb = read_wb(root / CLASS_FILE)
    un = m49[m49["un_class"] != ""]
    income = wb[wb["wb_income"] != ""]
    rows = [
        pd.DataFrame({"geo": un["iso3"], "year": M49_YEAR, "variable": "un_developing",
                      "value": (un["un_class"] == "developing").astype(float), "unit": "dimensionless",
                      "source": SOURCE_M49, "status": "reported"}),
        pd.DataFrame({"geo": income["iso3"], "year": WB_YEAR, "variable": "wb_income_group",
                      "value": income["wb_income"].map(INCOME_CODE).astype(float), "unit": "dimensionless",
                      "source": SOURCE_WB, "status": "reported"}),
    ]  # fmt: skip
    return output(rows, CATALOGUE, SOURCES, origin=str(root / "country_class"))


READER = Reader(name="classification", read=read)


def write_geo_tables(root: Path, directory: Path) -> None:
    """Write ``countries.csv`` and ``country_aggregates.csv`` (the tables :mod:`coreduce.geo.countries` ships)."""
    from coreduce.fileio import atomic_write

    for name, frame in (("countries.csv", country_table(root)), ("country_aggregates.csv", aggregate_table(root))):
        with atomic_write(Path(directory) / name) as tmp:
            frame.to_csv(tmp, index=False)
