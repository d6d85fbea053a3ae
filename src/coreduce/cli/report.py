"""``coreduce report``: build the HTML/PDF report, every figure and table, from the panel."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

SECTIONS = "framework, national_trends, regional_trends, provinces, drivers, nqpf, market"
"""The sections of :data:`coreduce.report.config.SECTIONS`, for the help text (no import at start-up)."""


def report(
    config: Annotated[
        Path | None,
        typer.Option(
            "--config", help="A report.toml ([report] and [conventions] tables); options below replace its values."
        ),
    ] = None,
    panel: Annotated[
        Path | None,
        typer.Option("--panel", help="Panel to report on (default: the embedded store, seeded from the bundled one)."),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Folder to write the report into (default: <user data dir>/report)."),
    ] = None,
    lang: Annotated[str | None, typer.Option("--lang", help="Language of titles and labels: zh or en.")] = None,
    formats: Annotated[str | None, typer.Option("--format", help="Comma-separated formats: html, pdf.")] = None,
    pdf_engine: Annotated[
        str | None, typer.Option("--pdf-engine", help="auto (Chromium, else matplotlib), chromium or matplotlib.")
    ] = None,
    dpi: Annotated[int | None, typer.Option("--dpi", help="Resolution of the PNG figures (default 300).")] = None,
    sections: Annotated[
        str | None,
        typer.Option("--sections", help=f"Comma-separated sections: {SECTIONS} (methods always)."),
    ] = None,
    start: Annotated[int | None, typer.Option("--start", help="First year of the analysis window.")] = None,
    end: Annotated[int | None, typer.Option("--end", help="Last year of the analysis window.")] = None,
    co2: Annotated[str | None, typer.Option("--co2", help="Provincial CO2 series (e.g. co2_ceds, co2_ceads).")] = None,
    national_co2: Annotated[str | None, typer.Option("--national-co2", help="National CO2 series.")] = None,
    prices: Annotated[str | None, typer.Option("--prices", help="GDP prices: nominal or constant.")] = None,
    base_year: Annotated[int | None, typer.Option("--base-year", help="Price base year for constant prices.")] = None,
    grouping: Annotated[
        str | None, typer.Option("--grouping", help="four_regions, three_belts or a TOML/CSV grouping file.")
    ] = None,
    system: Annotated[str | None, typer.Option("--system", help="NQPF indicator system (name or TOML file).")] = None,
    scope: Annotated[
        str, typer.Option("--scope", help="china (provinces and regions) or world (China beside the Global South).")
    ] = "china",
) -> None:
    """Write the report (HTML, PDF, figures as PNG and SVG, tables and figure data as CSV, and the report.toml
    that rebuilds it)."""
    import warnings

    from coreduce.paths import user_dir

    out = out if out is not None else user_dir() / "report"
    if scope == "world":
        from coreduce.cli.world import report_world

        report_world(panel, out, lang or "zh", formats or "html,pdf")
        return
    if scope != "china":
        raise typer.BadParameter(f"--scope must be china or world, not {scope!r}")
    chosen = _config(
        config,
        lang,
        formats,
        pdf_engine,
        dpi,
        sections,
        start,
        end,
        co2,
        national_co2,
        prices,
        base_year,
        grouping,
        system,
    )
    if panel is not None and not panel.exists():
        raise typer.BadParameter(f"panel file not found: {panel}")

    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.table import Table

    from coreduce.report.build import build_report

    console = Console(stderr=True)

    with (
        Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), console=console) as bar,
        warnings.catch_warnings(record=True) as caught,
    ):
        warnings.simplefilter("always")
        task = bar.add_task("report", total=1)

        def step(description: str, done: int, total: int) -> None:
            bar.update(task, description=description, completed=done, total=total)

        try:
            result = build_report(panel, out, progress=step, config=chosen)
        except (RuntimeError, ValueError, OSError) as exc:
            bar.stop()
            console.print(f"[red]report failed:[/red] {exc}")
            raise typer.Exit(1) from None
    for warning in caught:
        if issubclass(warning.category, UserWarning) and "coreduce" in type(warning.message).__module__:
            console.print(f"[yellow]warning:[/yellow] {warning.message}")

    table = Table(title="coreduce report", show_lines=False)
    table.add_column("item")
    table.add_column("value", overflow="fold")
    if panel is None:
        from coreduce.data.store import default_store_path

        table.add_row("panel", f"embedded store {default_store_path()}")
    else:
        table.add_row("panel", str(panel))
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
