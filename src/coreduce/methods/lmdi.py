"""LMDI-I decomposition, additive and multiplicative, with the analytic zero-value limits.

An aggregate ``V = Σ_i V_i`` with ``V_i = x_{1,i} · x_{2,i} · … · x_{n,i}`` changes from ``V^0`` to ``V^T``.
LMDI-I (Ang 2004, Energy Policy 32: 1131–1139; Ang 2005, "The LMDI approach to decomposition analysis:
a practical guide", Energy Policy 33: 867–871, Table 1) gives the effect of factor ``k``::

    additive:        ΔV_k = Σ_i L(V_i^T, V_i^0) · ln(x_{k,i}^T / x_{k,i}^0)          Σ_k ΔV_k = V^T − V^0
    multiplicative:  D_k  = exp(ΔV_k / L(V^T, V^0))                                  Π_k D_k  = V^T / V^0

with the logarithmic mean ``L(a, b) = (a − b) / (ln a − ln b)``, ``L(a, a) = a``.

Zero values (Ang & Liu 2007, "Handling zero values in the logarithmic mean Divisia index decomposition
approach", Energy Policy 35: 238–246; Ang, Zhang & Choi 1998, Energy 23(6), Table 2) are handled by the
analytic limits of the terms as the zero is replaced by δ → 0, never by a small number:

* ``V_i^0 = 0 < V_i^T`` (sub-category appears): the ``m`` factors that are zero in period 0 share
  ``V_i^T`` equally (``V_i^T / m`` each; ``m = 1`` in the usual case); every other factor gets 0.
* ``V_i^T = 0 < V_i^0`` (sub-category disappears): the ``m`` factors zero in period T share ``−V_i^0``.
* ``V_i^0 = V_i^T = 0``: every factor gets 0.

The multiplicative form is undefined when the aggregate ``V^0`` or ``V^T`` is 0 (NaN). Factors must be
non-negative (negative values raise); NaN in a sub-category makes that unit's effects NaN.

Arrays are vectorised: ``x0`` and ``xT`` have shape ``(..., n_sub, n_factors)`` (any leading axes, e.g.
units × years) and effects have shape ``(..., n_factors)``; no Python loop runs per unit or year.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd


class LMDIError(ValueError):
    """Factor arrays that LMDI cannot decompose."""


def logmean(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Logarithmic mean ``(a − b) / (ln a − ln b)``, ``a`` where ``a == b``, 0 where either is 0.

    Where ``a ≠ b`` but their logarithms round to the same float, the denominator is ``log1p((a − b) / b)``.
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        denominator = np.log(a) - np.log(b)
        denominator = np.where((denominator == 0) & (a != b), np.log1p((a - b) / b), denominator)
        out = (a - b) / denominator
    out = np.where(a == b, a, out)
    return np.where((a == 0) | (b == 0), 0.0, out)


def _check(x0: np.ndarray, xT: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    a, b = np.asarray(x0, dtype=float), np.asarray(xT, dtype=float)
    if a.shape != b.shape:
        raise LMDIError(f"x0 {a.shape} and xT {b.shape} must have the same shape (..., sub-categories, factors)")
    if a.ndim < 2:
        raise LMDIError(f"factor arrays need at least 2 axes (sub-categories, factors); got shape {a.shape}")
    for name, arr in (("x0", a), ("xT", b)):
        if np.any(arr < 0):
            where = tuple(int(v[0]) for v in np.nonzero(arr < 0))
            raise LMDIError(f"{name} has a negative factor value {arr[where]} at {where}; LMDI needs values ≥ 0")
    return a, b


def effects_by_subcategory(x0: np.ndarray, xT: np.ndarray) -> np.ndarray:
    """Additive LMDI-I effect of each factor in each sub-category, shape ``(..., n_sub, n_factors)``."""
    a, b = _check(x0, xT)
    v0, vT = a.prod(axis=-1), b.prod(axis=-1)
    weight = logmean(vT, v0)[..., np.newaxis]
    with np.errstate(divide="ignore", invalid="ignore"):
        regular = weight * np.log(b / a)
    regular = np.where(((v0 > 0) & (vT > 0))[..., np.newaxis], regular, 0.0)
    appears = ((v0 == 0) & (vT > 0))[..., np.newaxis] & (a == 0)
    vanishes = ((vT == 0) & (v0 > 0))[..., np.newaxis] & (b == 0)
    m_app = np.maximum(appears.sum(axis=-1, keepdims=True), 1)
    m_van = np.maximum(vanishes.sum(axis=-1, keepdims=True), 1)
    out = regular + np.where(appears, vT[..., np.newaxis] / m_app, 0.0)
    out = out - np.where(vanishes, v0[..., np.newaxis] / m_van, 0.0)
    nan = (np.isnan(a) | np.isnan(b)).any(axis=-1, keepdims=True)
    return np.where(nan, np.nan, out)


def lmdi(x0: np.ndarray, xT: np.ndarray, *, form: str = "additive") -> np.ndarray:
    """LMDI-I effects of each factor, shape ``(..., n_factors)``: ``ΔV_k`` (additive) or ``D_k`` (multiplicative)."""
    if form not in ("additive", "multiplicative"):
        raise LMDIError(f"form must be 'additive' or 'multiplicative', not {form!r}")
    by_sub = effects_by_subcategory(x0, xT)
    additive = by_sub.sum(axis=-2)
    if form == "additive":
        return additive
    a, b = np.asarray(x0, dtype=float), np.asarray(xT, dtype=float)
    V0, VT = a.prod(axis=-1).sum(axis=-1), b.prod(axis=-1).sum(axis=-1)
    weight = logmean(VT, V0)[..., np.newaxis]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(weight > 0, np.exp(additive / weight), np.nan)


def lmdi_panel(
    frame: pd.DataFrame,
    *,
    factors: Sequence[str],
    target: str | None = None,
    pairs: str | tuple[int, int] = "yearly",
    form: str = "additive",
    rtol: float = 1e-6,
) -> pd.DataFrame:
    """LMDI of a (geo, year)-indexed frame with one column per factor (one sub-category per geo).

    If ``target`` is given, the identity ``target = Π factors`` is checked first (relative tolerance ``rtol``)
    and a mismatch names the first offending geo and year. ``pairs="yearly"`` decomposes every consecutive
    pair of years; ``(t0, T)`` one period. Returns ``geo, start, end, V0, VT`` and one column per factor.
    """
    factors = list(factors)
    missing = [c for c in [*factors, *([target] if target else [])] if c not in frame.columns]
    if missing:
        raise LMDIError(f"frame has no column(s) {', '.join(missing)}")
    if target is not None:
        product = frame[factors].prod(axis=1, skipna=False)
        bad = ~np.isclose(product, frame[target], rtol=rtol, atol=0) & product.notna() & frame[target].notna()
        if bad.any():
            geo, year = frame.index[bad.to_numpy()][0]
            raise LMDIError(
                f"the factors do not multiply to {target!r} at geo {geo}, year {year}: "
                f"{product[bad].iloc[0]:.6g} vs {frame[target][bad].iloc[0]:.6g}"
            )
    geos = frame.index.get_level_values("geo").unique()
    years = sorted(frame.index.get_level_values("year").unique())
    full = frame[factors].reindex(pd.MultiIndex.from_product([geos, years], names=["geo", "year"]))
    arr = full.to_numpy().reshape(len(geos), len(years), 1, len(factors))
    if pairs == "yearly":
        i0, i1 = np.arange(len(years) - 1), np.arange(1, len(years))
    else:
        absent = [y for y in pairs if y not in years]
        if absent:
            raise LMDIError(f"no data for year(s) {absent}")
        i0, i1 = np.array([years.index(pairs[0])]), np.array([years.index(pairs[1])])
    x0, xT = arr[:, i0], arr[:, i1]
    effects = lmdi(x0, xT, form=form)  # (geos, periods, factors)
    n_geo, n_per = effects.shape[:2]
    out = pd.DataFrame(effects.reshape(n_geo * n_per, len(factors)), columns=factors)
    out.insert(0, "VT", np.prod(xT, axis=-1).sum(axis=-1).ravel())
    out.insert(0, "V0", np.prod(x0, axis=-1).sum(axis=-1).ravel())
    out.insert(0, "end", np.tile(np.asarray(years)[i1], n_geo))
    out.insert(0, "start", np.tile(np.asarray(years)[i0], n_geo))
    out.insert(0, "geo", np.repeat(np.asarray(geos), n_per))
    return out
