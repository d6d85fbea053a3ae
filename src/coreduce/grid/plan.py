"""The work of an aggregation: files grouped by grid, zones checked against each grid, the output unit, and the
blocks of rows to read; :func:`block_task` is the task that reads one block and returns its sums.

Each file is cut into blocks of whole rows sized so that one block of all the file's years stays within
``chunk_mb``; only blocks that meet a zone's bounding box are read.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import geopandas as gpd
import numpy as np

from coreduce.grid.errors import GridError
from coreduce.grid.files import GridFile, GridSpec
from coreduce.grid.names import normalise_unit
from coreduce.grid.zonal import BlockSums, block_sums, coverage_matrix, zones_in_rows


def block_task(
    files: tuple[GridFile, ...],
    geometries: gpd.GeoSeries,
    positions: np.ndarray,
    row0: int,
    row1: int,
    earth: str,
    population: GridFile | None,
    population_years: tuple[int, ...],
    population_density: bool,
) -> BlockSums:
    """Sums of one block of rows of every file of a group on one grid; coverage is computed once for all."""
    grid = files[0].grid
    layers = sum(len(f.years) for f in files)
    values = np.empty((layers, row1 - row0, grid.nx))
    k = 0
    for grid_file in files:
        values[k : k + len(grid_file.years)] = grid_file.read(row0, row1)
        k += len(grid_file.years)
    coverage = coverage_matrix(geometries, grid, row0, row1)
    pop = index = None
    if population is not None:
        wanted = tuple(sorted(set(population_years)))
        pop = population.read(row0, row1, wanted)
        index = np.array([wanted.index(y) for y in population_years])
    return block_sums(
        coverage,
        positions,
        grid,
        row0,
        row1,
        values,
        kind=files[0].kind,
        earth=earth,
        population=pop,
        population_index=index,
        population_density=population_density,
    )


def row_blocks(
    grid: GridSpec, values_per_cell: int, chunk_mb: float, row_chunk: int = 1, offset: int = 0
) -> list[tuple[int, int]]:
    """Blocks of whole rows holding at most ``chunk_mb`` of float64 when each cell carries ``values_per_cell``.

    When a storage chunk of the file (``row_chunk`` rows, starting at row ``offset``) fits in that budget,
    block edges fall on chunk edges, so that no chunk is read twice; otherwise the budget wins.
    """
    per_row = grid.nx * 8 * max(values_per_cell, 1)
    rows = max(1, int(chunk_mb * 2**20 // per_row))
    start = 0
    if 1 < row_chunk <= rows:
        rows = rows // row_chunk * row_chunk
        start = offset % row_chunk
    edges = sorted({0, *range(start, grid.ny, rows), grid.ny})
    return list(itertools.pairwise(edges))


# -- checks --------------------------------------------------------------------------------------------------
def same_crs(a, b) -> bool:
    from pyproj import CRS

    return CRS.from_user_input(a).equals(CRS.from_user_input(b), ignore_axis_order=True)


def check_zones(zones: gpd.GeoDataFrame, grid_file: GridFile, reproject: bool) -> gpd.GeoDataFrame:
    if zones.crs is None:
        raise GridError("the zones have no coordinate reference system; set one (e.g. EPSG:4326)")
    if not same_crs(zones.crs, grid_file.grid.crs):
        if not reproject:
            from pyproj import CRS

            raise GridError(
                f"{grid_file.path}: CRS mismatch: the grid is in {CRS.from_user_input(grid_file.grid.crs).name!r}, "
                f"the zones in {zones.crs.name!r}; reproject the zones (reproject=True / --reproject)"
            )
        zones = zones.to_crs(grid_file.grid.crs)
    bounds = zones.geometry.bounds.to_numpy()
    xmin, ymin, xmax, ymax = grid_file.grid.bounds
    outside = (bounds[:, 2] <= xmin) | (bounds[:, 0] >= xmax) | (bounds[:, 3] <= ymin) | (bounds[:, 1] >= ymax)
    if outside.any():
        names = zones["zone"].to_numpy()[outside]
        shown = ", ".join(map(str, names[:5])) + (f" … ({outside.sum()} zones)" if outside.sum() > 5 else "")
        raise GridError(
            f"{grid_file.path}: zone(s) {shown} lie outside the grid (grid bounds "
            f"{xmin:.4g}, {ymin:.4g}, {xmax:.4g}, {ymax:.4g}); use a grid that covers them or drop them"
        )
    return zones


def population_years(years: tuple[int, ...], available: tuple[int, ...]) -> tuple[int, ...]:
    """For each year, the population year used: the same year, else the nearest (earlier on ties)."""
    return tuple(min(available, key=lambda a: (abs(a - y), a)) for y in years)


def output_unit(grid_file: GridFile, unit: str | None) -> tuple[str, float]:
    """The unit of the zone values and the factor from the file's native unit to it."""
    from coreduce.units import UnitError, factor

    def pint_form(u: str) -> str:
        return "ug * m**-3" if u == "ug/m3" else u

    if grid_file.kind == "mean":
        if unit is None or normalise_unit(unit) == grid_file.units or not grid_file.units:
            # a file without units (e.g. most GeoTIFFs) takes the unit the user states, unconverted
            return (normalise_unit(unit) if unit is not None else grid_file.units), 1.0
        source = pint_form(grid_file.units)
    else:
        if not grid_file.units:
            raise GridError(f"{grid_file.path}: {grid_file.variable!r} has no units; give the file's units")
        native = f"({grid_file.units})" + (" * s * m**2" if grid_file.kind == "flux" else "")
        source = native
        unit = unit or "kt"
    try:
        return unit, factor(source, pint_form(normalise_unit(unit)))
    except UnitError as exc:
        raise GridError(
            f"{grid_file.path}: cannot express {grid_file.units!r} ({grid_file.kind}) in {unit!r}: {exc}"
        ) from exc


