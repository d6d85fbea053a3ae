"""Shared steps of the analyses: reading series from the panel and summing members into regions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from coreduce.analysis.results import year_span
from coreduce.data.panel import Panel
from coreduce.geo import NATIONAL_CODE, Grouping, load_grouping, provinces
from coreduce.methods.intensity import IntensityError, deflate

MEMBERSHIP = ("all", "complete_members")
PRICES = ("nominal", "constant")


def province_codes() -> list[str]:
    return [p.code for p in provinces()]


def resolve_grouping(grouping: str | Grouping) -> Grouping:
    return grouping if isinstance(grouping, Grouping) else load_grouping(grouping)


def wide(panel: Panel, variables: Sequence[str], geos: Iterable[str], start: int, end: int) -> pd.DataFrame:
    """(geo, year) × variable values for every geo and year of the window (absent combinations are NaN)."""
    geos = list(geos)
    table = panel.wide(list(variables), geos)
    full = pd.MultiIndex.from_product([geos, range(start, end + 1)], names=["geo", "year"])
    return table.reindex(full)


def gaps(frame: pd.DataFrame, label: str | None = None) -> list[dict]:
    """``missing`` rows (series, geo, years, reason) for every NaN of a (geo, year) × variable frame."""
    rows = []
    for column in frame.columns:
        absent = frame[column].isna()
        if not absent.any():
            continue
        for geo, part in absent[absent].groupby(level="geo"):
            years = part.index.get_level_values("year")
            rows.append({"series": label or column, "geo": geo, "years": year_span(years), "reason": "not in panel"})
    return rows


def group_sums(
    frame: pd.DataFrame,
    groups: Mapping[str, Sequence[str]],
    *,
    membership: str = "all",
    label: str | None = None,
) -> tuple[pd.DataFrame, list[dict]]:
    """Sum the columns of a (geo, year) frame over the members of each group.

    ``membership="all"``: a group-year is NaN unless every member has every column that year.
    ``membership="complete_members"``: a member without every column in every year of the frame is left
    out of the group for the whole window (so that the group's make-up does not change between years).
    Returns the (group, year) × column sums and ``missing`` rows naming what was absent or left out.
    """
    if membership not in MEMBERSHIP:
        raise ValueError(f"membership must be one of {MEMBERSHIP}, not {membership!r}")
    empty = [g for g, members in groups.items() if not members]
    if empty:
        raise ValueError(f"group(s) with no members: {', '.join(empty)}")
    years = sorted(frame.index.get_level_values("year").unique())
    out, missing = [], []
    for group, members in groups.items():
        block = frame.reindex(pd.MultiIndex.from_product([list(members), years], names=["geo", "year"]))
        complete_rows = block.notna().all(axis=1)
        if membership == "complete_members":
            keep = complete_rows.groupby(level="geo").all()
            dropped = sorted(keep.index[~keep])
            if dropped:
                missing.append(
                    {
                        "series": label or ", ".join(frame.columns),
                        "geo": group,
                        "years": year_span(years),
                        "reason": f"left out of the region (incomplete data): {', '.join(dropped)}",
                    }
                )
            kept = keep.index[keep]
            sums = block.loc[block.index.get_level_values("geo").isin(kept)].groupby(level="year").sum(min_count=1)
            sums = sums.reindex(years)
            if kept.empty:
                sums[:] = float("nan")
        else:
            sums = block.groupby(level="year").sum(min_count=1)
            incomplete = (~complete_rows).groupby(level="year").any()
            bad_years = list(incomplete.index[incomplete])
            sums.loc[bad_years] = float("nan")
            if bad_years:
                absent = sorted(set(complete_rows.index[~complete_rows].get_level_values("geo")))
                missing.append(
                    {
                        "series": label or ", ".join(frame.columns),
                        "geo": group,
                        "years": year_span(bad_years),
                        "reason": f"region total not formed: no value for {', '.join(absent)}",
                    }
                )
        sums.index = pd.MultiIndex.from_product([[group], sums.index], names=["geo", "year"])
        out.append(sums)
    return pd.concat(out), missing


def price_factor(
    panel: Panel, start: int, end: int, *, prices: str, base_year: int, deflator: str, gdp: str
) -> tuple[pd.Series, list[dict], str]:
    """Per-year factor turning nominal GDP into the requested prices, the ``missing`` rows and the convention text.

    ``prices="nominal"``: factor 1. ``prices="constant"``: ``100 / P_b(t)`` with the national ``deflator``
    rebased to ``P_b(base_year) = 100`` (``methods.intensity.deflate``), applied to every province; years
    without a deflator value get NaN and one ``missing`` row.
    """
    if prices not in PRICES:
        raise ValueError(f"prices must be one of {PRICES}, not {prices!r}")
    years = pd.Index(range(start, end + 1), name="year")
    unit = panel.unit_of(gdp)
    if prices == "nominal":
        return pd.Series(1.0, index=years), [], f"nominal {gdp} ({unit})"
    index = panel.series(deflator, [NATIONAL_CODE]).set_index("year")["value"].dropna()
    if index.empty:
        raise ValueError(f"{deflator} has no national ({NATIONAL_CODE}) values")
    try:
        factor = deflate(pd.Series(1.0, index=years), index, base_year)
    except IntensityError as exc:
        raise ValueError(f"{deflator}: {exc}") from None
    absent = [y for y in years if y not in index.index]
    missing = []
    if absent:
        missing.append(
            {
                "series": deflator,
                "geo": NATIONAL_CODE,
                "years": year_span(absent),
                "reason": "no deflator value: constant-price GDP and the measures that use it not formed",
            }
        )
    rule = (
        f"{gdp} ({unit}) in constant {base_year} prices: every province deflated with the national {deflator} "
        f"rebased to {base_year} = 100"
    )
    return factor, missing, rule
