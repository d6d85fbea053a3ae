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

Importing pint and building the registry takes about half a second, which a command that converts two or three
units (``coreduce trends``) should not pay each time: every factor pint computes is also kept in a small JSON
file in the user's data directory, named by a digest of pint's version and the definitions above, and a later
process reads the factor from there without importing pint (a new pint or a changed definition starts a new
file).
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import pint

DEFINITIONS = (
    "CNY = [currency] = yuan",
    "person = [population] = persons",
    "tce = 29.3076 * GJ = tonne_coal_equivalent",
    "kt = 1e3 * metric_ton",
    "fraction = 1",
    "index = [index_number]",
    "intl_dollar = [international_dollar]",
)
SQUARE_CUBE = (r"\b(k?m)([23])\b", r"\1**\2")
"""``m3`` → ``m**3``, ``km2`` → ``km**2``."""


@cache
def registry() -> pint.UnitRegistry:
    """The project's pint registry, built on first use (importing pint and parsing its definitions takes about
    half a second, which commands that convert no unit should not pay)."""
    import pint

    # "ignore" lets ``kt`` replace the knot's symbol; tests check that every definition took effect.
    ureg = pint.UnitRegistry(on_redefinition="ignore")
    for definition in DEFINITIONS:
        ureg.define(definition)
    ureg.preprocessors.append(lambda text: re.sub(*SQUARE_CUBE, text))
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


def _factor_file() -> Path:
    """The JSON file of factors computed by this pint version with these definitions."""
    from coreduce.paths import user_dir

    recipe = json.dumps([version("pint"), DEFINITIONS, SQUARE_CUBE])
    return user_dir() / "cache" / f"unit-factors-{hashlib.sha256(recipe.encode()).hexdigest()[:16]}.json"


@cache
def _stored_factors() -> dict[str, float]:
    """Factors kept by earlier processes (empty when the file is absent or unreadable)."""
    try:
        stored = json.loads(_factor_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: v for k, v in stored.items() if isinstance(v, float)} if isinstance(stored, dict) else {}


def _keep_factor(key: str, value: float) -> None:
    """Add a factor to the file (atomically; a folder that cannot be written only loses the speed-up)."""
    from coreduce.fileio import atomic_write

    stored = _stored_factors()
    stored[key] = value
    try:
        path = _factor_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_write(path) as tmp:
            tmp.write_text(json.dumps(stored, sort_keys=True), encoding="utf-8")
    except (OSError, ValueError):
        pass


@cache
def factor(from_unit: str, to_unit: str) -> float:
    """The number that multiplies values in ``from_unit`` to give values in ``to_unit`` (computed by pint, or
    read from the factors pint computed in an earlier process)."""
    key = json.dumps([str(from_unit), str(to_unit)])
    stored = _stored_factors().get(key)
    if stored is not None:
        return stored
    import pint

    source, target = parse_unit(from_unit), parse_unit(to_unit)
    try:
        value = float(source.to(target.units).magnitude / target.magnitude)
    except pint.errors.DimensionalityError as exc:
        raise UnitError(f"cannot convert {from_unit!r} to {to_unit!r}: {exc}") from exc
    _keep_factor(key, value)
    return value


def convert(values, from_unit: str, to_unit: str):
    """``values`` (scalar, array or pandas object) expressed in ``to_unit`` instead of ``from_unit``.

    Missing values stay missing; a pandas object keeps its index.
    """
    scale = factor(from_unit, to_unit)
    if hasattr(values, "__array__") or np.isscalar(values):
        return values * scale
    return np.asarray(values, dtype="float64") * scale


__all__ = ["UnitError", "convert", "factor", "parse_unit", "registry"]  # and ureg, Q_ (module __getattr__)
