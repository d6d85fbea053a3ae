"""``coreduce world trends|decompose|decouple|imbalance|compare``: China beside the Global South, the Global North
and the World.

Each command runs an analysis of :mod:`coreduce.analysis.world` with no arguments needed (China, the Global South
and North under UN M49 2020, the World; 1990–2022), prints its main table, conventions, notes and the members
lacking data, writes the whole result with ``--out file.csv|.xlsx`` and a figure with ``--plot file.png``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from coreduce.cli.options import OutOption, PanelOption, StartOption

world_app = typer.Typer(help="Countries and groups: China beside the Global South, the Global North and the World.")

PlotOption = Annotated[Path | None, typer.Option("--plot", help="Draw the main figure into a .png/.svg/.pdf file.")]
EndOption = Annotated[int, typer.Option("--end", help="Last year (OWID GDP ends in 2022).")]
GroupingOption = Annotated[
    str,
    typer.Option("--grouping", help="un_m49_2020 (Global South/North), wb_income, wb_region, brics_2024 or a file."),
]
ChinaOption = Annotated[str, typer.Option("--china", help="inside: China in the Global South; beside: its own group.")]
BasisOption = Annotated[str, typer.Option("--basis", help="territorial or consumption CO2.")]
CountryOption = Annotated[
    list[str] | None, typer.Option("--country", help="Add a country (name or ISO code); repeat for more.")
]
VintageOption = Annotated[
    str, typer.Option("--vintage", help="CO2 series: owid_2024 (Global Carbon Budget 2023) or edgar_2024.")
]
LangOption = Annotated[str, typer.Option("--lang", help="Language of the conventions and notes: en or zh.")]


def _fail(message: str) -> None:
    from rich.console import Console
    from rich.markup import escape

    Console(stderr=True).print(f"[red]error:[/red] {escape(message)}", highlight=False)
    raise typer.Exit(1)


def _run(panel_path: Path | None, func, conventions_cls, conventions: dict, **kwargs):
    """Open the panel, build the conventions and run ``func``; expected errors become one line and exit 1."""
    from coreduce.conventions import ConventionError
    from coreduce.data import MissingSeriesError
    from coreduce.data.open import open_panel
    from coreduce.geo import AggregateError, CountryGroupingError, UnknownCountryError

    try:
        conv = conventions_cls(**conventions)
        panel = open_panel(panel_path)
        return func(panel, conv, **kwargs)
    except (ConventionError, MissingSeriesError, CountryGroupingError, UnknownCountryError, AggregateError) as exc:
        _fail(str(exc))
    except (FileNotFoundError, ValueError) as exc:
        _fail(str(exc))


def _period(start: int, end: int, vintage: str, grouping: str, **more) -> dict:
    """The conventions every period command shares (years, CO2 vintage, grouping), with the command's own."""
    return dict(start=start, end=end, vintage=vintage, grouping=grouping, **more)


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.4g}"


def _show(result, columns: list[str], out: Path | None, plot: Path | None, draw, lang: str) -> None:
    import pandas as pd
    from rich.console import Console

    from coreduce.i18n import message

    console = Console()
    table = result.to_frame()
    shown = table[[c for c in columns if c in table.columns]]
    console.rule(message(result.title, lang))
    with pd.option_context("display.max_rows", 80, "display.width", 200, "display.float_format", _number):
        console.print(shown.to_string(index=False), highlight=False, soft_wrap=True)
    console.print(f"\n{message('label.conventions', lang)}:", highlight=False)
    for row in result.conventions_frame(lang).itertuples():
        console.print(f"  {row.convention}: {row.value}", highlight=False)
    for text in result.notes_text(lang):
        console.print(f"  - {text}", highlight=False)
    if result.missing:
        names = sorted({m.geo for m in result.missing})
        head = ", ".join(names[:15]) + (f" … ({len(names)})" if len(names) > 15 else "")
        console.print(f"{message('label.missing', lang)}: {head}", highlight=False)
    if out is not None:
        try:
            result.write(out, lang=lang)
        except (ValueError, OSError) as exc:
            _fail(str(exc))
        console.print(f"Wrote {out}", highlight=False)
    if plot is not None:
        from coreduce.report.world_figures import save

        save(draw(result, lang), plot)
        console.print(f"Wrote {plot}", highlight=False)


