"""Typed results of the CBAM computations (tables + the CBAM conventions, notes, missing data and sources)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import pandas as pd

from coreduce.results import Result


@dataclass(kw_only=True)
class GoodsResult(Result):
    """A CBAM good and its default values (IR 2025/2621 Annex I) for a country of origin, every route."""

    title: ClassVar[str] = "result.cbam.goods"
    main: ClassVar[str] = "defaults"

    defaults: pd.DataFrame = field(default_factory=pd.DataFrame)


@dataclass(kw_only=True)
class EmbeddedResult(Result):
    """Embedded emissions of imported goods: per import line (``goods``), per production process
    (``processes``: every term of the attributed-emissions formula and the SEE), per source stream
    (``streams``), per precursor consumed (``precursors``) and the electricity factors used (``electricity``)."""

    title: ClassVar[str] = "result.cbam.embedded"
    main: ClassVar[str] = "goods"

    goods: pd.DataFrame = field(default_factory=pd.DataFrame)
    processes: pd.DataFrame = field(default_factory=pd.DataFrame)
    streams: pd.DataFrame = field(default_factory=pd.DataFrame)
    precursors: pd.DataFrame = field(default_factory=pd.DataFrame)
    electricity: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def total_t(self) -> float:
        """Embedded emissions counted for CBAM over all lines, t CO2e."""
        return float(self.goods["embedded_t"].sum()) if not self.goods.empty else 0.0

    @property
    def default_share(self) -> float:
        """Share of the counted embedded emissions that comes from default values."""
        total = self.total_t
        return float(self.goods["embedded_default_t"].sum() / total) if total > 0 else 0.0


@dataclass(kw_only=True)
class CertificatesResult(Result):
    """CBAM certificates due and their cost, per import line (``lines``) and per year 2026–2034 (``scenarios``)."""

    title: ClassVar[str] = "result.cbam.certificates"
    main: ClassVar[str] = "lines"

    lines: pd.DataFrame = field(default_factory=pd.DataFrame)
    scenarios: pd.DataFrame = field(default_factory=pd.DataFrame)
    evidence: pd.DataFrame = field(default_factory=pd.DataFrame)


@dataclass(kw_only=True)
class MeasuresResult(Result):
    """Abatement measures ranked by CBAM cost saved plus local-pollutant co-benefit, with trade-offs flagged."""

    title: ClassVar[str] = "result.cbam.measures"
    main: ClassVar[str] = "measures"

    measures: pd.DataFrame = field(default_factory=pd.DataFrame)
    savings_by_year: pd.DataFrame = field(default_factory=pd.DataFrame)
