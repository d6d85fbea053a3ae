"""NBS provincial GDP and real index 2011–2022 (latest revision) and the constant-price series chained from them."""

from __future__ import annotations

import numpy as np
import pytest

from coreduce.data.readers import nbs_provincial


@pytest.fixture(scope="module")
def wide(read_once):
    out = read_once("nbs_provincial_gdp")
    return out.data.pivot_table(index=["geo", "year"], columns="variable", values="value")


def test_published_values_as_in_provenance(wide):
    # PROVENANCE.md §19: Jiangsu 2022 = 124,564.2 (revised; 122,875.6 initially), Shandong 2022 = 89,519.4,
    # provincial sums 2022 = 1,222,892 and 2021 = 1,166,801; Beijing real growth 2020 1.4 %, 2021 9.2 %, 2022 1.0 %;
    # Hubei 2020 = 94.6 and Jilin 2022 = 98.1 are the only indices below 100
    assert wide.loc[("320000", 2022), "gdp_nbs"] == 124564.2
    assert wide.loc[("370000", 2022), "gdp_nbs"] == 89519.4
    sums = wide["gdp_nbs"].groupby(level="year").sum()
    assert sums[2022] == pytest.approx(1222892, abs=1) and sums[2021] == pytest.approx(1166801, abs=1)
    assert [wide.loc[("110000", y), "gdp_index"] for y in (2020, 2021, 2022)] == [101.4, 109.2, 101.0]
    below = wide[wide["gdp_index"] < 100].index.tolist()
    assert sorted(below) == [("220000", 2022), ("420000", 2020)]


def test_real_gdp_chains_the_index_on_2015_prices(wide):
    beijing = wide.xs("110000", level="geo")
    assert beijing.loc[2015, "gdp_real"] == beijing.loc[2015, "gdp_nbs"] == 26034.1
    # 2016 = 26,034.1 × 1.070; 2014 = 26,034.1 / 1.068 (the 2015 index)
    assert beijing.loc[2016, "gdp_real"] == pytest.approx(26034.1 * 1.070, rel=1e-12)
    assert beijing.loc[2014, "gdp_real"] == pytest.approx(26034.1 / 1.068, rel=1e-12)
    assert beijing.loc[2010, "gdp_real"] == pytest.approx(beijing.loc[2011, "gdp_real"] / 1.078, rel=1e-12)
    growth = beijing["gdp_real"].pct_change().loc[2011:] * 100 + 100
    np.testing.assert_allclose(growth, beijing["gdp_index"].loc[2011:], rtol=1e-12)
    assert beijing.loc[2015, "gdp_deflator_province"] == pytest.approx(100.0)


def test_provincial_implicit_deflator_of_china(wide):
    china = wide.xs("100000", level="geo")["gdp_deflator_nbs"]
    assert list(china.index) == list(range(2011, 2023))
    assert china[2015] == pytest.approx(100.0)
    assert 114 < china[2022] < 117  # Σ nominal ÷ Σ real of 2022: 115.55


def test_chain_real_back_and_forth():
    import pandas as pd

    nominal = pd.DataFrame({2014: [90.0], 2015: [100.0], 2016: [112.0]}, index=["g"])
    index = pd.DataFrame({2015: [110.0], 2016: [105.0]}, index=["g"])
    real = nbs_provincial.chain_real(nominal, index, base=2015)
    assert real.loc["g"].tolist() == pytest.approx([100 / 1.1, 100.0, 105.0])
