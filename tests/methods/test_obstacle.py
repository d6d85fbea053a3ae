"""Obstacle degree model."""

import numpy as np
import pandas as pd
import pytest

from coreduce.methods.obstacle import dimension_obstacles, obstacle_degree
from coreduce.methods.scaling import IndicatorError


def test_obstacle_degree_by_hand():
    # weights (0.5, 0.3, 0.2), standardised values (0.2, 0.5, 1.0):
    # F·I = (0.4, 0.15, 0) → O = (0.4/0.55, 0.15/0.55, 0)
    z = pd.DataFrame({"a": [0.2, 1.0], "b": [0.5, 0.0], "c": [1.0, 0.0]})
    o = obstacle_degree(z, {"a": 0.5, "b": 0.3, "c": 0.2})
    assert o.iloc[0].tolist() == pytest.approx([0.4 / 0.55, 0.15 / 0.55, 0.0])
    assert o.iloc[1].tolist() == pytest.approx([0.0, 0.6, 0.4])
    dims = dimension_obstacles(o, {"a": "tech", "b": "tech", "c": "energy"})
    assert dims.loc[0, "tech"] == pytest.approx(1.0)
    assert dims.sum(axis=1).tolist() == pytest.approx([1.0, 1.0])


def test_obstacle_degree_mathmodels_documented_example():
    # R package mathmodels, R/system_evaluation.R example obstacle_degree(df, c(0.4, 0.3, 0.3)); its R CMD check
    # log (mathmodels-Ex.Rout) prints the unscaled F_j·(1 − x_ij) to three significant figures; the obstacle
    # degree is that row divided by its sum (the package's scaled = TRUE).
    z = pd.DataFrame(
        {
            "s1": [0.0162, 0.1782, 0.5490, 0.6730, 0.0207, 0.9875],
            "s2": [0.2720, 0.6824, 0.0593, 0.4812, 0.8891, 0.5573],
            "s3": [0.2655, 0.3721, 0.5729, 0.9082, 0.2017, 0.8984],
        }
    )
    printed = pd.DataFrame(
        {
            "s1": [0.394, 0.329, 0.180, 0.131, 0.392, 0.00500],
            "s2": [0.218, 0.0953, 0.282, 0.156, 0.0333, 0.133],
            "s3": [0.220, 0.188, 0.128, 0.0275, 0.239, 0.0305],
        }
    )
    o = obstacle_degree(z, {"s1": 0.4, "s2": 0.3, "s3": 0.3})
    expected = printed.div(printed.sum(axis=1), axis=0)
    np.testing.assert_allclose(o.to_numpy(), expected.to_numpy(), rtol=4e-3, atol=5e-4)


def test_obstacle_bad_input():
    with pytest.raises(IndicatorError, match="no weight for indicator"):
        obstacle_degree(pd.DataFrame({"a": [0.1]}), {"b": 1.0})
    with pytest.raises(IndicatorError, match=r"\[0, 1\]"):
        obstacle_degree(pd.DataFrame({"a": [1.5]}), {"a": 1.0})
