"""The conventions of green-finance screening and of the regional green-finance analysis.

Every field changes an answer and is recorded in each finance result (``conventions``), with the source that
defines it. Thresholds of the risk tiers are conventions of this tool (a bank sets its own), not a standard.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from coreduce.conventions import ConventionError, Conventions, option, year_between

PCAF = "PCAF (2022), The Global GHG Accounting and Reporting Standard Part A: Financed Emissions, 2nd ed."


def _share(value: Any) -> str | None:
    ok = isinstance(value, int | float) and not isinstance(value, bool) and 0 < value < 1
    return None if ok else "a share strictly between 0 and 1"


def _count(least: int, most: int):
    def check(value: Any) -> str | None:
        ok = isinstance(value, int) and not isinstance(value, bool) and least <= value <= most
        return None if ok else f"an integer from {least} to {most}"

    return check


REGION_KEYS = frozenset({"grouping", "pilot_timing", "leads", "lags", "covariance"})
"""Fields of the regional analysis; every other field acts on the screening."""


@dataclass(frozen=True)
class FinanceConventions(Conventions):
    """Choices of financed emissions (PCAF), carbon-cost exposure, SDA alignment, risk tiers and the pilot DiD."""

    attribution: str = option(
        "pcaf",
        allowed=("pcaf", "equity_plus_debt", "evic"),
        source=f"{PCAF}, §5.1 (listed: outstanding ÷ EVIC) and §5.2 (unlisted: outstanding ÷ total equity + debt); "
        "'pcaf' picks the denominator by whether the borrower is listed",
    )
    amount: str = option(
        "outstanding",
        allowed=("outstanding", "exposure"),
        source=f"{PCAF}, §5.2: the outstanding amount (drawn), not the committed credit limit",
    )
    scenario: str = option("", source="the scenario file (name, and a citation for every value)")
    price_year: int = option(2023, check=year_between(2005, 2100), source="year of the scenario's carbon prices")
    cost_base: str = option("revenue", allowed=("revenue", "ebitda"), source="denominator of carbon-cost exposure")
    cbam_deduct_origin_price: bool = option(
        True,
        allowed=(True, False),
        source="Regulation (EU) 2023/956 (CBAM), Art. 9: a carbon price effectively paid in the country of origin "
        "reduces the certificates to surrender",
    )
    china_ets_free_share: float = option(
        0.0,
        check=lambda v: None if _share(v) is None or v == 0 else "a share from 0 (inclusive) to 1",
        source="share of a covered borrower's emissions met by free allowances; 0 = gross exposure (upper bound)",
    )
    pathway: str = option("", source="the sector pathway file (scenario intensities with citations)")
    sda_variant: str = option(
        "sbti",
        allowed=("sbti", "r2dii"),
        source="sbti: I(t) = (I_co(t0) − I_sc(2050))·p(t) + I_sc(2050) (SBTi SDA with m = 1, as the PACTA "
        "target-sda vignette states); r2dii: the scenario first rescaled by I_ce(t0)/I_sc(t0), I_ce the book's "
        "production-weighted sector intensity, as r2dii.analysis target_sda computes it",
    )
    target_year: int = option(2030, check=year_between(2020, 2050), source="year at which alignment is judged")
    tier_high: float = option(0.05, check=_share, source="convention of this tool: carbon cost ≥ this share → high")
    tier_medium: float = option(0.01, check=_share, source="convention of this tool: carbon cost ≥ this share → medium")
    grouping: str = option("four_regions", source="coreduce.geo groupings (the papers' four regions by default)")
    pilot_timing: str = option(
        "document_year",
        allowed=("document_year", "first_full_year"),
        source="first treated year of a pilot zone: the year of its overall plan, or the next (first full) year",
    )
    leads: int = option(4, check=_count(0, 10), source="event-study leads (k ≤ −leads binned; −1 is the reference)")
    lags: int = option(3, check=_count(0, 10), source="event-study lags (k ≥ lags binned)")
    covariance: str = option(
        "clustered",
        allowed=("clustered", "robust", "unadjusted"),
        source="clustered by province (Bertrand, Duflo & Mullainathan 2004), linearmodels debiased",
    )

    def records_for(self, analysis: str):
        """The records of the fields that act on ``analysis`` (``regions`` or ``screen``)."""
        keys = REGION_KEYS if analysis == "regions" else None
        return tuple(r for r in self.records() if (r.key in REGION_KEYS) == (keys is not None))

    def check(self) -> None:
        if self.tier_medium >= self.tier_high:
            raise ConventionError(
                "tier_medium", self.tier_medium, f"a share below tier_high ({self.tier_high}) so the tiers are ordered"
            )
