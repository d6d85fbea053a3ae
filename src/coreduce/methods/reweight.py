"""Composite scores when some indicator values are absent: dimension re-weighting.

Indicators ``j`` belong to dimensions ``d`` with weights ``w_j`` and dimension weights ``W_d = Σ_{j∈d} w_j``.
For unit ``i`` let ``P_id`` be the indicators of ``d`` present for ``i``. The weight of an absent indicator goes
to the present indicators of the same dimension in proportion to their weights, so each dimension keeps its
weight::

    w'_ij = w_j · W_d / Σ_{k∈P_id} w_k     (j ∈ P_id),   0 otherwise

A unit with no indicator present in some dimension of positive weight gets no score (NaN). On standardised
values ``z`` (min–max, every column a benefit):

* linear: ``S_i = Σ_j w'_ij z_ij`` and a dimension's part ``S_id = Σ_{j∈d} w'_ij z_ij``;
* TOPSIS (Hwang & Yoon 1981, §2.3.3.6) with row weights: ``D⁺_i = ‖w'_i ∘ (z_i − z⁺)‖₂`` and
  ``D⁻_i = ‖w'_i ∘ (z_i − z⁻)‖₂`` over the present indicators, ``z⁺_j`` / ``z⁻_j`` the column maximum / minimum
  over every present value, ``C_i = D⁻_i / (D⁺_i + D⁻_i)``; a dimension's score is TOPSIS over its own
  indicators with weights ``w'_ij / W_d``.

With every value present ``w' = w`` and the scores equal the complete-case ones
(:func:`coreduce.methods.topsis.topsis` with ``normalisation="none"``). The rule follows the re-weighting of
missing components in composite indicators (OECD/JRC 2008, *Handbook on Constructing Composite Indicators*,
§1.3 "Imputation of missing data": case deletion, single imputation, or re-weighting within the sub-pillar).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from coreduce.methods.scaling import IndicatorError


def row_weights(z: pd.DataFrame, weights: pd.Series, dimension_of: Mapping[str, str]) -> pd.DataFrame:
    """``w'_ij`` (module docstring): the weights of each row with absent indicators' weight moved to the present
    indicators of the same dimension; a row lacking every indicator of a weighted dimension is all NaN."""
    unknown = [c for c in z.columns if c not in dimension_of or c not in weights.index]
    if unknown:
        raise IndicatorError(f"no weight or dimension for indicator(s) {', '.join(map(str, unknown))}")
    w = weights.reindex(z.columns).astype(float)
    present = z.notna()
    out = pd.DataFrame(0.0, index=z.index, columns=z.columns)
    scorable = pd.Series(True, index=z.index)
    for dim in dict.fromkeys(dimension_of[c] for c in z.columns):
        cols = [c for c in z.columns if dimension_of[c] == dim]
        total = w[cols].sum()
        if total <= 0:
            continue
        kept = present[cols].mul(w[cols], axis=1)
        share = kept.sum(axis=1)
        scorable &= share > 0
        out[cols] = kept.mul(total / share.where(share > 0), axis=0).fillna(0.0)
    out[~scorable] = np.nan
    return out


def _closeness(z: pd.DataFrame, w: pd.DataFrame) -> pd.Series:
    """TOPSIS closeness with row weights ``w`` (0 for an absent value, NaN rows not scored)."""
    best, worst = z.max(), z.min()
    d_plus = np.sqrt(((z - best) * w).pow(2).sum(axis=1))
    d_minus = np.sqrt(((z - worst) * w).pow(2).sum(axis=1))
    with np.errstate(invalid="ignore"):
        score = d_minus / (d_plus + d_minus)
    return score.where(w.notna().all(axis=1))


def reweighted_scores(
    z: pd.DataFrame, weights: pd.Series, dimension_of: Mapping[str, str], *, method: str = "linear"
) -> pd.DataFrame:
    """Columns ``overall`` and one per dimension (module docstring); ``method`` is ``linear`` or ``topsis``."""
    if method not in ("linear", "topsis"):
        raise IndicatorError(f"method must be linear or topsis, not {method!r}")
    w = row_weights(z, weights, dimension_of)
    filled = z.fillna(0.0)
    out = pd.DataFrame(index=z.index)
    dims = list(dict.fromkeys(dimension_of[c] for c in z.columns))
    if method == "linear":
        out["overall"] = (filled * w).sum(axis=1, min_count=1).where(w.notna().all(axis=1))
        for dim in dims:
            cols = [c for c in z.columns if dimension_of[c] == dim]
            out[dim] = (filled[cols] * w[cols]).sum(axis=1, min_count=1).where(w.notna().all(axis=1))
        return out
    out["overall"] = _closeness(z, w)
    for dim in dims:
        cols = [c for c in z.columns if dimension_of[c] == dim]
        total = weights.reindex(cols).sum()
        out[dim] = _closeness(z[cols], w[cols] / total) if total > 0 else np.nan
    return out
