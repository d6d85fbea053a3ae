"""Obstacle degrees of the NQPF indicators and dimensions by province and year.

Runs :func:`coreduce.analysis.nqpf.nqpf_index` and applies the obstacle-degree model
(:mod:`coreduce.methods.obstacle`) to its standardised values and weights: O_ij = F_j·(1 − z_ij) / Σ_j F_j·(1 − z_ij).
"""

from __future__ import annotations

import pandas as pd

from coreduce.analysis.nqpf import nqpf_index
from coreduce.analysis.results import AnalysisResult
from coreduce.data.panel import Panel
from coreduce.indicators import IndicatorSystem, load_system
from coreduce.methods.obstacle import dimension_obstacles, obstacle_degree


def obstacles(panel: Panel, system: str | IndicatorSystem = "default", *, top: int = 3, **options) -> AnalysisResult:
    """Indicator obstacle degrees (main table: geo, year × indicator); ``options`` go to ``nqpf_index``.

    Tables: ``dimensions`` (geo, year × dimension), ``top`` (the ``top`` largest obstacles per province-year)
    and ``mean`` (mean obstacle degree of each indicator by year, over provinces).
    """
    sys_ = system if isinstance(system, IndicatorSystem) else load_system(system)
    index = nqpf_index(panel, sys_, **options)
    z = index.to_frame("standardised")
    weights = index.to_frame("weights")
    if "year" in weights.columns:  # yearly normalisation: weights differ by year
        parts = []
        for year, zy in z.groupby(level="year"):
            wy = weights[weights["year"] == year]["weight"]
            parts.append(obstacle_degree(zy, wy))
        degree = pd.concat(parts).sort_index()
    else:
        degree = obstacle_degree(z, weights["weight"])
    dims = dimension_obstacles(degree, sys_.dimension_of())
    long = degree.stack().rename("obstacle").reset_index()
    long.columns = ["geo", "year", "indicator", "obstacle"]
    top_rows = long.sort_values("obstacle", ascending=False).groupby(["geo", "year"]).head(top)
    top_rows = top_rows.sort_values(["geo", "year", "obstacle"], ascending=[True, True, False])
    rule = "F_j·(1 − z_ij) / Σ_j F_j·(1 − z_ij), z before the zero rule"
    conventions = {**index.conventions, "obstacle degree": rule}
    return AnalysisResult(
        title=f"Obstacle degrees of {sys_.name}",
        table=degree,
        conventions=conventions,
        sources=index.sources,
        missing=index.missing,
        notes=index.notes,
        tables={
            "dimensions": dims,
            "top": top_rows.reset_index(drop=True),
            "mean": degree.groupby(level="year").mean(),
            "index": index.to_frame(),
        },
    )
