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

from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from coreduce.geo.boundaries import zones_for
from coreduce.grid.errors import GridError
from coreduce.grid.files import GridFile
from coreduce.grid.plan import Plan, groups, plan_group
from coreduce.grid.provenance import catalogue_row, conventions_of, default_name, family, slug, source_row
from coreduce.grid.readers import open_grid
from coreduce.grid.result import GridAggregation
from coreduce.grid.run import client_for, run_blocks
from coreduce.grid.zonal import EARTH_MODELS, BlockSums, combine, statistics

WEIGHTS = ("area", "population")


def _table(plan: Plan, blocks: list[BlockSums], var_name: str, source_id: str) -> pd.DataFrame:
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
    allow_impossible: bool = False,
) -> GridAggregation:
    """Aggregate gridded ``files`` to zones: area- or population-weighted means, or sums for emissions.

    ``to`` is ``"provinces"``, ``"cities"`` or ``"counties"`` (from the polygon file ``boundaries``, keyed by
    GB/T code), a polygon file (with ``id_column`` and optional ``name_column``) or a GeoDataFrame with
    ``zone``, ``name`` and geometry. ``variable`` names the variable in the files (default: the PM2.5
    variable), or several names, each file taking the first it holds (many variables at once; each becomes
    its own series); ``name`` the panel variable (default ``pm25_acag``/``pm25_chap`` for PM2.5 products,
    suffixed ``_popw`` when population-weighted, else the file variable in lower case). ``weight="population"``
    needs a ``population`` grid on the same grid (a count per cell, or a density when ``population_density``); the
    population year nearest to each year is used. ``earth`` is the cell-area model (``sphere``, ``wgs84``,
    ``none``, see :mod:`coreduce.grid.zonal`); ``unit`` the output unit (default: the file's unit for means,
    ``kt`` for emissions; for a mean whose file states no unit, the unit of its values). ``scheduler``:
    ``None``/``"local"`` = a local Dask cluster, ``"sync"`` = no Dask, ``"tcp://…"`` or a
    ``distributed.Client`` = that cluster. Every input is checked before any work starts, and every zone value
    after (:meth:`GridAggregation.check_values`): impossible values fail unless ``allow_impossible``.
    """
    _check_options(files, weight, earth, population)
    grid_files = [f if isinstance(f, GridFile) else open_grid(f, variable, kind=kind, year=year) for f in files]
    pop_file = None
    if weight == "population":
        pop_file = (
            population
            if isinstance(population, GridFile)
            else open_grid(population, population_variable, kind="amount", role="any")
        )
    zones = _zones(to, id_column, name_column, boundaries)
    plans = [plan_group(group, zones, pop_file, weight, unit, chunk_mb, reproject) for group in groups(grid_files)]
    client, own, label = client_for(scheduler)
    try:
        results = run_blocks(plans, client, progress, (earth, pop_file, population_density))
    finally:
        if own:
            cluster = client.cluster
            client.close()
            if cluster is not None:
                cluster.close()
    result = _assemble(plans, results, name, weight, earth)
    result.conventions = conventions_of(grid_files, weight, earth, label, chunk_mb, pop_file, population_density)
    result.allow_impossible = allow_impossible
    kept = result.check_values()
    if kept:
        result.conventions["impossible values kept (--allow-impossible)"] = kept
    return result


def _check_options(files, weight: str, earth: str, population) -> None:
    if weight not in WEIGHTS:
        raise GridError(f"weight must be one of {WEIGHTS}, got {weight!r}")
    if earth not in EARTH_MODELS:
        raise GridError(f"earth must be one of {EARTH_MODELS}, got {earth!r}")
    if weight == "population" and population is None:
        raise GridError("weight='population' needs a population grid (population= / --population)")
    if not files:
        raise GridError("no grid files given")


def _zones(to, id_column, name_column, boundaries) -> gpd.GeoDataFrame:
    zones = (
        to
        if isinstance(to, gpd.GeoDataFrame)
        else zones_for(to, id_column=id_column, name_column=name_column, boundaries=boundaries)
    )
    missing = [c for c in ("zone", "name") if c not in zones.columns]
    if missing:
        raise GridError(f"zones need columns 'zone' and 'name' (missing {missing})")
    return zones


def _assemble(plans: list[Plan], results, name: str | None, weight: str, earth: str) -> GridAggregation:
    """One table of every plan's zone values, with the catalogue entry of each series and its sources."""
    tables, sources, catalogue = [], {}, {}
    for i, plan in enumerate(plans):
        grid_file = plan.files[0]
        var_name = name or default_name(grid_file, family(grid_file.product), weight)
        source_id = f"grid_{slug(grid_file.product)}"
        tables.append(_table(plan, [results[(i, j)] for j in range(len(plan.blocks))], var_name, source_id))
        sources.setdefault(source_id, source_row(grid_file, source_id))["files"] += [
            Path(f.path).name for f in plan.files
        ]
        catalogue[var_name] = catalogue_row(grid_file, var_name, plan.unit, source_id, weight, earth)
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
    return GridAggregation(table=table, conventions={}, sources=sources_frame, catalogue=catalogue_frame)


__all__ = ["GridAggregation", "aggregate"]
