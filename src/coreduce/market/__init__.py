"""China's national carbon market (power sector): units, allocation, compliance positions and matching.

Pure computations with typed results (:mod:`coreduce.market.results`); the conventions that change an answer
are :class:`MarketConventions`, recorded in every result.
"""

from coreduce.market.allocation import allocate, describe_units
from coreduce.market.compliance import positions
from coreduce.market.conventions import MarketConventions
from coreduce.market.plans import PlanError, plan
from coreduce.market.units import UnitError, read_gem, read_unit_file, validate_units

__all__ = [
    "MarketConventions",
    "PlanError",
    "UnitError",
    "allocate",
    "describe_units",
    "plan",
    "positions",
    "read_gem",
    "read_unit_file",
    "validate_units",
]
