"""Obstacle degree model."""

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


def test_obstacle_bad_input():
    with pytest.raises(IndicatorError, match="no weight for indicator"):
        obstacle_degree(pd.DataFrame({"a": [0.1]}), {"b": 1.0})
    with pytest.raises(IndicatorError, match=r"\[0, 1\]"):
        obstacle_degree(pd.DataFrame({"a": [1.5]}), {"a": 1.0})
