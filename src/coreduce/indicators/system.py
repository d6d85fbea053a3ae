"""Indicator systems as data: a TOML file of dimensions and indicators, loaded and checked.

File layout (see ``nqpf_default.toml``)::

    name = "nqpf_default"
    title = "New quality productive forces — three dimensions"
    missing = ["labour productivity (GDP per employed person): no employment series", ...]

    [[dimensions]]
    key = "technology"
    name_en = "Technological progress"
    name_zh = "科技创新"

    [[indicators]]
    key = "rd_intensity"
    dimension = "technology"
    formula = "rd_expenditure / gdp"     # or: variable = "coal_share"
    direction = "+"                       # "+" larger is better, "-" smaller is better
    label_en = "R&D expenditure / GDP"
    label_zh = "R&D经费投入强度"
    weight = 0.1                          # optional; all indicators or none

Errors name the file, the indicator (or dimension) and the field.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

import pandas as pd

from coreduce.indicators.formula import FormulaError, evaluate, variables

BUILTIN = {"default": "nqpf_default.toml", "nqpf_default": "nqpf_default.toml", "long": "nqpf_long.toml"}
BUILTIN["nqpf_long"] = "nqpf_long.toml"


class IndicatorSystemError(ValueError):
    """An indicator system file that is malformed, or that needs a variable the panel lacks."""


@dataclass(frozen=True)
class Dimension:
    key: str
    name_en: str
    name_zh: str = ""


@dataclass(frozen=True)
class Indicator:
    key: str
    dimension: str
    formula: str
    direction: int
    label_en: str = ""
    label_zh: str = ""
    unit: str = ""
    weight: float | None = None

    @property
    def variables(self) -> list[str]:
        return variables(self.formula, where=f"indicator {self.key!r}")


@dataclass(frozen=True)
class IndicatorSystem:
    name: str
    title: str
    dimensions: tuple[Dimension, ...]
    indicators: tuple[Indicator, ...]
    missing: tuple[str, ...] = ()
    origin: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def variables(self) -> list[str]:
        """Every panel variable the system needs, in order of first use."""
        return list(dict.fromkeys(v for ind in self.indicators for v in ind.variables))

    @property
    def fixed_weights(self) -> pd.Series | None:
        """The weights given in the file (all indicators), or None."""
        if self.indicators[0].weight is None:
            return None
        return pd.Series({i.key: i.weight for i in self.indicators}, dtype=float)

    def dimension_of(self) -> dict[str, str]:
        return {i.key: i.dimension for i in self.indicators}

    def directions(self) -> dict[str, int]:
        return {i.key: i.direction for i in self.indicators}

    def check_variables(self, available) -> None:
        """Raise naming the first indicator whose formula needs a variable not in ``available``."""
        have = set(available)
        for ind in self.indicators:
            absent = [v for v in ind.variables if v not in have]
            if absent:
                raise IndicatorSystemError(
                    f"{self.origin}: indicator {ind.key!r} ({ind.formula}) needs variable(s) {', '.join(absent)} "
                    "that the panel does not have"
                )

    def evaluate(self, wide: pd.DataFrame) -> pd.DataFrame:
        """Indicator values (one column per indicator) from a wide (geo, year) × variable frame."""
        self.check_variables(wide.columns)
        out = {}
        for ind in self.indicators:
            try:
                out[ind.key] = evaluate(ind.formula, wide, where=f"{self.origin}: indicator {ind.key!r}")
            except FormulaError as exc:
                raise IndicatorSystemError(str(exc)) from None
        return pd.DataFrame(out, index=wide.index)


def _text(entry: dict, key: str, where: str, *, required: bool = True) -> str:
    value = entry.get(key, "")
    if required and (not isinstance(value, str) or not value.strip()):
        raise IndicatorSystemError(f"{where}: field {key!r} is required and must be non-empty text")
    if not isinstance(value, str):
        raise IndicatorSystemError(f"{where}: field {key!r} must be text, got {value!r}")
    return value.strip()


def _duplicates(keys: list[str]) -> list[str]:
    return sorted({k for k in keys if keys.count(k) > 1})


def parse_system(raw: dict, origin: str) -> IndicatorSystem:
    """Build and check an :class:`IndicatorSystem` from parsed TOML (``origin`` names the file in errors)."""
    dims_raw = raw.get("dimensions")
    if not isinstance(dims_raw, list) or not dims_raw:
        raise IndicatorSystemError(f"{origin}: needs at least one [[dimensions]] table")
    dimensions = []
    for n, d in enumerate(dims_raw, 1):
        where = f"{origin}: dimension #{n}"
        name_zh = _text(d, "name_zh", where, required=False)
        dimensions.append(Dimension(_text(d, "key", where), _text(d, "name_en", where), name_zh))
    keys = [d.key for d in dimensions]
    if len(set(keys)) != len(keys):
        raise IndicatorSystemError(f"{origin}: duplicate dimension key(s) {_duplicates(keys)}")
    inds_raw = raw.get("indicators")
    if not isinstance(inds_raw, list) or len(inds_raw) < 2:
        raise IndicatorSystemError(f"{origin}: needs at least two [[indicators]] tables")
    indicators = []
    for n, entry in enumerate(inds_raw, 1):
        key = _text(entry, "key", f"{origin}: indicator #{n}")
        where = f"{origin}: indicator {key!r}"
        if ("formula" in entry) == ("variable" in entry):
            raise IndicatorSystemError(f"{where}: give exactly one of 'formula' or 'variable'")
        formula = _text(entry, "formula" if "formula" in entry else "variable", where)
        try:
            variables(formula, where=where)
        except FormulaError as exc:
            raise IndicatorSystemError(str(exc)) from None
        dim = _text(entry, "dimension", where)
        if dim not in keys:
            raise IndicatorSystemError(f"{where}: dimension {dim!r} is not declared; dimensions: {', '.join(keys)}")
        sign = entry.get("direction")
        if sign not in ("+", "-"):
            raise IndicatorSystemError(f'{where}: direction must be "+" or "-", got {sign!r}')
        weight = entry.get("weight")
        if weight is not None and (not isinstance(weight, int | float) or weight < 0):
            raise IndicatorSystemError(f"{where}: weight must be a non-negative number, got {weight!r}")
        indicators.append(
            Indicator(
                key=key,
                dimension=dim,
                formula=formula,
                direction=1 if sign == "+" else -1,
                label_en=_text(entry, "label_en", where, required=False),
                label_zh=_text(entry, "label_zh", where, required=False),
                unit=_text(entry, "unit", where, required=False),
                weight=None if weight is None else float(weight),
            )
        )
    ikeys = [i.key for i in indicators]
    if len(set(ikeys)) != len(ikeys):
        raise IndicatorSystemError(f"{origin}: duplicate indicator key(s) {_duplicates(ikeys)}")
    given = [i.weight is not None for i in indicators]
    if any(given) and not all(given):
        lacking = [i.key for i in indicators if i.weight is None]
        raise IndicatorSystemError(f"{origin}: weights must be given for all indicators or none; missing for {lacking}")
    if all(given) and abs(sum(i.weight for i in indicators) - 1.0) > 1e-6:
        raise IndicatorSystemError(f"{origin}: fixed weights sum to {sum(i.weight for i in indicators):g}, not 1")
    empty = [d.key for d in dimensions if d.key not in {i.dimension for i in indicators}]
    if empty:
        raise IndicatorSystemError(f"{origin}: dimension(s) {', '.join(empty)} have no indicators")
    missing = raw.get("missing", [])
    if not isinstance(missing, list) or not all(isinstance(m, str) for m in missing):
        raise IndicatorSystemError(f"{origin}: 'missing' must be a list of text")
    return IndicatorSystem(
        name=_text(raw, "name", origin),
        title=_text(raw, "title", origin, required=False) or raw["name"],
        dimensions=tuple(dimensions),
        indicators=tuple(indicators),
        missing=tuple(missing),
        origin=origin,
        notes=tuple(raw.get("notes", [])),
    )


def load_system(name_or_path: str | Path = "default") -> IndicatorSystem:
    """A built-in system (``"default"``, ``"long"``) or a TOML file path."""
    if isinstance(name_or_path, str) and name_or_path in BUILTIN:
        resource = files("coreduce.indicators").joinpath(BUILTIN[name_or_path])
        text, origin = resource.read_text(encoding="utf-8"), BUILTIN[name_or_path]
    else:
        path = Path(name_or_path)
        if not path.is_file():
            raise IndicatorSystemError(
                f"{path}: no such indicator system file; built-in systems: {', '.join(sorted(set(BUILTIN)))}"
            )
        text, origin = path.read_text(encoding="utf-8"), str(path)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise IndicatorSystemError(f"{origin}: not valid TOML: {exc}") from None
    return parse_system(raw, origin)
