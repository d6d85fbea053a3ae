"""Tapio (2005) decoupling states.

No published table of (ΔC/C, ΔG/G, e, state) rows could be retrieved from the reference corpora, so every
one of the eight states of Tapio (2005, Fig. 1) is checked on a hand-computed row whose arithmetic is
shown, and the boundary options are checked on values placed exactly on 0.8 and 1.2.
"""

import numpy as np
import pandas as pd
import pytest

from coreduce.methods.decoupling import STATES, UNDEFINED, DecouplingError, tapio, tapio_series

ROWS = [  # c0, cT, g0, gT, e = (cT/c0 − 1)/(gT/g0 − 1), state
    (100, 90, 100, 110, -0.10 / 0.10, "strong decoupling"),
    (100, 105, 100, 110, 0.05 / 0.10, "weak decoupling"),
    (100, 110, 100, 110, 0.10 / 0.10, "expansive coupling"),
    (100, 130, 100, 110, 0.30 / 0.10, "expansive negative decoupling"),
    (100, 110, 100, 90, 0.10 / -0.10, "strong negative decoupling"),
    (100, 95, 100, 90, -0.05 / -0.10, "weak negative decoupling"),
    (100, 90, 100, 90, -0.10 / -0.10, "recessive coupling"),
    (100, 80, 100, 90, -0.20 / -0.10, "recessive decoupling"),
]


def test_all_eight_states_hand_computed():
    c0, cT, g0, gT, e, states = (list(col) for col in zip(*ROWS, strict=True))
    out = tapio(c0, cT, g0, gT)
    np.testing.assert_allclose(out["elasticity"], e)
    assert out["state"].tolist() == states
    assert out["state_zh"].tolist() == [STATES[s] for s in states]
    assert set(out["state"]) == set(STATES)


@pytest.mark.parametrize(
    ("boundary", "expected"),
    [
        ("coupling", ["expansive coupling", "expansive coupling", "recessive coupling", "recessive coupling"]),
        (
            "decoupling",
            ["weak decoupling", "expansive negative decoupling", "weak negative decoupling", "recessive decoupling"],
        ),
    ],
)
def test_exact_boundaries_follow_the_option(boundary, expected):
    # GDP 2 → 3 (+0.5) or 2 → 1 (−0.5); CO2 5 → 7 (+0.4), 5 → 8 (+0.6), 5 → 3 (−0.4), 5 → 2 (−0.6):
    # e = 0.4/0.5 = 0.8, 0.6/0.5 = 1.2, (−0.4)/(−0.5) = 0.8, (−0.6)/(−0.5) = 1.2, all exact in binary
    out = tapio([5, 5, 5, 5], [7, 8, 3, 2], [2, 2, 2, 2], [3, 3, 1, 1], boundary=boundary)
    np.testing.assert_array_equal(out["elasticity"], [0.8, 1.2, 0.8, 1.2])
    assert out["state"].tolist() == expected
    assert out.attrs["conventions"]["Tapio boundaries"] == f"0.8 and 1.2; exact values (±1e-09) counted as {boundary}"


def test_zero_gdp_change_is_explicit():
    out = tapio([100.0], [90.0], [100.0], [100.0])
    assert np.isnan(out["elasticity"].iloc[0]) and out["state"].iloc[0] == UNDEFINED
    with pytest.raises(DecouplingError, match="zero GDP change"):
        tapio([100.0], [90.0], [100.0], [100.0], zero_gdp="raise")


def test_bad_inputs():
    with pytest.raises(DecouplingError, match="same shape"):
        tapio([1, 2], [1, 2], [1, 2], [1])
    with pytest.raises(DecouplingError, match=r"g0 must be positive .*; found 0.0 at 1"):
        tapio([1.0, 1.0], [1.0, 1.0], [1.0, 0.0], [1.0, 1.0])
    with pytest.raises(DecouplingError, match="boundary must be"):
        tapio([1.0], [1.0], [1.0], [2.0], boundary="left")
    out = tapio([1.0], [np.nan], [1.0], [2.0])
    assert out["state"].iloc[0].startswith("undefined (missing")


def test_series_yearly_and_period():
    years = [2000, 2001, 2002]
    co2 = pd.Series([100.0, 95.0, 99.75], index=years)
    gdp = pd.Series([100.0, 110.0, 121.0], index=years)
    yearly = tapio_series(co2, gdp)
    assert yearly["state"].tolist() == ["strong decoupling", "weak decoupling"]
    period = tapio_series(co2, gdp, pairs=(2000, 2002))
    assert period["elasticity"].iloc[0] == pytest.approx((99.75 / 100 - 1) / 0.21)


def test_exact_decimal_ratios_fall_on_the_documented_side_of_the_boundary():
    # ΔC/C = 8 %, ΔG/G = 10 %: e = 0.08 / 0.10 = 0.8 exactly, but floating point gives 0.7999999999999999;
    # ΔC/C = 24 %, ΔG/G = 20 %: e = 1.2 (computed 1.2000000000000002). Tapio (2005): [0.8, 1.2] is coupling by
    # default, so both are expansive coupling; with boundary="decoupling" both fall on the decoupling side.
    c0, cT, g0, gT = [100.0, 1.0], [108.0, 1.24], [100.0, 1.0], [110.0, 1.2]
    out = tapio(c0, cT, g0, gT)
    assert out["elasticity"].iloc[0] < 0.8 and out["elasticity"].iloc[1] > 1.2  # the arithmetic misses both
    assert out["state"].tolist() == ["expansive coupling", "expansive coupling"]
    other = tapio(c0, cT, g0, gT, boundary="decoupling")
    assert other["state"].tolist() == ["weak decoupling", "expansive negative decoupling"]
    strict = tapio(c0, cT, g0, gT, tolerance=0.0)  # without the tolerance the boundary rule is bypassed
    assert strict["state"].tolist() == ["weak decoupling", "expansive negative decoupling"]
    assert "±1e-09" in out.attrs["conventions"]["Tapio boundaries"]
    with pytest.raises(DecouplingError, match="tolerance"):
        tapio([1.0], [1.0], [1.0], [1.1], tolerance=-1)
