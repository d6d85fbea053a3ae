"""The provincial green-finance dimensions and composite index of Yumanlou/carbon_emission_finance, 2000–2023.

File ``yumanlou_green_panel/final_data.1.3.4_did.csv`` (one row per province, pinyin names, and year; 31 × 24
rows). Only the eight green-finance columns are read; the compiler built each as a ratio of two raw sums (the
raw sums are in the compiler's ``data/rawdata/gf.csv``, headers quoted below, not in the shared data):

============== ====================== ====================================================================
column         variable               definition (numerator ÷ denominator, both as the compiler named them)
============== ====================== ====================================================================
credit         ``gf_credit``          环保项目信贷总额 ÷ 信贷总额 (environmental-project credit ÷ all credit)
bond           ``gf_bond``            绿色债券发行总额 ÷ 所有债券发行总额 (green bonds ÷ all bonds issued)
investment     ``gf_investment``      环境污染治理投资 ÷ GDP (pollution-control investment ÷ GDP)
insurance      ``gf_insurance``       财政环境保护支出 ÷ 总保费支出 (fiscal environmental spending ÷ premiums)
equity         ``gf_equity``          碳/用能权/排污权交易额 ÷ 权益市场交易总额 (carbon, energy-use and discharge
                                      permit trading ÷ equity-market turnover)
fund           ``gf_fund``            绿色基金总市值 ÷ 所有基金总市值 (green funds ÷ all funds, market value)
carbon_finance ``gf_carbon_intensity`` 碳排放量 (10⁴ t) ÷ GDP (10⁸ yuan): a carbon intensity the compiler
                                      calls 碳金融 ("carbon finance"), in t per 10⁴ yuan
gf_index       ``gf_index``           绿色金融指数: the compiler's composite of the dimensions (weights and
                                      method not documented)
============== ====================== ====================================================================

Status: ``reported`` (as the compiler published them). Every series is **unverified and secondary**: the
compiler names no publisher for the raw sums, and they fail plausibility: the green-bond share is positive in
every province from 2000 although China's green-bond market began with the PBoC announcement [2015] No. 39
(December 2015), and the credit totals (e.g. Shanghai 2023 ≈ 4,687 × 10⁸ yuan) are an order of magnitude below
PBoC regional loan balances; the investment ratio exceeds 1 (investment above GDP) in some province-years,
where official pollution-control investment is of the order of 1 % of GDP. No value is changed; the values that
cannot be true are flagged by :func:`implausible` under the stated rules of :data:`RULES` (``gf_investment``:
42 province-years above 1 — Tibet 2000–2020, Qinghai 2000–2007 and 2009–2010, Ningxia 2000–2007, Hainan 2000
and 2002–2003; ``gf_bond``: every province 2000–2015), and :func:`coreduce.finance.regions` lists them with every
result. The file's other columns (``did``, ``treat``, standardised and lagged copies of these series) are the
compiler's model constructs, not documented as data, and are not read.

The file's own pilot flag (``green_finance_pilot``) is **not read**: it marks Hebei from 2017 and omits Gansu
(2019) and Chongqing (2022), which contradicts the State Council / PBoC documents; the pilot zones come from
:mod:`coreduce.finance.pilots`, each with its document.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from coreduce.data.readers._base import Reader, ReaderError, ReaderOutput
from coreduce.data.readers._common import check_unique, long_rows, output, read_csv, to_geo, to_number, years

FILE = Path("yumanlou_green_panel") / "final_data.1.3.4_did.csv"
SOURCE = "yumanlou_green_finance"
PUBLISHER = "Compiled by Yumanlou (carbon_emission_finance), secondary source; raw sums' publisher not named"
UNVERIFIED = "UNVERIFIED secondary construct (raw sums of undocumented origin, implausible levels). "

# column → (variable, unit, definition)
SERIES = {
    "credit": ("gf_credit", "fraction", "Green credit: environmental-project credit ÷ all credit (环保项目信贷)"),
    "bond": ("gf_bond", "fraction", "Green bonds: green-bond issuance ÷ all bond issuance (绿色债券/所有债券发行)"),
    "investment": ("gf_investment", "fraction", "Green investment: pollution-control investment ÷ GDP"),
    "insurance": ("gf_insurance", "fraction", "Green insurance: fiscal environmental spending ÷ insurance premiums"),
    "equity": ("gf_equity", "fraction",
               "Green equity: carbon, energy-use and discharge-permit trading ÷ equity-market turnover"),
    "fund": ("gf_fund", "fraction", "Green funds: green-fund market value ÷ all funds' market value"),
    "carbon_finance": ("gf_carbon_intensity", "t/(1e4 CNY)",
                       "Carbon finance (碳金融) as compiled: CO2 emissions (10^4 t) ÷ GDP (10^8 yuan), a carbon "
                       "intensity from the compiler's own CO2 and GDP columns"),
    "gf_index": ("gf_index", "index", "Green-finance composite index (绿色金融指数) of the compiler; weights and "
                 "method not documented"),
}  # fmt: skip
DIMENSIONS = ("gf_credit", "gf_bond", "gf_investment", "gf_insurance", "gf_equity", "gf_fund")
"""The six green-finance dimensions (shares); ``gf_index`` is the composite, ``gf_carbon_intensity`` is not one."""


GREEN_BONDS_START = 2016
"""First full year of China's green-bond market: PBoC announcement [2015] No. 39 (22 December 2015)."""
RULES = {
    "investment_above_gdp": ("gf_investment", "a ratio above 1: pollution-control investment above GDP"),
    "bond_before_market": ("gf_bond", f"a positive green-bond share before {GREEN_BONDS_START}, the first year of "
                                      "the market (PBoC announcement [2015] No. 39)"),
}  # fmt: skip
"""Check name → (variable, the stated rule a flagged value breaks)."""


