"""Constant-price GDP and five-year-plan changes in the trends analysis.

Synthetic panel (see conftest): national CO2 intensity at nominal prices is 2·0.95^(y − 2008) t per 10^4 yuan.
The national deflator of ``deflated_panel``, P(y) = 100·1.02^(y − 2015) for 2006–2019 (none for 2020–2022),
makes the constant-2015-price
intensity 2·0.95^(y − 2008)·1.02^(y − 2015), so its 12th-plan change (2015 vs 2010) is (0.95·1.02)^5 − 1.

Published numbers: the binding national CO2-intensity targets of the 12th (−17 %), 13th (−18 %) and 14th (−18 %)
five-year plans; the official fall of national CO2 intensity from 2005 to 2014, −33.8 % at constant prices
(State Council, 12 June 2015).
"""

import numpy as np
import pytest

from coreduce.analysis.conventions import ProvinceConventions as C
from coreduce.analysis.trends import trends
from coreduce.conventions import ConventionError
from coreduce.data.panel import MissingSeriesError


@pytest.fixture(scope="module")
def deflated(deflated_panel):
    return deflated_panel


def test_constant_prices_hand_computed(deflated):
    result = trends(deflated, C(prices="constant", base_year=2015))
    national = result.to_frame().loc[("nation", "100000", "China")]
    years = range(2008, 2020)
    expected = [2 * 0.95 ** (y - 2008) * 1.02 ** (y - 2015) for y in years]
    np.testing.assert_allclose(national.loc[list(years), "co2_intensity"], expected, rtol=1e-12)
    assert national.loc[[2020, 2021, 2022], "co2_intensity"].isna().all()
    # regions: co2_ceads_energy = 0.0019·gdp·0.96^t, so the East's constant-price intensity is
    # 0.19·0.96^t·1.02^(y − 2015)
    east = result.to_frame().xs("East", level="geo").droplevel("name").loc["region"]
    assert east.loc[2012, "co2_intensity"] == pytest.approx(0.19 * 0.96**6 * 1.02**-3)
    absent = result.missing_frame().set_index("series").loc["gdp_deflator"]
    assert absent["years"] == "2020–2022" and "constant-price GDP" in absent["reason"]
    assert (result.convention("prices"), result.convention("base_year")) == ("constant", 2015)
    assert any("match nominal GDP" in note for note in result.notes_text())


def test_base_year_rescales_levels_not_changes(deflated):
    a = trends(deflated, C(prices="constant", base_year=2015)).plans
    b = trends(deflated, C(prices="constant", base_year=2010)).plans
    key = (a["indicator"] == "co2_intensity") & (a["level"] == "nation")
    np.testing.assert_allclose(a.loc[key, "change"], b.loc[key, "change"], rtol=1e-12)
    assert a.loc[key, "base"].iloc[0] == pytest.approx(b.loc[key, "base"].iloc[0] * 1.02**-5)


def test_plan_table_with_targets(deflated):
    nominal = trends(deflated).plans.set_index(["geo", "indicator", "plan"])
    row = nominal.loc[("100000", "co2_intensity", "12th")]
    assert (row["base_year"], row["end_year"]) == (2010, 2015)
    assert row["change"] == pytest.approx(0.95**5 - 1)
    assert row["target"] == pytest.approx(-0.17)
    assert nominal.loc[("100000", "co2_intensity", "13th"), "target"] == pytest.approx(-0.18)
    assert np.isnan(nominal.loc[("East", "co2_intensity", "12th"), "target"])
    assert "14th" not in nominal.index.get_level_values("plan")  # 2025 is outside the window
    constant = trends(deflated, C(prices="constant"))
    plans = constant.plans.set_index(["geo", "indicator", "plan"])
    assert plans.loc[("100000", "co2_intensity", "12th"), "change"] == pytest.approx((0.95 * 1.02) ** 5 - 1)
    assert ("100000", "co2_intensity", "13th") not in plans.index  # no deflator for 2020
    missing = constant.missing_frame()
    reasons = missing[missing["series"] == "co2_intensity"]["reason"]
    assert reasons.str.contains("13th plan change not formed").any()


def test_bad_price_requests(synthetic_panel, deflated):
    with pytest.raises(ConventionError, match="'prices' = 'real'"):
        C(prices="real")
    with pytest.raises(MissingSeriesError, match="gdp_deflator"):
        trends(synthetic_panel, C(prices="constant"))
    with pytest.raises(ValueError, match="no value for base year 2021"):
        trends(deflated, C(prices="constant", base_year=2021))


@pytest.fixture(scope="module")
def real_panel(bundled_panel):
    return bundled_panel


def test_official_constant_price_decline_on_the_real_panel(real_panel):
    result = trends(real_panel, C(start=2005, end=2022, prices="constant", co2="co2_ceds"))
    national = result.series.query("level == 'nation' and indicator == 'co2_intensity'")
    series = national.set_index("year")["value"]
    here = series[2014] / series[2005] - 1
    # official −33.8 % (2005→2014); GCB CO2 over the deflated provincial GDP sum gives about −29 %
    assert here == pytest.approx(-0.338, abs=0.06)
    assert any("-33.8 % officially reported" in note for note in result.notes_text())
    plans = result.plans.set_index(["geo", "indicator", "plan"])
    twelfth = plans.loc[("100000", "co2_intensity", "12th")]
    assert twelfth["change"] < twelfth["target"]  # the 12th plan's −17 % target was exceeded


def test_costatus_tapio_at_constant_prices_hand_computed(deflated):
    from coreduce.analysis.costatus import costatus

    result = costatus(deflated, C(end=2019, prices="constant", synergy_periods=((2010, 2015),)))
    beijing = result.to_frame().set_index("geo").loc["110000"]
    # CO2 ∝ (1.1·0.96)^t; real GDP ∝ (1.1/1.02)^t: e = (1.056^11 − 1) / ((1.1/1.02)^11 − 1)
    assert beijing["tapio_co2_elasticity"] == pytest.approx((1.056**11 - 1) / ((1.1 / 1.02) ** 11 - 1))
    nominal = costatus(deflated, C(end=2019, synergy_periods=((2010, 2015),))).to_frame().set_index("geo").loc["110000"]
    assert nominal["tapio_co2_elasticity"] == pytest.approx((1.056**11 - 1) / (1.1**11 - 1))
    assert result.convention("base_year") == 2015
    assert any(m.series == "gdp_deflator" for m in costatus(deflated, C(prices="constant")).missing)


def test_drivers_scale_effect_excludes_inflation_at_constant_prices(deflated):
    from coreduce.analysis.drivers import FACTORS, drivers
    from coreduce.methods.lmdi import logmean

    table = drivers(deflated, C(end=2019, prices="constant"), levels=("nation",)).to_frame().iloc[0]
    weight = logmean(table["V1"], table["V0"])
    # every province's real GDP grows by 1.1/1.02 a year; E/S = 0.8·0.95^t / (0.45·0.99^t / P) grows by 0.95·1.02/0.99
    assert table["scale"] == pytest.approx(weight * 11 * np.log(1.1 / 1.02))
    assert table["energy_intensity"] == pytest.approx(weight * 11 * np.log(0.95 * 1.02 / 0.99))
    assert table[list(FACTORS)].sum() == pytest.approx(table["V1"] - table["V0"], rel=1e-9)
    nominal = drivers(deflated, C(end=2019), levels=("nation",)).to_frame().iloc[0]
    assert nominal["structure"] == pytest.approx(table["structure"])  # S/G does not depend on the deflator
    assert nominal["scale"] == pytest.approx(weight * 11 * np.log(1.1))
