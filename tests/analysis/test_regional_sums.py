"""Sums of provinces into groups under the three membership rules, worked by hand on a three-province frame."""

import numpy as np
import pandas as pd

from coreduce.analysis._aggregate import group_sums
from coreduce.results import Missing

NAN = np.nan


def frame() -> pd.DataFrame:
    """A reports x and y in both years; B lacks x in 2001; C has no x at all."""
    index = pd.MultiIndex.from_product([["A", "B", "C"], [2000, 2001]], names=["geo", "year"])
    return pd.DataFrame({"x": [1.0, 2.0, 3.0, NAN, NAN, NAN], "y": [10.0, 20.0, 30.0, 40.0, 50.0, 60.0]}, index=index)


def sums(membership: str):
    out, missing = group_sums(frame(), {"G": ["A", "B", "C"], "H": ["A"]}, membership=membership)
    return out.loc["G"].to_numpy().tolist(), out.loc["H"].to_numpy().tolist(), missing


def test_all_members_blank_a_year_any_member_lacks():
    g, h, missing = sums("all")
    assert np.isnan(g).all() and h == [[1.0, 10.0], [2.0, 20.0]]
    assert missing == [Missing.of("x, y", "G", "2000–2001", "missing.region_not_formed", members="B, C")]


def test_covered_leaves_out_a_member_the_series_never_covers():
    g, h, missing = sums("covered")
    assert g[0] == [4.0, 40.0] and np.isnan(g[1]).all() and h == [[1.0, 10.0], [2.0, 20.0]]
    assert missing == [
        Missing.of("x, y", "G", "2000–2001", "missing.not_covered", members="C"),
        Missing.of("x, y", "G", "2001", "missing.region_not_formed", members="B"),
    ]


def test_complete_members_keep_only_members_with_every_value():
    g, h, missing = sums("complete_members")
    assert g == h == [[1.0, 10.0], [2.0, 20.0]]
    assert missing == [Missing.of("x, y", "G", "2000–2001", "missing.left_out", members="B, C")]
