"""Aggregate many gridded files (years, variables) to zones, block by block, locally or on a Dask cluster.

Each file is cut into blocks of whole rows sized so that one block of all the file's years stays within
``chunk_mb``; only blocks that meet a zone's bounding box are read. One task per (file, block) opens the file
itself, reads its rows, computes exact coverage fractions for the zones meeting the block
(:mod:`coreduce.grid.zonal`) and returns additive sums; the sums are added block by block in a fixed order, so
the answer is identical whether blocks run in this process (``scheduler="sync"``), on a local Dask cluster
(the default) or on any cluster (``scheduler="tcp://host:8786"`` or a ``distributed.Client``). Peak memory
per task is a few times ``chunk_mb`` (the block, its valid mask and filled copy), never the whole grid.
"""

from __future__ import annotations

import html
import itertools
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from coreduce.fileio import atomic_write
from coreduce.geo.boundaries import zones_for
from coreduce.grid.errors import GridError
from coreduce.grid.readers import GridFile, GridSpec, normalise_unit, open_grid
from coreduce.grid.zonal import EARTH_MODELS, BlockSums, block_sums, combine, coverage_matrix, statistics, zones_in_rows

WEIGHTS = ("area", "population")

_FAMILIES = {
    "ACAG": {
        "publisher": "Atmospheric Composition Analysis Group, Washington University in St. Louis (ACAG)",
        "citation": "van Donkelaar, A. et al. (2021) Monthly global estimates of fine particulate matter and their "
        "uncertainty. Environ. Sci. Technol. 55, 15287-15300",
        "variable": "pm25_acag",
    },
    "CHAP": {
        "publisher": "ChinaHighAirPollutants (CHAP), Wei Jing et al.",
        "citation": "Wei, J. et al. (2021) Reconstructing 1-km-resolution high-quality PM2.5 data records from 2000 "
        "to 2018 in China. Remote Sens. Environ. 252, 112136",
        "variable": "pm25_chap",
    },
    "EDGAR": {
        "publisher": "European Commission, Joint Research Centre (EDGAR)",
        "citation": "Crippa, M. et al. EDGAR - Emissions Database for Global Atmospheric Research",
        "variable": None,
    },
    "CEDS": {
        "publisher": "Community Emissions Data System (CEDS), PNNL/JGCRI",
        "citation": "O'Rourke, P. R. et al. CEDS gridded anthropogenic emissions",
        "variable": None,
    },
}


def _family(product: str) -> str | None:
    head = product.split()[0].upper() if product else ""
    return head if head in _FAMILIES else None


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


@dataclass
class GridAggregation:
    """Zone statistics of gridded files, in the style of a statsmodels results object.

    ``table`` has one row per (zone, year, variable): ``value`` in ``unit``, ``coverage`` (share of the
    zone's area covered by cells with data), ``n_valid``/``n_nodata`` cells, and the ``product`` and ``file``
    it came from. ``conventions`` records every choice that changes the numbers.
    """

    table: pd.DataFrame
    conventions: dict
    sources: pd.DataFrame = field(default_factory=pd.DataFrame)
    catalogue: pd.DataFrame = field(default_factory=pd.DataFrame)

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def wide(self) -> pd.DataFrame:
        """Zones × years table of values (one table per variable stacked by a column level)."""
        return self.table.pivot_table(index=["zone", "name"], columns=["variable", "year"], values="value")

    def summary(self) -> str:
        t = self.table
        lines = [
            "Gridded data aggregated to zones",
            "=" * 60,
            f"zones: {t['zone'].nunique()}   years: {t['year'].min()}–{t['year'].max()}   rows: {len(t)}",
            f"variables: {', '.join(sorted(t['variable'].unique()))}",
            f"coverage: min {t['coverage'].min():.3f}, median {t['coverage'].median():.3f}",
            f"zones×years without data: {int(t['value'].isna().sum())}",
            "-" * 60,
            "conventions:",
        ]
        lines += [f"  {k}: {v}" for k, v in self.conventions.items()]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        conventions = "".join(
            f"<tr><th>{html.escape(str(k))}</th><td>{html.escape(str(v))}</td></tr>"
            for k, v in self.conventions.items()
        )
        return (
            "<h4>Gridded data aggregated to zones</h4>"
            + self.table.head(50).to_html(index=False)
            + f"<table><caption>conventions</caption>{conventions}</table>"
        )

    def to_panel(self) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """Canonical (panel rows, catalogue, sources); rows without data are left out (missing stays missing)."""
        rows = self.table.dropna(subset=["value"])
        unitless = sorted(set(rows.loc[rows["unit"].astype(str).str.strip() == "", "file"]))
        if unitless:
            raise GridError(
                f"{', '.join(unitless[:3])}: the file states no unit for its values, so they cannot become panel "
                "series; state it with unit= / --unit (e.g. ug/m3)"
            )
        data = pd.DataFrame(
            {
                "geo": rows["zone"].astype(str),
                "year": rows["year"].astype(int),
                "variable": rows["variable"],
                "value": rows["value"].astype(float),
                "unit": rows["unit"],
                "source": rows["source"],
                "status": "derived",
            }
        ).reset_index(drop=True)
        return data, self.catalogue.copy(), self.sources.copy()

    def to_store(self, store=None, *, replace: bool = False) -> int:
        """Add the series to the panel store (atomic; refuses existing keys unless ``replace``)."""
        from coreduce.data.store import Store

        target = store if isinstance(store, Store) else Store(store)
        data, catalogue, sources = self.to_panel()
        return target.add_series(data, catalogue, sources, replace=replace)

    def to_csv(self, path: str | Path) -> Path:
        """Write ``table`` to ``path`` atomically (a temporary file renamed into place)."""
        with atomic_write(path) as tmp:
            self.table.to_csv(tmp, index=False)
        return Path(path)


