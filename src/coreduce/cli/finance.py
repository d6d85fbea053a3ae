"""``coreduce finance regions|screen``: the regional green-finance gap and the screening of a loan book.

``regions`` runs with no arguments on the embedded store (filled from the bundled panel): Dagum/Theil/convergence
of the green-finance index, its relation to co-reduction and the pilot-zone DiD with its event study and
pre-trend test. ``screen BOOK`` screens a loan/bond book (CSV or xlsx; ``coreduce.finance.book``) under a
carbon-price scenario (default: the shipped observed 2021–2023 scenario). ``--out`` writes .csv (main table) or
.xlsx (every table, conventions, notes, sources); ``--plot`` writes the figures (.png/.pdf/.svg).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

finance_app = typer.Typer(help="Green finance: regional gap and pilot zones; loan-book screening.")

LANG = typer.Option("--lang", help="Language of the printed summary and figures: zh or en.")
OUT = typer.Option("--out", help="Write the result to .csv (main table) or .xlsx (every table).")
PLOT = typer.Option("--plot", help="Write the figures to this file (.png, .pdf, .svg); one file per figure.")


def _check(out: Path | None, plot: Path | None, lang: str) -> None:
    if lang not in ("zh", "en"):
        raise typer.BadParameter(f"--lang must be zh or en, not {lang!r}")
    if out is not None and out.suffix.lower() not in (".csv", ".xlsx"):
        raise typer.BadParameter(f"--out must end in .csv or .xlsx; got {out.name}")
    if plot is not None and plot.suffix.lower() not in (".png", ".pdf", ".svg"):
        raise typer.BadParameter(f"--plot must end in .png, .pdf or .svg; got {plot.name}")


def _save(draw, lang: str, plot: Path) -> list[Path]:
    """Draw ``draw(lang)`` → {name: figure} with the report's fonts (Chinese falls back to English without a CJK
    font) and write each figure atomically; one figure keeps ``plot``'s name, several get ``_<name>`` suffixes."""
    import matplotlib

    from coreduce.fileio import atomic_write
    from coreduce.report.fonts import rc_params, resolve_language

    choice = resolve_language(lang)
    written = []
    with matplotlib.rc_context(rc_params(choice)):
        figures = draw(choice.lang)
        for name, fig in figures.items():
            path = plot if len(figures) == 1 else plot.with_name(f"{plot.stem}_{name}{plot.suffix}")
            with atomic_write(path) as tmp:
                fig.savefig(tmp, format=plot.suffix.lstrip(".").lower(), bbox_inches="tight")
            written.append(path)
    return written


def _table(console, frame, title: str, max_rows: int = 30) -> None:
    from rich.table import Table

    table = Table(title=title)
    for col in frame.columns:
        table.add_column(str(col), justify="right")
    for row in frame.head(max_rows).itertuples(index=False):
        table.add_row(*[f"{v:.4g}" if isinstance(v, float) else str(v) for v in row])
    console.print(table)


def regions(
    panel: Annotated[Path | None, typer.Option("--panel", help="Store, Excel export or panel folder.")] = None,
    outcome: Annotated[
        list[str] | None, typer.Option("--outcome", help="DiD outcome formula (repeat), e.g. 'log(co2_ceads / gdp)'.")
    ] = None,
    timing: Annotated[str, typer.Option("--pilot-timing", help="document_year or first_full_year.")] = "document_year",
    leads: Annotated[int, typer.Option("--leads", help="Event-study leads.")] = 4,
    lags: Annotated[int, typer.Option("--lags", help="Event-study lags.")] = 3,
    covariance: Annotated[str, typer.Option("--covariance", help="clustered, robust or unadjusted.")] = "clustered",
    out: Annotated[Path | None, OUT] = None,
    plot: Annotated[Path | None, PLOT] = None,
    lang: Annotated[str, LANG] = "en",
) -> None:
    """Regional imbalance of the green-finance index, its relation to co-reduction and the pilot-zone DiD."""
    from rich.console import Console

    from coreduce.cli.options import load_panel as _load
    from coreduce.cli.options import run as _run
    from coreduce.finance.conventions import FinanceConventions
    from coreduce.finance.regions import OUTCOMES
    from coreduce.finance.regions import regions as run

    _check(out, plot, lang)
    conv = _run("checking conventions", FinanceConventions, pilot_timing=timing, leads=leads, lags=lags,
                covariance=covariance)  # fmt: skip
    result = _run("estimating", run, _load(panel), conv, outcomes=tuple(outcome or OUTCOMES))
    console = Console()
    console.print(result.summary(lang), highlight=False)
    columns = ["outcome", "term", "coef", "std_err", "p_value", "nobs", "treated", "pretrend_p"]
    for name in ("did", "event_study"):
        frame = result.to_frame(name)
        if len(frame):
            _table(console, frame[columns], name)
    _table(console, result.to_frame("relation")[["outcome", "coef", "std_err", "p_value", "nobs"]], "relation")
    if plot is not None:
        from coreduce.report.figures.finance import event_study_figure, gini_figure

        def draw(chosen: str) -> dict:
            figures = {"gini": gini_figure(result.imbalance, chosen)}
            for i, name in enumerate(result.event_study["outcome"].unique() if len(result.event_study) else []):
                figures[f"event{i + 1}"] = event_study_figure(result.event_study, name, chosen)
            return figures

        for path in _save(draw, lang, plot):
            console.print(f"written: {path}")
    if out is not None:
        console.print(f"written: {result.write(out, lang)}")


