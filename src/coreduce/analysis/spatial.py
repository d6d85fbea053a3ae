"""Spatial tests of the NQPF effect: province weights, the largest balanced block, Moran's I and the spatial
Durbin panel (:func:`spatial_regress`); and the regression spec file (:func:`load_spec`) read by ``coreduce
regress``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import ClassVar

import pandas as pd

from coreduce.analysis.conventions import ProvinceConventions
from coreduce.analysis.regress import regression_data
from coreduce.analysis.tables import RegressionTable, stars, write_table
from coreduce.conventions import Convention
from coreduce.data.panel import Panel
from coreduce.geo import provinces
from coreduce.methods.econometrics import RegressionError
from coreduce.results import Missing, Note, Result

WEIGHTS = ("queen", "distance")
ALBERS_CHINA = "+proj=aea +lat_1=25 +lat_2=47 +lon_0=105 +ellps=WGS84"


def province_weights(kind: str = "queen", *, power: float = 1.0, boundaries=None):
    """Row-standardised weights of the 31 provinces from the DataV boundaries (``kind``: queen or distance).

    ``queen``: queen contiguity with Hainan linked to Guangdong; ``distance``: inverse geodesic distance between
    the provinces' centroids (computed in an Albers equal-area projection of China), power ``power``.
    """
    from coreduce.geo.boundaries import province_boundaries
    from coreduce.methods.spatial import contiguity_weights, inverse_distance_weights

    if kind not in WEIGHTS:
        raise RegressionError(f"weights must be one of {', '.join(WEIGHTS)}; got {kind!r}")
    shapes = province_boundaries() if boundaries is None else boundaries
    if kind == "queen":
        return contiguity_weights(shapes, shapes["code"], links=[("460000", "440000")])
    points = shapes.to_crs(ALBERS_CHINA).centroid.to_crs(4326)
    return inverse_distance_weights(points.x, points.y, shapes["code"], power=power)


def balanced_window(frame: pd.DataFrame, min_years: int = 3) -> tuple[list[str], list[int]]:
    """Units and contiguous years of the largest balanced block (units × years) of a (geo, year) frame."""
    complete = frame.notna().all(axis=1).unstack(level="year", fill_value=False)
    years = list(complete.columns)
    best: tuple[int, list[str], list[int]] = (0, [], [])
    for i in range(len(years)):
        for j in range(i + min_years - 1, len(years)):
            span = years[i : j + 1]
            if span[-1] - span[0] != len(span) - 1:
                continue
            units = list(complete.index[complete[span].all(axis=1)])
            if len(units) * len(span) > best[0]:
                best = (len(units) * len(span), units, span)
    if not best[1]:
        raise RegressionError(f"no {min_years} consecutive years in which any province has complete data")
    return [str(u) for u in best[1]], [int(y) for y in best[2]]


@dataclass(kw_only=True)
class SpatialResult(Result):
    """The spatial Durbin (or lag) panel (main table ``coefficients``), its effects and Moran's I by year."""

    title: ClassVar[str] = "result.spatial"
    main: ClassVar[str] = "coefficients"

    coefficients: pd.DataFrame
    effects: pd.DataFrame
    moran: pd.DataFrame
    data: pd.DataFrame
    regression_tables: dict[str, RegressionTable] = field(default_factory=dict)

    def export(self, path, which: str = "spatial"):
        """Write the regression table ``which`` by suffix: .tex, .html, .rtf, …"""
        return write_table(self.regression_tables, which, path)


