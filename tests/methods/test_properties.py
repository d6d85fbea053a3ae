"""Hypothesis property tests: LMDI identities, C and D in [0, 1], unit invariance of the elasticities, group
intensity within its members' range, synergy degree in [−1, 1] and positive only when every subsystem improves."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from coreduce.methods.cocontrol import cocontrol
from coreduce.methods.coupling import coupling_coordination
from coreduce.methods.decoupling import tapio
from coreduce.methods.intensity import aggregate_intensity
from coreduce.methods.lmdi import lmdi
from coreduce.methods.synergy import synergy_degree

positive = st.floats(min_value=1e-3, max_value=1e6, allow_nan=False, allow_infinity=False)
with_zeros = st.one_of(st.just(0.0), positive)
unit = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
FORMS = ["standard", "modified"]


def _pairs(n: int, k: int, elements):
    """Two (3 periods × n sub-categories × k factors) arrays: start and end values."""
    return st.tuples(arrays(float, (3, n, k), elements=elements), arrays(float, (3, n, k), elements=elements))


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 4).flatmap(
        lambda n: st.integers(1, 4).flatmap(
            lambda k: st.tuples(
                arrays(float, (3, n, k), elements=with_zeros), arrays(float, (3, n, k), elements=with_zeros)
            )
        )
    )
)
def test_lmdi_additive_sums_to_the_change(pair):
    x0, xT = pair
    effects = lmdi(x0, xT)
    change = xT.prod(axis=-1).sum(axis=-1) - x0.prod(axis=-1).sum(axis=-1)
    scale = np.maximum(1.0, np.abs(xT.prod(axis=-1)).sum(axis=-1) + np.abs(x0.prod(axis=-1)).sum(axis=-1))
    assert np.all(np.abs(effects.sum(axis=-1) - change) <= 1e-9 * scale)


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 4).flatmap(
        lambda n: st.integers(1, 4).flatmap(
            lambda k: st.tuples(
                arrays(float, (3, n, k), elements=positive), arrays(float, (3, n, k), elements=positive)
            )
        )
    )
)
def test_lmdi_multiplicative_multiplies_to_the_ratio(pair):
    x0, xT = pair
    effects = lmdi(x0, xT, form="multiplicative")
    ratio = xT.prod(axis=-1).sum(axis=-1) / x0.prod(axis=-1).sum(axis=-1)
    np.testing.assert_allclose(effects.prod(axis=-1), ratio, rtol=1e-9)


@settings(max_examples=200, deadline=None)
@given(
    st.integers(2, 5).flatmap(lambda n: arrays(float, (4, n), elements=unit)), st.sampled_from(["standard", "modified"])
)
def test_coupling_c_and_d_in_unit_interval(u, form):
    out = coupling_coordination(u, form=form)
    c = out["C"].dropna().to_numpy()
    assert np.all((c >= -1e-12) & (c <= 1 + 1e-12))
    assert np.all((out["D"] >= -1e-12) & (out["D"] <= 1 + 1e-12))
    assert np.all((out["T"] >= 0) & (out["T"] <= 1 + 1e-12))


@settings(max_examples=200, deadline=None)
@given(positive, positive, positive, positive, st.floats(1e-6, 1e6), st.floats(1e-6, 1e6))
def test_elasticities_invariant_to_units(p0, pT, c0, cT, k1, k2):
    # A relative change near the float spacing (c_T one ulp from c_0) is set by rounding, not by the data:
    # rescaling rounds it differently. Changes ≥ 1e-5 keep the rounding error of the ratio below 1e-10.
    assume(abs(pT / p0 - 1) >= 1e-5 and abs(cT / c0 - 1) >= 1e-5)
    base = cocontrol([p0], [pT], [c0], [cT])["elasticity"].iloc[0]
    scaled = cocontrol([p0 * k1], [pT * k1], [c0 * k2], [cT * k2])["elasticity"].iloc[0]
    np.testing.assert_allclose(scaled, base, rtol=1e-9, equal_nan=True)
    t_base = tapio([p0], [pT], [c0], [cT])
    t_scaled = tapio([p0 * k1], [pT * k1], [c0 * k2], [cT * k2])
    np.testing.assert_allclose(t_scaled["elasticity"], t_base["elasticity"], rtol=1e-9, equal_nan=True)


def test_lmdi_multiplicative_when_the_logarithms_of_nearly_equal_values_round_to_one_float():
    x0 = np.full((1, 1, 3), 0.001)
    xT = x0.copy()
    xT[0, 0, 0] = np.nextafter(0.001, 1.0)
    effects = lmdi(x0, xT, form="multiplicative")
    np.testing.assert_allclose(effects.prod(axis=-1), xT.prod(axis=-1).sum(axis=-1) / x0.prod(axis=-1).sum(axis=-1))


@settings(max_examples=100, deadline=None)
@given(
    st.integers(1, 6).flatmap(
        lambda n: st.tuples(arrays(float, (n,), elements=positive), arrays(float, (n,), elements=positive))
    )
)
@pytest.mark.slow
def test_group_intensity_lies_between_its_members(pair):
    """Σ E / Σ Y is a GDP-weighted mean of the members' E / Y, so it lies within their range."""
    emissions, gdp = pair
    idx = pd.MultiIndex.from_product([[f"u{i}" for i in range(len(gdp))], [2000]], names=["geo", "year"])
    frame = pd.DataFrame({"e": emissions, "y": gdp}, index=idx)
    group = aggregate_intensity(frame, {"g": list(idx.get_level_values("geo"))}, emissions="e", gdp="y")
    ratios = emissions / gdp * 100  # Mt per 1e8 CNY → t per 1e4 CNY
    value = group["intensity"].iloc[0]
    assert ratios.min() * (1 - 1e-12) <= value <= ratios.max() * (1 + 1e-12)


@settings(max_examples=200, deadline=None)
@given(
    st.integers(2, 4).flatmap(
        lambda k: st.tuples(arrays(float, (5, k), elements=unit), arrays(float, (5, k), elements=unit))
    )
)
@pytest.mark.slow
def test_synergy_degree_in_unit_interval_and_positive_only_if_all_improve(pair):
    u0, u1 = pair
    c = synergy_degree(u0, u1)
    assert np.all((c >= -1 - 1e-12) & (c <= 1 + 1e-12))
    improved = (u1 - u0).min(axis=-1) > 0
    assert np.all(c[~improved] <= 0)
