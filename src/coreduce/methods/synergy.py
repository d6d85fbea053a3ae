"""Composite-system synergy degree (Meng Qingsong & Han Wenxiu 2000).

Meng Qingsong, Han Wenxiu 2000, "Research on the coordination degree model of composite systems"
(复合系统协调度模型研究), Journal of Tianjin University (Social Sciences) 2(4): 444–446.

Order degree of order parameter ``e_ji`` of subsystem ``j`` with bounds ``β_ji ≤ e_ji ≤ α_ji``::

    u_j(e_ji) = (e_ji − β_ji) / (α_ji − β_ji)   positive parameter (larger is more ordered)
    u_j(e_ji) = (α_ji − e_ji) / (α_ji − β_ji)   negative parameter (smaller is more ordered)

Order degree of subsystem ``j`` (``combine``): geometric mean ``(Π_i u_j(e_ji))^(1/n)`` (Meng & Han's
form) or weighted mean ``Σ_i λ_i u_j(e_ji)`` with ``λ ≥ 0, Σ λ = 1``.

Synergy degree of the k subsystems between periods ``t0`` and ``t1``::

    C = θ · (Π_j |u_j(t1) − u_j(t0)|)^(1/k),   θ = +1 if min_j (u_j(t1) − u_j(t0)) > 0, else −1

For two subsystems this is ``θ · sqrt(|Δu_1| · |Δu_2|)``. C lies in [−1, 1]; positive only when every
subsystem became more ordered. When some ``Δu_j = 0`` the product is 0 and so is C.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd


class SynergyError(ValueError):
    """Order parameters, bounds or weights that the synergy model cannot use."""


def order_degree(
    values: np.ndarray | pd.DataFrame,
    *,
    lower: Sequence[float],
    upper: Sequence[float],
    positive: Sequence[bool],
) -> np.ndarray:
    """Order degree of each order parameter (columns of ``values``) between its bounds; result in [0, 1].

    A value outside [lower, upper] is an error naming the column and the value (widen the bounds).
    """
    arr = np.asarray(values, dtype=float)
    if arr.ndim == 1:
        arr = arr[np.newaxis, :]
    lo, hi = np.asarray(lower, dtype=float), np.asarray(upper, dtype=float)
    sign = np.asarray(positive, dtype=bool)
    k = arr.shape[1]
    if lo.shape != (k,) or hi.shape != (k,) or sign.shape != (k,):
        raise SynergyError(f"{k} order parameters need {k} lower bounds, upper bounds and directions")
    if np.any(hi <= lo):
        bad = int(np.flatnonzero(hi <= lo)[0])
        raise SynergyError(f"order parameter {bad}: upper bound {hi[bad]} must exceed lower bound {lo[bad]}")
    outside = (arr < lo) | (arr > hi)
    if outside.any():
        row, col = (int(v[0]) for v in np.nonzero(outside))
        raise SynergyError(
            f"order parameter {col} row {row}: value {arr[row, col]} lies outside its bounds [{lo[col]}, {hi[col]}]"
        )
    u = (arr - lo) / (hi - lo)
    return np.where(sign, u, 1.0 - u)


def subsystem_order(u: np.ndarray, *, combine: str = "geometric", weights: Sequence[float] | None = None) -> np.ndarray:
    """Order degree of a subsystem from the order degrees ``u`` (rows × parameters) of its order parameters."""
    arr = np.asarray(u, dtype=float)
    if arr.ndim == 1:
        arr = arr[np.newaxis, :]
    if combine == "geometric":
        if weights is not None:
            raise SynergyError("weights apply to combine='weighted' only")
        return np.prod(arr, axis=1) ** (1.0 / arr.shape[1])
    if combine == "weighted":
        w = np.full(arr.shape[1], 1.0 / arr.shape[1]) if weights is None else np.asarray(weights, dtype=float)
        if w.shape != (arr.shape[1],) or np.any(w < 0) or not np.isclose(w.sum(), 1.0):
            raise SynergyError(f"weights must be {arr.shape[1]} non-negative numbers summing to 1")
        return arr @ w
    raise SynergyError(f"combine must be 'geometric' or 'weighted', not {combine!r}")


def synergy_degree(u0: np.ndarray | Sequence[float], u1: np.ndarray | Sequence[float]) -> np.ndarray:
    """Synergy degree between two periods from subsystem order degrees ``u0`` and ``u1`` (… × subsystems)."""
    a, b = np.asarray(u0, dtype=float), np.asarray(u1, dtype=float)
    if a.shape != b.shape:
        raise SynergyError(f"u0 {a.shape} and u1 {b.shape} must have the same shape")
    if a.shape[-1] < 2:
        raise SynergyError("synergy needs at least two subsystems")
    delta = b - a
    theta = np.where(delta.min(axis=-1) > 0, 1.0, -1.0)
    magnitude = np.prod(np.abs(delta), axis=-1) ** (1.0 / delta.shape[-1])
    out = np.where(magnitude == 0, 0.0, theta * magnitude)
    out = np.where(np.isnan(delta).any(axis=-1), np.nan, out)
    return out if out.ndim else out[()]
