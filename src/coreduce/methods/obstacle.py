"""Obstacle degree model: which indicators hold a unit's composite score down.

With indicator weight (factor contribution) ``F_j`` and deviation ``I_ij = 1 − z_ij`` (``z`` the min–max
standardised value, larger is better)::

    O_ij = F_j · I_ij / Σ_j F_j · I_ij           (Σ_j O_ij = 1)

and the obstacle degree of a dimension is the sum of ``O_ij`` over its indicators. This is the obstacle-degree
model (障碍度模型) used throughout the Chinese evaluation literature after entropy weighting, including the NQPF
studies the project follows.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from coreduce.methods.scaling import IndicatorError


def obstacle_degree(z: pd.DataFrame, weights: pd.Series | Mapping[str, float]) -> pd.DataFrame:
    """Obstacle degree of every indicator for every row of ``z`` (rows sum to 1; a perfect unit gives NaN)."""
    w = pd.Series(weights, dtype=float)
    absent = [c for c in z.columns if c not in w.index]
    if absent:
        raise IndicatorError(f"no weight for indicator(s) {', '.join(map(str, absent))}")
    values = z.astype(float)
    if ((values < 0) | (values > 1)).any().any():
        raise IndicatorError("obstacle degree needs standardised values in [0, 1]")
    contribution = (1.0 - values) * w.reindex(values.columns)
    total = contribution.sum(axis=1, min_count=1)
    return contribution.div(total.where(total > 0, np.nan), axis=0)


def dimension_obstacles(obstacles: pd.DataFrame, dimension_of: Mapping[str, str]) -> pd.DataFrame:
    """Sum indicator obstacle degrees within dimensions (``dimension_of`` maps indicator → dimension)."""
    return obstacles.T.groupby(pd.Series(dimension_of)).sum(min_count=1).T
