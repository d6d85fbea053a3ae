"""Co-reduction status of provinces, regions and the nation.

For every unit (31 provinces, the regions of a grouping, China = Σ provinces):

* co-control between ``start`` and ``end`` and year by year: reduction rates of the pollutant and CO2,
  the quadrant of the co-control coordinate system and the co-control elasticity (``methods.cocontrol``),
  for the second pollutant (``nox``) too (columns ``…_<nox>``, table ``yearly_<nox>``);
  Tapio decoupling of CO2 and of the pollutant from GDP over the whole window (``methods.decoupling``);
* coupling coordination of two subsystems, year by year (``methods.coupling``):
  pollution reduction = order degrees of SO2 intensity and NOx intensity (both negative indicators),
  carbon reduction = order degrees of CO2 intensity and CO2 per person (both negative);
  a subsystem's score is the equal-weight mean of its order degrees;
* composite-system synergy of the same two subsystems between the ends of each period
  (``methods.synergy``, subsystem order by geometric mean as in Meng & Han 2000).

Order degrees use bounds pooled over all provinces and years of the window (min and max) by default
(``coupling_bounds``: also by year, or over the logarithms), so regional and national values (ratios of sums,
i.e. weighted means of their members) stay within the bounds.

GDP enters the intensities and the Tapio elasticities at nominal prices by default; ``prices="constant"``
deflates it with the national deflator rebased to ``base_year`` (nominal GDP growth includes inflation and so
makes decoupling look stronger). The table ``intensity`` gives every province's CO2 and pollutant intensity in
the units the papers print (t and kg per 10^4 yuan), at the same prices.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pandas as pd

from coreduce.analysis._aggregate import Inputs, deflated, province_codes, read_inputs
from coreduce.analysis._shared import shared
from coreduce.analysis.co2_series import series_notes
from coreduce.analysis.conventions import PRICE_KEYS, WINDOW, ProvinceConventions, price_keys
from coreduce.conventions import Convention
from coreduce.data.panel import Panel
from coreduce.methods.cocontrol import cocontrol, cocontrol_panel
from coreduce.methods.coupling import coupling_coordination
from coreduce.methods.decoupling import tapio
from coreduce.methods.intensity import INTENSITY_UNIT, POLLUTANT_INTENSITY_UNIT, intensity
from coreduce.methods.synergy import order_degree, subsystem_order, synergy_degree
from coreduce.results import Missing, Note, Result

CARBON_INDICATORS = ("co2_intensity", "co2_per_capita")
CONVENTION_KEYS = (
    "pollutant",
    "nox",
    "co2",
    "population",
    "grouping",
    "membership",
    "tapio_boundary",
    "coupling_form",
    "coupling_bounds",
)
COSTATUS_RULES = (
    Convention("cocontrol", "mao_2012", "Mao et al. (2012)"),
    Convention("coupling_score", "equal_mean"),
    Convention("coupling_weights", "equal"),
    Convention("synergy_order", "geometric_mean", "Meng & Han (2000)"),
)
"""Fixed rules of the co-reduction status, recorded so that the report prints them."""


@dataclass(kw_only=True)
class CostatusResult(Result):
    """Co-control over the window by unit (main table ``window``) and the year-by-year measures."""

    title: ClassVar[str] = "result.costatus"
    main: ClassVar[str] = "window"

    window: pd.DataFrame
    """One row per unit: reduction rates, quadrant, elasticity, Tapio states (and the second pollutant's)."""
    yearly: pd.DataFrame
    """Co-control of the pollutant year by year."""
    yearly_nox: pd.DataFrame
    """Co-control of the second pollutant year by year (empty without one)."""
    coupling: pd.DataFrame
    """Subsystem scores and coupling coordination (C, T, D, band) by unit and year."""
    synergy: pd.DataFrame
    """Composite-system synergy between the ends of each period."""
    bounds: pd.DataFrame
    """The pooled min and max of every order parameter."""
    intensity: pd.DataFrame
    """Provinces' CO2 intensity (t per 10^4 yuan) and pollutant intensity (kg per 10^4 yuan) by year."""


def default_periods(start: int, end: int) -> list[tuple[int, int]]:
    """The five-year-plan periods (year before start → end year) that lie inside the window, else the window."""
    spans = [(b, b + 5) for b in (2005, 2010, 2015, 2020) if start <= b and b + 5 <= end]
    return spans or [(start, end)]


def _levelled(frame: pd.DataFrame, levels: dict[str, str]) -> pd.DataFrame:
    frame.insert(0, "level", frame["geo"].map(levels))
    return frame


def _clipped(values: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """``values`` with each column held within its bounds, as ``DataFrame.clip(lower, upper, axis=1)`` (NaN
    values stay NaN, a NaN bound does not clip): regions and the nation are ratios of sums, inside their members'
    bounds up to rounding, which this takes away."""
    low = np.where(np.isnan(lower), -np.inf, lower)
    high = np.where(np.isnan(upper), np.inf, upper)
    values = np.where(values < low, low, values)
    return np.where(values > high, high, values)


def _order_degrees(frame: pd.DataFrame, c: ProvinceConventions, pollution: list[str]):
    """Indicators, order degrees (all negative, between the province bounds of ``coupling_bounds``) and the
    subsystems' indicator names.

    ``pooled``: min and max over every province and year; ``yearly``: over the provinces of each year;
    ``log``: pooled over the logarithms of the indicators (for right-skewed indicators, whose few extreme provinces
    otherwise push every other province towards an order degree of 1; Nardo et al. 2008, normalisation)."""
    ind = pd.DataFrame(index=frame.index)
    for var in pollution:
        ind[f"{var}_intensity"] = frame[var] / frame[c.gdp]
    ind["co2_intensity"] = frame[c.co2] / frame[c.gdp]
    ind["co2_per_capita"] = frame[c.co2] / frame[c.population]
    if c.coupling_bounds == "log":
        if (ind <= 0).any().any():
            column = ind.columns[(ind <= 0).any()][0]
            raise ValueError(f"coupling_bounds='log' needs positive indicators; {column} has zero or negative values")
        ind = np.log(ind)
    groups = [ind] if c.coupling_bounds != "yearly" else [part for _, part in ind.groupby(level="year")]
    degrees, bounds = [], []
    for part in groups:
        prov = part.loc[part.index.get_level_values("geo").isin(province_codes())]
        lower, upper = prov.min().to_numpy(), prov.max().to_numpy()
        inside = _clipped(part.to_numpy(), lower, upper)
        values = order_degree(inside, lower=lower, upper=upper, positive=[False] * ind.shape[1])
        degrees.append(pd.DataFrame(values, index=part.index, columns=ind.columns))
        year = int(part.index.get_level_values("year")[0]) if c.coupling_bounds == "yearly" else "all"
        bounds.append(pd.DataFrame({"indicator": ind.columns, "year": year, "lower": lower, "upper": upper}))
    u = pd.concat(degrees).reindex(ind.index)
    subsystems = {"pollution": tuple(f"{v}_intensity" for v in pollution), "carbon": CARBON_INDICATORS}
    bounds = pd.concat(bounds, ignore_index=True).assign(scale=c.coupling_bounds, direction="negative")
    return u, subsystems, bounds


def _coupling(u: pd.DataFrame, subsystems: dict, form: str, levels: dict[str, str]) -> pd.DataFrame:
    scores = pd.DataFrame(
        {name: subsystem_order(u[list(cols)].to_numpy(), combine="weighted") for name, cols in subsystems.items()},
        index=u.index,
    )
    coupling = pd.concat([scores, coupling_coordination(scores, form=form)], axis=1).reset_index()
    return _levelled(coupling, levels)


def _window(frame: pd.DataFrame, c: ProvinceConventions, nox: str | None, levels: dict[str, str]) -> pd.DataFrame:
    """Co-control and Tapio decoupling between the first and last year of the window."""
    first, last = frame.xs(c.start, level="year"), frame.xs(c.end, level="year")
    p, co2, gdp = c.pollutant, c.co2, c.gdp
    window = cocontrol(first[p], last[p], first[co2], last[co2])
    carbon = tapio(first[co2], last[co2], first[gdp], last[gdp], boundary=c.tapio_boundary)
    dirty = tapio(first[p], last[p], first[gdp], last[gdp], boundary=c.tapio_boundary)
    window["tapio_co2"] = carbon["state"]
    window["tapio_co2_elasticity"] = carbon["elasticity"]
    window[f"tapio_{p}"] = dirty["state"]
    if nox:
        second = cocontrol(first[nox], last[nox], first[co2], last[co2])
        for column in ("reduction_pollutant", "elasticity", "quadrant", "label_zh"):
            window[f"{column.replace('_pollutant', '')}_{nox}"] = second[column]
    window = _levelled(window.reset_index(), levels)
    window.insert(2, "start", c.start)
    window.insert(3, "end", c.end)
    return window


def _synergy(u: pd.DataFrame, subsystems: dict, periods: list, levels: dict[str, str]) -> pd.DataFrame:
    """Synergy between the ends of each period (subsystem order = geometric mean of order degrees)."""
    order = pd.DataFrame(
        {name: subsystem_order(u[list(cols)].to_numpy()) for name, cols in subsystems.items()}, index=u.index
    )
    parts = []
    for a, b in periods:
        u0 = order.xs(a, level="year")
        u1 = order.xs(b, level="year").reindex(u0.index)
        parts.append(
            pd.DataFrame(
                {
                    "geo": u0.index,
                    "start": a,
                    "end": b,
                    "pollution_u0": u0["pollution"].to_numpy(),
                    "pollution_u1": u1["pollution"].to_numpy(),
                    "carbon_u0": u0["carbon"].to_numpy(),
                    "carbon_u1": u1["carbon"].to_numpy(),
                    "synergy": synergy_degree(u0.to_numpy(), u1.to_numpy()),
                }
            )
        )
    return _levelled(pd.concat(parts, ignore_index=True), levels)


def _intensity(panel: Panel, data: Inputs, c: ProvinceConventions) -> pd.DataFrame:
    """Every province's CO2 and pollutant intensity per year in the papers' units (GDP at the conventions' prices)."""
    frame = data.provincial
    gdp_unit = panel.unit_of(c.gdp)
    out = pd.DataFrame(index=frame.index)
    for column, var, unit in (
        ("co2_intensity", c.co2, INTENSITY_UNIT),
        ("pollutant_intensity", c.pollutant, POLLUTANT_INTENSITY_UNIT),
    ):
        out[column] = intensity(
            frame[var], frame[c.gdp], emissions_unit=panel.unit_of(var), gdp_unit=gdp_unit, out_unit=unit
        )
    return out.reset_index()


def _second_pollutant(panel: Panel, c: ProvinceConventions) -> tuple[str | None, list[Missing]]:
    """The second pollutant of the pollution subsystem, or None (same as the first, or absent: recorded)."""
    if c.nox == c.pollutant:
        return None, []
    if c.nox not in panel.variables:
        return None, [Missing.of(c.nox, "all", f"{c.start}–{c.end}", "missing.pollutant_only")]
    return c.nox, []


def costatus(
    panel: Panel, conventions: ProvinceConventions | None = None, *, coupling_only: bool = False
) -> CostatusResult:
    """Co-control, decoupling, coupling coordination and synergy of pollution and carbon reduction.

    ``pollutant`` is the pollutant of the co-control measures and the first order parameter of the
    pollution-reduction subsystem; ``nox`` the second (the same series as ``pollutant``, or a series the panel
    lacks, leaves the subsystem with one parameter, which is recorded). ``synergy_periods`` (empty: the
    five-year-plan periods inside the window) are the periods of the synergy degree. ``coupling_only``: only
    ``coupling`` and ``bounds`` are computed and the other tables are left empty, for analyses that use the
    coupling coordination degree alone (a regression's outcome, the saturation of its scale).
    """
    c = conventions or ProvinceConventions()
    keys = (*WINDOW, *PRICE_KEYS, *CONVENTION_KEYS, "synergy_periods")
    name = "costatus.coupling" if coupling_only else "costatus"
    return shared(name, panel, c, keys, lambda: _costatus(panel, c, coupling_only))


INPUT_KEYS = (*WINDOW, *PRICE_KEYS, "pollutant", "nox", "co2", "population", "grouping", "membership")
"""The conventions the inputs of the co-reduction status depend on: not the coupling, Tapio or synergy choices,
so the variants of those (the NQPF-effect robustness checks, the saturation table) read and sum the series once."""


def _inputs(panel: Panel, c: ProvinceConventions) -> tuple[Inputs, pd.DataFrame, str | None]:
    """The provinces' series over the window with GDP at the conventions' prices, the frame of provinces,
    regions and the nation, and the second pollutant (None without one)."""
    c.require_span()
    nox, absent = _second_pollutant(panel, c)
    data = read_inputs(panel, c, [c.pollutant, *([nox] if nox else []), c.co2, c.gdp, c.population])
    data.missing[:0] = absent
    data.provincial[c.gdp] = deflated(data.provincial, c.gdp, data.real)
    return data, pd.concat([data.provincial, data.regions(c.membership)]), nox


def _costatus(panel: Panel, c: ProvinceConventions, coupling_only: bool = False) -> CostatusResult:
    data, frame, nox = shared("costatus.inputs", panel, c, INPUT_KEYS, lambda: _inputs(panel, c))
    pollution = [c.pollutant, *([nox] if nox else [])]
    periods = [tuple(p) for p in c.synergy_periods] or default_periods(c.start, c.end)
    levels = data.levels()
    u, subsystems, bounds = _order_degrees(frame, c, pollution)
    if coupling_only:
        tables = {name: pd.DataFrame() for name in ("window", "yearly", "yearly_nox", "synergy", "intensity")}
    else:
        tables = {
            "window": _window(frame, c, nox, levels),
            "yearly": _levelled(cocontrol_panel(frame, pollutant=c.pollutant, co2=c.co2), levels),
            "yearly_nox": _levelled(cocontrol_panel(frame, pollutant=nox, co2=c.co2), levels)
            if nox
            else pd.DataFrame(),
            "synergy": _synergy(u, subsystems, periods, levels),
            "intensity": _intensity(panel, data, c),
        }
    return CostatusResult(
        **tables,
        coupling=_coupling(u, subsystems, c.coupling_form, levels),
        bounds=bounds,
        conventions=(
            *c.used(*WINDOW, *price_keys(c), *CONVENTION_KEYS),
            Convention("synergy_periods", tuple(periods)),
            *COSTATUS_RULES,
        ),
        notes=_notes(c),
        missing=tuple(data.missing),
        sources=panel.attribution([*pollution, c.co2, c.gdp, c.population, *c.price_series()]),
    )


def _notes(c: ProvinceConventions) -> tuple[Note, ...]:
    notes = [Note.of("note.costatus.provincial_sums")]
    if c.coupling_form == "standard":
        notes.append(Note.of("note.costatus.standard_coupling"))
    if not c.constant:
        notes.append(Note.of("note.costatus.nominal_tapio"))
    return (*notes, *series_notes(c.co2))