def spatial_regress(
    panel: Panel,
    conventions: ProvinceConventions | None = None,
    *,
    outcome: str = "coupling",
    controls: Mapping[str, str] | None = None,
    weights: str = "queen",
    durbin: bool = True,
    correction: str = "lee-yu",
    draws: int = 1000,
    seed: int = 12345,
    boundaries=None,
) -> SpatialResult:
    """Moran's I of NQPF and the outcome by year, and the spatial Durbin panel of the outcome on NQPF.

    The spatial panel must be balanced: within the conventions' window the largest block of provinces ×
    consecutive years with complete data is used; the provinces left out are recorded as missing and the weights
    are restricted to the rest and re-standardised.
    """
    from coreduce.methods.spatial import SpatialError, moran_by_period, subset_weights
    from coreduce.methods.spatial_durbin import spatial_durbin

    if weights not in WEIGHTS:
        raise RegressionError(f"weights must be one of {', '.join(WEIGHTS)}; got {weights!r}")
    data = regression_data(panel, conventions, outcome=outcome, controls=controls, mediators={})
    y = data.outcome
    cols = ["nqpf", y, *data.controls]
    frame = data.frame[cols]
    units, span = balanced_window(frame)
    try:
        w = subset_weights(province_weights(weights, boundaries=boundaries), units)
    except SpatialError as exc:
        raise RegressionError(f"spatial weights for the provinces with data: {exc}") from exc
    block = frame.loc[(units, span), :]
    sdm = spatial_durbin(block, y, ["nqpf", *data.controls], w, durbin=durbin, correction=correction, draws=draws)
    moran = pd.concat(
        [moran_by_period(block, column, w, seed=seed).assign(variable=column) for column in ("nqpf", y)],
        ignore_index=True,
    )
    left_out = sorted((set(frame.index.get_level_values("geo")) | {p.code for p in provinces()}) - set(units))
    years = f"{span[0]}–{span[-1]}"
    coef = sdm.coefficients.reset_index()
    table = coef.assign(
        coef_text=[f"{c:.4f}{stars(p)}" for c, p in zip(coef["coef"], coef["p_value"], strict=True)],
        se_text=[f"({s:.4f})" for s in coef["std_err"]],
    )
    return SpatialResult(
        coefficients=table,
        effects=sdm.effects,
        moran=moran,
        data=block.reset_index(),
        regression_tables={"spatial": _spatial_table(sdm, ["nqpf", *data.controls], y, durbin)},
        conventions=(
            *data.conventions,
            Convention("spatial_weights", weights),
            Convention("spatial_model", "durbin" if durbin else "lag"),
            Convention("spatial_estimator", correction),
            Convention("spatial_draws", draws),
            Convention("spatial_sample", (len(units), years)),
            Convention("moran", "esda_999"),
        ),
        notes=(
            data.notes[-1],
            Note.of("note.spatial.fit", rho=sdm.rho, rho_se=sdm.rho_se, logll=sdm.logll, r2=sdm.pseudo_r2, n=sdm.nobs),
        ),
        missing=tuple(Missing.of(", ".join(cols), g, years, "missing.spatial_left_out") for g in left_out),
        sources=data.sources,
    )


def _spatial_table(sdm, regressors: list[str], outcome: str, durbin: bool) -> RegressionTable:
    """Columns β, θ (W·X), direct, indirect and total effects of the spatial model, one row per regressor."""
    from coreduce.methods.econometrics import FittedModel

    coef = sdm.coefficients
    common = {
        "nobs": sdm.nobs,
        "rsquared": sdm.pseudo_r2,
        "rsquared_label": "pseudo R²",
        "covariance": "ML, observed information; effects: simulated (LeSage & Pace 2009)",
    }
    fe = {"Province FE": True, "Year FE": True}

    def model(label: str, params: pd.DataFrame, effects: dict[str, bool]) -> FittedModel:
        return FittedModel(
            name=label,
            dependent=label,
            params=params["coef"],
            std_errors=params["std_err"],
            pvalues=params["p_value"],
            effects=effects,
            **common,
        )

    main_rows = coef.loc[[*regressors, "rho (W·y)"]]
    models = [model("β", main_rows, fe)]
    if durbin:
        theta = coef.loc[[f"W·{r}" for r in regressors]].rename(index=lambda t: t[2:])
        models.append(model("θ (W·X)", theta, fe))
    for kind in ("direct", "indirect", "total"):
        part = sdm.effects[sdm.effects["effect"] == kind].set_index("variable")
        part = part.rename(columns={"estimate": "coef"})[["coef", "std_err", "p_value"]]
        models.append(model(kind, part, fe))
    return RegressionTable(
        models,
        order=[*regressors, "rho (W·y)"],
        title=f"Spatial {'Durbin' if durbin else 'lag'} panel of {outcome}: coefficients and effects",
    )