# -- tasks ---------------------------------------------------------------------------------------------------
def _block_task(
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


def _blocks(
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
def _same_crs(a, b) -> bool:
    from pyproj import CRS

    return CRS.from_user_input(a).equals(CRS.from_user_input(b), ignore_axis_order=True)


def _check_zones(zones: gpd.GeoDataFrame, grid_file: GridFile, reproject: bool) -> gpd.GeoDataFrame:
    if zones.crs is None:
        raise GridError("the zones have no coordinate reference system; set one (e.g. EPSG:4326)")
    if not _same_crs(zones.crs, grid_file.grid.crs):
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


def _population_years(years: tuple[int, ...], available: tuple[int, ...]) -> tuple[int, ...]:
    """For each year, the population year used: the same year, else the nearest (earlier on ties)."""
    return tuple(min(available, key=lambda a: (abs(a - y), a)) for y in years)


def _output_unit(grid_file: GridFile, unit: str | None) -> tuple[str, float]:
    """The unit of the zone values and the factor from the file's native unit to it."""
    from coreduce.data.units import UnitError, factor

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


# -- the driver ----------------------------------------------------------------------------------------------
CONNECT_TIMEOUT = "10s"
"""How long to wait for a remote Dask scheduler before giving up."""


def _client(scheduler):
    """A distributed Client, whether we own it (to close) and a label; None for the synchronous path."""
    if scheduler == "sync":
        return None, False, "sync (no Dask)"
    from distributed import Client, LocalCluster

    if isinstance(scheduler, Client):
        return scheduler, False, f"dask {scheduler.scheduler.address}"
    if scheduler in (None, "local"):
        workers = max(1, min(os.cpu_count() or 1, 4))
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=None)
        return Client(cluster), True, f"dask local cluster ({workers} workers)"
    if isinstance(scheduler, str):
        try:
            return Client(scheduler, timeout=CONNECT_TIMEOUT), True, f"dask {scheduler}"
        except (OSError, ValueError, TypeError) as exc:
            raise GridError(
                f"cannot reach the Dask scheduler at {scheduler!r} ({exc}); give 'local', 'sync' or the address "
                "of a running scheduler such as tcp://host:8786"
            ) from exc
    raise GridError(f"scheduler must be 'sync', 'local', an address or a distributed.Client, got {scheduler!r}")


def _progress(enabled: bool):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        disable=not enabled,
        transient=False,
    )


