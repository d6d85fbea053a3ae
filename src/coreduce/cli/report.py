"""``coreduce report``: build the HTML/PDF report, every figure and table, from the panel."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def report(
    panel: Annotated[
        Path | None,
        typer.Option("--panel", help="Panel to report on (default: the embedded store, seeded from the bundled one)."),
    ] = None,
    out: Annotated[Path, typer.Option("--out", help="Folder to write the report into.")] = Path("coreduce-report"),
    lang: Annotated[str, typer.Option("--lang", help="Language of titles and labels: zh or en.")] = "zh",
    formats: Annotated[str, typer.Option("--format", help="Comma-separated formats: html, pdf.")] = "html,pdf",
    pdf_engine: Annotated[
        str, typer.Option("--pdf-engine", help="auto (Chromium, else matplotlib), chromium or matplotlib.")
    ] = "auto",
    scope: Annotated[
        str, typer.Option("--scope", help="china (provinces and regions) or world (China beside the Global South).")
    ] = "china",
) -> None:
    """Write the report (HTML, PDF, figures as PNG and SVG, tables and figure data as CSV)."""
    import warnings

    if scope == "world":
        from coreduce.cli.world import report_world

        report_world(panel, out, lang, formats)
        return
    if scope != "china":
        raise typer.BadParameter(f"--scope must be china or world, not {scope!r}")

    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.table import Table

    from coreduce.report.build import FORMATS, PDF_ENGINES, build_report

    console = Console(stderr=True)
    chosen = [f.strip().lower() for f in formats.split(",") if f.strip()]
    bad = sorted(set(chosen) - set(FORMATS))
    if bad or not chosen:
        raise typer.BadParameter(f"unknown format(s) {', '.join(bad) or '(none)'}; choose from {', '.join(FORMATS)}")
    if lang not in ("zh", "en"):
        raise typer.BadParameter(f"--lang must be zh or en, not {lang!r}")
    if pdf_engine not in PDF_ENGINES:
        raise typer.BadParameter(f"PDF engine must be {', '.join(PDF_ENGINES)}, not {pdf_engine!r}")
    if panel is not None and not panel.exists():
        raise typer.BadParameter(f"panel file not found: {panel}")

    with (
        Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), console=console) as bar,
        warnings.catch_warnings(record=True) as caught,
    ):
        warnings.simplefilter("always")
        task = bar.add_task("report", total=1)

        def step(description: str, done: int, total: int) -> None:
            bar.update(task, description=description, completed=done, total=total)

        try:
            result = build_report(panel, out, lang=lang, formats=chosen, pdf_engine=pdf_engine, progress=step)
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


def register(app: typer.Typer) -> None:
    app.command("report")(report)