def implausible(rows: pd.DataFrame) -> pd.DataFrame:
    """The values of canonical ``rows`` (geo, year, variable, value) that break a rule of :data:`RULES`, with the
    check and the rule; the values themselves stay as published."""
    hits = {
        "investment_above_gdp": (rows["variable"] == "gf_investment") & (rows["value"] > 1),
        "bond_before_market": (rows["variable"] == "gf_bond") & (rows["value"] > 0)
        & (rows["year"] < GREEN_BONDS_START),
    }  # fmt: skip
    parts = [rows.loc[hit, ["geo", "year", "variable", "value"]].assign(check=check, rule=RULES[check][1])
             for check, hit in hits.items()]  # fmt: skip
    return pd.concat(parts, ignore_index=True)


def read_series(path: Path) -> list:
    origin = str(path)
    frame = read_csv(path, ["province", "year", *SERIES], "the Yumanlou green-finance panel (final_data)")
    frame = frame.assign(geo=to_geo(frame["province"], origin, "province"), year=years(frame["year"], origin, "year"))
    check_unique(frame, ["geo", "year"], origin)
    parts = []
    for column, (variable, unit, _) in SERIES.items():
        frame[column] = to_number(frame[column], origin, column)
        negative = frame[column] < 0
        if negative.any():
            i = frame.index[negative.to_numpy().argmax()]
            raise ReaderError(f"{origin}: row {int(i) + 2}, column {column!r}: {frame.loc[i, column]:g} is negative")
        parts.append(long_rows(frame, column, variable, unit, SOURCE))
    return parts


CATALOGUE = [
    {"variable": variable, "unit": unit, "source": SOURCE, "publisher": PUBLISHER, "definition": UNVERIFIED + what}
    for variable, unit, what in SERIES.values()
]


def read(root: Path) -> ReaderOutput:
    source = {
        "source": SOURCE,
        "publisher": PUBLISHER,
        "title": "Provincial green-finance dimensions and composite index 2000–2023 (final_data.1.3.4_did.csv)",
        "licence": "none stated",
        "citation": "Yumanlou, carbon_emission_finance, data/final_data.1.3.4_did.csv (commit 39fb8f1); ratio "
        "definitions from data/rawdata/gf.csv headers; unverified",
        "files": str(FILE),
    }
    return output(read_series(root / FILE), CATALOGUE, [source], origin=str(root / FILE))


READER = Reader(name="green_finance", read=read)
