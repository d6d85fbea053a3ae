"""Intensity, aggregation, deflation and rates.

Published numbers used: the paper's national CO2 intensity 2.325 (2008) → 1.001 (2022) t per 10^4 yuan,
"5.8 % a year"; PROVENANCE.md's check: OWID/GCB China CO2 2008 (7,492 Mt) over the provincial GDP sum
(32.28 trillion yuan) = 2.321 t per 10^4 yuan; the NBS 13th five-year-plan target of an 18 % fall in CO2
intensity is expressed as ``change = −0.18``.
"""

import numpy as np
import pandas as pd
import pytest

from coreduce.methods.intensity import (
    IntensityError,
    aggregate_intensity,
    average_annual_rate,
    conversion_factor,
    deflate,
    intensity,
    plan_period_change,
    series_rate,
)


def test_paper_average_annual_decline():
    assert average_annual_rate(2.325, 1.001, 2022 - 2008) == pytest.approx(-0.058, abs=5e-4)


def test_units_through_pint():
    assert conversion_factor("Mt", "1e8 CNY", "t / (1e4 CNY)") == pytest.approx(100.0)
    assert conversion_factor("kt", "1e8 CNY", "kg / (1e4 CNY)") == pytest.approx(100.0)
    assert conversion_factor("1e4 t", "1e8 CNY", "t / (1e4 CNY)") == pytest.approx(1.0)
    # PROVENANCE.md check: 7,492 Mt / 322,800 × 1e8 yuan ≈ 2.321 t per 1e4 yuan
    assert intensity([7492.0], [322_800.0]).iloc[0] == pytest.approx(2.321, abs=1e-3)
    with pytest.raises(IntensityError, match="cannot be expressed"):
        conversion_factor("Mt", "1e8 CNY", "ug / m3")
    with pytest.raises(IntensityError, match="cannot be expressed"):
        conversion_factor("Mt", "1e8 frobs", "t")


def test_intensity_bad_inputs():
    with pytest.raises(IntensityError, match="shape"):
        intensity([1.0, 2.0], [1.0])
    with pytest.raises(IntensityError, match=r"gdp must be positive; found 0\.0 at b"):
        intensity(pd.Series([1.0, 2.0], index=["a", "b"]), pd.Series([1.0, 0.0], index=["a", "b"]))
    with pytest.raises(IntensityError, match="not on the same index"):
        intensity(pd.Series([1.0], index=["a"]), pd.Series([1.0], index=["b"]))
    with pytest.raises(IntensityError, match="negative"):
        intensity([-1.0], [1.0])
    assert np.isnan(intensity([np.nan], [1.0]).iloc[0])


def _frame():
    idx = pd.MultiIndex.from_product([["A", "B", "C"], [2000, 2001]], names=["geo", "year"])
    return pd.DataFrame(
        {"co2": [10.0, 12.0, 30.0, 30.0, 5.0, np.nan], "gdp": [100.0, 150.0, 100.0, 120.0, 50.0, 60.0]}, index=idx
    )


def test_ratio_of_sums_not_mean_of_ratios():
    out = aggregate_intensity(_frame(), {"AB": ["A", "B"]}, emissions="co2", gdp="gdp").set_index("year")
    # 2000: (10 + 30) / (100 + 100) × 100 = 20; mean of ratios would be (10 + 30)/2 = 20 too; 2001 differs:
    # (12 + 30) / (150 + 120) × 100 = 15.556 vs mean of (8, 25) = 16.5
    assert out.loc[2001, "intensity"] == pytest.approx(4200 / 270)
    mean = aggregate_intensity(_frame(), {"AB": ["A", "B"]}, emissions="co2", gdp="gdp", how="mean_of_ratios")
    assert mean.set_index("year").loc[2001, "intensity"] == pytest.approx(16.5)


def test_missing_member_is_nan_with_reason_or_partial():
    groups = {"BC": ["B", "C"]}
    strict = aggregate_intensity(_frame(), groups, emissions="co2", gdp="gdp").set_index("year")
    assert np.isnan(strict.loc[2001, "intensity"]) and strict.loc[2001, "reason"] == "no value for C"
    loose = aggregate_intensity(_frame(), groups, emissions="co2", gdp="gdp", complete=False).set_index("year")
    assert loose.loc[2001, "intensity"] == pytest.approx(25.0) and loose.loc[2001, "n_present"] == 1
    assert loose.loc[2001, "reason"].startswith("partial")


def test_group_bad_inputs():
    with pytest.raises(IntensityError, match="no members: empty"):
        aggregate_intensity(_frame(), {"empty": []}, emissions="co2", gdp="gdp")
    with pytest.raises(IntensityError, match="no column 'nox'"):
        aggregate_intensity(_frame(), {"A": ["A"]}, emissions="nox", gdp="gdp")
    with pytest.raises(IntensityError, match="how must be"):
        aggregate_intensity(_frame(), {"A": ["A"]}, emissions="co2", gdp="gdp", how="median")
    bad = _frame()
    bad.loc[("A", 2000), "gdp"] = -1.0
    with pytest.raises(IntensityError, match="gdp must be positive"):
        aggregate_intensity(bad, {"A": ["A"]}, emissions="co2", gdp="gdp")


def test_deflate_to_stated_base_year():
    deflator = pd.Series([80.0, 100.0, 110.0], index=[2014, 2015, 2016])
    nominal = pd.Series([160.0, 200.0, 220.0], index=[2014, 2015, 2016])
    np.testing.assert_allclose(deflate(nominal, deflator, 2015), [200.0, 200.0, 200.0])
    np.testing.assert_allclose(deflate(nominal, deflator, 2014), [160.0, 160.0, 160.0])
    with pytest.raises(IntensityError, match="no value for base year 2010"):
        deflate(nominal, deflator, 2010)


def test_plan_period_change_uses_year_before_start():
    # a series falling 18 % over the 13th plan: 2015 = 1.0, 2020 = 0.82
    s = pd.Series([1.0, 0.95, 0.9, 0.88, 0.85, 0.82], index=range(2015, 2021))
    out = plan_period_change(s, "13th")
    assert out["base_year"] == 2015 and out["end_year"] == 2020
    assert out["change"] == pytest.approx(-0.18)
    assert out["annual_rate"] == pytest.approx(0.82 ** (1 / 5) - 1)
    with pytest.raises(IntensityError, match="unknown plan"):
        plan_period_change(s, "10th")
    with pytest.raises(IntensityError, match="no value for 2010"):
        plan_period_change(s, "12th")


def test_rate_bad_inputs():
    with pytest.raises(IntensityError, match=r"positive start and end values; found x0 = 0.0, xT = 1.0$"):
        average_annual_rate(0.0, 1.0, 5)
    with pytest.raises(IntensityError, match=r"found x0 = 2.0, xT = -1.0 at position 1"):
        average_annual_rate([1.0, 2.0], [1.0, -1.0], 5)
    with pytest.raises(IntensityError, match="positive number of years"):
        average_annual_rate(1.0, 1.0, 0)
    with pytest.raises(IntensityError, match="no value for 2001"):
        series_rate(pd.Series([1.0], index=[2000], name="x"), 2000, 2001)
