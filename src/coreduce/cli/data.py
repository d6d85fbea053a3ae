"""``coreduce data …``: build the panel from the public files, inspect it, check it and export it.

The panel shown is that of the embedded store under the user's data directory (filled from the bundled panel on
first use) unless ``--panel PATH`` (or the environment variable ``COREDUCE_STORE``) names another DuckDB store
(``coreduce data build`` writes one), an Excel export or a panel folder, as for every other command (``--store``
is kept as a hidden, deprecated spelling). Every command is a thin layer over :mod:`coreduce.data`.
"""

from __future__ import annotations

import math
import os
import re
from pathlib import Path
from typing import Annotated

import typer

from coreduce.cli.options import GroupingOption, PanelOption, StoreAlias, load_panel, panel_path

data_app = typer.Typer(help="Build, inspect, check and export the panel.", no_args_is_help=True)


def _console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr)


def _fail(message: str) -> None:
    _console(stderr=True).print(f"[red]error:[/red] {message}", highlight=False)
    raise typer.Exit(1)


def _path(panel: Path | None, store: Path | None) -> Path | None:
    """The panel named by ``--panel`` (or the deprecated ``--store``), else ``$COREDUCE_STORE``; a store named
    but absent is refused here rather than created empty."""
    path = panel_path(panel, store)
    if path is None and os.environ.get("COREDUCE_STORE"):
        path = Path(os.environ["COREDUCE_STORE"])
    if path is not None and path.suffix.lower() in (".duckdb", ".db") and not path.exists():
        _fail(f"{path}: no such store; write one with `coreduce data build --panel {path}`")
    return path


def _panel(panel: Path | None, store: Path | None):
    """The panel named by ``--panel``, else of the default embedded store (filled from the bundled panel if new)."""
    return load_panel(_path(panel, store))


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
    panel: Annotated[
        Path | None, typer.Option("--panel", help="Store to write (default: $COREDUCE_STORE or the user store).")
    ] = None,
    store: StoreAlias = None,
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
    target = Store(panel_path(panel, store))
    target.write_panel(result.panel, result.changes())
    console = _console()
    console.print(result.log(), highlight=False, markup=False)
    console.print(f"Stored {len(result.panel.data)} rows in {target.path}", highlight=False)
    if out is not None:
        written = write_bundled(result.panel, out, result.changes())
        console.print(f"Wrote {', '.join(written)} to {out}", highlight=False)


@data_app.command("info")
def info(
    panel: PanelOption = None,
    store: StoreAlias = None,
    breakdowns: Annotated[
        bool, typer.Option("--breakdowns", help="List every sector/fuel series instead of one line per family.")
    ] = False,
) -> None:
    """Variables with units, coverage and publisher; sources with licences; status counts."""
    from rich.table import Table

    from coreduce.data.summary import summarise_default, summarise_panel, summarise_store

    path = _path(panel, store)
    if path is None:  # counted inside the store, nothing loaded
        summary = summarise_default(breakdowns)
    elif path.suffix.lower() in (".duckdb", ".db"):
        summary = summarise_store(path, breakdowns)
    else:
        summary = summarise_panel(load_panel(path), breakdowns)
    console = _console()
    title = f"Panel variables ({summary.series} series"
    families = summary.families
    title += f"; {families} breakdown families shown as one line, --breakdowns lists them)" if families else ")"
    table = Table(title=title)
    for column in ("variable", "unit", "years", "geos", "rows", "publisher"):
        table.add_column(column, justify="right" if column in ("geos", "rows") else "left")
    for v in summary.variables:
        shown = f"{v.name} ({v.series} series)" if v.series > 1 else v.name
        table.add_row(shown, v.unit, f"{v.first}–{v.last}", str(v.geos), str(v.rows), v.publisher)
    console.print(table)
    sources = Table(title="Sources: publishers and licences")
    for column in ("source", "publisher", "licence", "citation"):
        sources.add_column(column, overflow="fold")
    for row in summary.sources:
        sources.add_row(*row)
    console.print(sources)
    status = Table(title="Values by status")
    status.add_column("status")
    status.add_column("values", justify="right")
    for name, count in summary.status:
        status.add_row(str(name), str(count))
    console.print(status)


