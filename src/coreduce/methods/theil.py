"""Theil T index and its exact between/within decomposition by groups.

Theil, H. (1967), *Economics and Information Theory*. With shares s_i = y_i / Σ y and n units::

    T     = Σ_i s_i ln(n s_i)                                 (= (1/n) Σ (y_i/ȳ) ln(y_i/ȳ))
    T_b   = Σ_g S_g ln(S_g n / n_g)                            S_g: group g's share of Σ y
    T_w   = Σ_g S_g T_g                                        T_g: Theil T within group g
    T     = T_b + T_w

Units with y = 0 contribute 0 (the limit 0·ln 0 = 0); negative values are rejected.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from coreduce.methods.dagum import InequalityError


def _terms(y: np.ndarray) -> float:
    s = y / y.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.where(s > 0, s * np.log(y.size * s), 0.0).sum())


def theil_t(y: np.ndarray) -> float:
    """Theil T of non-negative values with a positive total."""
    y = np.asarray(y, dtype=float).ravel()
    if np.isnan(y).any() or (y < 0).any() or y.sum() <= 0:
        raise InequalityError("Theil T needs non-missing, non-negative values with a positive total")
    return _terms(y)


@dataclass(frozen=True)
class TheilDecomposition:
    total: float
    between: float
    within: float
    groups: pd.DataFrame
    """Per group: n, share of the total, its own Theil T and its contribution S_g·T_g."""


def theil_decomposition(y: np.ndarray, groups: np.ndarray) -> TheilDecomposition:
    """Between/within decomposition of Theil T by the labels in ``groups``."""
    y = np.asarray(y, dtype=float).ravel()
    labels = np.asarray(groups).ravel()
    total = theil_t(y)
    names = pd.unique(labels).tolist()
    rows = []
    for g in names:
        part = y[labels == g]
        share = part.sum() / y.sum()
        own = _terms(part) if part.sum() > 0 else 0.0
        rows.append({"group": g, "n": part.size, "share": share, "theil": own, "within_contribution": share * own})
    table = pd.DataFrame(rows).set_index("group")
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = table["share"] * np.log(table["share"] * y.size / table["n"])
    between = float(terms.where(table["share"] > 0, 0.0).sum())
    return TheilDecomposition(total, between, float(table["within_contribution"].sum()), table)
