"""TOPSIS and CRITIC against published examples."""

import numpy as np
import pandas as pd
import pytest

from coreduce.methods.critic import critic_weights
from coreduce.methods.scaling import IndicatorError, minmax
from coreduce.methods.topsis import topsis


def test_topsis_opricovic_tzeng_2004():
    # Opricovic & Tzeng (2004), "Compromise solution by MCDM methods: a comparative analysis of VIKOR and
    # TOPSIS", EJOR 156(2): 445–455, numerical example (cost criterion, benefit criterion, equal weights);
    # the closeness values 0.500, 0.617, 0.500 are also pymcdm's reference (tests/test_methods.py, TestTOPSIS).
    x = np.array([[1, 3000], [2, 3750], [5, 4500]])
    res = topsis(x, [0.5, 0.5], [-1, 1], normalisation="minmax")
    assert res["score"].round(3).tolist() == [0.5, 0.617, 0.5]


def test_topsis_vector_normalisation_ideal_points_mcda_example():
    # R package MCDA, TOPSIS help page example (Corsa/Clio/Fiesta): the documented positive and negative
    # ideal solutions of the weighted vector-normalised matrix.
    x = np.array([[5490, 51.4, 8.5, 285], [6500, 70.6, 7, 288], [6489, 54.3, 7.5, 290]])
    w = np.array([0.35, 0.25, 0.25, 0.15])
    v = x / np.sqrt((x**2).sum(axis=0)) * w
    pis = np.array([0.179573776, 0.171636015, 0.159499658, 0.087302767])
    nis = np.array([0.212610118, 0.124958799, 0.131352659, 0.085797547])
    signs = np.array([-1, 1, 1, 1])
    np.testing.assert_allclose(np.where(signs > 0, v.max(0), v.min(0)), pis, rtol=1e-8)
    np.testing.assert_allclose(np.where(signs > 0, v.min(0), v.max(0)), nis, rtol=1e-8)
    res = topsis(x, w, signs)
    d_plus = np.sqrt(((v - pis) ** 2).sum(1))
    d_minus = np.sqrt(((v - nis) ** 2).sum(1))
    np.testing.assert_allclose(res["score"], d_minus / (d_plus + d_minus))


def test_critic_tus_adali_2019():
    # Tuş & Adalı (2019), Opsearch 56(2): 528–538, time-and-attendance software selection; weights as in
    # pymcdm tests/test_weights.py (TestCRITICWeights), all criteria min–max normalised as benefits.
    x = pd.DataFrame(
        [[5000, 3, 3, 4, 3, 2], [680, 5, 3, 2, 2, 1], [2000, 3, 2, 3, 4, 3], [600, 4, 3, 1, 2, 2], [800, 2, 4, 3, 3, 4]]
    )
    z = minmax(x, {c: 1 for c in x.columns})
    w = critic_weights(z)["weight"]
    assert w.round(3).tolist() == [0.157, 0.249, 0.168, 0.121, 0.154, 0.151]


def test_topsis_hwang_yoon_1981_fighter_aircraft():
    # Hwang & Yoon (1981), Multiple Attribute Decision Making, Springer LNEMS 186, pp. 133–134: four fighter
    # aircraft, six attributes (max speed, ferry range, max payload, acquisition cost (cost), reliability,
    # manoeuvrability), weights (0.2, 0.1, 0.1, 0.1, 0.2, 0.3), vector normalisation. The book rounds every
    # intermediate to four decimals, hence the tolerances.
    x = np.array(
        [
            [2.0, 1500, 20000, 5.5, 5, 9],
            [2.5, 2700, 18000, 6.5, 3, 5],
            [1.8, 2000, 21000, 4.5, 7, 7],
            [2.2, 1800, 20000, 5.0, 5, 5],
        ]
    )
    res = topsis(x, [0.2, 0.1, 0.1, 0.1, 0.2, 0.3], [1, 1, 1, -1, 1, 1])
    np.testing.assert_allclose(res["d_plus"], [0.0545, 0.1197, 0.0580, 0.1009], atol=2e-4)
    np.testing.assert_allclose(res["d_minus"], [0.0983, 0.0439, 0.0920, 0.0458], atol=2e-4)
    np.testing.assert_allclose(res["score"], [0.643, 0.268, 0.613, 0.312], atol=1e-3)
    assert res["score"].rank(ascending=False).tolist() == [1, 4, 2, 3]


def test_topsis_mathmodels_documented_example():
    # R package mathmodels, R/topsis.R example (vector normalisation), output in its R CMD check log
    # (mathmodels-Ex.Rout): A = (2, 5, 3 | 8, 1, 6), w = (0.6, 0.4), directions (+, −) → 0, 1, 0.3111391.
    res = topsis(np.array([[2, 8], [5, 1], [3, 6]]), [0.6, 0.4], [1, -1])
    np.testing.assert_allclose(res["score"], [0.0, 1.0, 0.3111391], atol=5e-8)


def test_topsis_bad_input():
    with pytest.raises(IndicatorError, match="2 indicators but 3 weights"):
        topsis(np.ones((3, 2)), [0.2, 0.3, 0.5])
    with pytest.raises(IndicatorError, match="constant"):
        topsis(np.array([[1.0, 2.0], [1.0, 3.0]]), [0.5, 0.5], normalisation="minmax")
    with pytest.raises(IndicatorError, match="constant"):
        critic_weights(pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [1.0, 1.0, 1.0]}))
