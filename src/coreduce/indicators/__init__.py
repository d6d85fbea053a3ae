"""Indicator systems (e.g. of new quality productive forces) as TOML data, their loader and safe formulas."""

from coreduce.indicators.formula import FormulaError
from coreduce.indicators.system import (
    Dimension,
    Indicator,
    IndicatorSystem,
    IndicatorSystemError,
    load_system,
    parse_system,
)

__all__ = [
    "Dimension",
    "FormulaError",
    "Indicator",
    "IndicatorSystem",
    "IndicatorSystemError",
    "load_system",
    "parse_system",
]
