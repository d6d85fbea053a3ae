"""``coreduce trends``, ``coreduce synergy`` and ``coreduce decompose``: the co-reduction analyses.

Each command runs the analysis of the same name in :mod:`coreduce.analysis`, prints a table and the
conventions, and writes the full result with ``--out file.csv`` (main table) or ``--out file.xlsx`` (every
table plus conventions, missing data, notes and sources).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

PanelOption = Annotated[
    Path | None,
    typer.Option("--panel", help="A store (.duckdb), an Excel export or a panel folder (default: the embedded store)."),
]
OutOption = Annotated[Path | None, typer.Option("--out", help="Write the result to a .csv or .xlsx file.")]
StartOption = Annotated[int, typer.Option("--start", help="First year.")]
EndOption = Annotated[int, typer.Option("--end", help="Last year.")]
GroupingOption = Annotated[
    str, typer.Option("--grouping", help="four_regions, three_belts or a TOML/CSV grouping file.")
]
PricesOption = Annotated[
    str, typer.Option("--prices", help="GDP prices: nominal, or constant (national GDP deflator).")
]
BaseYearOption = Annotated[int, typer.Option("--base-year", help="Price base year for --prices constant.")]
MembershipOption = Annotated[
    str,
    typer.Option(
        "--membership",
        help="Region totals: 'all' (only years when every member has data) or 'complete_members' "
        "(leave out members with gaps, listed as missing).",
    ),
]


def _load(panel: Path | None):
    """The panel named by ``--panel`` (store, Excel export or folder), else the embedded store's."""
    from rich.console import Console
    from rich.markup import escape

    from coreduce.data import BundledDataMissingError
    from coreduce.data.open import open_panel

    try:
        return open_panel(panel)
    except (FileNotFoundError, ValueError) as exc:  # BundledDataMissingError is a FileNotFoundError
        kind = "bundled panel missing" if isinstance(exc, BundledDataMissingError) else "--panel"
        Console(stderr=True).print(f"[red]error ({kind}):[/red] {escape(str(exc))}", highlight=False)
        raise typer.Exit(1) from None


def _run(label: str, func, *args, **kwargs):
    """Run an analysis under a spinner; turn expected errors into a one-line message and exit code 1."""
    from rich.console import Console
    from rich.markup import escape

    from coreduce.data import BundledDataMissingError, MissingSeriesError
    from coreduce.geo import GroupingError

    console = Console(stderr=True)
    try:
        with console.status(label):
            return func(*args, **kwargs)
    except (BundledDataMissingError, MissingSeriesError, GroupingError, ValueError) as exc:
        console.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False)
        raise typer.Exit(1) from None


def _print(result, frame, columns: list[str], title: str, out: Path | None, max_rows: int = 60) -> None:
    import math

    from rich.console import Console
    from rich.table import Table

    console = Console()
    table = Table(title=title, show_lines=False)
    for column in columns:
        table.add_column(column, justify="left" if frame[column].dtype == object else "right")
    for _, row in frame.head(max_rows).iterrows():
        cells = []
        for column in columns:
            value = row[column]
            if isinstance(value, float):
                cells.append("–" if math.isnan(value) else f"{value:,.0f}" if abs(value) >= 1e4 else f"{value:,.4g}")
            else:
                cells.append(str(value))
        table.add_row(*cells)
    console.print(table)
    if len(frame) > max_rows:
        console.print(f"… {len(frame) - max_rows} more rows (use --out to write them all)")
    for note in result.notes:
        console.print(f"[cyan]note:[/cyan] {note}")
    console.print("[bold]conventions[/bold]: " + "; ".join(f"{k} = {v}" for k, v in result.conventions.items()))
    if not result.missing.empty:
        console.print(f"[yellow]missing[/yellow]: {len(result.missing)} series/years absent (see --out .xlsx)")
    if out is not None:
        path = result.write(out)
        console.print(f"written: {path}")


def trends(
    start: StartOption = 2008,
    end: EndOption = 2022,
    grouping: GroupingOption = "four_regions",
    co2: Annotated[str, typer.Option("--co2", help="National CO2 series.")] = "co2_gcb",
    regional_co2: Annotated[
        str, typer.Option("--regional-co2", help="Provincial CO2 summed into regions.")
    ] = "co2_ceds",
    so2: Annotated[str, typer.Option("--so2", help="Provincial SO2 series.")] = "so2_nbs",
    nox: Annotated[str, typer.Option("--nox", help="Provincial NOx series.")] = "nox_ceds",
    membership: MembershipOption = "all",
    prices: PricesOption = "nominal",
    base_year: BaseYearOption = 2015,
    show: Annotated[
        str, typer.Option("--show", help="Table to print: summary (rates over the window) or plans (five-year plans).")
    ] = "summary",
    panel: PanelOption = None,
    out: OutOption = None,
) -> None:
    """National and regional CO2, CO2/SO2/NOx intensity and PM2.5, with average annual rates."""
    from coreduce.analysis.trends import trends as run

    if show not in ("summary", "plans"):
        raise typer.BadParameter(f"--show must be summary or plans, not {show!r}")
    data = _load(panel)
    result = _run(
        "trends",
        run,
        data,
        start,
        end,
        grouping=grouping,
        co2=co2,
        regional_co2=regional_co2,
        so2=so2,
        nox=nox,
        membership=membership,
        prices=prices,
        base_year=base_year,
    )
    if show == "plans":
        plans = result.to_frame("plans").assign(
            change_pct=lambda f: f["change"] * 100, target_pct=lambda f: f["target"] * 100
        )
        columns = ["name", "indicator", "plan", "base_year", "end_year", "base", "end", "change_pct", "target_pct"]
        _print(result, plans, columns, f"{result.title}: five-year plans", out)
        return
    summary = result.to_frame("summary").assign(annual_rate_pct=lambda f: f["annual_rate"] * 100)
    columns = ["name", "indicator", "unit", "start_year", "start", "end_year", "end", "annual_rate_pct"]
    _print(result, summary, columns, result.title, out)