@dataclass
class _Plan:
    """The work on a group of files on one grid: zones (checked, in the grid's CRS), output unit, the layers
    (file, year) and the blocks of rows that meet a zone."""

    files: tuple[GridFile, ...]
    zones: gpd.GeoDataFrame
    unit: str
    scale: float
    layers: list[tuple[GridFile, int]]
    population_years: tuple[int, ...]
    blocks: list[tuple[int, int, np.ndarray]]


def _groups(grid_files: list[GridFile]) -> list[tuple[GridFile, ...]]:
    """Files on the same grid, of the same kind, variable, unit and product, in order of first appearance."""
    groups: dict[tuple, list[GridFile]] = {}
    for g in grid_files:
        groups.setdefault((g.grid, g.kind, g.variable, g.units, g.product), []).append(g)
    return [tuple(files) for files in groups.values()]


def _plan(files, zones, pop_file, weight, unit, chunk_mb, reproject) -> _Plan:
    first = files[0]
    if weight == "population" and first.kind != "mean":
        raise GridError(f"{first.path}: population weighting applies to means, not to {first.kind} fields")
    if pop_file is not None and not pop_file.grid.matches(first.grid):
        raise GridError(
            f"{pop_file.path}: the population grid {pop_file.grid.nx}×{pop_file.grid.ny} at "
            f"{pop_file.grid.bounds} differs from the grid of {first.path} "
            f"({first.grid.nx}×{first.grid.ny} at {first.grid.bounds}); resample one to the other"
        )
    zones_here = _check_zones(zones, first, reproject)
    out_unit, scale = _output_unit(first, unit)
    layers = [(f, y) for f in files for y in f.years]
    years = tuple(y for _, y in layers)
    pop_years = _population_years(years, pop_file.years) if pop_file is not None else ()
    bounds = zones_here.geometry.bounds.to_numpy()
    blocks = []
    # a block holds every output layer, plus the raw steps of the year being read (months × sectors), plus
    # the population layers: all of it stays within chunk_mb
    raw = max(f.raw_per_year for f in files)
    pop_layers = len(set(pop_years)) if pop_file is not None else 0
    for row0, row1 in _blocks(first.grid, len(layers) + raw + pop_layers, chunk_mb, first.row_chunk, first.row_offset):
        positions = zones_in_rows(bounds, first.grid, row0, row1)
        if positions.size:
            blocks.append((row0, row1, positions))
    return _Plan(tuple(files), zones_here, out_unit, scale, layers, pop_years, blocks)


def _task_args(plan: _Plan, block, earth, pop_file, population_density) -> tuple:
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


def _run(plans: list[_Plan], client, progress: bool, args) -> dict[tuple[int, int], BlockSums]:
    """Run every block task (here, or on ``client``), advancing the progress bar of each file of the block."""
    results: dict[tuple[int, int], BlockSums] = {}
    with _progress(progress) as bar:
        bars = [[bar.add_task(Path(f.path).name, total=len(p.blocks)) for f in p.files] for p in plans]

        def done(i: int) -> None:
            for task in bars[i]:
                bar.advance(task)

        if client is None:
            for i, plan in enumerate(plans):
                for j, block in enumerate(plan.blocks):
                    results[(i, j)] = _block_task(*_task_args(plan, block, *args))
                    done(i)
            return results
        from distributed import as_completed

        futures = {}
        for i, plan in enumerate(plans):
            for j, block in enumerate(plan.blocks):
                futures[client.submit(_block_task, *_task_args(plan, block, *args), pure=False)] = (i, j)
        for future in as_completed(list(futures)):
            key = futures[future]
            results[key] = future.result()
            done(key[0])
    return results


def _table(plan: _Plan, blocks: list[BlockSums], var_name: str, source_id: str) -> pd.DataFrame:
    zones, kind = plan.zones, plan.files[0].kind
    n, layers = len(zones), len(plan.layers)
    sums = combine(blocks, n, layers)
    for key in ("num", "den", "total", "covered", "n_valid", "n_nodata"):
        sums.setdefault(key, np.zeros((n, layers)))
    stats = statistics(sums, shapely.area(zones.geometry.to_numpy()), kind)
    return pd.DataFrame(
        {
            "zone": np.repeat(zones["zone"].astype(str).to_numpy(), layers),
            "name": np.repeat(zones["name"].astype(str).to_numpy(), layers),
            "year": np.tile(np.asarray([y for _, y in plan.layers], dtype="int64"), n),
            "variable": var_name,
            "value": (stats["value"] * plan.scale).reshape(-1),
            "unit": plan.unit,
            "coverage": stats["coverage"].reshape(-1),
            "n_valid": stats["n_valid"].reshape(-1),
            "n_nodata": stats["n_nodata"].reshape(-1),
            "product": plan.files[0].product,
            "source": source_id,
            "file": np.tile([Path(f.path).name for f, _ in plan.layers], n),
        }
    )


