"""Financed emissions against the numeric examples printed in the PCAF standard.

PCAF (2022), *The Global GHG Accounting and Reporting Standard Part A: Financed Emissions*, Second Edition
(December 2022), read in the verbatim text copy ``ref.md`` of the public repository PEERCARBONEARTH/PCAF-client
(commit 6527061496e5acafd032893f748ca2196ee05538; its table of contents, edition line and citation line match the
PDF's). Page numbers are those printed in that copy where it carries them (p. 61 for Table 5-5); elsewhere the
section and its page range from the table of contents are given.
"""

from __future__ import annotations

import pandas as pd
import pytest

from coreduce.finance.book import check_book
from coreduce.finance.pcaf import attribution_factor, economic_intensity, financed_emissions, weighted_score

# Tables 5-4 / 5-8: dummy tCO2e of the reporting year 2020 and each company's attribution factor
EXAMPLE = {
    "forestry": {"scope1": 1_000, "scope2": 100, "scope3": 5_000, "removals": 20_000, "retired": 0,
                 "generated": 5_000, "af": 0.10},
    "industrial": {"scope1": 20_000, "scope2": 5_000, "scope3": 30_000, "removals": 0, "retired": 25_000,
                   "generated": 0, "af": 0.25},
    "energy": {"scope1": 5_000, "scope2": 0, "scope3": 10_000, "removals": 1_000, "retired": 5_000,
               "generated": 500, "af": 0.20},
}  # fmt: skip
# Tables 5-5 / 5-9: the portfolio totals the standard prints
TOTALS = {"scope1": 6_100, "scope2": 1_260, "scope3": 10_000, "removals": 2_200, "retired": 7_250, "generated": 600}


def _book(rows: list[dict]) -> pd.DataFrame:
    base = {"sector": "26", "province": "Jiangsu", "exposure": "0", "emissions_verified": "true"}
    frame = pd.DataFrame([{**base, **{k: str(v) for k, v in row.items()}} for row in rows])
    return check_book(frame, "pcaf example")


def _example_book(column: str, listed: bool) -> pd.DataFrame:
    """The three example companies, each financed with the attribution factor the table gives: outstanding =
    AF × EVIC (listed, §5.1) or AF × total equity + debt (unlisted, §5.2), denominators of awkward size."""
    denominators = {"forestry": 7.3e8, "industrial": 1.37e9, "energy": 2.9e8}
    base = "evic" if listed else "equity_plus_debt"
    return _book(
        [
            {"loan_id": name, "borrower": name, "listed": str(listed).lower(), base: denominators[name],
             "outstanding": values["af"] * denominators[name], "emissions": values[column]}
            for name, values in EXAMPLE.items()
        ]
    )  # fmt: skip


@pytest.mark.parametrize("listed", [True, False], ids=["5.1-table-5-5", "5.2-table-5-9"])
@pytest.mark.parametrize("column", list(TOTALS))
def test_portfolio_totals_equal_tables_5_5_and_5_9(column, listed):
    # §5.1 Tables 5-4 (p. 60) and 5-5 (p. 61) and §5.2 Tables 5-8 and 5-9 (pp. 66–78): e.g. scope 1
    # 1,000 × 10% + 20,000 × 25% + 5,000 × 20% = 6,100; scope 2 1,260; scope 3 10,000; removals 2,200;
    # carbon credits retired 7,250 and generated 600, each attributed with the same factor
    book = _example_book(column, listed)
    out = financed_emissions(book)
    assert out["attribution_factor"].tolist() == pytest.approx([0.10, 0.25, 0.20])
    assert set(out["denominator_used"]) == {"evic" if listed else "equity_plus_debt"}
    assert out["financed_emissions"].sum() == pytest.approx(TOTALS[column])


def test_evic_attributes_the_whole_company_once():
    # §5.1 (pp. 49–65), "simplified example" of why EVIC does not deduct cash: equity 50, debt 50, cash 20;
    # EV incl. cash = 50 + 50 = 100, attribution to equity 50 / 100 = 50 %, to debt 50 %, total 100 %
    book = _book(
        [
            {"loan_id": "equity", "borrower": "Example Company", "listed": "true", "evic": 100, "outstanding": 50,
             "emissions": 1_234.5},
            {"loan_id": "debt", "borrower": "Example Company", "listed": "true", "evic": 100, "outstanding": 50,
             "emissions": 1_234.5},
        ]
    )  # fmt: skip
    af = attribution_factor(book)["attribution_factor"]
    assert af.tolist() == [0.5, 0.5]
    assert financed_emissions(book)["financed_emissions"].sum() == pytest.approx(1_234.5)


def test_weighted_data_quality_equals_box_8():
    # §6 (pp. 122–129), Box 8: business loans weighted by outstanding loan → 3.03; oil & gas alone → 3.53.
    # (The box's denominator prints Company D's loan as 108,977 against 108,997 in its table; both round to 3.03.)
    loans = pd.DataFrame(
        {"sector": ["oil_gas", "oil_gas", "cattle", "cattle", "cattle", "cattle"],
         "outstanding": [522_425, 187_449, 82_778, 108_997, 67_556, 54_762],
         "data_quality": [3.0, 5.0, 1.0, 1.0, 2.0, 5.0]}
    )  # fmt: skip
    assert round(weighted_score(loans, loans["outstanding"]), 2) == 3.03
    oil = loans[loans["sector"] == "oil_gas"]
    assert round(weighted_score(oil, oil["outstanding"]), 2) == 3.53


@pytest.mark.parametrize(
    ("evic", "footprint", "printed"),
    [((1200, 1000, 800, 600), 100.0, 100), ((1360, 1120, 880, 640), 90.455_500_38, 90)],
    ids=["base-year", "current-year"],
)
def test_economic_intensity_equals_the_adjustment_factor_example(evic, footprint, printed):
    # §5.1 (pp. 49–65), "Calculation example of applying the adjustment factor": companies A–D with emissions
    # 60,000 / 100,000 / 120,000 / 120,000 tCO2e, weights 40 / 30 / 20 / 10 %, EVIC (M$) in the base year and
    # the current year; carbon footprint 100 and 90 tCO2e/M$ as printed. Holdings = weight × 1,000 M$; unrounded
    # current year: 0.4·60,000/1,360 + 0.3·100,000/1,120 + 0.2·120,000/880 + 0.1·120,000/640 = 90.4555…
    emissions, weights = (60_000, 100_000, 120_000, 120_000), (0.4, 0.3, 0.2, 0.1)
    book = _book(
        [
            {"loan_id": name, "borrower": name, "listed": "true", "evic": v, "outstanding": 1_000 * w, "emissions": e}
            for name, v, w, e in zip("ABCD", evic, weights, emissions, strict=True)
        ]
    )
    out = financed_emissions(book)
    value = economic_intensity(out["financed_emissions"], book["outstanding"])
    assert value == pytest.approx(footprint, rel=1e-9) and round(value) == printed
