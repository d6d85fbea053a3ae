"""Unit conversion of activity × factor to kilograms, through a fuel's heat content where energy meets mass.

``kg per (1 activity unit × 1 factor unit)`` is pint's conversion of ``unit_activity × unit_factor`` (``GJ × kg/GJ``
= 1, ``MWh × kg/kWh`` = 1000, ``t*km × kg/(t*km)`` = 1). When the two differ by energy vs mass/volume (tonnes of
coal × a per-GJ factor) the fuel's net calorific value bridges them (:data:`DEFAULT_HEAT_CONTENT`).
"""

from __future__ import annotations

from functools import cache

import pint

from coreduce.units import UnitError, parse_unit

# Average net calorific values, China Energy Statistical Yearbook, appendix "reference coefficients for converting
# energy to standard coal" (raw coal 20,908 kJ/kg, coke 28,435, fuel oil 41,816, gasoline 43,070, diesel 42,652
# kJ/kg, natural gas 38,931 kJ/m3). Used only where a row's unit and a factor's unit differ by energy vs mass/volume.
DEFAULT_HEAT_CONTENT = {
    "hard_coal": "20.908 GJ/t",
    "coal": "20.908 GJ/t",
    "coal_coke": "28.435 GJ/t",
    "heavy_oil": "41.816 GJ/t",
    "light_oil": "43.070 GJ/t",
    "diesel_oil": "42.652 GJ/t",
    "natural_gas": "38.931 MJ/m**3",
}
HEAT_CONTENT_SOURCE = "China Energy Statistical Yearbook, appendix: reference coefficients to standard coal (NCV)"


@cache
def to_kg(activity_unit: str, factor_unit: str, heat: str | None = None) -> tuple[float, bool] | None:
    """(kg per 1 activity_unit × 1 factor_unit, whether the heat content was needed), or None when no mass results.

    Tried in order: ``activity × factor``; with ``heat`` (e.g. ``"20.908 GJ/t"``): ``activity × heat × factor``
    (tonnes of coal × per-GJ factor) and ``activity ÷ heat × factor`` (GJ of coal × per-tonne factor).
    """
    try:
        a, f = parse_unit(activity_unit), parse_unit(factor_unit)
        h = parse_unit(heat) if heat else None
    except UnitError:
        return None
    tries = [(a * f, False)] + ([(a * h * f, True), (a / h * f, True)] if h is not None else [])
    for quantity, via in tries:
        try:
            return float(quantity.to("kg").magnitude), via
        except pint.errors.DimensionalityError:
            continue
    return None


def convert_quantity(quantity: float, unit: str, target: str, fuel: str, heat_content: dict | None = None) -> float:
    """``quantity`` in ``unit`` expressed in ``target``, through the fuel's heat content when energy meets mass.

    Raises :class:`~coreduce.units.UnitError` when neither a direct nor a heat-content conversion exists.
    """
    heat = (DEFAULT_HEAT_CONTENT if heat_content is None else heat_content).get(fuel)
    q, t = parse_unit(unit), parse_unit(target)
    tries = [q] + ([q * parse_unit(heat), q / parse_unit(heat)] if heat else [])
    for candidate in tries:
        try:
            return quantity * float(candidate.to(t.units).magnitude / t.magnitude)
        except pint.errors.DimensionalityError:
            continue
    raise UnitError(f"{unit!r} does not convert to {target!r}" + ("" if heat else f" (no heat content for {fuel!r})"))


def heat_of(row: dict, heat_content: dict | None) -> str | None:
    """The net calorific value of a fuel row (None for other rows or fuels without one)."""
    if row["activity_type"] != "fuel":
        return None
    return (DEFAULT_HEAT_CONTENT if heat_content is None else heat_content).get(row["fuel"])