@world_app.command("trends")
def trends_command(
    panel: PanelOption = None,
    start: StartOption = 1990,
    end: EndOption = 2022,
    grouping: GroupingOption = "un_m49_2020",
    vintage: VintageOption = "owid_2024",
    china: ChinaOption = "inside",
    basis: BasisOption = "territorial",
    aggregation: Annotated[str, typer.Option(help="ratio_of_sums or mean_of_ratios.")] = "ratio_of_sums",
    country: CountryOption = None,
    out: OutOption = None,
    plot: PlotOption = None,
    lang: LangOption = "en",
) -> None:
    """CO2, per capita, per GDP, consumption-based CO2 and net CO2 imported, by group and year."""
    from coreduce.analysis.world import PeriodConventions, trends
    from coreduce.report.world_figures import trends_figure

    conv = _period(start, end, vintage, grouping, china=china, basis=basis, aggregation=aggregation)
    result = _run(panel, trends, PeriodConventions, conv, countries=tuple(country or ()))
    columns = ["group", "year", "co2", "co2_per_capita", "co2_per_gdp", "co2_consumption", "net_imported", "n_members"]
    _show(result, columns, out, plot, trends_figure, lang)


@world_app.command("decompose")
def decompose_command(
    panel: PanelOption = None,
    start: StartOption = 1990,
    end: EndOption = 2022,
    grouping: GroupingOption = "un_m49_2020",
    vintage: VintageOption = "owid_2024",
    china: ChinaOption = "inside",
    form: Annotated[str, typer.Option(help="additive or multiplicative LMDI.")] = "additive",
    level: Annotated[str, typer.Option(help="aggregate (group factors) or members (sum of members' effects).")] = (
        "aggregate"
    ),
    pairs: Annotated[str, typer.Option(help="period (start to end) or yearly.")] = "period",
    country: CountryOption = None,
    out: OutOption = None,
    plot: PlotOption = None,
    lang: LangOption = "en",
) -> None:
    """Kaya identity LMDI: population, GDP per capita, energy intensity, carbon intensity of energy."""
    from coreduce.analysis.world import KayaConventions, kaya
    from coreduce.report.world_figures import kaya_figure

    conv = _period(start, end, vintage, grouping, china=china, form=form, level=level, pairs=pairs)
    result = _run(panel, kaya, KayaConventions, conv, countries=tuple(country or ()))
    columns = ["group", "start", "end", "co2_start", "co2_end", "change", "population", "gdp_per_capita",
               "energy_intensity", "carbon_intensity", "n_members", "co2_coverage"]  # fmt: skip
    _show(result, columns, out, plot, kaya_figure, lang)


@world_app.command("decouple")
def decouple_command(
    panel: PanelOption = None,
    start: StartOption = 1990,
    end: EndOption = 2022,
    grouping: GroupingOption = "un_m49_2020",
    vintage: VintageOption = "owid_2024",
    china: ChinaOption = "inside",
    basis: BasisOption = "territorial",
    boundary: Annotated[str, typer.Option(help="coupling or decoupling side of 0.8 and 1.2.")] = "coupling",
    pairs: Annotated[str, typer.Option(help="period (start to end) or yearly.")] = "period",
    country: CountryOption = None,
    out: OutOption = None,
    plot: PlotOption = None,
    lang: LangOption = "en",
) -> None:
    """Tapio decoupling of CO2 from GDP for the groups; every country's state for the map (--plot)."""
    from coreduce.analysis.world import DecouplingConventions, decoupling
    from coreduce.report.world_figures import decoupling_map

    conv = _period(start, end, vintage, grouping, china=china, basis=basis, boundary=boundary, pairs=pairs)
    result = _run(panel, decoupling, DecouplingConventions, conv, countries=tuple(country or ()))
    columns = ["group", "start", "end", "d_emissions", "d_gdp", "elasticity", "state", "n_members"]
    _show(result, columns, out, plot, decoupling_map, lang)