def synergy(
    start: StartOption = 2008,
    end: EndOption = 2022,
    grouping: GroupingOption = "four_regions",
    pollutant: Annotated[str, typer.Option("--pollutant", help="Pollutant series for co-control.")] = "so2_ceds",
    co2: Annotated[str, typer.Option("--co2", help="CO2 series.")] = "co2_ceds",
    nox: Annotated[str, typer.Option("--nox", help="Second pollutant of the pollution subsystem.")] = "nox_ceds",
    form: Annotated[str, typer.Option("--form", help="Coupling degree: standard or modified.")] = "standard",
    level: Annotated[str, typer.Option("--level", help="Rows to print: province, region, nation or all.")] = "all",
    membership: MembershipOption = "all",
    prices: PricesOption = "nominal",
    base_year: BaseYearOption = 2015,
    panel: PanelOption = None,
    out: OutOption = None,
) -> None:
    """Co-control quadrant and elasticity, Tapio state, coupling coordination and synergy degree."""
    import pandas as pd

    from coreduce.analysis.costatus import costatus

    if level not in ("province", "region", "nation", "all"):
        raise typer.BadParameter(f"--level must be province, region, nation or all, not {level!r}")
    data = _load(panel)
    result = _run(
        "co-reduction status",
        costatus,
        data,
        start,
        end,
        grouping=grouping,
        pollutant=pollutant,
        co2=co2,
        nox=nox,
        coupling_form=form,
        membership=membership,
        prices=prices,
        base_year=base_year,
    )
    window = result.to_frame()
    coupling = result.to_frame("coupling")
    last = coupling[coupling["year"] == end][["geo", "D", "grade_zh"]]
    syn = result.to_frame("synergy").pivot_table(index="geo", columns="end", values="synergy", aggfunc="first")
    syn.columns = [f"synergy→{c}" for c in syn.columns]
    frame = window.merge(last, on="geo", how="left").merge(syn, left_on="geo", right_index=True, how="left")
    if level != "all":
        frame = frame[frame["level"] == level]
    second = [c for c in (f"quadrant_{nox}", f"elasticity_{nox}") if c in frame.columns]
    columns = [
        "level",
        "geo",
        "quadrant",
        "label_zh",
        "elasticity",
        *second,
        "tapio_co2",
        "D",
        "grade_zh",
        *syn.columns,
    ]
    _print(result, pd.DataFrame(frame), columns, result.title, out)


def decompose(
    target: Annotated[
        str | None,
        typer.Option("--target", help="Emission series (default co2_apparent; co2_ceads with --identity sectors)."),
    ] = None,
    identity: Annotated[
        str,
        typer.Option(
            "--identity",
            help="energy: scale, structure, energy intensity, energy mix, emission factor; "
            "sectors: scale, sector shares of value added, sector intensity (needs <target>.sector.* series).",
        ),
    ] = "energy",
    start: StartOption = 2008,
    end: Annotated[int | None, typer.Option("--end", help="Last year (default 2022; 2019 with sectors).")] = None,
    grouping: GroupingOption = "four_regions",
    form: Annotated[str, typer.Option("--form", help="additive or multiplicative.")] = "additive",
    yearly: Annotated[bool, typer.Option("--yearly", help="Decompose every consecutive pair of years.")] = False,
    level: Annotated[str, typer.Option("--level", help="province, region, nation or all.")] = "all",
    prices: PricesOption = "nominal",
    base_year: BaseYearOption = 2015,
    panel: PanelOption = None,
    out: OutOption = None,
) -> None:
    """LMDI decomposition of emissions into the drivers of the papers' three channels."""
    from coreduce.analysis.drivers import FACTORS, LEVELS, SECTOR_FACTORS, drivers, sector_drivers

    if level not in (*LEVELS, "all"):
        raise typer.BadParameter(f"--level must be province, region, nation or all, not {level!r}")
    if identity not in ("energy", "sectors"):
        raise typer.BadParameter(f"--identity must be energy or sectors, not {identity!r}")
    sectors = identity == "sectors"
    target = target or ("co2_ceads" if sectors else "co2_apparent")
    end = end if end is not None else (2019 if sectors else 2022)
    levels = LEVELS if level == "all" else (level,)
    data = _load(panel)
    result = _run(
        "LMDI",
        sector_drivers if sectors else drivers,
        data,
        target,
        start,
        end,
        levels=levels,
        grouping=grouping,
        form=form,
        yearly=yearly,
        prices=prices,
        base_year=base_year,
    )
    frame = result.to_frame()
    effects = [f for f in (SECTOR_FACTORS if sectors else FACTORS) if f in frame.columns]
    _print(result, frame, ["level", "geo", "start", "end", "V0", "V1", *effects, "total"], result.title, out)


def register(app: typer.Typer) -> None:
    app.command("trends")(trends)
    app.command("synergy")(synergy)
    app.command("decompose")(decompose)
