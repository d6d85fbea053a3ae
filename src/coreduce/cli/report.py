"""``coreduce report``: build the HTML/PDF report, every figure and table, from the panel."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

SECTIONS = (
    "framework, national_trends, regional_trends, provinces, drivers, nqpf, nqpf_effect, market, "
    "finance (only when named)"
)
"""The sections of :data:`coreduce.report.config.SECTIONS`, for the help text (no import at start-up)."""


_ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config", help="A report.toml ([report] and [conventions] tables); options below replace its values."
    ),
]
_PanelOption = Annotated[
    Path | None,
    typer.Option("--panel", help="Panel to report on (default: the embedded store, seeded from the bundled one)."),
]
_OutOption = Annotated[
    Path | None,
    typer.Option("--out", help="Folder to write the report into (default: <user data dir>/report)."),
]
_LangOption = Annotated[str | None, typer.Option("--lang", help="Language of titles and labels: zh or en.")]
_FormatsOption = Annotated[str | None, typer.Option("--format", help="Comma-separated formats: html, pdf.")]
_PdfEngineOption = Annotated[
    str | None, typer.Option("--pdf-engine", help="auto (Chromium, else matplotlib), chromium or matplotlib.")
]
_DpiOption = Annotated[int | None, typer.Option("--dpi", help="Resolution of the PNG figures (default 300).")]
_SectionsOption = Annotated[
    str | None,
    typer.Option("--sections", help=f"Comma-separated sections: {SECTIONS} (methods always)."),
]
_StartOption = Annotated[int | None, typer.Option("--start", help="First year of the analysis window.")]
_EndOption = Annotated[int | None, typer.Option("--end", help="Last year of the analysis window.")]
_Co2Option = Annotated[str | None, typer.Option("--co2", help="Provincial CO2 series (e.g. co2_ceds, co2_ceads).")]
_NationalCo2Option = Annotated[str | None, typer.Option("--national-co2", help="National CO2 series.")]
_PricesOption = Annotated[str | None, typer.Option("--prices", help="GDP prices: nominal or constant.")]
_BaseYearOption = Annotated[int | None, typer.Option("--base-year", help="Price base year for constant prices.")]
_GroupingOption = Annotated[
    str | None, typer.Option("--grouping", help="four_regions, three_belts or a TOML/CSV grouping file.")
]
_SystemOption = Annotated[str | None, typer.Option("--system", help="NQPF indicator system (name or TOML file).")]
_ScopeOption = Annotated[
    str, typer.Option("--scope", help="china (provinces and regions) or world (China beside the Global South).")
]


def report(
    config: _ConfigOption = None,
    panel: _PanelOption = None,
    out: _OutOption = None,
    lang: _LangOption = None,
    formats: _FormatsOption = None,
    pdf_engine: _PdfEngineOption = None,
    dpi: _DpiOption = None,
    sections: _SectionsOption = None,
    start: _StartOption = None,
    end: _EndOption = None,
    co2: _Co2Option = None,
    national_co2: _NationalCo2Option = None,
    prices: _PricesOption = None,
    base_year: _BaseYearOption = None,
    grouping: _GroupingOption = None,
    system: _SystemOption = None,
    scope: _ScopeOption = "china",
) -> None:
    """Write the report (HTML, PDF, figures as PNG and SVG, tables and figure data as CSV, and the report.toml
    that rebuilds it)."""
    from coreduce.paths import user_dir

    out = out if out is not None else user_dir() / "report"
    if scope == "world":
        from coreduce.cli.world import report_world

        report_world(panel, out, lang or "zh", formats or "html,pdf")
        return
    if scope != "china":
        raise typer.BadParameter(f"--scope must be china or world, not {scope!r}")
    conventions = (start, end, co2, national_co2, prices, base_year, grouping, system)
    chosen = _config(config, lang, formats, pdf_engine, dpi, sections, *conventions)
    if panel is not None and not panel.exists():
        raise typer.BadParameter(f"panel file not found: {panel}")
    _print_summary(_build(panel, out, chosen), panel)


def _build(panel: Path | None, out: Path, chosen):
    """Build the report under a progress bar; print coreduce's own warnings after it, and a failure as one line."""
    import warnings

    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from coreduce.report.build import build_report

    console = Console(stderr=True)
    # redrawn at each step, not by a refresh thread: the build forks a second process only from a single thread
    columns = (TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    with (
        Progress(*columns, console=console, auto_refresh=False) as bar,
        warnings.catch_warnings(record=True) as caught,
    ):
        warnings.simplefilter("always")
        task = bar.add_task("report", total=1)

        def step(description: str, done: int, total: int) -> None:
            bar.update(task, description=description, completed=done, total=total)
            bar.refresh()

        try:
            result = build_report(panel, out, progress=step, config=chosen)
        except (RuntimeError, ValueError, OSError) as exc:
            bar.stop()
            console.print(f"[red]report failed:[/red] {exc}")
            raise typer.Exit(1) from None
    for warning in caught:
        if issubclass(warning.category, UserWarning) and "coreduce" in type(warning.message).__module__:
            console.print(f"[yellow]warning:[/yellow] {warning.message}")
    return result


def _print_summary(result, panel: Path | None) -> None:
    """The files written, the counts of figures and tables, what was left out and why, and the time."""
    from rich.console import Console
    from rich.table import Table

    from coreduce.paths import default_store_path

    table = Table(title="coreduce report", show_lines=False)
    table.add_column("item")
    table.add_column("value", overflow="fold")
    table.add_row("panel", f"embedded store {default_store_path()}" if panel is None else str(panel))
    for name, path in result.files.items():
        table.add_row(name.upper(), str(path))
    table.add_row("figures", f"{len(result.report.figures)} (PNG + SVG in {result.out_dir / 'figures'})")
    table.add_row("tables", f"{len(result.tables)} CSV")
    if result.pdf_engine:
        table.add_row("PDF engine", result.pdf_engine)
    for title, reason in result.omitted.items():
        table.add_row(f"omitted: {title}", reason)
    table.add_row("time", f"{result.timings.get('total', 0):.1f} s")
    Console().print(table)
    opened = result.files.get("html") or result.files.get("pdf")
    if opened:
        Console().print(f"Open [bold]{opened.resolve()}[/bold]")


def _split(text: str | None) -> tuple[str, ...] | None:
    return None if text is None else tuple(p.strip().lower() for p in text.split(",") if p.strip())


def _config(path: Path | None, lang, formats, pdf_engine, dpi, sections, *conventions):
    """The report configuration from ``--config`` and the options given (an option replaces the file's value);
    a wrong key or value is refused naming it."""
    from coreduce.conventions import ConventionError
    from coreduce.report.config import ReportConfig

    if path is not None and not path.is_file():
        raise typer.BadParameter(f"config file not found: {path}")
    names = ("start", "end", "co2", "national_co2", "prices", "base_year", "grouping", "system")
    try:
        return ReportConfig.load(
            path,
            lang=lang,
            formats=_split(formats),
            pdf_engine=pdf_engine,
            dpi=dpi,
            sections=_split(sections),
            **dict(zip(names, conventions, strict=True)),
        )
    except (ConventionError, ValueError) as exc:
        raise typer.BadParameter(str(exc)) from None


def register(app: typer.Typer) -> None:
    app.command("report")(report)
