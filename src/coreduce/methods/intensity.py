"""Emission intensity, its aggregation over a grouping, deflation, and rates of change.

* Intensity of a unit: ``I = E / Y`` (emissions over GDP), converted to the requested unit with the
  project's pint registry (Mt over 1e8 CNY → t per 1e4 yuan multiplies by 100).
* Intensity of a group of units: ``I_g = Σ_i E_i / Σ_i Y_i`` (ratio of sums, the papers' and the NBS
  convention); the mean of the members' ratios only when asked for (``how="mean_of_ratios"``).
* Constant-price GDP: ``Y_real(t) = Y_nominal(t) · 100 / P_b(t)`` with the deflator rebased so that
  ``P_b(b) = 100`` in the stated base year ``b``.
* Average annual rate of change between years ``t0`` and ``T`` (geometric): ``r = (x_T / x_0)^(1/(T − t0)) − 1``.
* Change over a five-year-plan period: the plan's end year against the year before its start (the 13th
  plan, 2016–2020, compares 2020 with 2015), as in the plans' own targets.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from coreduce.units import UnitError, factor

FIVE_YEAR_PLANS: dict[str, tuple[int, int]] = {
    "11th": (2006, 2010),
    "12th": (2011, 2015),
    "13th": (2016, 2020),
    "14th": (2021, 2025),
}
"""Plan name → (first year, last year)."""

INTENSITY_UNIT = "t / (1e4 CNY)"
"""Unit of CO2 intensity: tonnes per 10^4 yuan (吨/万元), as the papers and the NBS print it."""
POLLUTANT_INTENSITY_UNIT = "kg / (1e4 CNY)"
"""Unit of SO2 and NOx intensity: kilograms per 10^4 yuan (千克/万元)."""


class IntensityError(ValueError):
    """Inputs that would give a wrong intensity or rate (mismatched, non-positive or absent values)."""


def conversion_factor(numerator_unit: str, denominator_unit: str, out_unit: str) -> float:
    """The number ``k`` such that ``(a [numerator_unit]) / (b [denominator_unit]) = k · a/b [out_unit]``.

    Units are read by the project's pint registry (:mod:`coreduce.units`: yuan, tce, kt as kilotonne).
    """
    try:
        return factor(f"({numerator_unit}) / ({denominator_unit})", out_unit)
    except UnitError as exc:
        ratio = f"{numerator_unit} / {denominator_unit}"
        raise IntensityError(f"{ratio} cannot be expressed in {out_unit}: {exc}") from None


def _aligned(emissions: pd.Series, gdp: pd.Series) -> tuple[pd.Series, pd.Series]:
    if not isinstance(emissions, pd.Series) or not isinstance(gdp, pd.Series):
        e, y = np.asarray(emissions, dtype=float), np.asarray(gdp, dtype=float)
        if e.shape != y.shape:
            raise IntensityError(f"emissions has shape {e.shape} but gdp has shape {y.shape}")
        return pd.Series(e), pd.Series(y)
    if not emissions.index.equals(gdp.index):
        if len(emissions) != len(gdp) or not emissions.index.sort_values().equals(gdp.index.sort_values()):
            raise IntensityError(
                f"emissions ({len(emissions)} rows) and gdp ({len(gdp)} rows) are not on the same index; "
                "align them first (e.g. Panel.wide)"
            )
        gdp = gdp.reindex(emissions.index)
    return emissions.astype(float), gdp.astype(float)


def _check_positive(values: pd.Series, name: str) -> None:
    bad = values.index[values.notna() & (values <= 0)]
    if len(bad):
        shown = ", ".join(str(i) for i in list(bad[:5]))
        raise IntensityError(f"{name} must be positive; found {float(values[bad].iloc[0])} at {shown}")


def intensity(
    emissions: pd.Series | Sequence[float],
    gdp: pd.Series | Sequence[float],
    *,
    emissions_unit: str = "Mt",
    gdp_unit: str = "1e8 CNY",
    out_unit: str = INTENSITY_UNIT,
) -> pd.Series:
    """Emissions per unit of GDP, ``E / Y`` in ``out_unit``; NaN where either input is NaN.

    GDP must be positive and emissions non-negative (a clear error names the first offending index).
    """
    e, y = _aligned(emissions, gdp)
    _check_positive(y, "gdp")
    bad = e.index[e.notna() & (e < 0)]
    if len(bad):
        raise IntensityError(f"emissions must not be negative; found {float(e[bad].iloc[0])} at {bad[0]}")
    return (e / y) * conversion_factor(emissions_unit, gdp_unit, out_unit)


def aggregate_intensity(
    frame: pd.DataFrame,
    groups: Mapping[str, Sequence[str]],
    *,
    emissions: str,
    gdp: str,
    how: str = "ratio_of_sums",
    complete: bool = True,
    emissions_unit: str = "Mt",
    gdp_unit: str = "1e8 CNY",
    out_unit: str = INTENSITY_UNIT,
) -> pd.DataFrame:
    """Intensity of each group per year from a (geo, year)-indexed frame with ``emissions`` and ``gdp`` columns.

    ``how="ratio_of_sums"`` (default): ``Σ E_i / Σ Y_i``; ``how="mean_of_ratios"``: mean of ``E_i / Y_i``.
    With ``complete=True`` a group-year in which any member lacks a value is NaN (its ``reason`` says which
    members are absent); with ``complete=False`` the present members are used and ``n_present`` shows how many.
    Returns columns ``group, year, emissions, gdp, intensity, n_members, n_present, reason``.
    """
    if how not in ("ratio_of_sums", "mean_of_ratios"):
        raise IntensityError(f"how must be 'ratio_of_sums' or 'mean_of_ratios', not {how!r}")
    for column in (emissions, gdp):
        if column not in frame.columns:
            raise IntensityError(f"frame has no column {column!r}; columns: {', '.join(map(str, frame.columns))}")
    empty = [g for g, members in groups.items() if len(members) == 0]
    if empty:
        raise IntensityError(f"group(s) with no members: {', '.join(empty)}")
    _check_positive(frame[gdp], gdp)
    factor = conversion_factor(emissions_unit, gdp_unit, out_unit)
    years = sorted(frame.index.get_level_values("year").unique())
    members = pd.DataFrame(
        [(group, geo) for group, geos in groups.items() for geo in dict.fromkeys(geos)], columns=["group", "geo"]
    )
    cells = members.merge(pd.DataFrame({"year": years}), how="cross")
    values = frame[[emissions, gdp]].set_axis(["e", "y"], axis=1).reset_index()[["geo", "year", "e", "y"]]
    cells = cells.merge(values, on=["geo", "year"], how="left")
    cells["valid"] = cells["e"].notna() & cells["y"].notna()
    cells["ratio"] = (cells["e"] / cells["y"]).where(cells["valid"])
    kept = cells[cells["valid"]]
    keys = ["group", "year"]
    out = cells.groupby(keys, sort=False).agg(n_members=("geo", "size"), n_present=("valid", "sum"))
    sums = kept.groupby(keys, sort=False).agg(emissions=("e", "sum"), gdp=("y", "sum"), mean=("ratio", "mean"))
    out = out.join(sums)
    absent = cells[~cells["valid"]].groupby(keys, sort=False)["geo"].agg(lambda g: ", ".join(sorted(g)))
    out["absent"] = absent.reindex(out.index).fillna("")
    value = out["emissions"] / out["gdp"] if how == "ratio_of_sums" else out["mean"]
    out["intensity"] = value * factor
    none = out["n_present"] == 0
    drop = none | (complete & (out["absent"] != ""))
    out.loc[drop, ["emissions", "gdp", "intensity"]] = np.nan
    out["reason"] = np.where(
        drop,
        np.where(out["absent"] != "", "no value for " + out["absent"], "no members with values"),
        np.where(out["absent"] != "", "partial: no value for " + out["absent"], ""),
    )
    out = out.reset_index()
    out["year"] = out["year"].astype(int)
    out["n_present"] = out["n_present"].astype(int)
    columns = ["group", "year", "emissions", "gdp", "intensity", "n_members", "n_present", "reason"]
    return out[columns]


def deflate(nominal: pd.Series, deflator: pd.Series, base_year: int) -> pd.Series:
    """Constant-price series in prices of ``base_year``: ``nominal · 100 / (deflator / deflator[base_year] · 100)``.

    Both series are indexed by year (or by a MultiIndex with a ``year`` level for ``nominal``).
    """
    if base_year not in deflator.index:
        raise IntensityError(
            f"the deflator has no value for base year {base_year}; it covers "
            f"{int(deflator.index.min())}–{int(deflator.index.max())}"
        )
    _check_positive(deflator, "deflator")
    rebased = deflator / deflator.loc[base_year] * 100.0
    years = nominal.index.get_level_values("year") if isinstance(nominal.index, pd.MultiIndex) else nominal.index
    price = rebased.reindex(years).to_numpy()
    return nominal * 100.0 / price


def average_annual_rate(x0: float | np.ndarray, xT: float | np.ndarray, years: float | np.ndarray) -> np.ndarray:
    """Geometric average annual rate of change ``(x_T / x_0)^(1/years) − 1`` (−0.058 is a 5.8 % fall a year).

    Values must be positive and ``years`` > 0; NaN inputs give NaN.
    """
    a, b, n = (np.asarray(v, dtype=float) for v in (x0, xT, years))
    try:
        a, b, n = np.broadcast_arrays(a, b, n)
    except ValueError:
        raise IntensityError(f"x0 {a.shape}, xT {b.shape} and years {n.shape} do not broadcast") from None
    bad = (a <= 0) | (b <= 0)
    if np.any(bad):
        where = tuple(int(v[0]) for v in np.nonzero(bad)) if bad.ndim else ()
        raise IntensityError(
            f"average annual rate needs positive start and end values; found x0 = {a[where]}, xT = {b[where]}"
            + (f" at position {where[0] if len(where) == 1 else where}" if where else "")
        )
    if np.any(n <= 0):
        raise IntensityError("average annual rate needs a positive number of years")
    out = np.power(b / a, 1.0 / n) - 1.0
    return out if out.ndim else out[()]


def series_rate(series: pd.Series, start: int, end: int) -> float:
    """Average annual rate of a year-indexed series between ``start`` and ``end`` (both must be present)."""
    missing = [y for y in (start, end) if y not in series.index or pd.isna(series.loc[y])]
    if missing:
        raise IntensityError(f"series {series.name!r} has no value for {', '.join(map(str, missing))}")
    return float(average_annual_rate(series.loc[start], series.loc[end], end - start))


def plan_period_change(series: pd.Series, plan: str) -> dict[str, float]:
    """Change of a year-indexed series over a five-year plan: its end year against the year before its start.

    Returns ``{"plan", "base_year", "end_year", "base", "end", "change", "annual_rate"}`` where ``change`` is
    the relative change ``end / base − 1`` (a target of "−18 %" is ``change = −0.18``).
    """
    if plan not in FIVE_YEAR_PLANS:
        raise IntensityError(f"unknown plan {plan!r}; known: {', '.join(FIVE_YEAR_PLANS)}")
    first, last = FIVE_YEAR_PLANS[plan]
    base_year = first - 1
    rate = series_rate(series, base_year, last)
    base, end = float(series.loc[base_year]), float(series.loc[last])
    return {
        "plan": plan,
        "base_year": base_year,
        "end_year": last,
        "base": base,
        "end": end,
        "change": end / base - 1.0,
        "annual_rate": rate,
    }
