"""``coreduce data …``: build the panel from the public files, inspect it, check it and export it.

The panel shown is that of the embedded store under the user's data directory (filled from the bundled panel on
first use) unless ``--store PATH`` (or the environment variable ``COREDUCE_STORE``) names another DuckDB store
(``coreduce data build`` writes one). Every command is a thin layer over :mod:`coreduce.data`.
"""

from __future__ import annotations

import math
import os
import re
from pathlib import Path
from typing import Annotated

import typer

StoreOption = Annotated[
    Path | None,
    typer.Option(
        "--store", help="A DuckDB store (default: $COREDUCE_STORE, else the user store, seeded from the bundled panel)."
    ),
]

data_app = typer.Typer(help="Build, inspect, check and export the panel.", no_args_is_help=True)


def _console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr)


def _fail(message: str) -> None:
    _console(stderr=True).print(f"[red]error:[/red] {message}", highlight=False)
    raise typer.Exit(1)


def _panel(store: Path | None):
    """The panel of the named store, else of the default embedded store (filled from the bundled panel if new)."""
    from coreduce.data import BundledDataMissingError
    from coreduce.data.store import Store, seeded_store

    if store is None and os.environ.get("COREDUCE_STORE"):
        store = Path(os.environ["COREDUCE_STORE"])
    if store is not None:
        if not store.exists():
            _fail(f"{store}: no such store; write one with `coreduce data build --store {store}`")
        return Store(store).panel()
    try:
        return seeded_store().panel()
    except BundledDataMissingError as exc:
        _fail(str(exc))


def _geo_label(code: str) -> str:
    from coreduce.geo import NATIONAL_CODE, by_code

    if code == NATIONAL_CODE:
        return "China"
    province = by_code().get(code)
    return province.name_en if province else code


def _number(value: float) -> str:
    """Thousands separators and no exponent for the magnitudes of statistics; 4 significant digits below 100."""
    if abs(value) >= 100:
        return f"{value:,.1f}" if abs(value) < 10_000 else f"{value:,.0f}"
    return f"{value:.4g}"


def _years(text: str | None) -> tuple[int, int] | None:
    if text is None:
        return None
    match = re.fullmatch(r"\s*(\d{4})\s*[:\-–]\s*(\d{4})\s*", text)
    if not match or int(match.group(1)) > int(match.group(2)):
        raise typer.BadParameter(f"--years must look like 2008:2022 (first:last); got {text!r}")
    return int(match.group(1)), int(match.group(2))


@data_app.command("build")
def build(
    source: Annotated[
        Path | None, typer.Option("--from", help="The public data folder (default: ../shared/data).")
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Also write the compact bundled files into this folder.")
    ] = None,
    store: Annotated[
        Path | None, typer.Option("--store", help="Store to write (default: $COREDUCE_STORE or the user store).")
    ] = None,
    progress: Annotated[bool, typer.Option(help="Show a progress bar.")] = True,
    allow_impossible: Annotated[
        bool,
        typer.Option(
            "--allow-impossible",
            help="Keep values that cannot be true (negative emissions, non-finite, beyond physical bounds) instead "
            "of failing; each is recorded as an override in the corrections log.",
        ),
    ] = False,
) -> None:
    """Read every public file, check, correct from cited values, interpolate interior gaps, store the panel.

    Impossible values stop the build before anything is stored, naming the file, place, year and value.
    """
    from coreduce.data.build import BuildError, build_panel, write_bundled
    from coreduce.data.repair import CorrectionError
    from coreduce.data.store import Store
    from coreduce.paths import shared_data_dir

    root = source or shared_data_dir()
    try:
        result = build_panel(root, progress=progress, allow_impossible=allow_impossible)
    except (BuildError, CorrectionError) as exc:
        _fail(str(exc))
    target = Store(store)
    target.write_panel(result.panel, result.changes())
    console = _console()
    console.print(result.log(), highlight=False, markup=False)
    console.print(f"Stored {len(result.panel.data)} rows in {target.path}", highlight=False)
    if out is not None:
        written = write_bundled(result.panel, out, result.changes())
        console.print(f"Wrote {', '.join(written)} to {out}", highlight=False)


