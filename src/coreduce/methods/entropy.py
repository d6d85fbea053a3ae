"""Entropy weight method (Shannon entropy of each indicator's distribution over the evaluated units).

For a non-negative matrix ``x`` (n units × m indicators, usually min–max standardised)::

    p_ij = x_ij / Σ_i x_ij
    e_j  = −(1 / ln n) Σ_i p_ij ln p_ij          (0 · ln 0 = 0)
    d_j  = 1 − e_j                               (degree of divergence)
    w_j  = d_j / Σ_j d_j

Source: Hwang & Yoon (1981), *Multiple Attribute Decision Making*, Springer LNEMS 186, §2.2.2 (entropy
method); reproduced e.g. in Elsayed, Dawood & Karthikeyan (2017), Int. J. Eng. Trends Technol. 46(2): 60–66.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from coreduce.methods.scaling import IndicatorError


@dataclass(frozen=True)
class EntropyWeights:
    """Entropy ``e``, divergence ``d`` and weight ``w`` of each indicator (pandas Series indexed by indicator)."""

    entropy: pd.Series
    divergence: pd.Series
    weight: pd.Series

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame({"entropy": self.entropy, "divergence": self.divergence, "weight": self.weight})


def entropy_weights(x: pd.DataFrame | np.ndarray) -> EntropyWeights:
    """Entropy weights of the columns of ``x`` (rows: units; NaN rows must be removed first)."""
    frame = pd.DataFrame(x).astype(float)
    arr = frame.to_numpy()
    n = arr.shape[0]
    if n < 2:
        raise IndicatorError(f"the entropy method needs at least 2 units; got {n}")
    if np.isnan(arr).any():
        col = frame.columns[np.isnan(arr).any(axis=0)][0]
        raise IndicatorError(f"indicator {col!r} has missing values; the entropy method needs complete data")
    if (arr < 0).any():
        col = frame.columns[(arr < 0).any(axis=0)][0]
        raise IndicatorError(f"indicator {col!r} has negative values; standardise to [0, 1] first")
    totals = arr.sum(axis=0)
    if (totals == 0).any():
        col = frame.columns[totals == 0][0]
        raise IndicatorError(f"indicator {col!r} is zero for every unit: its entropy is undefined")
    p = arr / totals
    with np.errstate(divide="ignore", invalid="ignore"):
        plogp = np.where(p > 0, p * np.log(p), 0.0)
    e = -plogp.sum(axis=0) / np.log(n)
    d = 1.0 - e
    if d.sum() <= 0:
        raise IndicatorError("every indicator is evenly spread (entropy 1): entropy weights are undefined")
    idx = frame.columns
    return EntropyWeights(pd.Series(e, index=idx), pd.Series(d, index=idx), pd.Series(d / d.sum(), index=idx))
