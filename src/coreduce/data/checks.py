"""Plausibility checks on a canonical panel: schema, duplicate keys, impossible values and implausible jumps.

Every check returns findings, one row per flagged value, with columns ``check, geo, year, variable, value,
detail``; :func:`check_panel` runs them all and returns a :class:`CheckReport`.

Checks and their thresholds
---------------------------
``schema``
    :func:`coreduce.data.schema.validate_panel` (missing columns, non-integer years, unknown status …).
``duplicate``
    More than one row for a (geo, year, variable) key.
``impossible``
    A negative value of a quantity that cannot be negative (emissions, GDP, population, energy, counts …: every
    variable unless it is named in ``signed``), a share (unit ``fraction``) outside [0, 1] or a percentage (unit
    ``percent``) outside [0, 100].
``dip`` (an implausible transient jump)
    A run of at most ``max_run`` consecutive values that all lie below ``ratio`` × the geometric trend joining the
    nearest values on either side of the run (straight in logarithms, so a steady growth or decline at any rate
    is not a dip), or all above that trend ÷ ``ratio``; each value must also lie beyond both ends by the factor
    √``ratio`` (so that the last value before a level shift is not mistaken for a spike). Because the line runs to the
    value *after* the run, a dip is only flagged when the series recovers its trend — a typing or unit error
    that the following years do not repeat. With ``ratio = 0.7``: in the yearbook provincial panel the genuine
    one-year revisions of provincial GDP (Jilin 2016, Inner Mongolia 2017, Shandong and Hebei 2018, after the
    economic census and the data-quality audits) lie at 0.83–0.92 of the trend line and 0.73–0.92 of the
    previous year, while the defective 2021–22 values of Shandong, Jiangsu, Hebei and Hainan lie at 0.17–0.60 of
    the line; 0.7 separates the two groups with a margin on either side. Runs of up to three years cover a defect
    that persists over a couple of yearbook editions, while a longer run is a level, not an error.
``level_shift``
    A fall to below ``drop`` × the previous value (default 0.6, i.e. a fall of more than 40 % in one year) that
    is *not* recovered (not part of a dip): a break in the series (a new statistical system, a change of scope)
    rather than a typing error. Reported for a person to judge; never corrected automatically.
``known_break``
    A documented statistical break (:data:`KNOWN_BREAKS`): reported for every geography with data on both sides
    of the break, with the year-on-year ratio, and exempt from the dip and level-shift checks across it.
``jump``, ``sum_exceeds_national``, ``source_ratio`` and the physical bounds of ``impossible``
    Checks across sources and against physics, :mod:`coreduce.data.crosscheck` (thresholds documented there).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from coreduce.data import crosscheck
from coreduce.data.schema import KEY, PanelSchemaError, validate_panel

FINDING_COLUMNS = ("check", "geo", "year", "variable", "value", "detail")

KNOWN_BREAKS: dict[tuple[str, int], str] = {
    ("so2_nbs", 2016): (
        "statistical break: from 2016 the Ministry of Ecology and Environment reports SO2 from the new "
        "environmental statistics system (revised survey scope and methods); the national sum falls from "
        "18.6 to 8.9 Mt between 2015 and 2016. Levels before and after are not comparable; not an error."
    ),
}
"""(variable, first year of the new series) → why the series breaks there. Dotted sub-series inherit the entry."""

DIP_RATIO = 0.7
DIP_MAX_RUN = 3
DROP_RATIO = 0.6


@dataclass(frozen=True)
class CheckReport:
    """The findings of :func:`check_panel`, with the thresholds used."""

    findings: pd.DataFrame
    conventions: dict = field(default_factory=dict)

    def flagged(self, checks: Iterable[str] = ("impossible", "dip")) -> pd.DataFrame:
        """The findings that mark a value as wrong (by default: impossible values and dips)."""
        return self.findings[self.findings["check"].isin(list(checks))].reset_index(drop=True)

    def counts(self) -> pd.DataFrame:
        """Number of findings by check and variable."""
        if self.findings.empty:
            return pd.DataFrame(columns=["check", "variable", "n"])
        return self.findings.groupby(["check", "variable"]).size().rename("n").reset_index()

    def summary(self, limit: int = 40) -> str:
        lines = [f"Panel checks: {len(self.findings)} finding(s)"]
        lines.append("conventions: " + ", ".join(f"{k}={v}" for k, v in self.conventions.items()))
        for row in self.counts().itertuples(index=False):
            lines.append(f"  {row.check:<12} {row.variable:<40} {row.n:>5}")
        shown = self.findings.head(limit)
        if len(shown):
            lines.append("")
            for r in shown.itertuples(index=False):
                lines.append(f"  [{r.check}] {r.variable} {r.geo} {r.year}: {r.value:g} — {r.detail}")
            if len(self.findings) > limit:
                lines.append(f"  … {len(self.findings) - limit} more")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


def _findings(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(FINDING_COLUMNS))
    return frame.astype({"year": "int64", "value": "float64"}) if len(frame) else frame


def check_schema(frame: pd.DataFrame) -> pd.DataFrame:
    """One ``schema`` finding (with the validator's message) when ``frame`` breaks the canonical schema."""
    dupless = frame.drop_duplicates(list(KEY)) if set(KEY) <= set(frame.columns) else frame
    try:
        validate_panel(dupless)
    except PanelSchemaError as exc:
        return _findings([dict(check="schema", geo="", year=0, variable="", value=np.nan, detail=str(exc))])
    return _findings([])


def check_duplicates(frame: pd.DataFrame) -> pd.DataFrame:
    """A ``duplicate`` finding for every row whose (geo, year, variable) key occurs more than once."""
    dup = frame[frame.duplicated(list(KEY), keep=False)]
    rows = [
        dict(
            check="duplicate",
            geo=r.geo,
            year=r.year,
            variable=r.variable,
            value=r.value,
            detail=f"(geo, year, variable) occurs {n} times",
        )
        for (_, r), n in zip(dup.iterrows(), dup.groupby(list(KEY))["value"].transform("size"), strict=True)
    ]
    return _findings(rows)


def check_impossible(frame: pd.DataFrame, units: Mapping[str, str], signed: Iterable[str] = ()) -> pd.DataFrame:
    """``impossible`` findings: negatives of non-negative quantities, shares outside [0, 1], percents outside [0, 100].

    ``units`` maps variable → unit (from the catalogue; the row's own unit is used when absent).
    """
    signed = set(signed)
    unit = frame["variable"].map(dict(units)).fillna(frame["unit"]).astype(str).str.strip().str.lower()
    value = frame["value"]
    base = frame["variable"].map({v: v.split(".")[0] for v in frame["variable"].unique()})
    upper = pd.Series(np.inf, index=frame.index)
    upper[unit == "fraction"] = 1.0
    upper[unit.isin(["percent", "%"])] = 100.0
    negative = (value < 0) & ~base.isin(signed) & ~frame["variable"].isin(signed)
    above = value > upper
    rows = []
    for idx in frame.index[negative | above]:
        r = frame.loc[idx]
        why = (
            f"negative value of a non-negative quantity ({unit[idx]})"
            if negative[idx]
            else (f"above the upper bound {upper[idx]:g} of a quantity in {unit[idx]}")
        )
        rows.append(
            dict(check="impossible", geo=r["geo"], year=r["year"], variable=r["variable"], value=r["value"], detail=why)
        )
    return _findings(rows)


def _break_for(variable: str, breaks: Mapping[tuple[str, int], str]) -> dict[int, str]:
    base = variable.split(".")[0]
    return {year: why for (var, year), why in breaks.items() if var in (variable, base)}


def _dip_candidates(
    years: np.ndarray, values: np.ndarray, keep: np.ndarray, breaks: set[int], ratio: float, max_run: int
):
    """Yield (strength, first, last, expected, low) for every run outside the band.

    ``keep`` holds the positions still in play; a run plus the dips already set aside between its two ends may
    cover at most ``max_run`` points. The trend line is geometric (straight in logarithms): the expected value
    in year t between ends (t0, v0) and (t1, v1) is v0 · (v1 / v0) ** ((t − t0) / (t1 − t0)).
    """
    ys, vs = years[keep], values[keep]
    n = len(keep)
    root = np.sqrt(ratio)
    for length in range(1, min(max_run, n - 2) + 1):
        left = np.arange(0, n - length - 1)
        right = left + length + 1
        ok = (keep[right] - keep[left] - 1 <= max_run) & (vs[left] > 0) & (vs[right] > 0)
        for b in breaks:
            ok &= ~((ys[left] < b) & (b <= ys[right]))
        if not ok.any():
            continue
        left, right = left[ok], right[ok]
        inner = left[:, None] + np.arange(1, length + 1)[None, :]
        share = (ys[inner] - ys[left][:, None]) / (ys[right] - ys[left])[:, None]
        with np.errstate(divide="ignore", invalid="ignore"):
            expected = vs[left][:, None] * (vs[right] / vs[left])[:, None] ** share
            seg = vs[inner]
            lo_end = np.minimum(vs[left], vs[right])[:, None]
            hi_end = np.maximum(vs[left], vs[right])[:, None]
            low = ((seg < ratio * expected) & (seg < root * lo_end)).all(axis=1)
            high = ((seg > expected / ratio) & (seg > hi_end / root)).all(axis=1)
            strength = np.abs(np.log(np.maximum(seg, 1e-300) / expected)).min(axis=1)
        for r in np.flatnonzero(low | high):
            yield float(strength[r]), int(left[r] + 1), int(right[r] - 1), expected[r], bool(low[r])


def _series_jumps(
    years: np.ndarray, values: np.ndarray, breaks: set[int], ratio: float, max_run: int, drop: float
) -> list[tuple[int, str, str]]:
    """(position, check, detail) of the dips and unrecovered drops in one series sorted by year.

    Dips are found one at a time, strongest first (the run farthest outside the band); its points are then set
    aside so that they never serve as an end of the trend line for the next search. This keeps the good value
    next to a dip from looking like a spike against the dip itself.
    """
    out: list[tuple[int, str, str]] = []
    keep = np.arange(len(values))
    while True:
        candidates = list(_dip_candidates(years, values, keep, breaks, ratio, max_run))
        if not candidates:
            break
        _, i, j, expected, low = max(candidates, key=lambda c: c[0])
        ys = years[keep]
        for k in range(i, j + 1):
            pos, e = keep[k], expected[k - i]
            out.append(
                (
                    int(pos),
                    "dip",
                    f"{values[pos] / e:.2f} × the trend line through {int(ys[i - 1])} and "
                    f"{int(ys[j + 1])} (≈ {e:.4g}); {'below' if low else 'above'} the "
                    f"{ratio:g} band",
                )
            )
        keep = np.delete(keep, range(i, j + 1))
    for prev, k in itertools.pairwise(keep):
        if any(years[prev] < b <= years[k] for b in breaks) or values[prev] <= 0:
            continue
        if values[k] < drop * values[prev]:
            out.append(
                (
                    int(k),
                    "level_shift",
                    f"falls to {values[k] / values[prev]:.2f} × {int(years[prev])} "
                    f"({values[prev]:.4g}) and does not recover",
                )
            )
    return sorted(out)


def _may_jump(frame: pd.DataFrame, ratio: float, drop: float) -> pd.Series:
    """Rows of the series (frame sorted by variable, geo, year) that can hold a dip or a level shift: those
    with a non-positive value or a year-on-year ratio outside [min(√ratio, drop), 1/√ratio]. Every dip starts
    with such a step (its first value lies beyond √ratio × its left end), so the other series are skipped."""
    group = [frame["variable"], frame["geo"]]
    step = frame["value"] / frame.groupby(group, sort=False)["value"].shift(1)
    low, high = min(np.sqrt(ratio), drop), 1 / np.sqrt(ratio)
    odd = (frame["value"] <= 0) | (step < low) | (step > high)
    return odd.groupby(group, sort=False).transform("any")


def check_jumps(
    frame: pd.DataFrame,
    ratio: float = DIP_RATIO,
    max_run: int = DIP_MAX_RUN,
    drop: float = DROP_RATIO,
    breaks: Mapping[tuple[str, int], str] | None = None,
    breakdowns: bool = False,
) -> pd.DataFrame:
    """``dip``, ``level_shift`` and ``known_break`` findings for every (geo, variable) series (see module doc).

    Breakdowns (dotted names such as ``co2_ceads.sector.chemicals``) are skipped unless ``breakdowns=True``: a
    sector or fuel of one province switches on and off for real reasons (a plant opens or closes, a fuel is
    reclassified), so year-on-year jumps there are not evidence of an error; their totals are checked.
    """
    if not 0 < ratio < 1 or not 0 < drop < 1 or max_run < 1:
        raise ValueError(f"check_jumps: need 0 < ratio < 1, 0 < drop < 1, max_run ≥ 1; got {ratio}, {drop}, {max_run}")
    breaks = KNOWN_BREAKS if breaks is None else breaks
    rows: list[dict] = []
    usable = frame[frame["value"].notna()]
    if not breakdowns:
        usable = usable[~usable["variable"].str.contains(".", regex=False)]
    usable = usable.sort_values(["variable", "geo", "year"])
    usable = usable[_may_jump(usable, ratio, drop) | usable["variable"].isin({v for v, _ in breaks})]
    for (variable, geo), group in usable.groupby(["variable", "geo"], sort=False):
        years = group["year"].to_numpy(dtype=float)
        values = group["value"].to_numpy(dtype=float)
        var_breaks = _break_for(variable, breaks)
        for k, check, detail in _series_jumps(years, values, set(var_breaks), ratio, max_run, drop):
            rows.append(
                dict(check=check, geo=geo, year=int(years[k]), variable=variable, value=values[k], detail=detail)
            )
        for year, why in var_breaks.items():
            before, after = group[group["year"] == year - 1], group[group["year"] == year]
            if len(before) and len(after):
                v0, v1 = before["value"].iloc[0], after["value"].iloc[0]
                change = f"{v1 / v0:.2f} × {year - 1}" if v0 else "previous year 0"
                rows.append(
                    dict(
                        check="known_break", geo=geo, year=year, variable=variable, value=v1, detail=f"{change}; {why}"
                    )
                )
    return _findings(rows)


def check_panel(
    frame: pd.DataFrame,
    catalogue: pd.DataFrame | None = None,
    *,
    ratio: float = DIP_RATIO,
    max_run: int = DIP_MAX_RUN,
    drop: float = DROP_RATIO,
    signed: Iterable[str] = (),
    breaks: Mapping[tuple[str, int], str] | None = None,
    breakdowns: bool = False,
    cross: bool = True,
) -> CheckReport:
    """Run every check on the long panel ``frame`` (units from ``catalogue`` when given); ``cross=False`` leaves
    out the checks across sources and against physical bounds."""
    units = {} if catalogue is None else dict(zip(catalogue["variable"], catalogue["unit"], strict=True))
    parts = [check_schema(frame), check_duplicates(frame)]
    valid = frame.drop_duplicates(list(KEY))
    valid = valid.assign(value=pd.to_numeric(valid["value"], errors="coerce"))
    parts += [check_impossible(valid, units, signed), check_jumps(valid, ratio, max_run, drop, breaks, breakdowns)]
    used_breaks = KNOWN_BREAKS if breaks is None else breaks
    if cross:
        parts.append(_findings(cross_findings(valid, units, used_breaks)))
    nonempty = [p for p in parts if len(p)]
    findings = pd.concat(nonempty, ignore_index=True) if nonempty else _findings([])
    conventions = {
        "dip_ratio": ratio,
        "dip_max_run": max_run,
        "drop_ratio": drop,
        "jumps_in_breakdowns": breakdowns,
        "known_breaks": sorted(f"{v}:{y}" for v, y in used_breaks),
    }
    if cross:
        conventions |= {
            "emission_jump_bands": dict(crosscheck.JUMP_RATIOS, other=crosscheck.DEFAULT_JUMP),
            "sum_vs_national_tolerance": crosscheck.SUM_TOLERANCE,
            "source_ratio_tolerance": crosscheck.RATIO_TOLERANCE,
        }
    return CheckReport(findings=findings, conventions=conventions)


def cross_findings(frame: pd.DataFrame, units: Mapping[str, str], breaks: Mapping[tuple[str, int], str]) -> list:
    """The findings of :mod:`coreduce.data.crosscheck` on a valid long frame."""
    from coreduce.geo import by_code

    provinces = set(by_code())
    return (
        crosscheck.check_bounds(frame, units)
        + crosscheck.check_jumps_emissions(frame, breaks, provinces | {crosscheck.NATIONAL})
        + crosscheck.check_sum_vs_national(frame, provinces)
        + crosscheck.check_source_ratios(frame, provinces)
    )


def missing_years(
    frame: pd.DataFrame, variables: Iterable[str], years: tuple[int, int], geos: Iterable[str] | None = None
) -> pd.DataFrame:
    """The (variable, geo, year) combinations without a value in ``years`` (first, last), for each variable and
    each geography in ``geos`` (default: every geography that has the variable at all). A variable absent from
    the panel is reported with geo ``"*"`` for every year."""
    first, last = years
    grid = range(first, last + 1)
    rows = []
    known = frame[frame["value"].notna()]
    for variable in variables:
        have = known[known["variable"] == variable]
        places = list(geos) if geos is not None else sorted(have["geo"].unique())
        if have.empty and geos is None:
            rows += [dict(variable=variable, geo="*", year=y) for y in grid]
            continue
        present = set(zip(have["geo"], have["year"], strict=True))
        rows += [dict(variable=variable, geo=g, year=y) for g in places for y in grid if (g, y) not in present]
    return pd.DataFrame(rows, columns=["variable", "geo", "year"])
