"""Typed results of the carbon-market domain (tables as attributes; conventions, notes and missing records)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import pandas as pd

from coreduce.results import Result


@dataclass(kw_only=True)
class UnitsResult(Result):
    """The units read, their categories, output and emissions."""

    title: ClassVar[str] = "result.market.units"
    main: ClassVar[str] = "categories"
    units: pd.DataFrame = field(default_factory=pd.DataFrame)
    categories: pd.DataFrame = field(default_factory=pd.DataFrame)
    provinces: pd.DataFrame = field(default_factory=pd.DataFrame)


@dataclass(kw_only=True)
class AllocationResult(Result):
    """Allocation per unit and its totals by province, owner, category and nation; the plan's parameters."""

    title: ClassVar[str] = "result.market.allocation"
    main: ClassVar[str] = "provinces"
    units: pd.DataFrame = field(default_factory=pd.DataFrame)
    provinces: pd.DataFrame = field(default_factory=pd.DataFrame)
    owners: pd.DataFrame = field(default_factory=pd.DataFrame)
    categories: pd.DataFrame = field(default_factory=pd.DataFrame)
    nation: pd.DataFrame = field(default_factory=pd.DataFrame)
    parameters: pd.DataFrame = field(default_factory=pd.DataFrame)


@dataclass(kw_only=True)
class PositionsResult(Result):
    """Compliance positions: obligation after the plan's caps, offsets, banking/borrowing, who buys and sells."""

    title: ClassVar[str] = "result.market.positions"
    main: ClassVar[str] = "provinces"
    units: pd.DataFrame = field(default_factory=pd.DataFrame)
    provinces: pd.DataFrame = field(default_factory=pd.DataFrame)
    nation: pd.DataFrame = field(default_factory=pd.DataFrame)


@dataclass(kw_only=True)
class ClearingResult(Result):
    """A market clearing: price, volume, trades (who with whom), abatement and its cost, co-pollutants."""

    title: ClassVar[str] = "result.market.clearing"
    main: ClassVar[str] = "summary_table"
    summary_table: pd.DataFrame = field(default_factory=pd.DataFrame)
    trades: pd.DataFrame = field(default_factory=pd.DataFrame)
    flows: pd.DataFrame = field(default_factory=pd.DataFrame)
    units: pd.DataFrame = field(default_factory=pd.DataFrame)
    provinces: pd.DataFrame = field(default_factory=pd.DataFrame)
    curves: pd.DataFrame = field(default_factory=pd.DataFrame)


@dataclass(kw_only=True)
class SimulationResult(Result):
    """Least-cost outcome against matching under each information regime: costs and efficiency gaps."""

    title: ClassVar[str] = "result.market.simulation"
    main: ClassVar[str] = "regimes"
    regimes: pd.DataFrame = field(default_factory=pd.DataFrame)
    provinces: pd.DataFrame = field(default_factory=pd.DataFrame)
    mac: pd.DataFrame = field(default_factory=pd.DataFrame)
