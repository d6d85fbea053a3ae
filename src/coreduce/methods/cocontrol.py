"""Co-control of a local air pollutant and CO2: the co-control coordinate system and co-control elasticity.

Coordinate system (Mao Xianqiang, Zeng An, Hu Tao et al. 2011, "Study of coordinate control effect
assessment of air pollutants and greenhouse gases reduction", China Environmental Science 31(12): 2066–2073;
Mao et al. 2012, "Co-control of local air pollutants and CO2 in the Chinese iron and steel industry",
Environ. Sci. Technol. 46: 12009–12016): each unit is a point whose x coordinate is the pollutant's
reduction rate and y coordinate is CO2's reduction rate between two years::

    x = −ΔP / P_0,  y = −ΔC / C_0

Quadrant I (x > 0, y > 0): co-reduction (协同减排); II (x < 0, y > 0): carbon reduced while the pollutant
rose (降碳增污); III (both < 0): co-increase (协同增排); IV (x > 0, y < 0): pollutant reduced while carbon rose
(减污增碳). A point on an axis is ``"on axis"``: one of the two did not change.

Co-control elasticity (Mao et al. 2012)::

    Els = (ΔP / P_0) / (ΔC / C_0)

Els > 1: the pollutant falls (or rises) proportionally more than CO2. Both factors are relative changes, so
Els does not depend on the units of either series. ``ΔC = 0`` gives NaN with the reason "no change in CO2".
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from coreduce.methods.periods import start_end_arrays

QUADRANTS = {
    "I": ("co-reduction", "协同减排"),
    "II": ("carbon reduced, pollutant increased", "降碳增污"),
    "III": ("co-increase", "协同增排"),
    "IV": ("pollutant reduced, carbon increased", "减污增碳"),
    "axis": ("on axis (one did not change)", "坐标轴上（一项未变）"),
    "missing": ("undefined (missing value)", "未定义"),
}


class CoControlError(ValueError):
    """Inputs for which the co-control measures are undefined."""


def cocontrol(
    p0: np.ndarray | pd.Series,
    pT: np.ndarray | pd.Series,
    c0: np.ndarray | pd.Series,
    cT: np.ndarray | pd.Series,
) -> pd.DataFrame:
    """Reduction rates, quadrant and elasticity for start/end pollutant (``p0``, ``pT``) and CO2 (``c0``, ``cT``).

    Returns ``reduction_pollutant`` (x), ``reduction_co2`` (y), ``elasticity``, ``quadrant``, ``label``,
    ``label_zh`` and ``reason`` (why an elasticity is NaN). Start values must be positive.
    """
    index, (a_p0, a_pT, a_c0, a_cT) = start_end_arrays(
        {"p0": p0, "pT": pT, "c0": c0, "cT": cT}, positive=("p0", "c0"), error=CoControlError, why="a reduction rate"
    )
    x = (a_p0 - a_pT) / a_p0
    y = (a_c0 - a_cT) / a_c0
    missing = np.isnan(x) | np.isnan(y)
    quadrant = np.select(
        [missing, (x == 0) | (y == 0), (x > 0) & (y > 0), (x < 0) & (y > 0), (x < 0) & (y < 0)],
        ["missing", "axis", "I", "II", "III"],
        default="IV",
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        els = np.where(y == 0, np.nan, x / np.where(y == 0, 1.0, y))
    reason = np.select([missing, y == 0], ["missing value", "no change in CO2"], default="")
    frame = pd.DataFrame(
        {"reduction_pollutant": x, "reduction_co2": y, "elasticity": els, "quadrant": quadrant}, index=index
    )
    frame["label"] = frame["quadrant"].map(lambda q: QUADRANTS[q][0])
    frame["label_zh"] = frame["quadrant"].map(lambda q: QUADRANTS[q][1])
    frame["reason"] = reason
    return frame


def cocontrol_panel(
    frame: pd.DataFrame, *, pollutant: str, co2: str, pairs: str | tuple[int, int] = "yearly"
) -> pd.DataFrame:
    """Co-control measures for every geo of a (geo, year)-indexed frame, year by year or between ``(t0, T)``."""
    for column in (pollutant, co2):
        if column not in frame.columns:
            raise CoControlError(f"frame has no column {column!r}")
    wide_p = frame[pollutant].unstack("year")
    wide_c = frame[co2].unstack("year").reindex(index=wide_p.index, columns=wide_p.columns)
    years = list(wide_p.columns)
    if pairs == "yearly":
        spans = list(itertools.pairwise(years))
    else:
        missing = [y for y in pairs if y not in years]
        if missing:
            raise CoControlError(f"no data for year(s) {missing}; years present: {years[0]}–{years[-1]}")
        spans = [tuple(pairs)]
    parts = []
    for start, end in spans:
        part = cocontrol(wide_p[start], wide_p[end], wide_c[start], wide_c[end])
        part.insert(0, "end", end)
        part.insert(0, "start", start)
        parts.append(part)
    return pd.concat(parts).reset_index()