def screen(
    book: Annotated[Path, typer.Argument(help="Loan/bond book, .csv or .xlsx (see coreduce.finance.book).")],
    scenario: Annotated[
        Path | None, typer.Option("--scenario", help="Carbon-price scenario (.toml/.csv, a citation per value).")
    ] = None,
    pathway: Annotated[Path | None, typer.Option("--pathway", help="Sector pathway CSV for SDA alignment.")] = None,
    factors: Annotated[
        Path | None, typer.Option("--factors", help="PCAF factor table CSV: sector, basis, value, unit, citation.")
    ] = None,
    price_year: Annotated[int, typer.Option("--price-year", help="Year of the scenario's prices.")] = 2023,
    cost_base: Annotated[str, typer.Option("--cost-base", help="revenue or ebitda.")] = "revenue",
    attribution: Annotated[str, typer.Option("--attribution", help="pcaf, equity_plus_debt or evic.")] = "pcaf",
    tier_high: Annotated[float, typer.Option("--tier-high", help="Cost share from which a loan is high.")] = 0.05,
    tier_medium: Annotated[float, typer.Option("--tier-medium", help="Cost share from which it is medium.")] = 0.01,
    target_year: Annotated[int, typer.Option("--target-year", help="Year of the alignment check.")] = 2030,
    out: Annotated[Path | None, OUT] = None,
    plot: Annotated[Path | None, PLOT] = None,
    lang: Annotated[str, LANG] = "en",
) -> None:
    """Financed emissions (PCAF), carbon-cost exposure, SDA alignment, co-pollutants, tiers and a committee summary."""
    from importlib.resources import files

    import pandas as pd
    from rich.console import Console

    from coreduce.cli.options import run as _run
    from coreduce.finance.book import read_book
    from coreduce.finance.conventions import FinanceConventions
    from coreduce.finance.scenarios import load_pathway, load_scenario
    from coreduce.finance.screen import screen as run

    _check(out, plot, lang)
    default = Path(str(files("coreduce.finance") / "data" / "scenarios" / "observed_2023.toml"))
    chosen = _run("reading the scenario", load_scenario, scenario or default)
    conv = _run("checking conventions", FinanceConventions, scenario=chosen.name, price_year=price_year,
                cost_base=cost_base, attribution=attribution, tier_high=tier_high, tier_medium=tier_medium,
                target_year=target_year, pathway=str(pathway or ""))  # fmt: skip
    loans = _run("reading the book", read_book, book)
    path_table = _run("reading the pathway", load_pathway, pathway) if pathway else None
    factor_table = _run("reading the factors", pd.read_csv, factors, dtype={"sector": str}) if factors else None
    result = _run("screening", run, loans, chosen, conv, pathway=path_table, factors=factor_table)
    console = Console()
    _table(console, result.committee, "committee")
    _table(console, result.tiers.reset_index(), "tiers")
    cols = ["rank", "tier", "borrower", "sector", "financed_emissions", "data_quality", "carbon_cost", "cost_share",
            "alignment_gap"]  # fmt: skip
    _table(console, result.risk[cols], "risk (top 30)")
    console.print("\n".join(f"- {t}" for t in result.notes_text(lang)), highlight=False)
    if plot is not None:
        from coreduce.report.figures.finance import risk_figure

        for written in _save(lambda chosen: {"risk": risk_figure(result.risk, chosen)}, lang, plot):
            console.print(f"written: {written}")
    if out is not None:
        console.print(f"written: {result.write(out, lang)}")


def register(app: typer.Typer) -> None:
    finance_app.command("regions")(regions)
    finance_app.command("screen")(screen)
    app.add_typer(finance_app, name="finance")
