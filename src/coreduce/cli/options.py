"""Options and helpers shared by every analysis command: the panel, the output file, the window, the grouping,
prices, building the conventions once, running an analysis and printing its result."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

PanelOption = Annotated[
    Path | None,
    typer.Option("--panel", help="A store (.duckdb), an Excel export or a panel folder (default: the embedded store)."),
]
StoreAlias = Annotated[Path | None, typer.Option("--store", hidden=True, help="Deprecated spelling of --panel.")]
"""``--store``, the old name of ``--panel`` on the data and grid commands: accepted, hidden from help."""
OutOption = Annotated[Path | None, typer.Option("--out", help="Write the result to a .csv or .xlsx file.")]
StartOption = Annotated[int, typer.Option("--start", help="First year.")]
EndOption = Annotated[int, typer.Option("--end", help="Last year.")]
GroupingOption = Annotated[
    str, typer.Option("--grouping", help="four_regions, three_belts or a TOML/CSV grouping file.")
]
PricesOption = Annotated[
    str, typer.Option("--prices", help="GDP prices: nominal, or constant (national GDP deflator).")
]
GeoOption = Annotated[
    list[str] | None,
    typer.Option(
        "--geo",
        help="Only these rows: a province (any name or code), China, a region of the grouping (East, 东部, with its "
        "provinces) or an area (京津冀, 长三角, 汾渭平原, 成渝); repeatable.",
    ),
]
PlotOption = Annotated[
    Path | None,
    typer.Option("--plot", help="Also write the figure(s) the report draws for this result (.png, .svg or .pdf)."),
]
LangOption = Annotated[str, typer.Option("--lang", help="Language of the --plot figure: zh or en.")]
BaseYearOption = Annotated[int, typer.Option("--base-year", help="Price base year for --prices constant.")]
MembershipOption = Annotated[
    str,
    typer.Option(
        "--membership",
        help="Region totals: 'covered' (leave out members a series does not cover at all, e.g. Tibet in CEADs, "
        "named as missing; the others every year), 'all' (only years when every member has data) or "
        "'complete_members' (leave out members with gaps, listed as missing).",
    ),
]


def fail(message: str) -> typer.Exit:
    """Print ``error: message`` on stderr; return the exit to raise."""
    from rich.console import Console
    from rich.markup import escape

    Console(stderr=True).print(f"[red]error:[/red] {escape(message)}", highlight=False)
    return typer.Exit(1)


def panel_path(panel: Path | None, store: Path | None) -> Path | None:
    """The path of ``--panel``, or of the deprecated ``--store`` (with a note that it is deprecated)."""
    if store is None:
        return panel
    if panel is not None and panel != store:
        raise typer.BadParameter("give --panel only (--store is its deprecated spelling), not both")
    from rich.console import Console

    Console(stderr=True).print("[yellow]note:[/yellow] --store is deprecated; use --panel", highlight=False)
    return store


def conventions(**values: Any):
    """The province conventions from command options (``None`` keeps the default); a wrong value or
    combination is reported once, naming the key."""
    from coreduce.analysis.conventions import ProvinceConventions
    from coreduce.conventions import ConventionError

    try:
        return ProvinceConventions(**{k: v for k, v in values.items() if v is not None})
    except ConventionError as exc:
        raise fail(str(exc)) from None


def load_panel(panel: Path | None):
    """The panel named by ``--panel`` (store, Excel export or folder), else the embedded store's."""
    from coreduce.data import BundledDataMissingError
    from coreduce.data.open import open_panel

    try:
        return open_panel(panel)
    except (FileNotFoundError, ValueError) as exc:  # BundledDataMissingError is a FileNotFoundError
        kind = "bundled panel missing" if isinstance(exc, BundledDataMissingError) else "--panel"
        raise fail(f"({kind}) {exc}") from None


