"""TOPSIS: closeness of each unit to the ideal and anti-ideal points (Hwang & Yoon 1981, §2.3.3.6).

With normalised values ``r_ij`` and weights ``w_j``: ``v_ij = w_j r_ij``; the ideal ``v⁺_j`` is the best value of
column j (max for benefit, min for cost) and the anti-ideal ``v⁻_j`` the worst;
``D⁺_i = ‖v_i − v⁺‖₂``, ``D⁻_i = ‖v_i − v⁻‖₂`` and the score ``C_i = D⁻_i / (D⁺_i + D⁻_i)`` ∈ [0, 1].

Normalisation (a convention that changes the scores): ``"vector"`` ``r = x / ‖x_j‖₂`` (Hwang & Yoon's
original); ``"minmax"`` (benefit ``(x − min)/(max − min)``, cost ``(max − x)/(max − min)``, after which every
column is a benefit); ``"none"`` when the values are already standardised (entropy-TOPSIS on min–max values).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from coreduce.methods.scaling import IndicatorError

NORMALISATIONS = ("vector", "minmax", "none")


def topsis(
    x: pd.DataFrame | np.ndarray,
    weights: Sequence[float] | pd.Series,
    directions: Sequence[int] | None = None,
    *,
    normalisation: str = "vector",
) -> pd.DataFrame:
    """Columns ``d_plus``, ``d_minus`` and ``score`` (one row per unit, in the order of ``x``)."""
    frame = pd.DataFrame(x).astype(float)
    arr = frame.to_numpy()
    m = arr.shape[1]
    w = np.asarray(weights, dtype=float)
    signs = np.ones(m) if directions is None else np.asarray(directions, dtype=float)
    if w.shape != (m,) or signs.shape != (m,):
        raise IndicatorError(f"TOPSIS: {m} indicators but {w.size} weights and {signs.size} directions")
    if not set(np.unique(signs)) <= {1.0, -1.0}:
        raise IndicatorError("TOPSIS: directions must be +1 (benefit) or −1 (cost)")
    if np.isnan(arr).any():
        raise IndicatorError("TOPSIS: the matrix has missing values")
    if normalisation == "vector":
        norms = np.sqrt((arr**2).sum(axis=0))
        if (norms == 0).any():
            raise IndicatorError(f"TOPSIS: indicator {frame.columns[norms == 0][0]!r} is zero for every unit")
        r = arr / norms
    elif normalisation == "minmax":
        lo, hi = arr.min(axis=0), arr.max(axis=0)
        if (hi == lo).any():
            raise IndicatorError(f"TOPSIS: indicator {frame.columns[hi == lo][0]!r} is constant")
        r = (arr - lo) / (hi - lo)
        r = np.where(signs < 0, 1.0 - r, r)
        signs = np.ones(m)
    elif normalisation == "none":
        r = arr
    else:
        raise IndicatorError(f"TOPSIS: normalisation must be one of {', '.join(NORMALISATIONS)}")
    v = r * w
    best = np.where(signs > 0, v.max(axis=0), v.min(axis=0))
    worst = np.where(signs > 0, v.min(axis=0), v.max(axis=0))
    d_plus = np.sqrt(((v - best) ** 2).sum(axis=1))
    d_minus = np.sqrt(((v - worst) ** 2).sum(axis=1))
    with np.errstate(invalid="ignore"):
        score = d_minus / (d_plus + d_minus)
    return pd.DataFrame({"d_plus": d_plus, "d_minus": d_minus, "score": score}, index=frame.index)
