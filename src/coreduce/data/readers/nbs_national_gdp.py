"""China's national GDP (NBS, current prices) and GDP deflator (World Bank), 1975–2019, from GCAM-China inputs.

``gcam_china_extracts/national_gdp_nbs_100million_yuan_1975_2019.csv`` (year,
gdp_national_total_100m_yuan) → ``gdp`` [1e8 CNY] for geo ``100000``;
``gcam_china_extracts/gdp_deflator_worldbank_NY.GDP.DEFL.ZS_china_2015eq100.csv`` (Year, GDP deflator) →
``gdp_deflator`` [index, 2015 = 100]. The GDP values are the pre-2023-census vintage (2019 = 990,865.1).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from coreduce.data.readers._base import Reader, ReaderError, ReaderOutput
from coreduce.data.readers._common import check_unique, long_rows, output, read_csv, to_number, years
from coreduce.geo import NATIONAL_CODE

GDP_FILE = Path("gcam_china_extracts/national_gdp_nbs_100million_yuan_1975_2019.csv")
DEFLATOR_FILE = Path("gcam_china_extracts/gdp_deflator_worldbank_NY.GDP.DEFL.ZS_china_2015eq100.csv")
BASE_YEAR = 2015


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
    ]
    catalogue = [
        {"variable": "gdp", "unit": "1e8 CNY", "definition": "Gross domestic product, current prices",
         "publisher": "NBS (China Statistical Yearbook)", "source": "nbs_gdp"},
        {"variable": "gdp_deflator", "unit": "index", "definition": f"GDP implicit deflator, {BASE_YEAR} = 100",
         "publisher": "World Bank (WDI NY.GDP.DEFL.ZS)", "source": "worldbank_deflator"},
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
    ]  # fmt: skip
    return output(parts, catalogue, sources, origin=str(root / "gcam_china_extracts"))


READER = Reader(name="nbs_national_gdp", read=read)
