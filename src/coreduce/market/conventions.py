"""The conventions of the carbon-market domain: every choice that changes an allocation, a position or a price.

Defaults are the latest supported plan year and cited national figures; the numbers that are modelling
assumptions (own-use rate, boiler efficiency, abatement costs, the price of non-compliance) say so in their
source and are recorded in every result.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from coreduce.conventions import ConventionError, Conventions, option
from coreduce.market.plans import PLAN_2023, SUPPORTED_YEARS, UNSUPPORTED_YEARS

STATUSES = (
    "operating",
    "construction",
    "permitted",
    "pre-permit",
    "announced",
    "shelved",
    "mothballed",
    "retired",
    "cancelled",
)
INFORMATION = ("full", "partial_book", "bilateral")

CEC_HOURS_2022 = (
    "China Electricity Council (中电联), 2022 average utilisation hours of thermal power: 4,379 h "
    "(as reprinted at m.fjmwjx.com/news_view.aspx?id=1478; secondary, not checked against the CEC release)"
)
CEC_NET_COAL_2022 = (
    "cec_2022: GEM heat rates scaled so the coal fleet's net rate equals 300.7 g ce/kWh (CEC, 中国电力行业年度发展"
    "报告2023, thermal plants ≥ 6 MW, 2022; reprinted by People's Daily 2023-07-09, secondary); gem: as printed"
)
SEEE_2024 = (
    "Shanghai Environment and Energy Exchange, 2024 national carbon market overview (overview.cneeex.com, "
    "2024-12-31): 188,646,053 t for 18,113,576,584.23 CNY → 96.02 CNY/t volume-weighted; secondary copy"
)
TRADING_RULES = (
    "MEE 2021 碳排放权交易管理规则（试行）: price in CNY per t CO2, quantity step 1 t, price step 0.01 CNY, "
    "price limits set by the exchange; SEEE 2021 关于全国碳排放权交易相关事项的公告: listing trades ±10 % of the "
    "previous close, block trades (≥ 100,000 t) ±30 % (percentages transcribed, unverified)"
)


def _plan_year(value: Any) -> str | None:
    if value in SUPPORTED_YEARS and not isinstance(value, bool):
        return None
    if value in UNSUPPORTED_YEARS:
        return f"a supported plan year {SUPPORTED_YEARS} ({PLAN_2023}: its benchmark table could not be verified)"
    return f"a supported plan year {SUPPORTED_YEARS}"


def _between(low: float, high: float, *, none: bool = False):
    def check(value: Any) -> str | None:
        if none and value is None:
            return None
        ok = isinstance(value, int | float) and not isinstance(value, bool) and low <= value <= high
        return None if ok else f"a number from {low} to {high}" + (" or None" if none else "")

    return check


def _statuses(value: Any) -> str | None:
    ok = isinstance(value, tuple) and value and all(v in STATUSES for v in value)
    return None if ok else f"a non-empty tuple of GEM statuses from {STATUSES}"


@dataclass(frozen=True)
class MarketConventions(Conventions):
    """Plan year, unit selection and categories, output, corrections, compliance rules, matching, seed."""

    plan_year: int = option(2022, check=_plan_year, source="MEE power-sector allocation plans (see market.plans)")
    statuses: tuple = option(("operating",), check=_statuses, source="GEM Global Coal Plant Tracker, July 2023")
    size_threshold_mw: float = option(
        400.0,
        allowed=(300.0, 400.0),
        source="plan 附件: 300MW等级以上 = rated power ≥ 400 MW (transcribed, unverified); 300 = a plain reading",
    )
    utilisation_hours: float = option(4379.0, check=_between(0, 8784), source=CEC_HOURS_2022)
    heat_rate_basis: str = option("cec_2022", allowed=("cec_2022", "gem"), source=CEC_NET_COAL_2022)
    own_use_rate: float = option(
        0.06, check=_between(0, 0.3), source="assumption: auxiliary power of coal units 4–8 % (unverified)"
    )
    load_factor: float | None = option(
        None, check=_between(0, 1.2, none=True), source="None: load correction not applied (no unit load data)"
    )
    air_cooled: bool = option(False, allowed=(False, True), source="GEM has no cooling field; a user file may")
    heat_ratio: float = option(0.0, check=_between(0, 1), source="供热比 for units without heat data")
    boiler_efficiency: float = option(0.90, check=_between(0.5, 1), source="assumption for heat supplied (unverified)")
    offsets: str = option("up_to_cap", allowed=("none", "up_to_cap"), source="MEE Order No. 19 (2020), art. 29")
    shortfall_cap: bool = option(True, allowed=(True, False), source="plan: 配额缺口上限 20 % of verified emissions")
    gas_cap: bool = option(True, allowed=(True, False), source="plan: 燃气机组 obligation capped at its allocation")
    cap_level: str = option(
        "owner",
        allowed=("owner", "unit"),
        source="the plans apply the 20 % cap per 重点排放单位; GEM's Owner (the plant company) stands for it",
    )
    borrowing: bool = option(False, allowed=(False, True), source="2021–2022 plan: 配额预支 (unverified)")
    reference_price: float = option(96.02, check=_between(0.01, 10000), source=SEEE_2024)
    price_limit: float = option(0.10, check=_between(0, 1), source=TRADING_RULES)
    block_limit: float = option(0.30, check=_between(0, 1), source=TRADING_RULES)
    block_size: int = option(100_000, check=_between(1, 10**9), source=TRADING_RULES)
    tick: float = option(0.01, check=_between(0.0001, 100), source=TRADING_RULES)
    noncompliance_price: float = option(
        300.0, check=_between(0, 100000), source="assumption: price of a shortfall left uncovered (unverified)"
    )
    information: str = option("full", allowed=INFORMATION, source="information regime of the matching")
    visible_share: float = option(0.5, check=_between(0.01, 1), source="share of the book a participant sees")
    abatement_dispersion: float = option(
        0.35, check=_between(0, 2), source="log sd of unit abatement costs around the base costs (assumption)"
    )
    seed: int = option(20230701, check=_between(0, 2**32 - 1), source="random seed (recorded for reproducibility)")

    def check(self) -> None:
        if self.block_limit < self.price_limit:
            raise ConventionError("block_limit", self.block_limit, f"at least price_limit ({self.price_limit})")