@data_app.command("show")
def show(
    variable: Annotated[str, typer.Argument(help="A panel variable, e.g. gdp or co2_ceads.")],
    geo: Annotated[
        list[str] | None,
        typer.Option(
            "--geo",
            help="Province (any name or code), China, a region (East, 东部) or an area (京津冀, 长三角), or a code; "
            "repeatable.",
        ),
    ] = None,
    years: Annotated[str | None, typer.Option("--years", help="First:last year, e.g. 2008:2022.")] = None,
    panel: PanelOption = None,
    store: StoreAlias = None,
) -> None:
    """A geography × year table of one variable; missing years show as —, interpolated values end in *,
    corrected ones in †, values the plausibility checks flag in !."""
    from rich.markup import escape
    from rich.table import Table

    from coreduce.data import MissingSeriesError
    from coreduce.data.checks import check_panel
    from coreduce.geo import NATIONAL_CODE, UnknownProvinceError
    from coreduce.geo.places import resolve_places

    span = _years(years)
    loaded = _panel(panel, store)
    try:
        rows = loaded.series(variable)
    except MissingSeriesError as exc:
        close = [v for v in loaded.variables if variable.split(".")[0] in v][:8]
        _fail(f"{exc}" + (f"; did you mean {', '.join(close)}?" if close else ""))
    codes = None
    if geo:
        present = set(rows["geo"])
        try:  # a code of the panel as it is (a country, a cluster), else a province, China, a region or an area
            codes = [c for name in geo for c in ((name,) if name in present else resolve_places([name]))]
        except UnknownProvinceError as exc:
            _fail(str(exc))
        codes = [c for c in dict.fromkeys(codes) if c in present or c == NATIONAL_CODE or c.isdigit()]
        rows = rows[rows["geo"].isin(codes)]
    if span is None and rows.empty:
        _fail(f"{variable} has no values for {', '.join(geo or [])}")
    first, last = span if span is not None else (int(rows["year"].min()), int(rows["year"].max()))
    table = Table(title=escape(f"{variable} [{loaded.unit_of(variable)}]"))
    table.add_column("geo")
    all_years = list(range(first, last + 1))
    for year in all_years:
        table.add_column(str(year), justify="right")
    mark = {"interpolated": "*", "corrected": "†"}
    flagged = check_panel(rows, loaded.catalogue, breakdowns=True).flagged()
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
    years: Annotated[
        str | None,
        typer.Option("--years", help="First:last year, e.g. 2008:2022 (default: all; dta: the analysis window)."),
    ] = None,
    layout: Annotated[str, typer.Option("--layout", help="Stata layout: wide (province-year rows) or long.")] = "wide",
    grouping: GroupingOption = "four_regions",
    panel: PanelOption = None,
    store: StoreAlias = None,
) -> None:
    """Write the panel as CSV/Parquet (long), Excel (data, catalogue, sources) or Stata .dta (provinces with
    numeric codes, names, region, variable and value labels; wide or long)."""
    from coreduce.data import MissingSeriesError
    from coreduce.data.export import FORMATS, ExportError, export_panel
    from coreduce.geo import GroupingError

    if fmt.lower() not in FORMATS:
        raise typer.BadParameter(f"--format must be one of {', '.join(FORMATS)}; got {fmt!r}")
    span = _years(years)
    if span is None and fmt.lower() == "dta":
        from coreduce.analysis.conventions import ProvinceConventions

        window = ProvinceConventions()
        span = (window.start, window.end)
    loaded = _panel(panel, store)
    console = _console()
    try:
        with console.status(f"Writing {out} ({fmt.lower()}, {len(loaded.data):,} rows)"):
            path = export_panel(loaded, out, fmt, variable or None, years=span, layout=layout, grouping=grouping)
    except (ExportError, MissingSeriesError, GroupingError) as exc:
        _fail(str(exc))
    console.print(f"Wrote {path} ({path.stat().st_size:,} bytes)", highlight=False)
    if fmt.lower() == "dta":
        console.print(
            f"Stata: {layout}, {span[0]}–{span[1]}, provinces and China only (countries and other units are in the "
            "csv/parquet/xlsx exports); `use` it and `xtset geo year`",
            highlight=False,
        )


@data_app.command("check")
def check(
    panel: PanelOption = None,
    store: StoreAlias = None,
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
        loaded = _panel(panel, store)
        report = check_panel(loaded.data, loaded.catalogue)
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