@dataclass
class Plan:
    """The work on a group of files on one grid: zones (checked, in the grid's CRS), output unit, the layers
    (file, year) and the blocks of rows that meet a zone."""

    files: tuple[GridFile, ...]
    zones: gpd.GeoDataFrame
    unit: str
    scale: float
    layers: list[tuple[GridFile, int]]
    population_years: tuple[int, ...]
    blocks: list[tuple[int, int, np.ndarray]]


def groups(grid_files: list[GridFile]) -> list[tuple[GridFile, ...]]:
    """Files on the same grid, of the same kind, variable, unit and product, in order of first appearance."""
    groups: dict[tuple, list[GridFile]] = {}
    for g in grid_files:
        groups.setdefault((g.grid, g.kind, g.variable, g.units, g.product), []).append(g)
    return [tuple(files) for files in groups.values()]


def plan_group(files, zones, pop_file, weight, unit, chunk_mb, reproject) -> Plan:
    first = files[0]
    if weight == "population" and first.kind != "mean":
        raise GridError(f"{first.path}: population weighting applies to means, not to {first.kind} fields")
    if pop_file is not None and not pop_file.grid.matches(first.grid):
        raise GridError(
            f"{pop_file.path}: the population grid {pop_file.grid.nx}×{pop_file.grid.ny} at "
            f"{pop_file.grid.bounds} differs from the grid of {first.path} "
            f"({first.grid.nx}×{first.grid.ny} at {first.grid.bounds}); resample one to the other"
        )
    zones_here = check_zones(zones, first, reproject)
    out_unit, scale = output_unit(first, unit)
    layers = [(f, y) for f in files for y in f.years]
    years = tuple(y for _, y in layers)
    pop_years = population_years(years, pop_file.years) if pop_file is not None else ()
    bounds = zones_here.geometry.bounds.to_numpy()
    blocks = []
    # a block holds every output layer, plus the raw steps of the year being read (months × sectors), plus
    # the population layers: all of it stays within chunk_mb
    raw = max(f.raw_per_year for f in files)
    pop_layers = len(set(pop_years)) if pop_file is not None else 0
    for row0, row1 in row_blocks(
        first.grid, len(layers) + raw + pop_layers, chunk_mb, first.row_chunk, first.row_offset
    ):
        positions = zones_in_rows(bounds, first.grid, row0, row1)
        if positions.size:
            blocks.append((row0, row1, positions))
    return Plan(tuple(files), zones_here, out_unit, scale, layers, pop_years, blocks)


def task_args(plan: Plan, block, earth, pop_file, population_density) -> tuple:
    row0, row1, positions = block
    geometries = plan.zones.geometry.iloc[positions]
    return (
        plan.files,
        geometries,
        positions,
        row0,
        row1,
        earth,
        pop_file,
        plan.population_years,
        population_density,
    )
