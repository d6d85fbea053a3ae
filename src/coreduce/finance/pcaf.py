"""Financed emissions by the PCAF attribution rules, with the PCAF data-quality score of each loan.

PCAF (2022), *The Global GHG Accounting and Reporting Standard Part A: Financed Emissions*, 2nd ed.
(December 2022), §5.1 listed equity and corporate bonds (pp. 49–65) and §5.2 business loans and unlisted equity
(pp. 66–78)::

    financed emissions_c = AF_c × emissions_c,      AF_c = outstanding_c ÷ EVIC_c           (listed)
                                                    AF_c = outstanding_c ÷ (equity + debt)_c  (unlisted)

Data-quality score (the score tables of §5.1 and §5.2): 1 — reported emissions, verified (option 1a);
2 — reported, unverified (1b); 3 — energy use × emission factors (2a, from :mod:`coreduce.accounting`) or
production × a physical emission factor (2b); 4 — revenue × a sector factor
per unit of revenue (3a); 5 — outstanding amount × a sector factor per unit of asset (3b, no attribution factor
needed). The best available option is used for each loan. Factors for options 2b–3b come from a factor table
(``sector, basis, value, unit, citation``); without one, a loan without reported emissions has none (missing).

Checked against the standard's printed examples (tests/finance/test_pcaf_examples.py): the portfolio totals of
Tables 5-5 (p. 61) and 5-9, the EVIC example of §5.1 (equity 50, debt 50, cash 20 → 50 % + 50 %) and the weighted
data-quality scores of Box 8 (3.03 and 3.53), and the economic emission intensity of §5.1's adjustment-factor
example (100 and 90 t CO2e per M$).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

BASES = ("production", "revenue", "asset")


def attribution_factor(book: pd.DataFrame, basis: str = "pcaf", amount: str = "outstanding") -> pd.DataFrame:
    """``denominator_used`` (evic / equity_plus_debt) and ``attribution_factor`` = amount ÷ denominator."""
    evic, eqd = book["evic"].where(book["evic"] > 0), book["equity_plus_debt"].where(book["equity_plus_debt"] > 0)
    if basis == "pcaf":
        prefer_evic = book["listed"].to_numpy(bool)
    elif basis == "evic":
        prefer_evic = np.ones(len(book), bool)
    elif basis == "equity_plus_debt":
        prefer_evic = np.zeros(len(book), bool)
    else:
        raise ValueError(f"attribution basis must be pcaf, evic or equity_plus_debt; got {basis!r}")
    use_evic = np.where(prefer_evic, evic.notna(), eqd.isna() & evic.notna())
    denominator = np.where(use_evic, evic, eqd)
    return pd.DataFrame(
        {
            "denominator_used": np.where(use_evic, "evic", "equity_plus_debt"),
            "attribution_factor": book[amount].to_numpy(float) / denominator,
        },
        index=book.index,
    )


def borrower_emissions(
    book: pd.DataFrame, factors: pd.DataFrame | None = None, activity_co2: pd.Series | None = None
) -> pd.DataFrame:
    """``emissions_used`` (t CO2e), ``pcaf_option`` and ``data_quality`` (1–5) of each loan's borrower.

    ``activity_co2``: CO2 of the borrower's energy use from the factor library (option 2a, score 3).
    """
    reported = book["emissions"]
    verified = book["emissions_verified"].to_numpy(bool)
    emissions = reported.to_numpy(float).copy()
    option = np.where(reported.notna(), np.where(verified, "1a", "1b"), "")
    score = np.where(reported.notna(), np.where(verified, 1.0, 2.0), np.nan)
    if activity_co2 is not None:
        fill = np.isnan(emissions) & activity_co2.notna().to_numpy()
        emissions[fill] = activity_co2.to_numpy(float)[fill]
        option[fill], score[fill] = "2a", 3
    asset_based = np.zeros(len(book), bool)
    if factors is not None and len(factors):
        table = factors.set_index(["sector", "basis"])["value"]
        for basis, code, quality, column in (("production", "2b", 3, "production"), ("revenue", "3a", 4, "revenue"),
                                             ("asset", "3b", 5, "outstanding")):  # fmt: skip
            ef = book["sector"].map(table.xs(basis, level="basis")) if basis in factors["basis"].values else None
            if ef is None:
                continue
            fill = np.isnan(emissions) & ef.notna().to_numpy() & book[column].notna().to_numpy()
            emissions[fill] = (book[column] * ef).to_numpy()[fill]
            option[fill], score[fill] = code, quality
            asset_based |= fill & (basis == "asset")
    return pd.DataFrame(
        {"emissions_used": emissions, "pcaf_option": option, "data_quality": score, "asset_based": asset_based},
        index=book.index,
    )


def financed_emissions(
    book: pd.DataFrame,
    factors: pd.DataFrame | None = None,
    *,
    basis: str = "pcaf",
    amount: str = "outstanding",
    activity_co2: pd.Series | None = None,
) -> pd.DataFrame:
    """Per loan: attribution factor, borrower emissions, option, score and ``financed_emissions`` (t CO2e).

    Option 3b (asset-based) already measures the loan's share (outstanding × factor), so its attribution
    factor is not applied again.
    """
    af = attribution_factor(book, basis, amount)
    em = borrower_emissions(book, factors, activity_co2)
    financed = np.where(em["asset_based"], em["emissions_used"], af["attribution_factor"] * em["emissions_used"])
    return pd.concat([af, em.drop(columns="asset_based")], axis=1).assign(financed_emissions=financed)


def economic_intensity(financed: pd.Series, outstanding: pd.Series) -> float:
    """PCAF economic emission intensity (§5.1, the "carbon footprint" of its adjustment-factor example):
    Σ financed emissions ÷ Σ outstanding, over the loans that have financed emissions (t CO2e per unit of
    currency; the coverage of the book is reported beside it)."""
    has = financed.notna()
    total = float(outstanding[has].sum())
    return float(financed[has].sum()) / total if total > 0 else float("nan")


def weighted_score(frame: pd.DataFrame, weights: pd.Series) -> float:
    """PCAF portfolio score: the data-quality scores weighted by outstanding amount (loans with a score)."""
    has = frame["data_quality"].notna() & (weights > 0)
    return float(np.average(frame.loc[has, "data_quality"], weights=weights[has])) if has.any() else float("nan")