@data_app.command("info")
def info(
    store: StoreOption = None,
    breakdowns: Annotated[
        bool, typer.Option("--breakdowns", help="List every sector/fuel series instead of one line per family.")
    ] = False,
) -> None:
    """Variables with units, coverage and publisher; sources with licences; status counts."""
    from rich.table import Table

    panel = _panel(store)
    data = panel.data[panel.data["value"].notna()]
    name = data["variable"]
    if not breakdowns:  # co2_ceads.sector.chemicals → co2_ceads.sector.*
        name = name.str.replace(r"^([^.]+\.[^.]+)\..+$", r"\1.*", regex=True)
    coverage = (
        data.assign(name=name, member=data["variable"])
        .groupby("name")
        .agg(
            first=("year", "min"),
            last=("year", "max"),
            geos=("geo", "nunique"),
            rows=("value", "size"),
            series=("member", "nunique"),
            member=("member", "first"),
        )
    )
    catalogue = panel.catalogue.set_index("variable")
    console = _console()
    families = int((coverage["series"] > 1).sum())
    title = f"Panel variables ({data['variable'].nunique()} series"
    title += f"; {families} breakdown families shown as one line, --breakdowns lists them)" if families else ")"
    table = Table(title=title)
    for column in ("variable", "unit", "years", "geos", "rows", "publisher"):
        table.add_column(column, justify="right" if column in ("geos", "rows") else "left")
    for label, row in coverage.iterrows():
        unit = catalogue["unit"].get(row["member"], "")
        publisher = catalogue["publisher"].get(row["member"], "")
        shown = f"{label} ({row['series']} series)" if row["series"] > 1 else label
        years = f"{row['first']}–{row['last']}"
        table.add_row(shown, unit, years, str(row["geos"]), str(row["rows"]), publisher)
    console.print(table)
    sources = Table(title="Sources: publishers and licences")
    for column in ("source", "publisher", "licence", "citation"):
        sources.add_column(column, overflow="fold")
    for r in panel.attribution().itertuples(index=False):
        sources.add_row(r.source, r.publisher, r.licence, r.citation)
    console.print(sources)
    status = Table(title="Values by status")
    status.add_column("status")
    status.add_column("values", justify="right")
    for name, count in panel.status_counts().items():
        status.add_row(str(name), str(count))
    console.print(status)


@data_app.command("show")
def show(
    variable: Annotated[str, typer.Argument(help="A panel variable, e.g. gdp or co2_ceads.")],
    geo: Annotated[
        list[str] | None, typer.Option("--geo", help="Province (any name or code), China, or a code; repeatable.")
    ] = None,
    years: Annotated[str | None, typer.Option("--years", help="First:last year, e.g. 2008:2022.")] = None,
    store: StoreOption = None,
) -> None:
    """A geography × year table of one variable; missing years show as —, interpolated values end in *,
    corrected ones in †, values the plausibility checks flag in !."""
    from rich.markup import escape
    from rich.table import Table

    from coreduce.data import MissingSeriesError
    from coreduce.data.checks import check_panel
    from coreduce.geo import NATIONAL_CODE, UnknownProvinceError, resolve

    span = _years(years)
    panel = _panel(store)
    try:
        rows = panel.series(variable)
    except MissingSeriesError as exc:
        close = [v for v in panel.variables if variable.split(".")[0] in v][:8]
        _fail(f"{exc}" + (f"; did you mean {', '.join(close)}?" if close else ""))
    codes = None
    if geo:
        codes = []
        for name in geo:
            if name.strip().lower() in ("china", "中国", "national", NATIONAL_CODE):
                codes.append(NATIONAL_CODE)
            elif name in set(rows["geo"]):
                codes.append(name)
            else:
                try:
                    codes.append(resolve(name).code)
                except UnknownProvinceError as exc:
                    _fail(str(exc))
        rows = rows[rows["geo"].isin(codes)]
    if span is None and rows.empty:
        _fail(f"{variable} has no values for {', '.join(geo or [])}")
    first, last = span if span is not None else (int(rows["year"].min()), int(rows["year"].max()))
    table = Table(title=escape(f"{variable} [{panel.unit_of(variable)}]"))
    table.add_column("geo")
    all_years = list(range(first, last + 1))
    for year in all_years:
        table.add_column(str(year), justify="right")
    mark = {"interpolated": "*", "corrected": "†"}
    flagged = check_panel(rows, panel.catalogue, breakdowns=True).flagged()
    suspect = set(zip(flagged["geo"], flagged["year"], strict=True))
    order = codes if codes is not None else sorted(rows["geo"].unique())
    for code in order:
        own = rows[rows["geo"] == code].set_index("year")
        cells = []
        for year in all_years:
            if year in own.index and not math.isnan(own.at[year, "value"]):
                text = _number(own.at[year, "value"]) + mark.get(own.at[year, "status"], "")
                cells.append(f"[bold red]{text}![/bold red]" if (code, year) in suspect else text)
            else:
                cells.append("[dim]—[/dim]")
        table.add_row(_geo_label(code), *cells)
    console = _console()
    console.print(table)
    console.print(
        "— missing   * interpolated   † corrected (see `coreduce data info` for sources)   ! flagged by the checks, "
        f"no cited correction (see `coreduce data check --variable {variable}`)",
        highlight=False,
        markup=False,
    )


