"""Checks across sources and against physics: what a series cannot be, and where two sources disagree.

Findings have the columns of :data:`coreduce.data.checks.FINDING_COLUMNS`; :func:`coreduce.data.checks.check_panel`
runs these checks with the others. Thresholds (stated, and recorded in the report's conventions):

``jump``
    A year-on-year change of a provincial or national emission total beyond ``JUMP_RATIOS`` (CO2: × 1.5 or ÷ 1.5;
    pollutants: × 2 or ÷ 2), not across a documented break. A province's fossil CO2 follows its energy use,
    which does not rise by half or fall by a third in one year; pollutants can fall fast under new controls,
    hence the wider band. CEADs provincial CO2 2008–2019 stays inside ×/÷ 1.45; CEDS' Beijing 2013 (110.5 →
    188.8 Mt, × 1.71, an artefact of the gridded allocation) does not.
``sum_exceeds_national``
    The sum over provinces of a provincial series above ``(1 + SUM_TOLERANCE)`` × a national series of the same
    quantity (:data:`NATIONAL_PAIRS`). Interprovincial electricity and statistical differences put CEADs'
    sectoral provinces 3–11 % above its national inventory; the apparent (production-side) inventory counts
    coal, oil and gas where they are produced and runs 11–25 % above.
``source_ratio``
    A province-year where two provincial series of the same quantity (:data:`SOURCE_PAIRS`) differ by more than
    the factor ``RATIO_TOLERANCE`` (1.5) either way.
``physical_bound`` (reported as ``impossible``)
    A value above the physical bound of its variable (:data:`BOUNDS`) or non-finite; see :func:`check_bounds`.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

JUMP_RATIOS = {"co2": 1.5, "so2": 2.0, "nox": 2.0}
EMISSIONS = ("co2", "so2", "nox", "bc", "oc", "co", "ch4", "n2o", "nh3", "nmvoc")
DEFAULT_JUMP = 2.0
SUM_TOLERANCE = 0.10
RATIO_TOLERANCE = 1.5
NATIONAL = "100000"

NATIONAL_PAIRS: tuple[tuple[str, str], ...] = (
    ("co2_ceads", "co2_ceads"),
    ("co2_apparent", "co2_ceads"),
    ("co2_apparent", "co2_gcb"),
    ("co2_ceads_energy", "co2_gcb"),
    ("co2_ceds", "co2_ceds"),
    ("so2_ceds", "so2_ceds"),
    ("nox_ceds", "nox_ceds"),
)
"""(provincial series, national series of the same quantity): Σ provinces is compared with the national value."""

SOURCE_PAIRS: tuple[tuple[str, str], ...] = (
    ("co2_ceds", "co2_ceads"),
    ("co2_apparent", "co2_ceads"),
    ("co2_apparent", "co2_ceads_energy"),
    ("co2_ceds", "co2_ceads_energy"),
)
"""Pairs of provincial CO2 series compared province by province (the first ÷ the second)."""

BOUNDS: dict[tuple[str, str], float] = {
    ("pm25", "ug/m3"): 1000.0,
    ("co2", "Mt"): 50_000.0,
    ("co2", "kt"): 50_000_000.0,
    ("so2", "kt"): 1_000_000.0,
    ("nox", "kt"): 1_000_000.0,
    ("population", "1e4 person"): 200_000.0,
    ("population", "person"): 1.2e10,
}
"""(variable family, unit) → largest possible value. PM2.5: the highest annual means ever measured are a few
hundred µg/m³ and hourly peaks stay below 1,000; CO2: the world emits about 37,000 Mt a year; SO2 and NOx: the
world emits about 100 Mt each (10^5 kt); population: two billion in a province or country (10^4 persons), twelve
billion in a world aggregate (persons)."""


def _finding(check: str, geo: str, year: int, variable: str, value: float, detail: str) -> dict:
    return dict(check=check, geo=geo, year=int(year), variable=variable, value=float(value), detail=detail)


def family(variable: str) -> str:
    """``co2`` for ``co2_ceds`` and ``co2_ceds.sector.energy``: the quantity before the first ``_``."""
    return variable.split(".")[0].split("_")[0]


def check_jumps_emissions(
    frame: pd.DataFrame,
    breaks: Mapping[tuple[str, int], str],
    places: set[str],
    ratios: Mapping[str, float] = JUMP_RATIOS,
) -> list[dict]:
    """``jump`` findings: year-on-year changes of emission totals of ``places`` (China and its provinces) beyond
    the band of their family. Country panels are left out: a small country's emissions can double in a year."""
    totals = frame[~frame["variable"].str.contains(".", regex=False) & frame["value"].notna()]
    totals = totals[totals["geo"].isin(places)]
    families = {v: family(v) for v in totals["variable"].unique()}
    totals = totals[totals["variable"].map(families).isin(EMISSIONS)].sort_values(["variable", "geo", "year"])
    prev = totals.groupby(["variable", "geo"])["value"].shift(1)
    prev_year = totals.groupby(["variable", "geo"])["year"].shift(1)
    with np.errstate(divide="ignore", invalid="ignore"):
        step = totals["value"] / prev
    band = totals["variable"].map({v: ratios.get(f, DEFAULT_JUMP) for v, f in families.items()})
    odd = (prev > 0) & (prev_year == totals["year"] - 1) & ((step > band) | (step < 1 / band))
    rows = []
    for idx in totals.index[odd.fillna(False)]:
        r = totals.loc[idx]
        if (r["variable"], int(r["year"])) in breaks or (r["variable"].split("_")[0], int(r["year"])) in breaks:
            continue
        rows.append(
            _finding(
                "jump",
                r["geo"],
                r["year"],
                r["variable"],
                r["value"],
                f"{step[idx]:.2f} × {int(r['year']) - 1} ({prev[idx]:.4g}); outside the ×/÷ {band[idx]:g} band of "
                f"{family(r['variable'])} totals",
            )
        )
    return rows


