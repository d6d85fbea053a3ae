"""The green-finance reader, the pilot zones and the regional analysis on the bundled panel."""

from __future__ import annotations

import pandas as pd
import pytest

from coreduce.finance.conventions import FinanceConventions
from coreduce.finance.pilots import first_treated_year, pilot_zones
from coreduce.finance.regions import regions


@pytest.fixture(scope="module")
def result(bundled_panel):
    return regions(bundled_panel)


def test_bundled_panel_holds_every_green_finance_series_for_31_provinces(bundled_panel):
    panel = bundled_panel
    rows = panel.data[panel.data["variable"].str.startswith("gf_")]
    counts = rows.groupby("variable")["geo"].nunique()
    assert set(counts.index) == {"gf_credit", "gf_bond", "gf_investment", "gf_insurance", "gf_equity", "gf_fund",
                                 "gf_carbon_intensity", "gf_index"}  # fmt: skip
    assert (counts == 31).all()
    zhejiang = rows[(rows["geo"] == "330000") & (rows["year"] == 2017)].set_index("variable")["value"]
    # values as in final_data.1.3.4_did.csv, row Zhejiang 2017
    assert zhejiang["gf_credit"] == pytest.approx(0.045)
    assert zhejiang["gf_index"] == pytest.approx(0.378)
    assert zhejiang["gf_carbon_intensity"] == pytest.approx(0.725)
    catalogue = panel.catalogue.set_index("variable")
    assert catalogue.loc["gf_index", "definition"].startswith("UNVERIFIED")


def test_pilot_zones_follow_the_documents_not_the_files_flag():
    table = pilot_zones()
    assert table.set_index("province")["first_year"].to_dict() == {
        "Zhejiang": 2017, "Jiangxi": 2017, "Guangdong": 2017, "Guizhou": 2017, "Xinjiang": 2017,
        "Gansu": 2019, "Chongqing": 2022,
    }  # fmt: skip
    assert "130000" not in set(table["geo"])  # Hebei is not a pilot province
    assert table["citation"].str.len().min() > 40
    assert first_treated_year("first_full_year")["500000"] == 2023


def test_regions_decomposes_the_index_and_prints_the_did_assumptions(result):
    main = result.imbalance
    last = main.loc[2023]
    assert last["G"] == pytest.approx(last["G_w"] + last["G_nb"] + last["G_t"], rel=1e-9)
    assert set(result.dimensions.index.get_level_values("dimension")) >= {"gf_credit", "gf_fund"}
    did = result.did.set_index("outcome")
    assert did.loc["gf_index", "treated"] == 7 and did.loc["gf_index", "provinces"] == 31
    assert did.loc["gf_index", "covariance"].startswith("clustered")
    es = result.event_study[result.event_study["outcome"] == "gf_index"]
    assert list(es["term"]) == ["k=-4", "k=-3", "k=-2", "k=0", "k=1", "k=2", "k=3"]
    assert 0 <= es["pretrend_p"].iloc[0] <= 1
    text = result.summary("en")
    assert "Parallel trends, gf_index" in text and "UNVERIFIED" in text
    assert "Chongqing" not in text or "500000" in text
    assert any(m.geo == "500000" for m in result.missing)  # CO2 ends 2019, Chongqing's pilot starts 2022


def test_regions_relates_green_finance_to_co_reduction_and_nqpf(result):
    relation = result.relation.set_index("outcome")
    assert {"log(co2_ceads / gdp)", "nqpf_index (default system, entropy)"} <= set(relation.index)
    assert relation["nobs"].min() > 100 and relation["covariance"].str.startswith("clustered").all()


def test_regions_counts_the_implausible_source_values(result):
    checks = result.plausibility.set_index("variable")
    assert checks.loc["gf_bond", "province_years"] == 31 * 16  # every province 2000–2015
    # the reader's rule (a ratio above 1: investment above GDP) flags the 42 values the build log counts
    assert checks.loc["gf_investment", "province_years"] == 42
    flagged = result.flagged[result.flagged["check"] == "investment_above_gdp"]
    assert len(flagged) == 42 and (flagged["value"] > 1).all()
    assert set(flagged["geo"]) == {"540000", "630000", "640000", "460000"}  # Tibet, Qinghai, Ningxia, Hainan
    assert flagged.set_index(["geo", "year"]).loc[("540000", 2000), "value"] == pytest.approx(4.703)


def test_regions_records_the_conventions_and_writes_xlsx(result, tmp_path):
    assert result.convention("pilot_timing") == "document_year"
    path = result.write(tmp_path / "regions.xlsx")
    sheets = pd.ExcelFile(path).sheet_names
    assert {"imbalance", "did", "event_study", "pilots", "conventions"} <= set(sheets)


def test_first_full_year_timing_changes_the_design(bundled_panel):
    conv = FinanceConventions(pilot_timing="first_full_year", lags=2)
    result = regions(bundled_panel, conv, outcomes=("gf_index",), relations=("log(co2_ceads / gdp)",))
    assert result.convention("pilot_timing") == "first_full_year"
    assert result.event_study["term"].tolist()[-1] == "k=2"
