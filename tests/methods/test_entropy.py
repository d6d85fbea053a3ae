"""Entropy weights, min–max standardisation and the zero rules."""

import numpy as np
import pandas as pd
import pytest

from coreduce.methods.entropy import entropy_weights
from coreduce.methods.scaling import IndicatorError, apply_zero_rule, minmax

# Elsayed, Dawood & Karthikeyan (2017), "Evaluating alternatives through the application of TOPSIS method with
# entropy weight", Int. J. Eng. Trends Technol. 46(2): 60–66; the same matrix and weights are the reference
# values of pymcdm (tests/test_weights.py, TestEntropyWeights).
ELSAYED = np.array(
    [
        [7, 312, 1891, 6613, 163],
        [72, 88, 728, 941804, 1078],
        [10, 252, 2594, 3466, 117471],
        [10, 145, 980, 2371, 86329],
        [65, 54, 350, 501, 29897],
        [29, 48, 380, 912, 34051],
        [7, 476, 3300, 78470, 2212],
        [70, 87, 650, 733, 819000],
        [4, 86, 591, 3015, 103],
        [12, 79, 579, 3240, 96098],
        [21, 45, 261, 1253, 453],
        [1, 72, 530, 4333, 0.104800],
    ]
)


def test_entropy_weights_reproduce_elsayed_2017():
    w = entropy_weights(ELSAYED).weight
    np.testing.assert_allclose(w.round(6), [0.104991, 0.069124, 0.071373, 0.449937, 0.304575])


def test_entropy_of_uniform_column_is_one_and_zero_uses_the_limit():
    x = pd.DataFrame({"flat": [1.0, 1.0, 1.0, 1.0], "spiky": [0.0, 0.0, 0.0, 1.0]})
    res = entropy_weights(x)
    assert res.entropy["flat"] == pytest.approx(1.0)
    assert res.entropy["spiky"] == pytest.approx(0.0)  # 0·ln 0 = 0
    assert res.weight.to_dict() == pytest.approx({"flat": 0.0, "spiky": 1.0})


def test_minmax_directions_pooled_and_by_year():
    frame = pd.DataFrame({"a": [1.0, 2.0, 3.0, 5.0], "b": [10.0, 20.0, 30.0, 50.0]})
    z = minmax(frame, {"a": 1, "b": -1})
    assert z["a"].tolist() == pytest.approx([0, 0.25, 0.5, 1])
    assert z["b"].tolist() == pytest.approx([1, 0.75, 0.5, 0])
    zy = minmax(frame, {"a": 1, "b": 1}, by=np.array([2020, 2020, 2021, 2021]))
    assert zy["a"].tolist() == pytest.approx([0, 1, 0, 1])


def test_zero_rules():
    z = pd.DataFrame({"a": [0.0, 0.5, 1.0]})
    assert apply_zero_rule(z, "limit")["a"].tolist() == [0.0, 0.5, 1.0]
    assert apply_zero_rule(z, "shift", 0.01)["a"].tolist() == pytest.approx([0.01, 0.51, 1.01])
    assert apply_zero_rule(z, "squeeze", 0.01)["a"].tolist() == pytest.approx([0.01, 0.5, 0.99])
    with pytest.raises(IndicatorError, match="zero rule"):
        apply_zero_rule(z, "drop")


def test_constant_indicator_is_named():
    frame = pd.DataFrame({"good": [1.0, 2.0, 3.0], "stuck": [4.0, 4.0, 4.0]})
    with pytest.raises(IndicatorError, match="'stuck' is constant"):
        minmax(frame, {"good": 1, "stuck": 1})
    with pytest.raises(IndicatorError, match="'stuck' is constant in 2021"):
        minmax(
            pd.DataFrame({"stuck": [1.0, 2.0, 4.0, 4.0]}),
            {"stuck": 1},
            by=np.array([2020, 2020, 2021, 2021]),
        )


def test_entropy_rejects_bad_matrices():
    with pytest.raises(IndicatorError, match="negative"):
        entropy_weights(np.array([[1.0, -1.0], [2.0, 3.0]]))
    with pytest.raises(IndicatorError, match="missing"):
        entropy_weights(np.array([[1.0, np.nan], [2.0, 3.0]]))
    with pytest.raises(IndicatorError, match="zero for every unit"):
        entropy_weights(np.array([[1.0, 0.0], [2.0, 0.0]]))


def test_entropy_weight_reproduces_mathmodels_documented_example():
    # R package mathmodels (Zhang Jingxin), R/entropy_weight.R example, output printed in its R CMD check log
    # (mathmodels-Ex.Rout): X = (3, 5, 2, 7 | 10, 20, 15, 25), directions (+, −), min–max rescaled to
    # [ε, 1 − ε] with ε = 0.002 (our "squeeze") → w = (0.5452618, 0.4547382) and scores 100·Xw =
    # (56.35354, 47.88215, 30.39461, 54.50808).
    x = pd.DataFrame({"x1": [3.0, 5.0, 2.0, 7.0], "x2": [10.0, 20.0, 15.0, 25.0]})
    squeezed = apply_zero_rule(minmax(x, {"x1": 1, "x2": -1}), "squeeze", 0.002)
    w = entropy_weights(squeezed).weight
    np.testing.assert_allclose(w, [0.5452618, 0.4547382], atol=5e-8)
    scores = 100 * squeezed.to_numpy() @ w.to_numpy()
    np.testing.assert_allclose(scores, [56.35354, 47.88215, 30.39461, 54.50808], atol=5e-6)