def _source_row(grid_file: GridFile, source_id: str) -> dict:
    info = _FAMILIES.get(_family(grid_file.product) or "", {})
    return {
        "source": source_id,
        "publisher": info.get("publisher", grid_file.attrs.get("institution", "unknown (see the file)")),
        "title": f"{grid_file.product} gridded {grid_file.variable}, aggregated to zones by coreduce",
        "licence": "as published by the data provider (check before redistribution)",
        "citation": info.get("citation", grid_file.attrs.get("references", "")),
        "files": [],
    }


def _catalogue_row(grid_file: GridFile, var_name: str, unit: str, source_id: str, weight: str, earth: str) -> dict:
    info = _FAMILIES.get(_family(grid_file.product) or "", {})
    if grid_file.kind == "mean":
        how = f"{weight}-weighted mean"
    elif grid_file.kind == "flux":
        how = "sum (flux integrated over the year × cell area)"
    else:
        how = "sum of the amounts per cell"
    return {
        "variable": var_name,
        "unit": unit,
        "definition": f"{how} of {grid_file.product} {grid_file.variable} over each zone, cells weighted by the "
        f"exact fraction inside the zone (exactextract); cell areas: {earth}",
        "publisher": info.get("publisher", "unknown"),
        "source": source_id,
    }


def _conventions(grid_files, weight, earth, label, chunk_mb, pop_file, population_density) -> dict:
    geographic = any(g.grid.geographic for g in grid_files)
    conventions = {
        "statistic": "mean" if all(g.kind == "mean" for g in grid_files) else "sum",
        "weight": weight,
        "cell_area": CELL_AREA_TEXT[earth] if geographic else "planar (projected grid)",
        "partial_cells": "weighted by the exact fraction inside the zone (exactextract)",
        "nodata": "cells with _FillValue/nodata are left out and counted (n_nodata)",
        "coverage": "share of the zone's area (in the grid's coordinate plane) covered by cells with data",
        "sub_annual_steps": "means weighted by step length; fluxes integrated over the calendar; amounts summed",
        "scheduler": label,
        "chunk_mb": chunk_mb,
    }
    if pop_file is not None:
        what = "density × cell area" if population_density else "count per cell"
        conventions["population"] = f"{Path(pop_file.path).name} ({what}); nearest available population year"
    return conventions


CELL_AREA_TEXT = {
    "sphere": "sphere of the WGS84 authalic radius 6371007.2 m",
    "wgs84": "WGS84 ellipsoid",
    "none": "none (every cell counts 1)",
}


