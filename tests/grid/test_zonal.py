"""Exact zonal statistics on grids with known answers."""

import itertools

import geopandas as gpd
import numpy as np
import pytest
import shapely
from pyproj import Geod
from shapely.geometry import box

from coreduce.grid import GridError
from coreduce.grid.files import GridSpec
from coreduce.grid.zonal import AUTHALIC_RADIUS_M, block_sums, combine, coverage_matrix, row_areas, statistics


def _stats(zones, grid, values, *, kind="mean", earth="sphere", population=None, split=None):
    """Run block_sums over one block, or over two blocks split at row ``split``, and return the statistics."""
    geoms = gpd.GeoSeries(zones)
    positions = np.arange(len(zones))
    edges = [0, grid.ny] if split is None else [0, split, grid.ny]
    blocks = []
    for r0, r1 in itertools.pairwise(edges):
        pop = None if population is None else population[None, r0:r1]
        coverage = coverage_matrix(geoms, grid, r0, r1)
        blocks.append(
            block_sums(coverage, positions, grid, r0, r1, values[:, r0:r1], kind=kind, earth=earth, population=pop)
        )
    sums = combine(blocks, len(zones), values.shape[0])
    return statistics(sums, shapely.area(np.asarray(zones)), kind)


@pytest.mark.parametrize(
    ("earth", "geod"),
    [
        ("sphere", Geod(a=AUTHALIC_RADIUS_M, b=AUTHALIC_RADIUS_M)),
        ("wgs84", Geod(ellps="WGS84")),
    ],
)
def test_cell_areas_match_pyproj_geodesic_areas(earth, geod):
    # Reference: PROJ's geodesic polygon area (Karney 2013, J. Geodesy 87:43-55) of each cell, with its
    # parallels densified to 0.001° so that geodesic edges follow them.
    grid = GridSpec(100.0, 80.0, 1.0, 1.0, 1, 80, "EPSG:4326")
    areas = row_areas(grid, 0, 80, earth)
    for row in (0, 20, 50, 79):
        cell = shapely.segmentize(box(100, 79 - row, 101, 80 - row), 0.001)
        assert areas[row] == pytest.approx(abs(geod.geometry_area_perimeter(cell)[0]), rel=1e-9)


def test_projected_grid_cells_have_planar_area():
    grid = GridSpec(500_000.0, 3_000_000.0, 1000.0, 1000.0, 3, 3, "EPSG:32650")
    np.testing.assert_allclose(row_areas(grid, 0, 3), 1e6)


def test_constant_field_gives_the_constant_in_every_zone():
    grid = GridSpec(0.0, 60.0, 0.25, 0.25, 40, 40, "EPSG:4326")
    values = np.full((1, 40, 40), 42.5)
    zones = [box(0.3, 51.1, 7.7, 59.2), shapely.Point(5, 55).buffer(2.3), box(-3, 49, 1, 52)]
    out = _stats(zones, grid, values, split=17)
    np.testing.assert_allclose(out["value"][:, 0], 42.5, rtol=1e-13)
    assert out["coverage"][0, 0] == pytest.approx(1.0)
    # the third zone sticks out of the grid: coverage is the share inside (1° × 2° of 4° × 3°)
    assert out["coverage"][2, 0] == pytest.approx((1 * 2) / (4 * 3))


def test_linear_field_over_a_rectangle_gives_its_analytic_mean():
    # f(x, y) = 3 + 2x - y on a projected grid: over a rectangle whose edges follow cell edges, the mean of
    # cell-centre values equals the analytic mean f(centre of the rectangle) = 3 + 2*x̄ - ȳ.
    grid = GridSpec(0.0, 100.0, 1.0, 1.0, 100, 100, "EPSG:32650")
    x = grid.x0 + grid.dx * (np.arange(100) + 0.5)
    y = grid.y0 - grid.dy * (np.arange(100) + 0.5)
    values = (3 + 2 * x[None, :] - y[:, None])[None]
    rect = box(10, 20, 60, 90)
    out = _stats([rect], grid, values, split=50)
    assert out["value"][0, 0] == pytest.approx(3 + 2 * 35 - 55, rel=1e-12)
    # a rectangle cutting cells: f is linear in x only within a column's cells, so use f = 3 + 2x and a
    # rectangle cutting columns symmetrically (half of the first and of the last column): the mean stays exact
    values = np.broadcast_to(3 + 2 * x[None, :], (100, 100))[None]
    out = _stats([box(10.5, 20.25, 59.5, 89.75)], grid, values)
    assert out["value"][0, 0] == pytest.approx(3 + 2 * 35, rel=1e-12)


def test_polygon_cutting_cells_in_half_weights_them_by_half():
    grid = GridSpec(0.0, 1.0, 1.0, 1.0, 2, 1, "EPSG:32650")
    values = np.array([[[10.0, 20.0]]])
    out = _stats([box(0, 0, 1.5, 1)], grid, values)
    assert out["value"][0, 0] == pytest.approx((10 * 1 + 20 * 0.5) / 1.5)
    assert out["n_valid"][0, 0] == 2


