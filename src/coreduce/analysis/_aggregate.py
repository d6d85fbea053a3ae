"""Shared steps of the province analyses: reading series from the panel, the price factor, and summing members
into regions. Every absence becomes a :class:`~coreduce.results.Missing` record (message key and parameters)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from coreduce.analysis.conventions import MEMBERSHIP, ProvinceConventions
from coreduce.data.panel import Panel
from coreduce.geo import NATIONAL_CODE, Grouping, load_grouping, provinces
from coreduce.methods.intensity import IntensityError, deflate
from coreduce.results import Missing, Note, year_span

LEVELS = ("province", "region", "nation")


def province_codes() -> list[str]:
    return [p.code for p in provinces()]


def wide(panel: Panel, variables: Sequence[str], geos: Iterable[str], start: int, end: int) -> pd.DataFrame:
    """(geo, year) × variable values for every geo and year of the window (absent combinations are NaN)."""
    geos = list(geos)
    table = panel.wide(list(variables), geos)
    full = pd.MultiIndex.from_product([geos, range(start, end + 1)], names=["geo", "year"])
    return table.reindex(full)


def years_by_geo(flags: pd.Series) -> list[tuple[str, list[int]]]:
    """(geo, years flagged) of each geo with a flag in a (geo, year)-indexed boolean series, geos sorted (as
    ``groupby(level="geo")``), years in the series' order; geos without a flag are left out."""
    hit = flags.index[flags.to_numpy(dtype=bool)]
    found: dict[str, list[int]] = {}
    for geo, year in zip(hit.get_level_values("geo"), hit.get_level_values("year"), strict=True):
        found.setdefault(geo, []).append(year)
    return sorted(found.items())


def gaps(frame: pd.DataFrame, label: str | None = None, reason: str = "missing.not_in_panel") -> list[Missing]:
    """One :class:`Missing` per column and geo of a (geo, year) × variable frame: the years that are NaN."""
    return [
        Missing.of(label or column, geo, year_span(years), reason)
        for column in frame.columns
        for geo, years in years_by_geo(frame[column].isna())
    ]


def group_sums(
    frame: pd.DataFrame,
    groups: Mapping[str, Sequence[str]],
    *,
    membership: str = "all",
    label: str | None = None,
) -> tuple[pd.DataFrame, list[Missing]]:
    """Sum the columns of a (geo, year) frame over the members of each group.

    ``membership="all"``: a group-year is NaN unless every member has every column that year.
    ``membership="covered"``: a member that has no value of some column in any year of the frame (a series that
    does not cover it, e.g. CEADs and Tibet) is left out of the group for the whole window; among the others, a
    group-year is NaN unless every member has every column that year (as ``all``).
    ``membership="complete_members"``: a member without every column in every year of the frame is left
    out of the group for the whole window (so that the group's make-up does not change between years).
    Returns the (group, year) × column sums and the records of what was absent or left out (parameter
    ``members``: the province codes).

    Every group is read in one reindex and summed in one ``groupby``: each group-year adds its members' values in
    the members' order, as a sum group by group would.
    """
    if membership not in MEMBERSHIP:
        raise ValueError(f"membership must be one of {MEMBERSHIP}, not {membership!r}")
    empty = [g for g, members in groups.items() if not members]
    if empty:
        raise ValueError(f"group(s) with no members: {', '.join(empty)}")
    years = sorted(frame.index.get_level_values("year").unique())
    series = label or ", ".join(frame.columns)
    members = [list(m) for m in groups.values()]
    geos = [geo for part in members for geo in part]
    block = frame.reindex(pd.MultiIndex.from_product([geos, years], names=["geo", "year"]))
    present = block.notna().to_numpy().reshape(len(geos), len(years), block.shape[1])
    counted = np.zeros((len(geos), len(years)), dtype=bool)  # member-years that enter their group's sum
    blank, missing, first = [], [], 0
    for group, part in zip(groups, members, strict=True):
        have = present[first : first + len(part)]
        kept, more = _members_kept(have, part, membership, series, group, years)
        complete = have.all(axis=2)  # member × year: every column present
        bad = [y for y, ok in zip(years, complete[kept].all(axis=0), strict=True) if not ok]
        if bad:
            absent = sorted({g for g, k, c in zip(part, kept, complete, strict=True) if k and not c.all()})
            more.append(
                Missing.of(series, group, year_span(bad), "missing.region_not_formed", members=", ".join(absent))
            )
        missing += more
        counted[first : first + len(part)] = kept[:, None]
        blank += [(group, y) for y in bad]
        first += len(part)
    rows = counted.ravel()
    labels = np.repeat(np.repeat(list(groups), [len(p) for p in members]), len(years))
    keys = [labels[rows], block.index.get_level_values("year").to_numpy()[rows]]  # arrays: no label lookup
    sums = block[rows].groupby(keys, sort=False).sum(min_count=1)
    out = sums.reindex(pd.MultiIndex.from_product([list(groups), years], names=["geo", "year"]))
    if blank:
        out.loc[blank] = float("nan")
    return out, missing


