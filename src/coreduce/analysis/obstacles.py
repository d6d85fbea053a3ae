"""Obstacle degrees of the NQPF indicators and dimensions by province and year.

Runs :func:`coreduce.analysis.nqpf.nqpf_index` and applies the obstacle-degree model
(:mod:`coreduce.methods.obstacle`) to its standardised values and weights: O_ij = F_j·(1 − z_ij) / Σ_j F_j·(1 − z_ij).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import pandas as pd

from coreduce.analysis.conventions import ProvinceConventions
from coreduce.analysis.nqpf import nqpf_index
from coreduce.conventions import Convention
from coreduce.data.panel import Panel
from coreduce.methods.obstacle import dimension_obstacles, obstacle_degree
from coreduce.results import Result


@dataclass(kw_only=True)
class ObstaclesResult(Result):
    """Indicator obstacle degrees by (geo, year) (main table ``degrees``)."""

    title: ClassVar[str] = "result.obstacles"
    main: ClassVar[str] = "degrees"

    degrees: pd.DataFrame
    dimensions: pd.DataFrame
    """(geo, year) × dimension."""
    top: pd.DataFrame
    """The ``top`` largest obstacles per province-year."""
    mean: pd.DataFrame
    """Mean obstacle degree of each indicator by year, over provinces."""
    index: pd.DataFrame
    """The NQPF scores the degrees come from."""


def obstacles(panel: Panel, conventions: ProvinceConventions | None = None, *, top: int = 3) -> ObstaclesResult:
    """Indicator obstacle degrees of the NQPF index built with ``conventions``."""
    if top < 1:
        raise ValueError(f"top must be at least 1, not {top}")
    index = nqpf_index(panel, conventions)
    z, weights = index.standardised, index.weights
    if "year" in weights.columns:  # yearly normalisation: weights differ by year
        parts = [
            obstacle_degree(zy, weights[weights["year"] == year]["weight"]) for year, zy in z.groupby(level="year")
        ]
        degree = pd.concat(parts).sort_index()
    else:
        degree = obstacle_degree(z, weights["weight"])
    long = degree.stack().rename("obstacle").reset_index()
    long.columns = ["geo", "year", "indicator", "obstacle"]
    top_rows = long.sort_values("obstacle", ascending=False).groupby(["geo", "year"]).head(top)
    top_rows = top_rows.sort_values(["geo", "year", "obstacle"], ascending=[True, True, False])
    return ObstaclesResult(
        degrees=degree,
        dimensions=dimension_obstacles(degree, index.system.dimension_of()),
        top=top_rows.reset_index(drop=True),
        mean=degree.groupby(level="year").mean(),
        index=index.scores,
        conventions=(*index.conventions, Convention("obstacle_degree", "before_zero_rule")),
        notes=index.notes,
        missing=index.missing,
        sources=index.sources,
    )
