"""Min–max standardisation of indicators with a direction, and the zero-handling rules of the entropy method.

For indicator ``j`` with minimum ``m_j`` and maximum ``M_j`` over the reference set (the pooled panel, or each
year on its own)::

    positive (+):  z_ij = (x_ij − m_j) / (M_j − m_j)
    negative (−):  z_ij = (M_j − x_ij) / (M_j − m_j)

so that ``z`` lies in [0, 1] and larger is better for every indicator. Standardised zeros make ``ln p`` undefined
in the entropy method; the literature handles them in one of three ways, chosen here with ``zero``:

* ``"limit"``: keep the zeros and use the limit 0·ln 0 = 0 (Shannon 1948; the convention of most packages);
* ``"shift"``: ``z + ε`` (e.g. ε = 0.0001 or 0.01; widely used in Chinese NQPF studies);
* ``"squeeze"``: ``ε + (1 − 2ε)·z``, mapping [0, 1] onto [ε, 1 − ε] so no value is exactly 0 or 1.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

ZERO_RULES = ("limit", "shift", "squeeze")


class IndicatorError(ValueError):
    """Indicator values that cannot be standardised (constant, empty, non-finite) or an unknown option."""


def minmax(
    frame: pd.DataFrame,
    directions: Mapping[str, int],
    *,
    by: pd.Series | np.ndarray | None = None,
) -> pd.DataFrame:
    """Min–max standardise every column of ``frame`` to [0, 1] with its direction (+1 or −1).

    ``by`` (aligned with the rows, e.g. the year) computes the minimum and maximum within each group (year-by-year
    normalisation); without it they are pooled over all rows. A column that is constant within a reference set
    raises :class:`IndicatorError` naming the column (and group), because its standardised value is 0/0.
    """
    missing = [c for c in frame.columns if c not in directions]
    if missing:
        raise IndicatorError(f"no direction given for indicator(s) {', '.join(map(str, missing))}")
    for col, sign in directions.items():
        if sign not in (1, -1):
            raise IndicatorError(f"indicator {col!r}: direction must be +1 or −1, got {sign!r}")
    values = frame.astype(float)
    keys = pd.Series(0, index=frame.index) if by is None else pd.Series(np.asarray(by), index=frame.index)
    grouped = values.groupby(keys)
    lo, hi = grouped.transform("min"), grouped.transform("max")
    span = hi - lo
    flat = (span == 0) & values.notna()
    if flat.to_numpy().any():
        col = flat.any().idxmax()
        where = "" if by is None else f" in {keys[flat[col]].iloc[0]}"
        raise IndicatorError(
            f"indicator {col!r} is constant{where} (all values {lo.loc[flat[col], col].iloc[0]:g}): "
            "min–max standardisation divides by zero; drop it or give it a fixed weight of 0"
        )
    z = (values - lo) / span
    for col in frame.columns:
        if directions[col] == -1:
            z[col] = 1.0 - z[col]
    return z


def apply_zero_rule(z: pd.DataFrame | np.ndarray, rule: str = "limit", epsilon: float = 1e-4):
    """Apply one of :data:`ZERO_RULES` to standardised values in [0, 1] (see the module docstring)."""
    if rule not in ZERO_RULES:
        raise IndicatorError(f"zero rule must be one of {', '.join(ZERO_RULES)}; got {rule!r}")
    if rule != "limit" and not 0 < epsilon < 0.5:
        raise IndicatorError(f"epsilon must lie in (0, 0.5); got {epsilon!r}")
    if rule == "shift":
        return z + epsilon
    if rule == "squeeze":
        return epsilon + (1.0 - 2.0 * epsilon) * z
    return z
