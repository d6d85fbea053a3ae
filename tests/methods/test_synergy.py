"""Composite-system synergy degree (Meng & Han 2000).

No paper table with both the order-parameter values and the printed synergy degrees could be found in the
reference corpora, so the model is tested against a hand-computed example whose arithmetic is shown here,
and against the properties stated by Meng & Han (C ∈ [−1, 1]; C > 0 only if every subsystem's order rises).
"""

import numpy as np
import pytest

from coreduce.methods.synergy import SynergyError, order_degree, subsystem_order, synergy_degree


def test_order_degree_positive_and_negative():
    # bounds [10, 20] and [0, 4]: e = 15 (positive) → (15−10)/10 = 0.5; e = 1 (negative) → (4−1)/4 = 0.75
    u = order_degree([[15.0, 1.0]], lower=[10, 0], upper=[20, 4], positive=[True, False])
    np.testing.assert_allclose(u, [[0.5, 0.75]])


def test_hand_computed_two_subsystem_synergy():
    # subsystem 1 (two positive parameters, bounds [0, 10] and [0, 100]):
    #   t0: e = (2, 20) → u = (0.2, 0.2) → geometric mean 0.2
    #   t1: e = (8, 50) → u = (0.8, 0.5) → sqrt(0.4) = 0.632456
    # subsystem 2 (one negative parameter, bounds [1, 3]): t0 e = 2.5 → 0.25; t1 e = 1.5 → 0.75
    # C = +sqrt(|0.632456 − 0.2| · |0.75 − 0.25|) = sqrt(0.432456 · 0.5) = 0.465003
    s1 = order_degree([[2, 20], [8, 50]], lower=[0, 0], upper=[10, 100], positive=[True, True])
    u1 = subsystem_order(s1)
    np.testing.assert_allclose(u1, [0.2, np.sqrt(0.4)])
    u2 = order_degree([[2.5], [1.5]], lower=[1], upper=[3], positive=[False])[:, 0]
    np.testing.assert_allclose(u2, [0.25, 0.75])
    c = synergy_degree([u1[0], u2[0]], [u1[1], u2[1]])
    assert c == pytest.approx(np.sqrt((np.sqrt(0.4) - 0.2) * 0.5))
    assert c == pytest.approx(0.465003, abs=1e-6)


def test_sign_rule_and_zero_change():
    # one subsystem more ordered, the other less: θ = −1, C = −sqrt(0.3·0.2)
    assert synergy_degree([0.2, 0.5], [0.5, 0.3]) == pytest.approx(-np.sqrt(0.06))
    assert synergy_degree([0.2, 0.5], [0.5, 0.5]) == 0.0
    assert synergy_degree([0.5, 0.5], [0.2, 0.3]) == pytest.approx(-np.sqrt(0.06))


def test_weighted_subsystem_order_and_vectorised_synergy():
    u = np.array([[0.2, 0.6], [0.8, 0.4]])
    np.testing.assert_allclose(subsystem_order(u, combine="weighted", weights=[0.25, 0.75]), [0.5, 0.5])
    out = synergy_degree(np.array([[0.1, 0.1], [0.5, 0.5]]), np.array([[0.5, 0.2], [0.4, 0.6]]))
    np.testing.assert_allclose(out, [np.sqrt(0.04), -np.sqrt(0.01)])


def test_bad_inputs():
    with pytest.raises(SynergyError, match=r"order parameter 1 row 0: value 5.0 lies outside"):
        order_degree([[1.0, 5.0]], lower=[0, 0], upper=[2, 4], positive=[True, True])
    with pytest.raises(SynergyError, match="must exceed"):
        order_degree([[1.0]], lower=[2], upper=[2], positive=[True])
    with pytest.raises(SynergyError, match="same shape"):
        synergy_degree([0.1, 0.2], [0.1, 0.2, 0.3])
    with pytest.raises(SynergyError, match="at least two"):
        synergy_degree([0.1], [0.2])
    with pytest.raises(SynergyError, match="combine must be"):
        subsystem_order([[0.1, 0.2]], combine="max")
    assert np.isnan(synergy_degree([0.1, np.nan], [0.2, 0.3]))
