"""Tapio (2005) decoupling elasticity and its eight states.

Elasticity of emissions ``C`` with respect to GDP ``G`` between years 0 and T (Tapio 2005, Transport Policy
12(2): 137–151, eq. 2 and Fig. 1)::

    e = (ΔC / C_0) / (ΔG / G_0)

States (Tapio 2005, Fig. 1), with the boundaries 0.8 and 1.2:

=====  =====  ==============  ===================================  ======
ΔG     ΔC     e               state                                状态
=====  =====  ==============  ===================================  ======
> 0    < 0    e < 0           strong decoupling                    强脱钩
> 0    ≥ 0    0 ≤ e < 0.8     weak decoupling                      弱脱钩
> 0    > 0    0.8 ≤ e ≤ 1.2   expansive coupling                   扩张连接
> 0    > 0    e > 1.2         expansive negative decoupling        扩张负脱钩
< 0    > 0    e < 0           strong negative decoupling           强负脱钩
< 0    ≤ 0    0 ≤ e < 0.8     weak negative decoupling             弱负脱钩
< 0    < 0    0.8 ≤ e ≤ 1.2   recessive coupling                   衰退连接
< 0    < 0    e > 1.2         recessive decoupling                 衰退脱钩
=====  =====  ==============  ===================================  ======

Conventions exposed as options and returned with the result:

* ``boundary="coupling"`` (default): an elasticity of exactly 0.8 or 1.2 is coupling (the closed interval
  [0.8, 1.2]); ``boundary="decoupling"``: exactly 0.8 or 1.2 falls on the decoupling side (0.8 is weak
  decoupling, 1.2 is expansive negative decoupling; likewise in recession).
* Boundary tolerance: an elasticity within ``tolerance`` (default 1e-9) of 0.8 or 1.2 counts as exactly on the
  boundary, so a ratio such as 0.08 / 0.10, which floating point computes as 0.7999999999999999, falls on the
  side the ``boundary`` rule names (the published growth rates are exact decimals; binary fractions are not).
* Zero GDP change: the elasticity is undefined; ``zero_gdp="nan"`` (default) gives NaN with the state
  ``"undefined (zero GDP change)"``; ``zero_gdp="raise"`` raises.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coreduce.methods.periods import start_end_arrays

LOWER, UPPER = 0.8, 1.2
TOLERANCE = 1e-9

STATES: dict[str, str] = {
    "strong decoupling": "强脱钩",
    "weak decoupling": "弱脱钩",
    "expansive coupling": "扩张连接",
    "expansive negative decoupling": "扩张负脱钩",
    "strong negative decoupling": "强负脱钩",
    "weak negative decoupling": "弱负脱钩",
    "recessive coupling": "衰退连接",
    "recessive decoupling": "衰退脱钩",
}
UNDEFINED = "undefined (zero GDP change)"
MISSING = "undefined (missing value)"


class DecouplingError(ValueError):
    """Inputs for which a decoupling state cannot be given."""


def tapio(
    c0: np.ndarray | pd.Series,
    cT: np.ndarray | pd.Series,
    g0: np.ndarray | pd.Series,
    gT: np.ndarray | pd.Series,
    *,
    boundary: str = "coupling",
    zero_gdp: str = "nan",
    tolerance: float = TOLERANCE,
) -> pd.DataFrame:
    """Tapio elasticity and state for arrays of start/end emissions (``c0``, ``cT``) and GDP (``g0``, ``gT``).

    Returns a frame with ``d_emissions`` (ΔC/C0), ``d_gdp`` (ΔG/G0), ``elasticity``, ``state``, ``state_zh``;
    the index is that of ``c0`` when it is a Series. Start values must be positive. The options used are
    recorded in ``frame.attrs["conventions"]``.
    """
    if boundary not in ("coupling", "decoupling"):
        raise DecouplingError(f"boundary must be 'coupling' or 'decoupling', not {boundary!r}")
    if zero_gdp not in ("nan", "raise"):
        raise DecouplingError(f"zero_gdp must be 'nan' or 'raise', not {zero_gdp!r}")
    if not 0 <= tolerance < 0.1:
        raise DecouplingError(f"tolerance must be in [0, 0.1), not {tolerance!r}")
    index, (a_c0, a_cT, a_g0, a_gT) = start_end_arrays(
        {"c0": c0, "cT": cT, "g0": g0, "gT": gT}, positive=("c0", "g0"), error=DecouplingError, why="relative change"
    )
    dc = (a_cT - a_c0) / a_c0
    dg = (a_gT - a_g0) / a_g0
    missing = np.isnan(dc) | np.isnan(dg)
    zero = (dg == 0) & ~missing
    if zero.any() and zero_gdp == "raise":
        raise DecouplingError(f"zero GDP change at position(s) {np.flatnonzero(zero)[:5].tolist()}")
    with np.errstate(divide="ignore", invalid="ignore"):
        e = np.where(zero | missing, np.nan, dc / np.where(dg == 0, 1.0, dg))
    on = np.where(np.abs(e - LOWER) <= tolerance, LOWER, np.where(np.abs(e - UPPER) <= tolerance, UPPER, e))
    if boundary == "coupling":
        low, high = on < LOWER, on <= UPPER  # [0.8, 1.2] is coupling
    else:
        low, high = on <= LOWER, on < UPPER  # (0.8, 1.2) is coupling
    grow, shrink = dg > 0, dg < 0
    conditions = [
        missing,
        zero,
        grow & (dc < 0),
        grow & low,
        grow & high,
        grow,
        shrink & (dc > 0),
        shrink & low,
        shrink & high,
        shrink,
    ]
    choices = [
        MISSING,
        UNDEFINED,
        "strong decoupling",
        "weak decoupling",
        "expansive coupling",
        "expansive negative decoupling",
        "strong negative decoupling",
        "weak negative decoupling",
        "recessive coupling",
        "recessive decoupling",
    ]
    state = np.select(conditions, choices, default=MISSING)
    frame = pd.DataFrame({"d_emissions": dc, "d_gdp": dg, "elasticity": e, "state": state}, index=index)
    frame["state_zh"] = frame["state"].map(STATES).fillna("未定义")
    frame.attrs["conventions"] = {
        "Tapio boundaries": f"{LOWER} and {UPPER}; exact values (±{tolerance:g}) counted as {boundary}",
        "zero GDP change": "NaN with an 'undefined' state" if zero_gdp == "nan" else "error",
    }
    return frame


def tapio_series(emissions: pd.Series, gdp: pd.Series, *, pairs: str | tuple[int, int] = "yearly", **options):
    """Tapio states of year-indexed series: year by year (``pairs="yearly"``) or between two years ``(t0, T)``."""
    e, g = emissions.astype(float), gdp.astype(float).reindex(emissions.index)
    if pairs == "yearly":
        years = sorted(e.index)
        starts, ends = years[:-1], years[1:]
    else:
        start, end = pairs
        for year in (start, end):
            if year not in e.index:
                raise DecouplingError(f"emissions have no value for {year}")
        starts, ends = [start], [end]
    out = tapio(
        e.loc[starts].to_numpy(), e.loc[ends].to_numpy(), g.loc[starts].to_numpy(), g.loc[ends].to_numpy(), **options
    )
    out.insert(0, "end", ends)
    out.insert(0, "start", starts)
    return out
