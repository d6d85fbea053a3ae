"""Spatial weights and Moran's I (the spatial Durbin panel model is in :mod:`coreduce.methods.spatial_durbin`).

Weights (libpysal ``W`` keyed by unit id; a convention recorded by the callers):

* queen contiguity of polygons (units sharing a boundary point), plus explicit links for islands — for China's
  provinces, Hainan (460000) is linked to Guangdong (440000) so that it is not an island;
* inverse distance w_ij = d_ij^(−α) (α = 1 by default) between unit points, d_ij the geodesic distance on the
  WGS84 ellipsoid (pyproj ``Geod``), optionally cut at a threshold.

Both are row-standardised by default (``transform="r"``).

Moran's I (Moran 1950; Cliff & Ord 1981) is computed by esda: I = (n/S0)·Σ_ij w_ij z_i z_j / Σ_i z_i², with
the normal-approximation and permutation p-values.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd


class SpatialError(ValueError):
    """Weights or a spatial model that cannot be built (unknown ids, islands, unbalanced panels, …)."""


def contiguity_weights(
    polygons,
    ids: Sequence[str],
    *,
    links: Sequence[tuple[str, str]] = (),
    transform: str = "r",
):
    """Queen contiguity of ``polygons`` (a GeoSeries or GeoDataFrame) with extra symmetric ``links``.

    Raises :class:`SpatialError` naming any unit left without neighbours (an island) after the links.
    """
    import warnings

    from libpysal.weights import Queen, W

    ids = [str(i) for i in ids]
    if len(set(ids)) != len(ids):
        raise SpatialError("contiguity weights: unit ids are not unique")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # islands are reported below, after the links
        queen = Queen.from_dataframe(
            polygons if hasattr(polygons, "geometry") else polygons.to_frame("geometry"), ids=ids, use_index=False
        )
    neighbours = {i: set(map(str, queen.neighbors[i])) for i in ids}
    for a, b in links:
        for u in (a, b):
            if u not in neighbours:
                raise SpatialError(f"contiguity link {a}–{b}: unit {u} is not among the polygons")
        neighbours[a].add(b)
        neighbours[b].add(a)
    islands = [i for i, n in neighbours.items() if not n]
    if islands:
        raise SpatialError(f"contiguity weights: unit(s) {', '.join(islands)} have no neighbour; add a link")
    w = W({i: sorted(n) for i, n in neighbours.items()}, id_order=ids, silence_warnings=True)
    w.transform = transform
    return w


def geodesic_distances(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """n × n geodesic distances in km between points on the WGS84 ellipsoid (pyproj ``Geod.inv``)."""
    from pyproj import Geod

    lon, lat = np.asarray(lon, float), np.asarray(lat, float)
    n = lon.size
    i, j = np.triu_indices(n, k=1)
    _, _, dist = Geod(ellps="WGS84").inv(lon[i], lat[i], lon[j], lat[j])
    out = np.zeros((n, n))
    out[i, j] = out[j, i] = dist / 1000.0
    return out


def inverse_distance_weights(
    lon: Sequence[float],
    lat: Sequence[float],
    ids: Sequence[str],
    *,
    power: float = 1.0,
    threshold_km: float | None = None,
    transform: str = "r",
):
    """Inverse-distance weights d_ij^(−power) between points (lon/lat degrees), zero beyond ``threshold_km``."""
    from libpysal.weights import full2W

    ids = [str(i) for i in ids]
    d = geodesic_distances(np.asarray(lon), np.asarray(lat))
    if np.any(d[~np.eye(len(ids), dtype=bool)] <= 0):
        raise SpatialError("inverse-distance weights: two units share the same point")
    with np.errstate(divide="ignore"):
        m = np.where(np.eye(len(ids), dtype=bool), 0.0, d ** (-power))
    if threshold_km is not None:
        m[d > threshold_km] = 0.0
    empty = [u for u, row in zip(ids, m, strict=True) if row.sum() == 0]
    if empty:
        raise SpatialError(f"inverse-distance weights: no unit within {threshold_km} km of {', '.join(empty)}")
    w = full2W(m, ids=ids)
    w.transform = transform
    return w


@dataclass(frozen=True)
class MoranResult:
    """Global Moran's I of one cross-section."""

    I: float  # noqa: E741 (the statistic's name)
    expected: float
    z_norm: float
    p_norm: float
    p_sim: float
    n: int


def moran(values: pd.Series, w, *, permutations: int = 999, seed: int = 12345) -> MoranResult:
    """Moran's I of ``values`` (indexed by the ids of ``w``) with esda; an error names ids without values."""
    import esda

    absent = [i for i in w.id_order if i not in values.index or not np.isfinite(values.get(i, np.nan))]
    if absent:
        raise SpatialError(f"Moran's I: no value for unit(s) {', '.join(map(str, absent))}")
    y = values.reindex(w.id_order).to_numpy(float)
    if np.ptp(y) == 0:
        raise SpatialError("Moran's I: the values are constant")
    np.random.seed(seed)  # esda draws its permutations from numpy's global generator
    m = esda.Moran(y, w, permutations=permutations)
    return MoranResult(
        I=float(m.I),
        expected=float(m.EI),
        z_norm=float(m.z_norm),
        p_norm=float(m.p_norm),
        p_sim=float(m.p_sim) if permutations else float("nan"),
        n=int(m.n),
    )


def moran_by_period(frame: pd.DataFrame, column: str, w, *, permutations: int = 999, seed: int = 12345) -> pd.DataFrame:
    """Moran's I of ``column`` in each period of a (unit, time)-indexed frame (units lacking a value: error)."""
    rows = []
    for period, part in frame[column].groupby(level=1):
        values = part.droplevel(1)
        values.index = values.index.astype(str)
        r = moran(values, w, permutations=permutations, seed=seed)
        rows.append({"year": period, "I": r.I, "E[I]": r.expected, "z": r.z_norm, "p_norm": r.p_norm, "p_sim": r.p_sim})
    return pd.DataFrame(rows)


def subset_weights(w, ids: Sequence[str], transform: str = "r"):
    """The weights restricted to ``ids`` (e.g. provinces with data), re-standardised; errors name new islands."""
    from libpysal.weights import W

    keep = [str(i) for i in ids]
    unknown = [i for i in keep if i not in w.neighbors]
    if unknown:
        raise SpatialError(f"weights: unit(s) {', '.join(unknown)} are not in the weights")
    kept = set(keep)
    original = _original(w)
    neighbours = {i: [j for j in w.neighbors[i] if j in kept] for i in keep}
    weights = {i: [wt for j, wt in zip(w.neighbors[i], original[i], strict=True) if j in kept] for i in keep}
    islands = [i for i, n in neighbours.items() if not n]
    if islands:
        raise SpatialError(f"weights: after restricting, unit(s) {', '.join(islands)} have no neighbour")
    out = W(neighbours, weights, id_order=keep, silence_warnings=True)
    out.transform = transform
    return out


def _original(w) -> Mapping[str, list[float]]:
    """The untransformed weights of a libpysal ``W``."""
    current = w.transform
    w.transform = "O"
    weights = {k: list(v) for k, v in w.weights.items()}
    w.transform = current
    return weights