def test_spherical_cell_areas_versus_naive_mean_at_high_latitude():
    # f = latitude (degrees) over the band 60–80°N. The naive (unweighted) mean is 70; with true cell areas
    # it is the cos-latitude weighted mean ∫ φ cos φ dφ / ∫ cos φ dφ = [φ sin φ + cos φ] / [sin φ] over the
    # band (φ in radians), converted to degrees: 68.3983…°, i.e. 1.60° lower than the naive mean.
    grid = GridSpec(10.0, 80.0, 0.05, 0.05, 20, 400, "EPSG:4326")
    lat = grid.y0 - grid.dy * (np.arange(grid.ny) + 0.5)
    values = np.broadcast_to(lat[:, None], (grid.ny, grid.nx))[None].copy()
    band = box(10, 60, 11, 80)
    p1, p2 = np.radians(60), np.radians(80)
    weighted = np.degrees((p2 * np.sin(p2) + np.cos(p2) - p1 * np.sin(p1) - np.cos(p1)) / (np.sin(p2) - np.sin(p1)))
    naive = _stats([band], grid, values, earth="none")["value"][0, 0]
    sphere = _stats([band], grid, values, earth="sphere", split=123)["value"][0, 0]
    ellipsoid = _stats([band], grid, values, earth="wgs84")["value"][0, 0]
    assert naive == pytest.approx(70.0, rel=1e-12)
    assert sphere == pytest.approx(weighted, abs=1e-4)  # cell-centre discretisation error ~ dφ²
    assert naive - sphere == pytest.approx(70.0 - weighted, rel=1e-3)
    assert weighted == pytest.approx(68.3983, abs=1e-4)
    assert abs(ellipsoid - sphere) < 0.02  # ellipsoid shifts weights slightly but not the story


def test_nodata_cells_are_excluded_and_counted():
    grid = GridSpec(0.0, 3.0, 1.0, 1.0, 3, 3, "EPSG:32650")
    values = np.arange(9, dtype=float).reshape(1, 3, 3)
    values[0, 1, 1] = np.nan
    values[0, 0, 2] = np.nan
    out = _stats([box(0, 0, 3, 3), box(1, 1, 2, 2)], grid, values, split=1)
    assert out["value"][0, 0] == pytest.approx(np.nanmean(values))
    assert out["n_valid"][0, 0] == 7 and out["n_nodata"][0, 0] == 2
    assert out["coverage"][0, 0] == pytest.approx(7 / 9)
    assert np.isnan(out["value"][1, 0])  # the zone holds only the nodata cell: missing, not zero
    assert out["n_valid"][1, 0] == 0 and out["n_nodata"][1, 0] == 1 and out["coverage"][1, 0] == 0


def test_population_weighted_mean():
    grid = GridSpec(0.0, 1.0, 1.0, 1.0, 3, 1, "EPSG:32650")
    values = np.array([[[10.0, 40.0, 100.0]]])
    population = np.array([[3.0, 1.0, np.nan]])  # no people counted where the population grid has nodata
    out = _stats([box(0, 0, 3, 1)], grid, values, population=population)
    assert out["value"][0, 0] == pytest.approx((3 * 10 + 1 * 40) / 4)


def test_sums_of_amounts_and_fluxes():
    grid = GridSpec(100.0, 41.0, 1.0, 1.0, 2, 2, "EPSG:4326")
    amounts = np.array([[[1.0, 2.0], [3.0, np.nan]]])
    out = _stats([box(100, 39, 102, 41), box(100.5, 39, 101, 41)], grid, amounts, kind="amount")
    assert out["value"][:, 0] == pytest.approx([6.0, 0.5 * 1 + 0.5 * 3])
    flux = np.full((1, 2, 2), 2.0)  # amount per m² per year
    out = _stats([box(100, 39, 102, 41)], grid, flux, kind="flux")
    area = AUTHALIC_RADIUS_M**2 * np.radians(2) * (np.sin(np.radians(41)) - np.sin(np.radians(39)))
    assert out["value"][0, 0] == pytest.approx(2.0 * area, rel=1e-12)
    with pytest.raises(GridError, match="a flux needs cell areas"):
        _stats([box(100, 39, 102, 41)], grid, flux, kind="flux", earth="none")


def test_block_edges_align_to_storage_chunks_within_the_budget():
    from coreduce.grid.plan import row_blocks

    grid = GridSpec(0.0, 10.0, 1.0, 1.0, 100, 1000, "EPSG:4326")
    budget = 100 * 8 * 130 / 2**20  # 130 rows of one float64 layer
    assert row_blocks(grid, 1, budget)[:2] == [(0, 130), (130, 260)]
    assert row_blocks(grid, 1, budget, row_chunk=64)[:2] == [(0, 128), (128, 256)]
    # latitude ascending in the file: chunks start at the south edge, i.e. 1000 % 64 = 40 rows below the top
    assert row_blocks(grid, 1, budget, row_chunk=64, offset=40)[:3] == [(0, 40), (40, 168), (168, 296)]
    # a chunk larger than the budget: the budget wins, memory stays bounded
    assert row_blocks(grid, 1, budget, row_chunk=512)[:2] == [(0, 130), (130, 260)]
    blocks = row_blocks(grid, 3, budget, row_chunk=7, offset=5)
    assert blocks[0][0] == 0 and blocks[-1][1] == 1000
    assert all(b == c for (_, b), (c, _) in itertools.pairwise(blocks))


def test_cutting_zones_at_block_edges_keeps_coverage():
    # A zone touching a block only along its edge leaves a line after the cut: it gets no cells, no error.
    grid = GridSpec(0.0, 4.0, 1.0, 1.0, 4, 4, "EPSG:32650")
    zones = gpd.GeoSeries([box(0.5, 0.5, 3.5, 2.0), box(0, 2.2, 4, 3.7), box(1, 1, 2, 3)])
    top = coverage_matrix(zones, grid, 0, 2)  # rows 0–1 span y 2–4
    assert top[0].nnz == 0  # touches y = 2 only
    assert top[1].sum() == pytest.approx(4 * 1.5)
    assert top[2].sum() == pytest.approx(1.0)
    assert coverage_matrix(zones, grid, 2, 4)[2].sum() == pytest.approx(1.0)