def check_sum_vs_national(
    frame: pd.DataFrame, provinces: set[str], pairs=NATIONAL_PAIRS, tolerance: float = SUM_TOLERANCE
) -> list[dict]:
    """``sum_exceeds_national`` findings: Σ provinces > (1 + tolerance) × the national series, by year."""
    rows = []
    for provincial, national in pairs:
        part = frame[(frame["variable"] == provincial) & frame["geo"].isin(provinces)]
        nat = frame[(frame["variable"] == national) & (frame["geo"] == NATIONAL)].set_index("year")["value"]
        if part.empty or nat.empty:
            continue
        sums = part.groupby("year")["value"].agg(["sum", "count"])
        both = sums.join(nat.rename("national"), how="inner")
        for year, r in both[both["sum"] > (1 + tolerance) * both["national"]].iterrows():
            rows.append(
                _finding(
                    "sum_exceeds_national",
                    NATIONAL,
                    year,
                    provincial,
                    r["sum"],
                    f"Σ {int(r['count'])} provinces = {r['sum']:,.0f}, {r['sum'] / r['national']:.3f} × the national "
                    f"{national} ({r['national']:,.0f}); tolerance {tolerance:.0%}",
                )
            )
    return rows


def check_source_ratios(
    frame: pd.DataFrame, provinces: set[str], pairs=SOURCE_PAIRS, tolerance: float = RATIO_TOLERANCE
) -> list[dict]:
    """``source_ratio`` findings: a province-year where two series of the same quantity differ beyond ×/÷ tolerance."""
    rows = []
    prov = frame[frame["geo"].isin(provinces)]
    for a, b in pairs:
        left = prov[prov["variable"] == a].set_index(["geo", "year"])["value"]
        right = prov[prov["variable"] == b].set_index(["geo", "year"])["value"]
        both = pd.concat({"a": left, "b": right}, axis=1, join="inner")
        both = both[(both["a"] > 0) & (both["b"] > 0)]
        ratio = both["a"] / both["b"]
        for (geo, year), r in ratio[(ratio > tolerance) | (ratio < 1 / tolerance)].items():
            rows.append(
                _finding(
                    "source_ratio",
                    geo,
                    year,
                    a,
                    both.loc[(geo, year), "a"],
                    f"{r:.2f} × {b} ({both.loc[(geo, year), 'b']:.4g}); the two sources disagree beyond ×/÷ "
                    f"{tolerance:g}",
                )
            )
    return rows


def bound_of(variable: str, unit: str) -> float:
    """The physical upper bound of ``variable`` in ``unit`` (inf when none is known)."""
    return BOUNDS.get((family(variable), unit.strip()), np.inf)


def check_bounds(frame: pd.DataFrame, units: Mapping[str, str]) -> list[dict]:
    """``impossible`` findings: non-finite values and values above the physical bound of their variable."""
    value = pd.to_numeric(frame["value"], errors="coerce")
    unit = frame["variable"].map(dict(units)).fillna(frame["unit"]).astype(str)
    pairs = pd.MultiIndex.from_arrays([frame["variable"], unit])
    known = {p: bound_of(*p) for p in pairs.unique()}
    bounds = pd.Series(pairs.map(known), index=frame.index, dtype=float)
    infinite = np.isinf(value)
    above = ~infinite & (value > bounds)
    rows = []
    for idx in frame.index[infinite | above]:
        r = frame.loc[idx]
        why = "non-finite value" if infinite[idx] else f"above the physical bound {bounds[idx]:g} {unit[idx]}"
        rows.append(_finding("impossible", r["geo"], r["year"], r["variable"], value[idx], why))
    return rows
