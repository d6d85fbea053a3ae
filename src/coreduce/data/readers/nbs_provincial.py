"""NBS provincial GDP 2011–2022 (latest revision, after the 5th economic census) and the real GDP index.

Two exports of the NBS 国家数据 "分省年度数据" (``nbs_provincial_gdp/``): nominal 地区生产总值 (10^8 yuan) and
地区生产总值指数 (previous year = 100, constant prices); two header lines, one row per province, years descending
in columns, footer notes. The index file separates cells with a tab and a comma. Emits (31 provinces):

- ``gdp_nbs``: nominal GDP, current prices, 2011–2022, status ``reported``;
- ``gdp_index``: real GDP index, previous year = 100, 2011–2022, ``reported``;
- ``gdp_real``: GDP at constant 2015 prices, 2010–2022, ``derived``: the 2015 nominal value chained with the
  index, real_t = GDP_2015 · Π_{s=2016..t} I_s/100 after 2015 and GDP_2015 / Π_{s=t+1..2015} I_s/100 before;
- ``gdp_deflator_province``: the implicit deflator gdp_nbs / gdp_real × 100 (2015 = 100), 2011–2022, ``derived``;
- ``gdp_deflator_nbs`` for China: the implicit deflator of the 31 provinces together, Σ gdp_nbs / Σ gdp_real × 100
  (2015 = 100), 2011–2022, ``derived`` — the NBS figures' own deflator of regional GDP; the sum of the provinces
  differs from national GDP (the national accounts are compiled separately), so it is a proxy of the national
  deflator, named as such.

Nominal and real values come from the same revision, so real growth and deflators are consistent with each
other; they are not the same vintage as the yearbook panel's ``gdp`` (initial releases).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from coreduce.data.readers._base import Reader, ReaderError, ReaderOutput
from coreduce.data.readers._common import output, read_csv, to_geo, to_number
from coreduce.geo import NATIONAL_CODE

FOLDER = Path("nbs_provincial_gdp")
NOMINAL = FOLDER / "nbs_gdp_nominal_province_2011_2022.csv"
INDEX = FOLDER / "nbs_gdp_index_prev_year_100_province_2011_2022.csv"
SOURCE = "nbs_provincial_gdp"
BASE = 2015
UNIT = "1e8 CNY"
PUBLISHER = "National Bureau of Statistics of China (NBS)"


def _wide(path: Path) -> pd.DataFrame:
    """Province × year values of one NBS export (header on the third line; footer rows dropped)."""
    text = path.read_text(encoding="utf-8-sig") if path.is_file() else None
    if text is None:
        raise ReaderError(f"{path}: file not found; expected an NBS 分省年度数据 export")
    frame = read_csv(path, ["地区"], "an NBS 分省年度数据 export", skiprows=2, sep=r"\s*,", engine="python")
    frame = frame[frame["地区"].astype(str).str.strip().str.endswith(("省", "市", "自治区"))]
    frame = frame.dropna(axis=1, how="all")
    years = {c: int(str(c).strip().rstrip("年")) for c in frame.columns if str(c).strip().endswith("年")}
    if not years:
        raise ReaderError(f"{path}: line 3: no year columns ('2022年' …)")
    frame = frame.assign(geo=to_geo(frame["地区"].str.strip(), str(path), "地区", offset=4))
    values = {y: to_number(frame[c], str(path), str(c), offset=4) for c, y in years.items()}
    wide = pd.DataFrame(values).set_index(frame["geo"])
    if len(wide) != 31:
        raise ReaderError(f"{path}: {len(wide)} province rows; expected 31")
    return wide.sort_index(axis=1)


def chain_real(nominal: pd.DataFrame, index: pd.DataFrame, base: int = BASE) -> pd.DataFrame:
    """GDP at constant ``base`` prices from nominal GDP and the previous-year = 100 index (see the module doc)."""
    growth = index / 100.0
    real = pd.DataFrame(index=nominal.index, columns=range(int(index.columns.min()) - 1, int(index.columns.max()) + 1))
    real[base] = nominal[base]
    for year in range(base + 1, int(index.columns.max()) + 1):
        real[year] = real[year - 1] * growth[year]
    for year in range(base - 1, int(index.columns.min()) - 2, -1):
        real[year] = real[year + 1] / growth[year + 1]
    return real.astype(float)


def _long(wide: pd.DataFrame, variable: str, unit: str, status: str) -> pd.DataFrame:
    long = wide.rename_axis(index="geo", columns="year").stack().rename("value").reset_index()
    return long.assign(variable=variable, unit=unit, source=SOURCE, status=status)


def provinces_deflator(root: Path) -> pd.Series:
    """Year → the implicit deflator of the 31 provinces together, Σ nominal ÷ Σ real GDP × 100 (2015 = 100)."""
    nominal, index = _wide(root / NOMINAL), _wide(root / INDEX)
    real = chain_real(nominal, index)
    return nominal.sum() / real.loc[:, nominal.columns].sum() * 100.0


def read(root: Path) -> ReaderOutput:
    """The five series of the module doc from the two NBS files under ``root``."""
    nominal, index = _wide(root / NOMINAL), _wide(root / INDEX)
    real = chain_real(nominal, index)
    deflator = nominal / real.loc[:, nominal.columns] * 100.0
    national = provinces_deflator(root)
    parts = [
        _long(nominal, "gdp_nbs", UNIT, "reported"),
        _long(index, "gdp_index", "index", "reported"),
        _long(real, "gdp_real", UNIT, "derived"),
        _long(deflator, "gdp_deflator_province", "index", "derived"),
        _long(pd.DataFrame([national], index=[NATIONAL_CODE]), "gdp_deflator_nbs", "index", "derived"),
    ]
    catalogue = [
        dict(variable="gdp_nbs", unit=UNIT, definition="Gross regional product, current prices, latest revision "
             "(after the 5th economic census)"),
        dict(variable="gdp_index", unit="index", definition="Gross regional product index, previous year = 100, "
             "constant prices"),
        dict(variable="gdp_real", unit=UNIT, definition=f"Gross regional product at constant {BASE} prices: "
             f"{BASE} nominal GDP chained with the NBS real index"),
        dict(variable="gdp_deflator_province", unit="index", definition=f"Implicit GDP deflator of the province, "
             f"nominal ÷ real GDP, {BASE} = 100"),
        dict(variable="gdp_deflator_nbs", unit="index", definition=f"Implicit GDP deflator of the 31 provinces "
             f"together (Σ nominal ÷ Σ real GDP, {BASE} = 100): a proxy of the national deflator from the NBS "
             "regional accounts"),
    ]  # fmt: skip
    catalogue = [{**c, "publisher": PUBLISHER, "source": SOURCE} for c in catalogue]
    source = {
        "source": SOURCE,
        "publisher": PUBLISHER,
        "title": "Gross regional product and its index (previous year = 100), 31 provinces, 2011–2022 (latest "
        "revision)",
        "licence": "NBS public statistics (no formal licence)",
        "citation": "National Bureau of Statistics of China, 国家数据 分省年度数据: 地区生产总值, 地区生产总值指数"
        "(上年=100), revised after the 5th National Economic Census; via upstream1119/statistical-modeling_CUC_PYH "
        "(commit f84c7b6)",
        "files": f"{NOMINAL};{INDEX}",
    }
    return output(parts, catalogue, [source], origin=str(root / FOLDER))


READER = Reader(name=SOURCE, read=read)
