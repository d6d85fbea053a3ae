"""The MEE power-sector allocation plans: unit categories, benchmarks and correction factors, each with its citation.

Plans covered (Ministry of Ecology and Environment, MEE):

* 2019–2020: 《2019-2020年全国碳排放权交易配额总量设定与分配实施方案（发电行业）》, 国环规气候〔2020〕3号
  (30 December 2020).
* 2021–2022: 《2021、2022年度全国碳排放权交易配额总量设定与分配实施方案（发电行业）》, 国环规气候〔2023〕1号
  (15 March 2023). Its notice states the formula 机组配额量 = 供电基准值 × 机组供电量 × 修正系数 + 供热基准值 ×
  机组供热量 (reprinted from the MEE notice of 2023-03-16, e.g. www.hsujglq.cn/tanzhonghe/zhengce/2023-03-16/192684).
* 2023–2024: 《2023、2024年度全国碳排放权交易发电行业配额总量和分配方案》, issued by the MEE in October 2024
  (mee.gov.cn/xxgk2018/xxgk/xxgk03/202410/t20241021_1089750.html; its 国环规气候 document number could not be
  confirmed here). It moves allocation from net supply (供电量) to gross generation (发电量), simplifies the
  correction factors and introduces carry-over rules (配额结转) (MEE press statement, October 2024); ICAP adds that
  it drops indirect emissions and the heat-supply correction, allows banking of 10,000 t plus 1.5 × net sales and
  no borrowing. Its benchmark table could not be retrieved in any text available to coreduce, so the plan years
  2023 and 2024 are **not supported**: asking for them is an error that says why.

Every number below carries ``verified``: ``True`` only when it was read in a retrieved primary (or verbatim
reprinted) text; the others were transcribed from the plan tables as widely reprinted but not checked against
the primary PDF here, and stay marked *unverified* wherever they are shown (tables, CLI, report). ``checked``
names the secondary texts a value was compared with and agreed with (ICAP, IKI, the MEE's own statement on the
2021–2022 plan as reprinted): agreement there does not make a value verified.

Searched without finding the plan texts (December 2026): the stored web pages (MEE notices and their reprints
carry only the notice and the formula before "以下为文件原文"; chinaenergyportal.org and cet.net.cn hold the
2019–2020 plan but only its opening is stored), public code (no repository transcribes the annex tables; one
unsourced simulation script lists 2023/2024 numbers, which are not used) and law collections (LawRefBook/Laws has
no MEE normative documents). Only the CCER cap was read in a verbatim reprint (MEE Order No. 19, art. 29).

Reported in secondary texts and **not** modelled here, pending the plan text: the 2021–2022 plan changed the
scope of the load correction (MEE statement, March 2023: "调整机组负荷（出力）系数修正系数适用范围"; IKI's note,
cut off in the stored copy, says it applies beyond the coal-fired generating units), and it applies the 20 % rule
when allowances are set (a holder whose allowances fall below 80 % of its verified emissions receives 80 %) rather
than as a cap on the obligation — the same amount to buy, but larger allocation totals.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

CATEGORIES = ("coal_300_plus", "coal_300_below", "coal_unconventional", "gas")
"""Unit categories of the plans (2019–2022), in the order of their tables:
300MW等级以上常规燃煤机组 / 300MW等级及以下常规燃煤机组 / 燃煤矸石、煤泥、水煤浆等非常规燃煤机组（含燃煤循环流化床机组）
/ 燃气机组."""

CATEGORY_NAMES_ZH = {
    "coal_300_plus": "300MW等级以上常规燃煤机组",
    "coal_300_below": "300MW等级及以下常规燃煤机组",
    "coal_unconventional": "燃煤矸石、煤泥、水煤浆等非常规燃煤机组（含燃煤循环流化床机组）",
    "gas": "燃气机组",
}

PLAN_2019 = "MEE 国环规气候〔2020〕3号, 2019-2020年全国碳排放权交易配额总量设定与分配实施方案（发电行业）"
PLAN_2021 = "MEE 国环规气候〔2023〕1号, 2021、2022年度全国碳排放权交易配额总量设定与分配实施方案（发电行业）"
PLAN_2023 = (
    "MEE (October 2024, document number not confirmed), 2023、2024年度全国碳排放权交易发电行业配额总量和分配方案"
)
MEASURES_2020 = (
    "MEE Order No. 19 (2020), 碳排放权交易管理办法（试行）, art. 29: 抵销比例不得超过应清缴碳排放配额的5% — read "
    "in the verbatim reprint of its chapter 5 at jianbiaoku.com/webarbs/book/172124/4863227.shtml (whose "
    "punctuation is garbled and drops the % sign)"
)
ICAP_DRAFT = (
    "ICAP news on the November 2020 draft (icapcarbonaction.com/node/731): same value; IKI (climatecooperation.cn) "
    "reports the final plan changed only the company list and the regional factor"
)
SPGLOBAL_DRAFT = "S&P Global news of 26 Nov 2020 on the same draft (spglobal.com, 112620-china-releases-…): same value"
IKI_2021 = "IKI Climate Cooperation China note on the 2021–2022 plan (climatecooperation.cn, March 2023), item"
MEE_QA_2021 = (
    "MEE climate department's Q&A on the 2021–2022 plan (March 2023), as reprinted (reworded) at "
    "xiyimjg.com/pharmaceutical/410.html"
)
SUPPORTED_YEARS = (2019, 2020, 2021, 2022)
UNSUPPORTED_YEARS = {2023: PLAN_2023, 2024: PLAN_2023}


class PlanError(ValueError):
    """A plan year or parameter the plans do not define."""


@dataclass(frozen=True)
class Parameter:
    """One number of a plan: its value, unit, the text that defines it, and whether that text was checked here."""

    name: str
    value: float
    unit: str
    citation: str
    verified: bool
    checked: str = ""


@dataclass(frozen=True)
class Plan:
    """The parameters of one plan year."""

    year: int
    document: str
    supply_benchmark: dict[str, Parameter]
    heat_benchmark: dict[str, Parameter]
    air_cooling: Parameter
    heat_coefficient_coal: Parameter
    heat_coefficient_gas: Parameter
    preallocation_share: Parameter
    shortfall_cap: Parameter
    ccer_cap: Parameter
    borrowing_gap_threshold: Parameter | None
    borrowing_share: Parameter | None
    banking: bool

    def parameters(self) -> list[Parameter]:
        """Every parameter of the plan, benchmarks first."""
        found = [*self.supply_benchmark.values(), *self.heat_benchmark.values()]
        found += [self.air_cooling, self.heat_coefficient_coal, self.heat_coefficient_gas, self.preallocation_share]
        found += [self.shortfall_cap, self.ccer_cap]
        found += [p for p in (self.borrowing_gap_threshold, self.borrowing_share) if p is not None]
        return found


def _benchmarks(
    values: tuple[float, ...], unit: str, kind: str, doc: str, table: str, checked: str = ""
) -> dict[str, Parameter]:
    return {
        cat: Parameter(f"{kind}_benchmark.{cat}", value, unit, f"{doc}, {table}", verified=False, checked=checked)
        for cat, value in zip(CATEGORIES, values, strict=True)
    }


def _rules(doc: str, annex: str, clearing: str, checks: dict[str, str]) -> dict[str, Parameter]:
    """The correction factors and compliance rules both plans print, cited to their annex and clearing section;
    ``checks`` gives, by rule, the secondary texts it agrees with."""
    rules = {
        "air_cooling": Parameter("cooling.air", 1.05, "factor", f"{doc}, {annex} 冷却方式修正系数（空冷）", False),
        "heat_coefficient_coal": Parameter(
            "heat_ratio.coal", 0.22, "per unit heat ratio", f"{doc}, {annex} 供热量修正系数 1−0.22×供热比", False
        ),
        "heat_coefficient_gas": Parameter(
            "heat_ratio.gas", 0.6, "per unit heat ratio", f"{doc}, {annex} 供热量修正系数 1−0.6×供热比", False
        ),
        "preallocation_share": Parameter(
            "preallocation", 0.70, "share of base-year output", f"{doc}, 五 配额发放（预分配 70%）", False
        ),
        "shortfall_cap": Parameter(
            "shortfall_cap", 0.20, "share of verified emissions", f"{doc}, {clearing} 配额清缴（缺口上限 20%）", False
        ),
        "ccer_cap": Parameter("ccer_cap", 0.05, "share of the surrender obligation", MEASURES_2020, True),
    }
    return {key: replace(rule, checked=checks.get(key, "")) for key, rule in rules.items()}


def _plan_2019(year: int) -> Plan:
    doc = PLAN_2019
    return Plan(
        year=year,
        document=doc,
        supply_benchmark=_benchmarks(
            (0.877, 0.979, 1.146, 0.392),
            "tCO2/MWh",
            "supply",
            doc,
            "附件1 表1 供电基准值",
            f"{ICAP_DRAFT}; {SPGLOBAL_DRAFT}",
        ),
        heat_benchmark=_benchmarks(
            (0.126, 0.126, 0.126, 0.059), "tCO2/GJ", "heat", doc, "附件1 表1 供热基准值", ICAP_DRAFT
        ),
        **_rules(doc, "附件1", "六", {"preallocation_share": f"{ICAP_DRAFT} (70 % of 2018 output × benchmark)"}),
        borrowing_gap_threshold=None,
        borrowing_share=None,
        banking=False,
    )


def _plan_2021(year: int) -> Plan:
    doc = PLAN_2021
    supply = {2021: (0.8218, 0.8773, 0.9485, 0.3920), 2022: (0.8177, 0.8729, 0.9437, 0.3901)}[year]
    heat = {2021: (0.1111, 0.1111, 0.1111, 0.0560), 2022: (0.1105, 0.1105, 0.1105, 0.0557)}[year]
    return Plan(
        year=year,
        document=doc,
        supply_benchmark=_benchmarks(supply, "tCO2/MWh", "supply", doc, f"附件1 {year}年度供电基准值"),
        heat_benchmark=_benchmarks(heat, "tCO2/GJ", "heat", doc, f"附件1 {year}年度供热基准值"),
        **_rules(
            doc,
            "附件2",
            "七",
            {
                "preallocation_share": f"{IKI_2021} 3 (70 % pre-allocation kept)",
                "shortfall_cap": f"{IKI_2021} 4; {MEE_QA_2021} (allowances raised to 80 % of verified emissions)",
            },
        ),
        borrowing_gap_threshold=Parameter(
            "borrowing.gap",
            0.10,
            "shortfall share of allocation",
            f"{doc}, 七 配额清缴（配额预支）",
            False,
            f"{IKI_2021} 4; {MEE_QA_2021} (缺口率 10 % or more, 含)",
        ),
        borrowing_share=Parameter(
            "borrowing.share",
            0.50,
            "share of the shortfall",
            f"{doc}, 七 配额清缴（配额预支）",
            False,
            f"{IKI_2021} 4; {MEE_QA_2021} (up to 50 % of the gap, from the 2023 pre-allocation)",
        ),
        banking=True,
    )


def plan(year: int) -> Plan:
    """The parameters of plan year ``year``; an unsupported year is a :class:`PlanError` naming the field."""
    if year in UNSUPPORTED_YEARS:
        raise PlanError(
            f"plan_year {year}: not supported — the benchmark table of {UNSUPPORTED_YEARS[year]} could not be "
            f"verified; supported plan years: {', '.join(map(str, SUPPORTED_YEARS))}"
        )
    if year in (2019, 2020):
        return _plan_2019(year)
    if year in (2021, 2022):
        return _plan_2021(year)
    raise PlanError(f"plan_year {year}: no allocation plan; supported: {', '.join(map(str, SUPPORTED_YEARS))}")


def parameters_frame(year: int):
    """Every parameter of a plan year as a table (name, value, unit, citation, verified, checked)."""
    import pandas as pd

    rows = [vars(p) | {"plan_year": year} for p in plan(year).parameters()]
    return pd.DataFrame(rows, columns=["plan_year", "name", "value", "unit", "citation", "verified", "checked"])


def load_correction(load: np.ndarray) -> np.ndarray:
    """负荷（出力）系数修正系数 of conventional coal pure-condensing units (2019–2022 plans), vectorised.

    With load factor F (generation ÷ (capacity × operating hours)):
    F ≥ 0.85 → 1; 0.80 ≤ F < 0.85 → 1 + 0.0014·(85 − 100F); 0.75 ≤ F < 0.80 → 1.007 + 0.0016·(80 − 100F);
    F < 0.75 → 1.015^(16 − 20F). The pieces meet at 0.80 (1.007) and 0.75 (1.015).
    Source: the plans' 附件 负荷（出力）系数修正系数 table (transcribed, unverified). NaN F → 1 (not applied).
    """
    f = np.asarray(load, dtype=float)
    out = np.ones_like(f)
    pct = 100.0 * f
    band1 = (f >= 0.80) & (f < 0.85)
    band2 = (f >= 0.75) & (f < 0.80)
    band3 = f < 0.75
    out[band1] = 1.0 + 0.0014 * (85.0 - pct[band1])
    out[band2] = 1.007 + 0.0016 * (80.0 - pct[band2])
    out[band3] = 1.015 ** (16.0 - 20.0 * f[band3])
    return out


def heat_correction(heat_ratio: np.ndarray, is_gas: np.ndarray, p: Plan) -> np.ndarray:
    """供热量修正系数: coal 1 − 0.22 × 供热比, gas 1 − 0.6 × 供热比 (plan 附件, transcribed, unverified)."""
    ratio = np.asarray(heat_ratio, dtype=float)
    coef = np.where(is_gas, p.heat_coefficient_gas.value, p.heat_coefficient_coal.value)
    return 1.0 - coef * ratio


def cooling_correction(air_cooled: np.ndarray, is_gas: np.ndarray, p: Plan) -> np.ndarray:
    """冷却方式修正系数: air-cooled coal units 1.05, water-cooled and gas units 1 (plan 附件, unverified)."""
    return np.where(np.asarray(air_cooled, dtype=bool) & ~np.asarray(is_gas, dtype=bool), p.air_cooling.value, 1.0)