def _members_kept(
    have: np.ndarray, members: list[str], membership: str, series: str, group: str, years: list
) -> tuple[np.ndarray, list[Missing]]:
    """Which members (rows of ``have``: member × year × column, True where present) count in the group, and the
    record of those left out: ``covered`` keeps members with some value of every column, ``complete_members``
    those with every value, ``all`` every member."""
    if membership == "all":
        return np.ones(len(members), dtype=bool), []
    kept = have.any(axis=1).all(axis=1) if membership == "covered" else have.all(axis=(1, 2))
    dropped = sorted({g for g, k in zip(members, kept, strict=True) if not k})
    reason = "missing.not_covered" if membership == "covered" else "missing.left_out"
    return kept, [Missing.of(series, group, year_span(years), reason, members=", ".join(dropped))] if dropped else []


def price_factor(panel: Panel, conventions: ProvinceConventions) -> tuple[pd.Series, list[Missing]]:
    """Per-year factor turning nominal GDP into the conventions' prices, and the records of absent years.

    ``prices="nominal"``: factor 1. ``prices="constant"``: ``100 / P_b(t)`` with the national ``deflator``
    rebased to ``P_b(base_year) = 100`` (``methods.intensity.deflate``), applied to every province; years
    without a deflator value get NaN and one :class:`Missing` record.
    """
    c = conventions
    years = pd.Index(c.years, name="year")
    if not c.constant:
        return pd.Series(1.0, index=years), []
    index = panel.series(c.deflator, [NATIONAL_CODE]).set_index("year")["value"].dropna()
    if index.empty:
        raise ValueError(f"{c.deflator} has no national ({NATIONAL_CODE}) values")
    try:
        factor = deflate(pd.Series(1.0, index=years), index, c.base_year)
    except IntensityError as exc:
        raise ValueError(f"{c.deflator}: {exc}") from None
    absent = [y for y in years if y not in index.index]
    missing = [Missing.of(c.deflator, NATIONAL_CODE, year_span(absent), "missing.no_deflator")] if absent else []
    return factor, missing


def deflator_notes(panel: Panel, conventions: ProvinceConventions) -> list[Note]:
    """At constant prices, a note naming the deflator's years in the window that are not reported values (e.g.
    the 2020–2022 link of ``gdp_deflator`` to the NBS regional accounts), with their status and source."""
    c = conventions
    if not c.constant:
        return []
    rows = panel.series(c.deflator, [NATIONAL_CODE])
    rows = rows[rows["year"].between(c.start, c.end) & (rows["status"].astype(str) != "reported")]
    return [
        Note.of("note.prices.deflator_status", series=c.deflator, years=year_span(part["year"]), status=status,
                source=str(part["source"].iloc[0]))
        for status, part in rows.groupby(rows["status"].astype(str))
    ]  # fmt: skip


@dataclass
class Inputs:
    """What every province analysis starts from: the provinces' series over the window, GDP already in the
    conventions' prices, the grouping, the per-year price factor and the records of absent values."""

    provincial: pd.DataFrame
    groups: Grouping
    real: pd.Series
    missing: list[Missing]

    def regions(self, membership: str, label: str | None = None) -> pd.DataFrame:
        """Sums over the members of each region and over the 31 provinces (the nation), records added."""
        regional, absent = group_sums(self.provincial, self.groups.groups, membership=membership, label=label)
        national, more = group_sums(
            self.provincial, {NATIONAL_CODE: province_codes()}, membership=membership, label=label
        )
        self.missing += absent + more
        return pd.concat([regional, national])

    def levels(self) -> dict[str, str]:
        """Geo code → ``province``, ``region`` or ``nation``."""
        return {
            **{c: "province" for c in province_codes()},
            **{g: "region" for g in self.groups.groups},
            NATIONAL_CODE: "nation",
        }


def read_inputs(panel: Panel, conventions: ProvinceConventions, variables: Sequence[str]) -> Inputs:
    """Check the panel has ``variables`` (and the deflator at constant prices), read them for the 31 provinces
    over the window, and record the gaps and the years without a deflator."""
    c = conventions
    variables = list(dict.fromkeys(variables))
    panel.require([*variables, *c.price_series()])
    real, missing = price_factor(panel, c)
    provincial = wide(panel, variables, province_codes(), c.start, c.end)
    return Inputs(provincial, load_grouping(c.grouping), real, gaps(provincial) + missing)


def deflated(frame: pd.DataFrame, column: str, real: pd.Series) -> pd.Series:
    """``frame[column]`` times the price factor of each row's year (constant prices; nominal: unchanged)."""
    return frame[column] * real.reindex(frame.index.get_level_values("year")).to_numpy()
