"""Portfolio screening: PCAF financed emissions, SDA alignment, carbon cost, tiers and bad input.

PCAF: the attribution equations of PCAF (2022), *The Global GHG Accounting and Reporting Standard Part A:
Financed Emissions*, 2nd ed., §5.1 (pp. 49–65) and §5.2 (pp. 66–78), worked by hand below on the example book
(the standard's own printed examples are in test_pcaf_examples.py). SDA: the r2dii.analysis test "with known
input outputs as expected" (RMI-PACTA/r2dii.analysis at commit 8841895, 12 January 2026,
tests/testthat/test-target_sda.R, lines 206–253): targets 0.9, 0.98, 1.06, 1.13, 1.21, 1.29 (b2ds) and
0.9, 1.75, 2.60, 3.46, 4.31, 5.16 (sds), 2020–2025.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from coreduce.conventions import ConventionError
from coreduce.finance.alignment import alignment, corporate_economy, sda_target
from coreduce.finance.book import BookError, check_book, read_book
from coreduce.finance.conventions import FinanceConventions
from coreduce.finance.pcaf import financed_emissions, weighted_score
from coreduce.finance.scenarios import ScenarioError, load_pathway, load_scenario
from coreduce.finance.screen import screen

DATA = Path(str(files("coreduce.finance") / "data"))
EXAMPLE = DATA / "example_book.csv"
OBSERVED = DATA / "scenarios" / "observed_2023.toml"


@pytest.fixture(scope="module")
def book():
    return read_book(EXAMPLE)


def test_pcaf_attribution_listed_by_evic_unlisted_by_equity_plus_debt(book):
    fe = financed_emissions(book).set_index(book["loan_id"])
    # listed, verified: 1.8e9 / 60e9 × 30 Mt = 0.03 × 30,000,000 t
    assert fe.loc["L001", "attribution_factor"] == pytest.approx(0.03)
    assert fe.loc["L001", "financed_emissions"] == pytest.approx(900_000)
    assert (fe.loc["L001", "pcaf_option"], fe.loc["L001", "data_quality"]) == ("1a", 1)
    # unlisted, unverified: 0.8e9 / 12e9 × 9.5 Mt = 633,333.33… t, score 2
    assert fe.loc["L002", "financed_emissions"] == pytest.approx(633_333.333333, rel=1e-9)
    assert fe.loc["L002", "data_quality"] == 2
    assert np.isnan(fe.loc["L006", "financed_emissions"])  # no emissions, no factor: missing, not zero
    by_evic = financed_emissions(book, basis="equity_plus_debt").set_index(book["loan_id"])
    assert by_evic.loc["L001", "denominator_used"] == "evic"  # falls back to EVIC when equity + debt is absent


def test_pcaf_factor_options_and_weighted_score(book):
    factors = pd.DataFrame(
        {"sector": ["26", "26"], "basis": ["revenue", "asset"], "value": [2.5e-4, 1e-4],
         "unit": ["t/CNY", "t/CNY"], "citation": ["test factor", "test factor"]}
    )  # fmt: skip
    fe = financed_emissions(book, factors).set_index(book["loan_id"])
    # option 3a: revenue 3.5e9 × 2.5e-4 = 875,000 t, attributed 0.25e9 / 5e9 = 0.05 → 43,750 t, score 4
    assert fe.loc["L006", "pcaf_option"] == "3a" and fe.loc["L006", "data_quality"] == 4
    assert fe.loc["L006", "financed_emissions"] == pytest.approx(43_750)
    only_asset = financed_emissions(book, factors[factors["basis"] == "asset"]).set_index(book["loan_id"])
    # option 3b: outstanding 0.25e9 × 1e-4 = 25,000 t, no attribution factor applied again, score 5
    assert only_asset.loc["L006", "financed_emissions"] == pytest.approx(25_000)
    assert only_asset.loc["L006", "data_quality"] == 5
    frame = pd.DataFrame({"data_quality": [1.0, 2.0, np.nan]})
    assert weighted_score(frame, pd.Series([1.8e9, 0.8e9, 5e9])) == pytest.approx((1.8 + 1.6) / 2.6)


R2DII_YEARS = np.arange(2020, 2026)


def test_sda_target_matches_r2dii_analysis_known_input_outputs():
    # r2dii.analysis test-target_sda.R "with known input outputs as expected": cement companies "shaanxi auto"
    # (EF 0.9 in 2020, production 1) and "company 2" (EF 12, production 1); scenarios b2ds 0.5 → 0.1 and
    # sds 0.5 → 0.4 from 2020 to 2025, interpolated yearly; the loan book holds shaanxi auto
    book = pd.DataFrame({"sda_sector": ["cement", "cement"], "emissions": [0.9, 12.0], "production": [1.0, 1.0]})
    baseline = corporate_economy(book)["cement"]
    assert baseline == pytest.approx(6.45)  # expected corporate_economy in 2020
    expected = {
        "b2ds": ((0.5, 0.1), [0.9, 0.98, 1.06, 1.13, 1.21, 1.29], [6.45, 5.42, 4.39, 3.35, 2.32, 1.29]),
        "sds": ((0.5, 0.4), [0.9, 1.75, 2.60, 3.46, 4.31, 5.16], [6.45, 6.19, 5.93, 5.68, 5.42, 5.16]),
    }
    for (start, end), targets, adjusted in expected.values():
        scenario = np.interp(R2DII_YEARS, [2020, 2025], [start, end])
        out = sda_target(0.9, start, scenario, end, "r2dii", baseline)
        assert np.round(out, 2).tolist() == targets
        assert np.round(baseline / start * scenario, 2).tolist() == adjusted  # adjusted_scenario_<name>
    with pytest.raises(ValueError, match="baseline"):
        sda_target(0.9, 0.5, 0.42, 0.1, "r2dii")


def test_sda_target_sbti_form_by_hand():
    # d = 0.6 − 0.16897 = 0.43103; p = 0.26142 / 0.36938 = 0.707727…; 0.43103·p + 0.16897
    assert float(sda_target(0.6, 0.53835, 0.43039, 0.16897)) == pytest.approx(0.474021, abs=1e-6)
    # at the base year the target is the company's own intensity, in 2050 the scenario's
    assert float(sda_target(0.6, 0.53835, 0.53835, 0.16897)) == pytest.approx(0.6)
    assert float(sda_target(0.6, 0.53835, 0.16897, 0.16897)) == pytest.approx(0.16897)


def _pathway(tmp_path):
    path = tmp_path / "pathway.csv"
    path.write_text(
        "sector,year,intensity,unit,scenario,citation\n"
        "cement,2020,0.53835,t CO2/t,r2dii test,r2dii.analysis test-target_sda.R before 41fe44d (demo values)\n"
        "cement,2030,0.43039,t CO2/t,r2dii test,r2dii.analysis test-target_sda.R before 41fe44d (demo values)\n"
        "cement,2050,0.16897,t CO2/t,r2dii test,r2dii.analysis test-target_sda.R before 41fe44d (demo values)\n",
        encoding="utf-8",
    )
    return load_pathway(path)


def test_alignment_of_the_example_cement_borrowers(book, tmp_path):
    out = alignment(book, _pathway(tmp_path), 2030).set_index(book["loan_id"])
    # C: 8.2 Mt / 10 Mt = 0.82 t/t; target = (0.82 − 0.16897)·0.707727 + 0.16897
    target = (0.82 - 0.16897) * (0.43039 - 0.16897) / (0.53835 - 0.16897) + 0.16897
    assert out.loc["L003", "target_intensity"] == pytest.approx(target)
    assert out.loc["L003", "alignment_gap"] == pytest.approx(0.82 / target - 1)
    assert np.isnan(out.loc["L001", "alignment_gap"])  # power: no pathway in this file
    # r2dii: corporate economy = the book's cement borrowers, (8.2 + 2.3) Mt ÷ (10 + 2.9) Mt = 0.813953… t/t
    r2dii = alignment(book, _pathway(tmp_path), 2030, "r2dii").set_index(book["loan_id"])
    end = (10.5 / 12.9) / 0.53835 * 0.16897
    target = (0.82 - end) * (0.43039 - 0.16897) / (0.53835 - 0.16897) + end
    assert r2dii.loc["L003", "target_intensity"] == pytest.approx(target)


def test_screen_carbon_cost_tiers_and_ranking(book):
    result = screen(book, load_scenario(OBSERVED))
    risk = result.risk.set_index("loan_id")
    # Power B: 9.5 Mt × 68.13 CNY/t = 647,235,000 CNY, ÷ revenue 5.2e9 = 12.45 %
    assert risk.loc["L002", "cost_ets"] == pytest.approx(647_235_000)
    assert risk.loc["L002", "cost_share"] == pytest.approx(647_235_000 / 5.2e9)
    assert risk.loc["L002", "tier"] == "high" and risk.loc["L002", "rank"] == 1
    assert risk.loc["L004", "cost_cbam"] == 0  # 2023 is CBAM's transitional period: no certificates
    assert result.convention("attribution") == "pcaf"
    assert result.tiers.loc["high", "loans"] == 3
    committee = result.committee.set_index("metric")["value"]
    assert committee["loans"] == 10
    reported = 0.03 * 5200 + 800 / 12000 * 2100 + 0.05 * 1300 + 0.03 * 9800 + 650 / 8500 * 3900
    activity = risk.loc["L010", "financed_so2"] + risk.loc["L006", "financed_so2"]  # from the factor library
    assert committee["financed_so2"] == pytest.approx(reported + activity)


def test_fuel_use_gives_pcaf_option_2a_and_the_co_pollutants_of_the_same_activity(book):
    result = screen(book, load_scenario(OBSERVED))
    risk = result.risk.set_index("loan_id")
    # 12,000,000 GJ of natural gas × 56.1 kg CO2/GJ (IPCC 2006 Guidelines, Vol. 2, Table 2.2: 56,100 kg/TJ)
    assert risk.loc["L006", "emissions_used"] == pytest.approx(673_200)
    assert (risk.loc["L006", "pcaf_option"], risk.loc["L006", "data_quality"]) == ("2a", 3)
    assert risk.loc["L006", "financed_emissions"] == pytest.approx(0.05 * 673_200)
    used = result.factors.set_index(["fuel", "pollutant"])
    assert used.loc[("natural_gas", "so2"), "kg_per_unit"] > 0
    so2 = used.loc[("hard_coal", "so2"), "kg_per_unit"]
    assert risk.loc["L010", "financed_so2"] == pytest.approx(290_000 * so2 / 1000 * 0.25e9 / 2.6e9)
    assert risk.loc["L010", "pcaf_option"] == "1b"  # reported emissions win over the activity estimate
    assert result.sources["source"].str.startswith("factor:").any()


def _scenario(tmp_path, *extra: str):
    path = tmp_path / "test.csv"
    rows = ["kind,key,year,value,unit,citation", "price,eu_ets,2026,80,EUR/t,test input",
            "fx,EUR/CNY,2026,7.8,CNY/EUR,test input", "price,china_ets,2026,70,CNY/t,test input",
            "ets_sector,china_ets,2021,44,division,test input", *extra]  # fmt: skip
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return load_scenario(path)


def test_screen_cbam_certificates_come_from_coreduce_cbam(book, tmp_path):
    conv = FinanceConventions(price_year=2026, scenario="test")
    risk = screen(book, _scenario(tmp_path), conv).risk.set_index("loan_id")
    # steel D, 72083900 hot-rolled flat, own intensity SEE = 21 Mt / 11 Mt = 1.90909… t/t; free allocation: the
    # whole-good benchmark of IR (EU) 2025/2620 (column B, route C = the China default value's BF-BOF route,
    # 1.370) × the 2026 CBAM factor 0.975 = 1.33575 t/t; certificates 0.57334… per t; steel is not in the China
    # ETS here, so nothing is deducted: 400,000 t × 0.57334… × 80 EUR × 7.8 CNY/EUR
    per_t = 21 / 11 - 1.370 * 0.975
    assert risk.loc["L004", "cost_cbam"] == pytest.approx(400_000 * per_t * 80 * 7.8, rel=1e-12)
    # with steel covered by the China ETS, Art. 9 deducts SEE × (70 CNY ÷ 7.8) EUR ÷ 80 EUR per t
    covered = screen(book, _scenario(tmp_path, "ets_sector,china_ets,2021,31,division,test input"), conv).risk
    paid = 21 / 11 * (70 / 7.8) / 80
    cost = covered.set_index("loan_id").loc["L004", "cost_cbam"]
    assert cost == pytest.approx(400_000 * (per_t - paid) * 80 * 7.8, rel=1e-12)


def test_screen_cbam_falls_back_to_the_china_default_value_with_the_mark_up(book, tmp_path):
    no_output = book.assign(production=book["production"].where(book["loan_id"] != "L004"))
    conv = FinanceConventions(price_year=2026, scenario="test")
    risk = screen(no_output, _scenario(tmp_path), conv).risk.set_index("loan_id")
    # no intensity: IR (EU) 2025/2621 Annex I, China, CN 7208 route C: direct 3.187 t/t × the 2026 mark-up 1.10
    # (steel counts direct emissions only, Annex II of Regulation 2023/956)
    per_t = 3.187 * 1.10 - 1.370 * 0.975
    assert risk.loc["L004", "cost_cbam"] == pytest.approx(400_000 * per_t * 80 * 7.8, rel=1e-12)


def test_book_exporter_needs_the_cn_code_of_a_cbam_good(book):
    frame = pd.read_csv(EXAMPLE, dtype=str, keep_default_na=False, na_values=[""])
    frame.loc[3, "cn_code"] = "7208"
    with pytest.raises(BookError, match=r"row 5, column 'cn_code'.*8-digit CN code of a CBAM good"):
        check_book(frame, "book.csv")


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"sector": "99"}, "row 2, column 'sector'"),
        ({"exposure": "-5"}, "row 2, column 'exposure'"),
        ({"evic": "", "equity_plus_debt": ""}, "row 2, column 'equity_plus_debt'"),
        ({"emissions": "lots"}, "row 2, column 'emissions'"),
        ({"province": "Atlantis"}, "row 2, column 'province'"),
    ],
)
def test_bad_book_rows_are_named(tmp_path, row, message):
    frame = pd.read_csv(EXAMPLE, dtype=str, keep_default_na=False)
    for column, value in row.items():
        frame.loc[0, column] = value
    path = tmp_path / "book.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(BookError, match=message):
        read_book(path)


def test_scenario_value_without_citation_is_refused(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text('name = "x"\n[[value]]\nkind = "price"\nkey = "eu_ets"\nyear = 2030\nvalue = 130.0\n'
                    'unit = "EUR/t"\ncitation = ""\n', encoding="utf-8")  # fmt: skip
    with pytest.raises(ScenarioError, match=r"\[\[value\]\] entry 1, field 'citation'"):
        load_scenario(path)
    csv = tmp_path / "s.csv"
    csv.write_text("kind,key,year,value,unit,citation\nprice,eu_ets,2030,abc,EUR/t,somewhere\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="row 2, field 'value'"):
        load_scenario(csv)


def test_tier_thresholds_must_be_ordered():
    with pytest.raises(ConventionError, match="tier_medium"):
        FinanceConventions(tier_high=0.02, tier_medium=0.03)


def test_screen_writes_every_table_to_xlsx(book, tmp_path):
    result = screen(book, load_scenario(OBSERVED))
    path = result.write(tmp_path / "screen.xlsx", lang="zh")
    sheets = pd.ExcelFile(path).sheet_names
    assert {"risk", "tiers", "committee", "scenario", "conventions", "sources"} <= set(sheets)