def aggregate(
    files: Sequence[str | Path | GridFile],
    *,
    to: str | Path | gpd.GeoDataFrame = "provinces",
    id_column: str | None = None,
    name_column: str | None = None,
    boundaries: str | Path | None = None,
    variable: str | Sequence[str] | None = None,
    kind: str | None = None,
    year: int | None = None,
    weight: str = "area",
    population: str | Path | GridFile | None = None,
    population_variable: str | None = None,
    population_density: bool = False,
    earth: str = "sphere",
    unit: str | None = None,
    name: str | None = None,
    scheduler=None,
    chunk_mb: float = 64.0,
    reproject: bool = False,
    progress: bool = False,
) -> GridAggregation:
    """Aggregate gridded ``files`` to zones: area- or population-weighted means, or sums for emissions.

    ``to`` is ``"provinces"``, ``"cities"`` or ``"counties"`` (from the polygon file ``boundaries``, keyed by
    GB/T code), a polygon file (with ``id_column`` and optional ``name_column``) or a GeoDataFrame with
    ``zone``, ``name`` and geometry. ``variable`` names the variable in the files (default: the PM2.5
    variable), or several names, each file taking the first it holds (many variables at once; each becomes
    its own series); ``name`` the panel variable (default ``pm25_acag``/``pm25_chap`` for PM2.5 products,
    suffixed ``_popw`` when population-weighted, else the file variable in lower case). ``weight="population"`` needs a
    ``population`` grid on the same grid (a count per cell, or a density when ``population_density``); the
    population year nearest to each year is used. ``earth`` is the cell-area model (``sphere``, ``wgs84``,
    ``none``, see :mod:`coreduce.grid.zonal`); ``unit`` the output unit (default: the file's unit for means,
    ``kt`` for emissions; for a mean whose file states no unit, the unit of its values). ``scheduler``:
    ``None``/``"local"`` = a local Dask cluster, ``"sync"`` = no Dask, ``"tcp://…"`` or a
    ``distributed.Client`` = that cluster. Every input is checked before any work starts.
    """
    if weight not in WEIGHTS:
        raise GridError(f"weight must be one of {WEIGHTS}, got {weight!r}")
    if earth not in EARTH_MODELS:
        raise GridError(f"earth must be one of {EARTH_MODELS}, got {earth!r}")
    if weight == "population" and population is None:
        raise GridError("weight='population' needs a population grid (population= / --population)")
    if not files:
        raise GridError("no grid files given")
    grid_files = [f if isinstance(f, GridFile) else open_grid(f, variable, kind=kind, year=year) for f in files]
    pop_file = None
    if weight == "population":
        pop_file = (
            population
            if isinstance(population, GridFile)
            else open_grid(population, population_variable, kind="amount", role="any")
        )
    zones = (
        to
        if isinstance(to, gpd.GeoDataFrame)
        else zones_for(to, id_column=id_column, name_column=name_column, boundaries=boundaries)
    )
    missing = [c for c in ("zone", "name") if c not in zones.columns]
    if missing:
        raise GridError(f"zones need columns 'zone' and 'name' (missing {missing})")
    plans = [_plan(group, zones, pop_file, weight, unit, chunk_mb, reproject) for group in _groups(grid_files)]

    client, own, label = _client(scheduler)
    try:
        results = _run(plans, client, progress, (earth, pop_file, population_density))
    finally:
        if own:
            cluster = client.cluster
            client.close()
            if cluster is not None:
                cluster.close()

    tables, sources, catalogue = [], {}, {}
    for i, plan in enumerate(plans):
        grid_file = plan.files[0]
        var_name = name or _default_name(grid_file, _family(grid_file.product), weight)
        source_id = f"grid_{_slug(grid_file.product)}"
        tables.append(_table(plan, [results[(i, j)] for j in range(len(plan.blocks))], var_name, source_id))
        sources.setdefault(source_id, _source_row(grid_file, source_id))["files"] += [
            Path(f.path).name for f in plan.files
        ]
        catalogue[var_name] = _catalogue_row(grid_file, var_name, plan.unit, source_id, weight, earth)
    table = pd.concat(tables, ignore_index=True)
    dup = table[table.duplicated(["zone", "year", "variable"], keep=False)]
    if len(dup):
        first = dup.iloc[0]
        clash = sorted(set(dup.loc[dup["year"] == first["year"], "file"]))
        raise GridError(
            f"files {', '.join(clash)} give the same year {first['year']} of {first['variable']!r}; "
            "aggregate them separately or give distinct names"
        )
    sources_frame = pd.DataFrame(
        [{**s, "files": ";".join(sorted(set(s["files"])))} for s in sources.values()],
        columns=["source", "publisher", "title", "licence", "citation", "files"],
    )
    catalogue_frame = pd.DataFrame(
        list(catalogue.values()), columns=["variable", "unit", "definition", "publisher", "source"]
    )
    return GridAggregation(
        table=table,
        conventions=_conventions(grid_files, weight, earth, label, chunk_mb, pop_file, population_density),
        sources=sources_frame,
        catalogue=catalogue_frame,
    )


def _default_name(grid_file: GridFile, family: str | None, weight: str) -> str:
    base = _FAMILIES.get(family or "", {}).get("variable")
    if base is None:
        base = _slug(grid_file.variable)
    return f"{base}_popw" if weight == "population" else base


__all__ = ["GridAggregation", "aggregate"]