@data_app.command("export")
def export(
    fmt: Annotated[str, typer.Option("--format", help="csv, parquet, xlsx or dta.")],
    out: Annotated[Path, typer.Option("--out", help="File to write.")],
    variable: Annotated[
        list[str] | None, typer.Option("--variable", help="Export only this variable; repeatable (default: all).")
    ] = None,
    store: StoreOption = None,
) -> None:
    """Write the panel as CSV/Parquet (long), Excel (data, catalogue, sources) or Stata .dta (wide, labelled)."""
    from coreduce.data import MissingSeriesError
    from coreduce.data.export import FORMATS, ExportError, export_panel

    if fmt.lower() not in FORMATS:
        raise typer.BadParameter(f"--format must be one of {', '.join(FORMATS)}; got {fmt!r}")
    panel = _panel(store)
    console = _console()
    try:  # an Excel file of the whole panel takes tens of seconds: show that work is under way
        with console.status(f"Writing {out} ({fmt.lower()}, {len(panel.data):,} rows)"):
            path = export_panel(panel, out, fmt, variables=variable or None)
    except (ExportError, MissingSeriesError) as exc:
        _fail(str(exc))
    console.print(f"Wrote {path} ({path.stat().st_size:,} bytes)", highlight=False)


@data_app.command("check")
def check(
    store: StoreOption = None,
    source: Annotated[
        Path | None,
        typer.Option("--from", help="Check the rows as read from this public data folder, before any repair."),
    ] = None,
    variable: Annotated[str | None, typer.Option("--variable", help="Only findings for this variable.")] = None,
    years: Annotated[str | None, typer.Option("--years", help="Only findings in first:last, e.g. 2008:2022.")] = None,
    limit: Annotated[int, typer.Option(help="Findings to list (the counts cover all).")] = 40,
) -> None:
    """Run the plausibility checks and print the findings (counts by check and variable, then the list)."""
    from rich.table import Table

    from coreduce.data.checks import check_panel

    span = _years(years)
    if source is not None:
        from coreduce.data.build import BuildError, build_panel

        try:
            report = build_panel(source, progress=True).report
        except BuildError as exc:
            _fail(str(exc))
    else:
        panel = _panel(store)
        report = check_panel(panel.data, panel.catalogue)
    findings = report.findings
    if variable is not None:
        findings = findings[findings["variable"] == variable]
    if span is not None:
        findings = findings[findings["year"].between(*span)]
    console = _console()
    console.print(
        "conventions: " + ", ".join(f"{k}={v}" for k, v in report.conventions.items()), highlight=False, markup=False
    )
    counts = Table(title=f"Findings: {len(findings)}")
    for column in ("check", "variable", "n"):
        counts.add_column(column, justify="right" if column == "n" else "left")
    if len(findings):
        for r in findings.groupby(["check", "variable"]).size().rename("n").reset_index().itertuples(index=False):
            counts.add_row(r.check, r.variable, str(r.n))
    console.print(counts)
    listing = Table(title=f"First {min(limit, len(findings))} findings")
    for column in ("check", "variable", "geo", "year", "value", "detail"):
        listing.add_column(column, overflow="fold")
    for r in findings.head(limit).itertuples(index=False):
        listing.add_row(r.check, r.variable, _geo_label(r.geo), str(r.year), _number(r.value), r.detail)
    console.print(listing)


def register(app: typer.Typer) -> None:
    app.add_typer(data_app, name="data")
