"""LMDI-I against the test values of the R package LMDIR (MatthewHeun/LMDIR, tests/testthat/test_lmdi.R:
``create_simple_LMDI()``, tests "Zij works as expected", "Z_byname works as expected", "linear LMDI works as
expected" and "multiplicative LMDI works as expected"), whose zero-value cases follow Ang, Zhang & Choi (1998)
Table 2 and Wood & Lenzen (2006)."""

import numpy as np
import pandas as pd
import pytest

from coreduce.methods.lmdi import LMDIError, effects_by_subcategory, lmdi, lmdi_panel, logmean

# LMDIR create_simple_LMDI(): two sub-categories × three factors, 1971–1974
X = np.array(
    [
        [[1, 10, 2], [4, 5, 3]],
        [[4, 5, 3], [5, 6, 4]],
        [[8, 2, 4], [5, 7, 5]],
        [[10, 1, 5], [6, 8, 6]],
    ],
    dtype=float,
)
ADDITIVE = [
    [69.79006598, -9.455125793, 39.66505981],
    [42.96021467, -34.31902656, 50.3588119],
    [54.01064234, -9.021284671, 54.01064234],
]
MULTIPLICATIVE = [
    [1.761117821, 0.926191306, 1.379410116],
    [1.229284572, 0.847970248, 1.273773912],
    [1.208140223, 0.968911503, 1.208140223],
]
Z_1971_1972 = [[50.47438029, -25.23719014, 14.76280986], [19.31568569, 15.78206435, 24.90224996]]
Z_1972_1973 = [[42.96021467, -56.79031473, 17.83010006], [0, 22.47128816, 32.52871184]]
Z_1973_1974 = [[12.6549815, -39.30996299, 12.6549815], [41.35566084, 30.28867832, 41.35566084]]


def test_additive_matches_lmdir_year_by_year():
    np.testing.assert_allclose(lmdi(X[:-1], X[1:]), ADDITIVE, rtol=1e-8)
    # LMDIR dV_agg: 100, 59, 99
    np.testing.assert_allclose(lmdi(X[:-1], X[1:]).sum(axis=1), [100, 59, 99], rtol=1e-12)


def test_multiplicative_matches_lmdir_year_by_year():
    np.testing.assert_allclose(lmdi(X[:-1], X[1:], form="multiplicative"), MULTIPLICATIVE, rtol=1e-8)
    # LMDIR D_agg: 2.25, 1.327777778, 1.414225941
    np.testing.assert_allclose(
        lmdi(X[:-1], X[1:], form="multiplicative").prod(axis=1), [2.25, 1.327777778, 1.414225941], rtol=1e-9
    )


def test_subcategory_effects_match_lmdir_z_matrix():
    np.testing.assert_allclose(effects_by_subcategory(X[0], X[1]), Z_1971_1972, rtol=1e-8)
    # all three periods at once (leading axis = years), LMDIR's Z_1, Z_2, Z_3
    expected = [Z_1971_1972, Z_1972_1973, Z_1973_1974]
    np.testing.assert_allclose(effects_by_subcategory(X[:-1], X[1:]), expected, rtol=1e-8, atol=1e-12)


def test_zero_in_start_year_uses_the_analytic_limit():
    # LMDIR: X_0[1,1] = 0 → Z_11 = v_T = 60, Z_12 = Z_13 = 0; second row unchanged
    x0 = X[0].copy()
    x0[0, 0] = 0
    np.testing.assert_allclose(effects_by_subcategory(x0, X[1]), [[60, 0, 0], Z_1971_1972[1]], rtol=1e-8)


def test_zero_in_end_year_uses_the_analytic_limit():
    # LMDIR: X_T[2,3] = 0 → Z_21 = Z_22 = 0, Z_23 = −v_0 = −60
    xT = X[1].copy()
    xT[1, 2] = 0
    np.testing.assert_allclose(effects_by_subcategory(X[0], xT), [Z_1971_1972[0], [0, 0, -60]], rtol=1e-8)


def test_zero_rule_is_the_limit_of_small_numbers():
    """The analytic rule equals the limit δ → 0 (Ang & Liu 2007), which a tiny δ only approaches slowly."""
    x0 = X[0].copy()
    x0[0, 0] = 0
    exact = lmdi(x0, X[1])
    approx = [lmdi(np.where(x0 == 0, d, x0), X[1]) for d in (1e-10, 1e-20, 1e-40)]
    errors = [np.abs(a - exact).max() for a in approx]
    assert errors[0] > errors[1] > errors[2]  # converging, but …
    assert errors[0] > 0.5  # … δ = 1e-10 is still visibly wrong: why the analytic limit is used


def test_two_zero_factors_share_the_new_value():
    x0 = np.array([[0.0, 0.0, 2.0]])
    xT = np.array([[3.0, 4.0, 2.0]])
    np.testing.assert_allclose(lmdi(x0, xT), [12.0, 12.0, 0.0])
    assert lmdi(x0, xT).sum() == pytest.approx(24.0)


def test_both_zero_gives_zero_and_multiplicative_nan_when_aggregate_zero():
    x0 = np.array([[0.0, 1.0]])
    xT = np.array([[0.0, 2.0]])
    np.testing.assert_array_equal(lmdi(x0, xT), [0.0, 0.0])
    assert np.isnan(lmdi(x0, xT, form="multiplicative")).all()


def test_logmean():
    assert logmean(np.array(2.0), np.array(2.0)) == 2.0
    assert logmean(np.array(np.e), np.array(1.0)) == pytest.approx(np.e - 1)
    assert logmean(np.array(0.0), np.array(5.0)) == 0.0


def test_bad_inputs():
    with pytest.raises(LMDIError, match="same shape"):
        lmdi(X[0], X[1][:, :2])
    with pytest.raises(LMDIError, match="negative factor value"):
        lmdi(-X[0], X[1])
    with pytest.raises(LMDIError, match="form must be"):
        lmdi(X[0], X[1], form="ratio")
    nan = X[0].copy()
    nan[1, 1] = np.nan
    assert np.isnan(lmdi(nan, X[1])).all()


def _frame():
    rows = []
    for geo, scale in (("A", 1.0), ("B", 2.0)):
        for year, (a, b) in zip(range(2000, 2004), [(1, 10), (2, 9), (3, 9), (5, 7)], strict=True):
            rows.append({"geo": geo, "year": year, "g": a * scale, "i": float(b), "v": a * scale * b})
    return pd.DataFrame(rows).set_index(["geo", "year"])


def test_lmdi_panel_yearly_and_period():
    frame = _frame()
    yearly = lmdi_panel(frame, factors=["g", "i"], target="v")
    assert len(yearly) == 6
    np.testing.assert_allclose(yearly[["g", "i"]].sum(axis=1), yearly["VT"] - yearly["V0"], rtol=1e-12)
    period = lmdi_panel(frame, factors=["g", "i"], pairs=(2000, 2003), form="multiplicative")
    np.testing.assert_allclose(period["g"] * period["i"], period["VT"] / period["V0"], rtol=1e-12)


def test_lmdi_panel_rejects_a_broken_identity():
    frame = _frame()
    frame.loc[("B", 2002), "v"] = 1.0
    with pytest.raises(LMDIError, match="geo B, year 2002"):
        lmdi_panel(frame, factors=["g", "i"], target="v")
