"""Exact zonal statistics on one block of grid rows, as sums that add up across blocks.

For a zone Z and a cell i, ``c_i`` is the fraction of the cell inside Z, computed exactly by exactextract
(Baston 2022, *exactextract*, ISciences) from the polygon and the grid. With ``a_i`` the cell's area and
``x_i`` its value (NaN = nodata), the statistics are

- area-weighted mean: ``Σ c_i a_i x_i / Σ c_i a_i`` over cells with data;
- population-weighted mean: ``Σ c_i p_i x_i / Σ c_i p_i`` with ``p_i`` the cell's population (count, or
  density × area), i.e. people are spread evenly within a cell;
- sum (emissions): ``Σ c_i m_i`` where ``m_i`` is the cell's amount (an amount per cell, or a flux already
  integrated over the year × ``a_i``);
- coverage: ``Σ c_i Δx Δy / area(Z)`` over cells with data, both in the grid's own coordinate plane, so 1
  means the zone lies wholly inside the grid with data everywhere;
- ``n_valid`` / ``n_nodata``: cells touching the zone (``c_i > 0``) with and without data.

Every block returns the numerators and denominators separately, so blocks (row ranges) processed anywhere,
in any order, combine by addition into the same result.

Cell areas on a latitude–longitude grid (``earth``):

- ``"sphere"`` (default): ``a = R² Δλ (sin φ_N − sin φ_S)`` with the authalic radius R = 6,371,007.2 m of the
  WGS84 ellipsoid (the sphere of equal surface area), so the cos-latitude shrinking of cells is exact;
- ``"wgs84"``: the exact area of the band on the WGS84 ellipsoid, ``a = (b² Δλ / 2) [q(φ_N) − q(φ_S)]``,
  ``q(φ) = sin φ / (1 − e² sin² φ) + ln((1 + e sin φ)/(1 − e sin φ)) / (2e)`` (Snyder 1987, *Map Projections —
  A Working Manual*, USGS PP 1395, eq. 3-12);
- ``"none"``: every cell counts 1 (the naive average of a geographic grid, what an unprojected ArcGIS zonal
  statistics gives); not allowed for fluxes.

On a projected grid every cell has the planar area Δx Δy in m².
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import scipy.sparse as sp
import shapely

from coreduce.grid.errors import GridError
from coreduce.grid.files import GridSpec

AUTHALIC_RADIUS_M = 6_371_007.1809
WGS84_A = 6_378_137.0
WGS84_F = 1 / 298.257223563
EARTH_MODELS = ("sphere", "wgs84", "none")
STATISTICS = ("num", "den", "total", "covered", "n_valid", "n_nodata")


def _q(phi: np.ndarray, e: float) -> np.ndarray:
    s = np.sin(phi)
    return s / (1 - e**2 * s**2) + np.log((1 + e * s) / (1 - e * s)) / (2 * e)


def row_areas(grid: GridSpec, row0: int, row1: int, earth: str = "sphere") -> np.ndarray:
    """Area in m² of one cell in each row ``row0 … row1-1`` (cells of a row are equal)."""
    if earth not in EARTH_MODELS:
        raise GridError(f"earth must be one of {EARTH_MODELS}, got {earth!r}")
    n = row1 - row0
    if earth == "none":
        return np.ones(n)
    if not grid.geographic:
        from pyproj import CRS

        metre = CRS.from_user_input(grid.crs).axis_info[0].unit_conversion_factor
        return np.full(n, grid.dx * grid.dy * metre**2)
    north, south = grid.row_edges(row0, row1)
    north = np.radians(np.clip(north, -90, 90))
    south = np.radians(np.clip(south, -90, 90))
    dlon = np.radians(grid.dx)
    if earth == "sphere":
        return AUTHALIC_RADIUS_M**2 * dlon * (np.sin(north) - np.sin(south))
    e2 = WGS84_F * (2 - WGS84_F)
    b2 = WGS84_A**2 * (1 - e2)
    return b2 * dlon / 2 * (_q(north, np.sqrt(e2)) - _q(south, np.sqrt(e2)))


def coverage_matrix(zones: gpd.GeoSeries, grid: GridSpec, row0: int, row1: int) -> sp.csr_matrix:
    """Sparse (zones × cells of the block) matrix of the fraction of each cell inside each zone.

    Each zone is first cut to the block's rectangle, so that exactextract walks only the boundary inside the
    block (a zone's part in a cell is unchanged by the cut; a province's full outline would otherwise be
    traversed once per block).
    """
    from exactextract import exact_extract
    from exactextract.raster import NumPyRasterSource

    xmin, _, xmax, _ = grid.bounds
    ymax = grid.y0 - row0 * grid.dy
    ymin = grid.y0 - row1 * grid.dy
    raster = NumPyRasterSource(
        np.zeros((row1 - row0, grid.nx), dtype="uint8"), xmin, ymin, xmax, ymax, srs_wkt=_wkt(grid.crs)
    )
    parts = _polygonal(shapely.intersection(zones.to_numpy(), shapely.box(xmin, ymin, xmax, ymax)))
    inside = np.flatnonzero(~shapely.is_empty(parts))
    counts = np.zeros(len(zones), dtype="int64")
    indices, data = [np.empty(0, "int64")], [np.empty(0)]
    if inside.size:
        frame = gpd.GeoDataFrame({"k": inside}, geometry=parts[inside], crs=_wkt(grid.crs))
        result = exact_extract(raster, frame, ["cell_id", "coverage"], output="pandas")
        counts[inside] = result["cell_id"].map(len).to_numpy()
        indices += [np.asarray(c, dtype="int64") for c in result["cell_id"]]
        data += [np.asarray(c, dtype="float64") for c in result["coverage"]]
    indptr = np.concatenate([[0], np.cumsum(counts)])
    return sp.csr_matrix(
        (np.concatenate(data), np.concatenate(indices), indptr), shape=(len(zones), (row1 - row0) * grid.nx)
    )


def _polygonal(geometries: np.ndarray) -> np.ndarray:
    """The polygonal part of each geometry (a cut can leave lines or points where a zone touches the edge)."""
    out = geometries.copy()
    for i in np.flatnonzero(~np.isin(shapely.get_type_id(geometries), (3, 6))):  # not (Multi)Polygon
        parts = shapely.get_parts(shapely.get_parts(geometries[i]))
        polygons = parts[shapely.get_type_id(parts) == 3]
        out[i] = shapely.multipolygons(polygons) if polygons.size else shapely.Polygon()
    return out


def _wkt(crs: str) -> str:
    from pyproj import CRS

    return CRS.from_user_input(crs).to_wkt()


@dataclass
class BlockSums:
    """Additive sums for ``zones`` (positions in the full zone list) × layers (years)."""

    zones: np.ndarray
    sums: dict[str, np.ndarray]


def block_sums(
    coverage: sp.csr_matrix,
    positions: np.ndarray,
    grid: GridSpec,
    row0: int,
    row1: int,
    values: np.ndarray,
    *,
    kind: str,
    earth: str = "sphere",
    population: np.ndarray | None = None,
    population_index: np.ndarray | None = None,
    population_density: bool = False,
) -> BlockSums:
    """Zonal sums over rows ``row0 … row1-1`` of ``values`` (layers × rows × nx), see the module docstring.

    ``coverage`` is the block's :func:`coverage_matrix` for the zones at ``positions`` of the full zone list.
    ``kind`` is ``mean`` (weights = cell area, or population when given), ``flux`` (values are amounts per
    m² and are multiplied by cell area) or ``amount`` (amounts per cell). ``population`` holds population
    layers of the block's shape (``n × rows × nx``) and ``population_index`` the layer used for each value
    layer; population nodata counts as no people. Only cells that meet a zone are touched.
    """
    if kind == "flux" and earth == "none":
        raise GridError("a flux needs cell areas: earth='none' cannot be used with kind='flux'")
    layers = values.shape[0]
    mask = np.zeros(coverage.shape[1], dtype=bool)
    mask[coverage.indices] = True
    used = np.flatnonzero(mask)
    remap = np.cumsum(mask) - 1
    cover = sp.csr_matrix(
        (coverage.data, remap[coverage.indices], coverage.indptr), shape=(coverage.shape[0], used.size)
    )
    cells = values.reshape(layers, -1)[:, used].T  # used cells × layers
    valid = ~np.isnan(cells)
    filled = np.where(valid, cells, 0.0)
    valid_f = valid.astype("float64")
    touched = _scaled(cover, np.ones(used.size), binary=True)
    row_of_cell = used // grid.nx
    area = row_areas(grid, row0, row1, earth)[row_of_cell]
    sums = {
        "covered": cover @ valid_f * (grid.dx * grid.dy),
        "n_valid": touched @ valid_f,
        "n_nodata": touched @ (1.0 - valid_f),
    }
    if kind != "mean":
        sums["total"] = cover @ (filled * area[:, None] if kind == "flux" else filled)
        return BlockSums(zones=np.asarray(positions), sums=sums)
    if population is None:
        weighted = _scaled(cover, area)
        sums["num"] = weighted @ filled
        sums["den"] = weighted @ valid_f
        return BlockSums(zones=np.asarray(positions), sums=sums)
    index = np.zeros(layers, dtype=int) if population_index is None else np.asarray(population_index)
    sums["num"] = np.zeros((cover.shape[0], layers))
    sums["den"] = np.zeros((cover.shape[0], layers))
    for k in np.unique(index):
        weight = np.nan_to_num(population[k].reshape(-1)[used].astype("float64"), nan=0.0)
        if population_density:
            weight = weight * row_areas(grid, row0, row1, "sphere" if earth == "none" else earth)[row_of_cell]
        weighted = _scaled(cover, weight)
        these = index == k
        sums["num"][:, these] = weighted @ filled[:, these]
        sums["den"][:, these] = weighted @ valid_f[:, these]
    return BlockSums(zones=np.asarray(positions), sums=sums)


def _scaled(matrix: sp.csr_matrix, column_weight: np.ndarray, binary: bool = False) -> sp.csr_matrix:
    """``matrix`` with each column multiplied by ``column_weight`` (entries set to 1 first when ``binary``)."""
    data = (matrix.data > 0).astype("float64") if binary else matrix.data
    return sp.csr_matrix((data * column_weight[matrix.indices], matrix.indices, matrix.indptr), shape=matrix.shape)


def combine(blocks: list[BlockSums], n_zones: int, layers: int) -> dict[str, np.ndarray]:
    """Add block sums into full (zones × layers) arrays, block by block in the given order."""
    out: dict[str, np.ndarray] = {}
    for block in blocks:
        for name, value in block.sums.items():
            target = out.setdefault(name, np.zeros((n_zones, layers)))
            target[block.zones] += value
    return out


def statistics(sums: dict[str, np.ndarray], zone_area: np.ndarray, kind: str) -> dict[str, np.ndarray]:
    """The zone statistics from combined sums: ``value``, ``coverage``, ``n_valid``, ``n_nodata``."""
    with np.errstate(invalid="ignore", divide="ignore"):
        if kind == "mean":
            value = np.where(sums["den"] > 0, sums["num"] / sums["den"], np.nan)
        else:
            value = np.where(sums["n_valid"] > 0, sums["total"], np.nan)
        coverage = sums["covered"] / zone_area[:, None]
    return {
        "value": value,
        "coverage": np.clip(coverage, 0.0, 1.0),
        "n_valid": sums["n_valid"].round().astype("int64"),
        "n_nodata": sums["n_nodata"].round().astype("int64"),
    }


def zones_in_rows(bounds: pd.DataFrame | np.ndarray, grid: GridSpec, row0: int, row1: int) -> np.ndarray:
    """Positions of zones whose bounding box (minx, miny, maxx, maxy) meets rows ``row0 … row1-1``."""
    b = np.asarray(bounds)
    top = grid.y0 - row0 * grid.dy
    bottom = grid.y0 - row1 * grid.dy
    xmin, _, xmax, _ = grid.bounds
    hit = (b[:, 1] < top) & (b[:, 3] > bottom) & (b[:, 0] < xmax) & (b[:, 2] > xmin)
    return np.flatnonzero(hit)
