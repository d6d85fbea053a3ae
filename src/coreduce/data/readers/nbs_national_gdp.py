"""China's national GDP (NBS, current prices) and GDP deflator (World Bank), 1975–2019, from GCAM-China inputs,
with the deflator carried on to 2022 by the NBS figures.

``gcam_china_extracts/national_gdp_nbs_100million_yuan_1975_2019.csv`` (year,
gdp_national_total_100m_yuan) → ``gdp`` [1e8 CNY] for geo ``100000``;
``gcam_china_extracts/gdp_deflator_worldbank_NY.GDP.DEFL.ZS_china_2015eq100.csv`` (Year, GDP deflator) →
``gdp_deflator`` [index, 2015 = 100]. The GDP values are the pre-2023-census vintage (2019 = 990,865.1).

After the World Bank file's last year L (2019), ``gdp_deflator`` continues with status ``derived``::

    P(t) = P_WB(L) · D_NBS(t) / D_NBS(L),   t = L+1 … 2022

where D_NBS is the implicit deflator of the 31 provinces together, Σ nominal ÷ Σ real GDP, from the NBS regional
accounts (``nbs_provincial_gdp``: 地区生产总值 and 地区生产总值指数, latest revision; :mod:`.nbs_provincial`).
No national NBS deflator for 2020–2022 is in the public files, and D_NBS is its nearest NBS figure: over
2012–2019 its yearly change is 0.94 percentage points a year below the World Bank's on average (−0.45 to −1.71),
so the linked 2020–2022 values are likely low by about that much a year (the catalogue and
:data:`LINK_GAP_2012_2019` say so).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from coreduce.data.readers._base import Reader, ReaderError, ReaderOutput
from coreduce.data.readers._common import check_unique, long_rows, output, read_csv, to_number, years
from coreduce.data.readers.nbs_provincial import INDEX, NOMINAL, provinces_deflator
from coreduce.geo import NATIONAL_CODE

GDP_FILE = Path("gcam_china_extracts/national_gdp_nbs_100million_yuan_1975_2019.csv")
DEFLATOR_FILE = Path("gcam_china_extracts/gdp_deflator_worldbank_NY.GDP.DEFL.ZS_china_2015eq100.csv")
BASE_YEAR = 2015
LINK_SOURCE = "nbs_deflator_link"
LINK_GAP_2012_2019 = -0.94
"""Mean yearly change of D_NBS minus that of the World Bank deflator over 2012–2019 (percentage points)."""


def _series(path: Path, year: str, value: str, what: str) -> pd.DataFrame:
    origin = str(path)
    frame = read_csv(path, [year, value], what)
    frame = frame.assign(geo=NATIONAL_CODE, year=years(frame[year], origin, year))
    frame["value"] = to_number(frame[value], origin, value)
    check_unique(frame, ["geo", "year"], origin)
    return frame


def read(root: Path) -> ReaderOutput:
    gdp = _series(root / GDP_FILE, "year", "gdp_national_total_100m_yuan", "NBS national GDP in 1e8 yuan")
    deflator = _series(root / DEFLATOR_FILE, "Year", "GDP deflator", "the World Bank GDP deflator (2015 = 100)")
    base = deflator.loc[deflator["year"] == BASE_YEAR, "value"]
    if base.empty or abs(base.iloc[0] - 100) > 1e-6:
        found = "no row" if base.empty else f"{float(base.iloc[0]):g}"
        raise ReaderError(f"{root / DEFLATOR_FILE}: the deflator of {BASE_YEAR} must be 100; found {found}")
    parts = [
        long_rows(gdp, "value", "gdp", "1e8 CNY", "nbs_gdp"),
        long_rows(deflator, "value", "gdp_deflator", "index", "worldbank_deflator"),
        _linked(deflator, root),
    ]
    catalogue = [
        {"variable": "gdp", "unit": "1e8 CNY", "definition": "Gross domestic product, current prices",
         "publisher": "NBS (China Statistical Yearbook)", "source": "nbs_gdp"},
        {"variable": "gdp_deflator", "unit": "index", "definition": f"GDP implicit deflator, {BASE_YEAR} = 100 "
         "(World Bank to 2019; 2020–2022 derived: the 2019 value carried on with the change of the NBS implicit "
         "deflator of the 31 provinces, Σ nominal ÷ Σ real GDP, whose yearly change ran "
         f"{-LINK_GAP_2012_2019:.2f} points below the World Bank's over 2012–2019)",
         "publisher": "World Bank (WDI NY.GDP.DEFL.ZS); NBS regional accounts (2020–2022 link)",
         "source": f"worldbank_deflator;{LINK_SOURCE}"},
    ]  # fmt: skip
    sources = [
        {"source": "nbs_gdp", "publisher": "National Bureau of Statistics of China (NBS)",
         "title": "National GDP 1975–2019, current prices (GCAM-China input GDP_raw.csv, row National Total)",
         "licence": "none stated (GCAM-China code: ECL-2.0)",
         "citation": "NBS China Statistical Yearbook / China Compendium of Statistics, via umd-cgs/gcam-china "
                     "input/gcamdata/inst/extdata/gcam-china/GDP_raw.csv (commit 99a28acd); values transcribed",
         "files": str(GDP_FILE)},
        {"source": "worldbank_deflator", "publisher": "World Bank",
         "title": "GDP deflator (base year varies by country), China, rebased 2015 = 100",
         "licence": "CC BY 4.0",
         "citation": "World Bank World Development Indicators NY.GDP.DEFL.ZS, via umd-cgs/gcam-china "
                     "input/gcamdata/inst/extdata/gcam-china/GDP_deflator.csv (commit 99a28acd)",
         "files": str(DEFLATOR_FILE)},
        {"source": LINK_SOURCE, "publisher": "National Bureau of Statistics of China (NBS)",
         "title": "GDP deflator 2020–2022: the World Bank 2019 value carried on with the implicit deflator of the "
                  "31 provinces (NBS 地区生产总值 and 地区生产总值指数, latest revision)",
         "licence": "NBS public statistics (no formal licence)",
         "citation": "National Bureau of Statistics of China, 国家数据 分省年度数据 (revised after the 5th National "
                     "Economic Census), via upstream1119/statistical-modeling_CUC_PYH (commit f84c7b6); linked here",
         "files": f"{DEFLATOR_FILE};{NOMINAL};{INDEX}"},
    ]  # fmt: skip
    return output(parts, catalogue, sources, origin=str(root / "gcam_china_extracts"))


def _linked(deflator: pd.DataFrame, root: Path) -> pd.DataFrame:
    """``gdp_deflator`` rows after the World Bank file's last year, from the NBS implicit deflator of the 31
    provinces (formula in the module doc); none when the NBS files end before it."""
    implicit = provinces_deflator(root)
    last = int(deflator["year"].max())
    if last not in implicit.index:
        raise ReaderError(f"{root / NOMINAL}: no {last} values to link the World Bank deflator to")
    anchor = float(deflator.loc[deflator["year"] == last, "value"].iloc[0])
    later = implicit[implicit.index > last]
    frame = pd.DataFrame({"geo": NATIONAL_CODE, "year": later.index, "value": anchor * later / implicit[last]})
    return long_rows(frame, "value", "gdp_deflator", "index", LINK_SOURCE, status="derived")


READER = Reader(name="nbs_national_gdp", read=read)
