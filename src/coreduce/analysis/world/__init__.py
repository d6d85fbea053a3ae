"""Analyses of countries and country groups: China beside the Global South, the Global North and the World.

Every analysis takes the panel (countries from the OWID CO2 panel, :mod:`coreduce.data.readers.owid_world`) and a
conventions object (:mod:`coreduce.analysis.world.conventions`), and returns a typed result that records the data
vintage, the grouping, China inside or beside the Global South, the emissions basis and its other choices; group
figures are sums over members (ratio of sums) and members lacking data are named.
"""

from coreduce.analysis.world.conventions import (
    CumulativeConventions,
    DecouplingConventions,
    InequalityConventions,
    KayaConventions,
    PeriodConventions,
    WorldConventions,
)
from coreduce.analysis.world.crosscheck import CrossCheckConventions, CrossCheckResult, crosscheck
from coreduce.analysis.world.cumulative import CumulativeResult, cumulative
from coreduce.analysis.world.decoupling import WorldDecouplingResult, decoupling
from coreduce.analysis.world.inequality import WorldInequalityResult, inequality
from coreduce.analysis.world.kaya import KayaResult, kaya, kaya_all_countries
from coreduce.analysis.world.position import ChinaPositionResult, position
from coreduce.analysis.world.trends import WorldTrendsResult, trends

__all__ = [
    "ChinaPositionResult",
    "CrossCheckConventions",
    "CrossCheckResult",
    "CumulativeConventions",
    "CumulativeResult",
    "DecouplingConventions",
    "InequalityConventions",
    "KayaConventions",
    "KayaResult",
    "PeriodConventions",
    "WorldConventions",
    "WorldDecouplingResult",
    "WorldInequalityResult",
    "WorldTrendsResult",
    "crosscheck",
    "cumulative",
    "decoupling",
    "inequality",
    "kaya",
    "kaya_all_countries",
    "position",
    "trends",
]