@world_app.command("imbalance")
def imbalance_command(
    panel: PanelOption = None,
    start: StartOption = 1990,
    end: EndOption = 2022,
    grouping: GroupingOption = "un_m49_2020",
    vintage: VintageOption = "owid_2024",
    china: ChinaOption = "beside",
    basis: BasisOption = "territorial",
    span: Annotated[int, typer.Option(help="β-convergence growth span in years.")] = 1,
    out: OutOption = None,
    plot: PlotOption = None,
    lang: LangOption = "en",
) -> None:
    """Dagum Gini and Theil of per-capita CO2 across countries by group (North / South / China), σ and β."""
    from coreduce.analysis.world import InequalityConventions, inequality
    from coreduce.report.world_figures import inequality_figure

    conv = _period(start, end, vintage, grouping, china=china, basis=basis, span=span)
    result = _run(panel, inequality, InequalityConventions, conv)
    columns = ["year", "n", "G", "G_w", "G_nb", "G_t", "theil", "theil_between", "theil_within"]
    _show(result, columns, out, plot, inequality_figure, lang)


@world_app.command("compare")
def compare_command(
    panel: PanelOption = None,
    start: StartOption = 1990,
    end: EndOption = 2022,
    grouping: GroupingOption = "un_m49_2020",
    vintage: VintageOption = "owid_2024",
    basis: BasisOption = "territorial",
    cumulative_out: Annotated[
        Path | None, typer.Option("--cumulative-out", help="Also write cumulative emissions since 1850 and 1990.")
    ] = None,
    out: OutOption = None,
    plot: PlotOption = None,
    lang: LangOption = "en",
) -> None:
    """China against the Global South distribution of per-capita and per-GDP CO2, cumulative shares, and the two
    CO2 vintages (OWID/GCB and EDGAR) country by country."""
    from coreduce.analysis.world import (
        CrossCheckConventions,
        CumulativeConventions,
        PeriodConventions,
        crosscheck,
        cumulative,
        position,
    )
    from coreduce.report.world_figures import position_figure

    conv = _period(start, end, vintage, grouping, basis=basis)
    result = _run(panel, position, PeriodConventions, conv)
    columns = ["measure", "year", "china", "south_p25", "south_p50", "south_p75", "rank", "rank_pop",
               "south_excl_china", "north", "world"]  # fmt: skip
    _show(result, columns, out, plot, position_figure, lang)
    since = _run(panel, cumulative, CumulativeConventions, dict(grouping=grouping, end=min(end, 2023)))
    _show(since, ["group", "since", "end", "cumulative", "share"], cumulative_out, None, None, lang)
    check = _run(panel, crosscheck, CrossCheckConventions, dict(grouping=grouping, year=min(end, 2023)))
    check.countries = check.countries.head(15)
    _show(check, ["geo", "co2_owid", "co2_edgar", "difference", "ratio", "flagged"], None, None, None, lang)


def report_world(panel: Path | None, out: Path, lang: str, formats: str) -> None:
    """``coreduce report --scope world``: the world report (:mod:`coreduce.report.world`)."""
    from rich.console import Console

    from coreduce.data.open import open_panel
    from coreduce.report.world import build_world_report

    chosen = tuple(f.strip().lower() for f in formats.split(",") if f.strip())
    try:
        with Console(stderr=True).status("world report"):
            result = build_world_report(open_panel(panel), out, lang=lang, formats=chosen)
    except (ValueError, OSError) as exc:
        _fail(str(exc))
    for name, path in result.files.items():
        Console().print(f"{name.upper()}: {path}", highlight=False)
    Console().print(f"{len(result.figures)} figures, {len(result.tables)} tables in {result.out_dir}", highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(world_app, name="world")
