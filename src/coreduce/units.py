"""Units of the field: a pint registry that knows yuan, coal equivalent, persons and mass of emissions.

Every unit string in the panel and the catalogue parses here. Unit strings may carry a scale factor in front
(``"1e8 CNY"`` = 亿元, ``"1e4 tce"`` = 万吨标准煤, ``"1e4 person"`` = 万人), which is how Chinese statistics
publish them. Definitions added to pint's defaults:

- ``CNY`` (alias ``yuan``): its own dimension ``[currency]``; nominal, so no conversion to other currencies.
- ``person``: dimension ``[population]``.
- ``tce`` (tonne of coal equivalent) = 29.3076 GJ, the Chinese standard coal of 7,000 kcal/kg
  (GB/T 2589-2020 §3.7); ``tce`` therefore converts to any energy unit (``TWh``, ``EJ``…).
- ``kt`` = 1,000 t (pint's default reads ``kt`` as the knot), so emissions in ``kt``/``Mt``/``Gt`` convert as masses.
- ``fraction`` = 1 (a share in 0–1), so ``fraction`` → ``percent`` multiplies by 100.
- ``intl_dollar``: an international (PPP) dollar of a stated year, its own dimension (OWID/Maddison GDP).
- ``index``: a dimensionless index number (e.g. a price deflator, base year = 100); converts to nothing else.

Areas and volumes may be written as in the statistics, ``m3``, ``km2`` (read as ``m**3``, ``km**2``), so the
panel's ``ug/m3`` and ``1e8 m3`` parse.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import pint


@cache
def registry() -> pint.UnitRegistry:
    """The project's pint registry, built on first use (importing pint and parsing its definitions takes about a
    second, which commands that convert no unit should not pay)."""
    import pint

    # "ignore" lets ``kt`` replace the knot's symbol; tests check that every definition took effect.
    ureg = pint.UnitRegistry(on_redefinition="ignore")
    ureg.define("CNY = [currency] = yuan")
    ureg.define("person = [population] = persons")
    ureg.define("tce = 29.3076 * GJ = tonne_coal_equivalent")
    ureg.define("kt = 1e3 * metric_ton")
    ureg.define("fraction = 1")
    ureg.define("index = [index_number]")
    ureg.define("intl_dollar = [international_dollar]")
    ureg.preprocessors.append(lambda text: re.sub(r"\b(k?m)([23])\b", r"\1**\2", text))
    return ureg


def __getattr__(name: str):
    """``ureg`` and ``Q_`` (the registry and its Quantity) as module attributes, built on first use."""
    if name == "ureg":
        return registry()
    if name == "Q_":
        return registry().Quantity
    raise AttributeError(f"module 'coreduce.units' has no attribute {name!r}")


class UnitError(ValueError):
    """A unit string that does not parse, or two units that do not convert into each other."""


@cache
def parse_unit(text: str) -> pint.Quantity:
    """``text`` as a pint quantity of magnitude = its scale factor (``"1e8 CNY"`` → 1e8 CNY)."""
    if not str(text).strip():
        raise UnitError("empty unit string; expected a unit such as 'kt' or '1e8 CNY'")
    import pint

    ureg = registry()
    try:
        parsed = ureg.parse_expression(str(text))
    except (pint.errors.PintError, SyntaxError, TypeError, ValueError, AttributeError) as exc:
        raise UnitError(f"unit {text!r} does not parse: {exc}") from exc
    return parsed if isinstance(parsed, pint.Quantity) else ureg.Quantity(parsed, "")


@cache
def factor(from_unit: str, to_unit: str) -> float:
    """The number that multiplies values in ``from_unit`` to give values in ``to_unit``."""
    import pint

    source, target = parse_unit(from_unit), parse_unit(to_unit)
    try:
        return float(source.to(target.units).magnitude / target.magnitude)
    except pint.errors.DimensionalityError as exc:
        raise UnitError(f"cannot convert {from_unit!r} to {to_unit!r}: {exc}") from exc


def convert(values, from_unit: str, to_unit: str):
    """``values`` (scalar, array or pandas object) expressed in ``to_unit`` instead of ``from_unit``.

    Missing values stay missing; a pandas object keeps its index.
    """
    scale = factor(from_unit, to_unit)
    if hasattr(values, "__array__") or np.isscalar(values):
        return values * scale
    return np.asarray(values, dtype="float64") * scale


__all__ = ["UnitError", "convert", "factor", "parse_unit", "registry"]  # and ureg, Q_ (module __getattr__)
