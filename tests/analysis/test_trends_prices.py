"""Constant-price GDP and five-year-plan changes in the trends analysis.

Synthetic panel (see conftest): national CO2 intensity at nominal prices is 2·0.95^(y − 2008) t per 10^4 yuan.
A national deflator P(y) = 100·1.02^(y − 2015) for 2006–2019 (none for 2020–2022) makes the constant-2015-price
intensity 2·0.95^(y − 2008)·1.02^(y − 2015), so its 12th-plan change (2015 vs 2010) is (0.95·1.02)^5 − 1.

Published numbers: the binding national CO2-intensity targets of the 12th (−17 %), 13th (−18 %) and 14th (−18 %)
five-year plans; the official fall of national CO2 intensity from 2005 to 2014, −33.8 % at constant prices
(State Council, 12 June 2015).
"""

import numpy as np
import pandas as pd
import pytest

from coreduce.analysis.trends import trends
from coreduce.data import BundledDataMissingError, load_bundled
from coreduce.data.panel import MissingSeriesError, Panel


def _with_deflator(panel: Panel, years=range(2006, 2020)) -> Panel:
    extra = pd.DataFrame(
        {
            "geo": "100000",
            "year": list(years),
            "variable": "gdp_deflator",
            "value": [100 * 1.02 ** (y - 2015) for y in years],
            "unit": "index",
            "source": "synthetic",
            "status": "reported",
        }
    )
    catalogue = pd.concat(
        [
            panel.catalogue,
            pd.DataFrame(
                [
                    {
                        "variable": "gdp_deflator",
                        "unit": "index",
                        "definition": "deflator",
                        "publisher": "test",
                        "source": "synthetic",
                    }
                ]
            ),
        ],
        ignore_index=True,
    )
    return Panel.from_frames(pd.concat([panel.data, extra], ignore_index=True), catalogue, panel.sources)


@pytest.fixture(scope="module")
def deflated(synthetic_panel):
    return _with_deflator(synthetic_panel)


def test_constant_prices_hand_computed(deflated):
    result = trends(deflated, prices="constant", base_year=2015)
    national = result.to_frame().loc[("nation", "100000", "China")]
    years = range(2008, 2020)
    expected = [2 * 0.95 ** (y - 2008) * 1.02 ** (y - 2015) for y in years]
    np.testing.assert_allclose(national.loc[list(years), "co2_intensity"], expected, rtol=1e-12)
    assert national.loc[[2020, 2021, 2022], "co2_intensity"].isna().all()
    # regions: co2_ceds = 0.002·gdp·0.96^t, so the East's constant-price intensity is 0.2·0.96^t·1.02^(y − 2015)
    east = result.to_frame().xs("East", level="geo").droplevel("name").loc["region"]
    assert east.loc[2012, "co2_intensity"] == pytest.approx(0.2 * 0.96**6 * 1.02**-3)
    absent = result.missing.set_index("series").loc["gdp_deflator"]
    assert absent["years"] == "2020–2022" and "constant-price GDP" in absent["reason"]
    assert "constant 2015 prices" in result.conventions["national GDP"]
    assert result.conventions["intensity"].split("), ")[1] == "constant GDP in 2015 prices"
    assert any("match nominal GDP" in note for note in result.notes)


def test_base_year_rescales_levels_not_changes(deflated):
    a = trends(deflated, prices="constant", base_year=2015).to_frame("plans")
    b = trends(deflated, prices="constant", base_year=2010).to_frame("plans")
    key = (a["indicator"] == "co2_intensity") & (a["level"] == "nation")
    np.testing.assert_allclose(a.loc[key, "change"], b.loc[key, "change"], rtol=1e-12)
    assert a.loc[key, "base"].iloc[0] == pytest.approx(b.loc[key, "base"].iloc[0] * 1.02**-5)


def test_plan_table_with_targets(deflated):
    nominal = trends(deflated).to_frame("plans").set_index(["geo", "indicator", "plan"])
    row = nominal.loc[("100000", "co2_intensity", "12th")]
    assert (row["base_year"], row["end_year"]) == (2010, 2015)
    assert row["change"] == pytest.approx(0.95**5 - 1)
    assert row["target"] == pytest.approx(-0.17)
    assert nominal.loc[("100000", "co2_intensity", "13th"), "target"] == pytest.approx(-0.18)
    assert np.isnan(nominal.loc[("East", "co2_intensity", "12th"), "target"])
    assert "14th" not in nominal.index.get_level_values("plan")  # 2025 is outside the window
    constant = trends(deflated, prices="constant")
    plans = constant.to_frame("plans").set_index(["geo", "indicator", "plan"])
    assert plans.loc[("100000", "co2_intensity", "12th"), "change"] == pytest.approx((0.95 * 1.02) ** 5 - 1)
    assert ("100000", "co2_intensity", "13th") not in plans.index  # no deflator for 2020
    reasons = constant.missing[constant.missing["series"] == "co2_intensity"]["reason"]
    assert reasons.str.contains("13th plan change not formed").any()


def test_bad_price_requests(synthetic_panel, deflated):
    with pytest.raises(ValueError, match="prices must be one of"):
        trends(deflated, prices="real")
    with pytest.raises(MissingSeriesError, match="gdp_deflator"):
        trends(synthetic_panel, prices="constant")
    with pytest.raises(ValueError, match="no value for base year 2021"):
        trends(deflated, prices="constant", base_year=2021)


@pytest.fixture(scope="module")
def real_panel():
    try:
        return load_bundled()
    except BundledDataMissingError as exc:
        pytest.skip(str(exc))


def test_official_constant_price_decline_on_the_real_panel(real_panel):
    result = trends(real_panel, 2005, 2022, prices="constant", regional_co2="co2_ceds")
    national = result.to_frame("long").query("level == 'nation' and indicator == 'co2_intensity'")
    series = national.set_index("year")["value"]
    here = series[2014] / series[2005] - 1
    # official −33.8 % (2005→2014); GCB CO2 over the deflated provincial GDP sum gives about −29 %
    assert here == pytest.approx(-0.338, abs=0.06)
    assert any("-33.8 % officially reported" in note for note in result.notes)
    plans = result.to_frame("plans").set_index(["geo", "indicator", "plan"])
    twelfth = plans.loc[("100000", "co2_intensity", "12th")]
    assert twelfth["change"] < twelfth["target"]  # the 12th plan's −17 % target was exceeded
