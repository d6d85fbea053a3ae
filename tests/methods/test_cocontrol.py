"""Co-control coordinate system and co-control elasticity (Mao Xianqiang et al. 2011, 2012).

Tested against hand-computed values with the arithmetic shown; no published table with both the raw
emissions and the printed elasticities was found in the reference corpora.
"""

import numpy as np
import pandas as pd
import pytest

from coreduce.methods.cocontrol import CoControlError, cocontrol, cocontrol_panel


def test_quadrants_and_elasticity_hand_computed():
    # SO2 100 → 60 (x = 0.40), CO2 100 → 90 (y = 0.10): quadrant I, Els = 0.40 / 0.10 = 4
    # SO2 100 → 110 (x = −0.10), CO2 100 → 80 (y = 0.20): quadrant II, Els = −0.5
    # SO2 100 → 120, CO2 100 → 110: quadrant III, Els = (−0.2)/(−0.1) = 2
    # SO2 100 → 50, CO2 100 → 125: quadrant IV, Els = 0.5 / −0.25 = −2
    out = cocontrol([100, 100, 100, 100], [60, 110, 120, 50], [100, 100, 100, 100], [90, 80, 110, 125])
    assert out["quadrant"].tolist() == ["I", "II", "III", "IV"]
    np.testing.assert_allclose(out["elasticity"], [4.0, -0.5, 2.0, -2.0])
    assert out["label_zh"].iloc[0] == "协同减排"


def test_no_change_in_co2_is_nan_with_reason():
    out = cocontrol([100.0], [80.0], [50.0], [50.0])
    assert np.isnan(out["elasticity"].iloc[0])
    assert out["reason"].iloc[0] == "no change in CO2" and out["quadrant"].iloc[0] == "axis"


def test_bad_inputs():
    with pytest.raises(CoControlError, match="same shape"):
        cocontrol([1, 2], [1, 2], [1], [1])
    with pytest.raises(CoControlError, match="p0 must be positive"):
        cocontrol([0.0], [1.0], [1.0], [2.0])
    with pytest.raises(CoControlError, match=r"c0 must be .*; found -1.0 at 320000"):
        idx = ["110000", "320000"]
        cocontrol(pd.Series([1.0, 2.0], index=idx), [1.0, 1.0], pd.Series([1.0, -1.0], index=idx), [2.0, 2.0])
    out = cocontrol([1.0], [np.nan], [1.0], [2.0])
    assert out["quadrant"].iloc[0] == "missing" and out["reason"].iloc[0] == "missing value"


def test_panel_yearly_and_period():
    idx = pd.MultiIndex.from_product([["A", "B"], [2000, 2001, 2002]], names=["geo", "year"])
    frame = pd.DataFrame({"so2": [10, 8, 6, 5, 6, 7], "co2": [100, 95, 90, 50, 49, 52]}, index=idx, dtype=float)
    yearly = cocontrol_panel(frame, pollutant="so2", co2="co2")
    assert len(yearly) == 4 and set(yearly.columns) >= {"geo", "start", "end", "elasticity"}
    period = cocontrol_panel(frame, pollutant="so2", co2="co2", pairs=(2000, 2002)).set_index("geo")
    assert period.loc["A", "elasticity"] == pytest.approx(0.4 / 0.1)
    with pytest.raises(CoControlError, match="no data for year"):
        cocontrol_panel(frame, pollutant="so2", co2="co2", pairs=(1999, 2002))