def run(label: str, func, *args, **kwargs):
    """Run an analysis under a spinner; turn expected errors into a one-line message and exit code 1."""
    from rich.console import Console

    from coreduce.data import BundledDataMissingError, MissingSeriesError
    from coreduce.geo import GroupingError

    try:
        with Console(stderr=True).status(label):
            return func(*args, **kwargs)
    except (BundledDataMissingError, MissingSeriesError, GroupingError, ValueError) as exc:
        raise fail(str(exc)) from None


def place_names(codes, grouping: str = "four_regions") -> list[str]:
    """Display names of row codes: ``Beijing (北京)``, ``East (东部)``, ``China``; other codes as they are."""
    from coreduce.geo import NATIONAL_CODE, by_code, load_grouping

    provinces, labels = by_code(), load_grouping(grouping).labels_zh
    names = []
    for code in codes:
        if code == NATIONAL_CODE:
            names.append("China")
        elif code in provinces:
            names.append(f"{provinces[code].name_en} ({provinces[code].short_zh})")
        else:
            names.append(f"{code} ({labels[code]})" if code in labels else str(code))
    return names


def with_names(frame, grouping: str = "four_regions"):
    """``frame`` with a ``name`` column beside its ``geo`` codes."""
    out = frame.copy()
    out.insert(list(out.columns).index("geo") + 1, "name", place_names(out["geo"], grouping))
    return out


def only_places(frame, geo: list[str] | None, grouping: str, what: str):
    """The rows of ``frame`` whose ``geo`` the ``--geo`` names denote (all rows when none are given)."""
    if not geo:
        return frame
    from coreduce.geo import UnknownProvinceError
    from coreduce.geo.places import resolve_places

    try:
        codes = resolve_places(geo, grouping)
    except UnknownProvinceError as exc:
        raise fail(f"--geo: {exc.args[0]}") from None
    kept = frame[frame["geo"].isin(codes)]
    if kept.empty:
        raise fail(f"--geo {', '.join(geo)}: {what} has no rows for these places")
    return kept


def plot(kind: str, result, panel, conventions, path: Path | None, lang: str) -> None:
    """Write ``--plot``: the report's figures of ``result``."""
    if path is None:
        return
    from rich.console import Console

    from coreduce.report.plot import plot_result

    for written in run("drawing the figures", plot_result, kind, result, panel, conventions, path, lang):
        Console().print(f"figure: {written}", highlight=False)


def _cell(value) -> str:
    import math

    if isinstance(value, float):
        return "–" if math.isnan(value) else f"{value:,.0f}" if abs(value) >= 1e4 else f"{value:,.4g}"
    return str(value)


def show_table(frame, columns: list[str], title: str, max_rows: int = 60) -> None:
    """Print ``columns`` of ``frame`` as a table (at most ``max_rows`` rows)."""
    from rich.console import Console
    from rich.table import Table

    console = Console()
    table = Table(title=title, show_lines=False)
    for column in columns:
        table.add_column(str(column), justify="left" if frame[column].dtype == object else "right")
    for row in frame[columns].head(max_rows).itertuples(index=False):
        table.add_row(*(_cell(v) for v in row))
    console.print(table)
    if len(frame) > max_rows:
        console.print(f"… {len(frame) - max_rows} more rows (use --out to write them all)")


def print_footer(console, result) -> None:
    """Print a result's notes, its conventions and the count of its missing records."""
    for note in result.notes_text():
        console.print(f"[cyan]note:[/cyan] {note}")
    shown = "; ".join(f"{row.convention} = {row.value}" for row in result.conventions_frame().itertuples())
    console.print(f"[bold]conventions[/bold]: {shown}")
    if result.missing:
        console.print(f"[yellow]missing[/yellow]: {len(result.missing)} series/years absent (see --out .xlsx)")


def print_result(result, frame, columns: list[str], title: str, out: Path | None, max_rows: int = 60) -> None:
    """Print a table of the result, its notes, conventions and the count of missing records; write ``--out``."""
    from rich.console import Console

    show_table(frame, columns, title, max_rows)
    console = Console()
    print_footer(console, result)
    if out is not None:
        console.print(f"written: {result.write(out)}")
