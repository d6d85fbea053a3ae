"""``coreduce trends``, ``coreduce synergy`` and ``coreduce decompose``: the co-reduction analyses.

Each command runs the analysis of the same name in :mod:`coreduce.analysis`, prints a table and the
conventions, and writes the full result with ``--out file.csv`` (main table) or ``--out file.xlsx`` (every
table plus conventions, missing data, notes and sources).
"""

from __future__ import annotations

from typing import Annotated

import typer

from coreduce.cli.options import (
    BaseYearOption,
    EndOption,
    GeoOption,
    GroupingOption,
    LangOption,
    MembershipOption,
    OutOption,
    PanelOption,
    PlotOption,
    PricesOption,
    StartOption,
    conventions,
    load_panel,
    only_places,
    plot,
    print_result,
    run,
    with_names,
)


def _title(result) -> str:
    from coreduce.i18n import message

    return message(result.title, "en")


def _conventions(start: int, end: int, grouping: str, prices: str, base_year: int, **more):
    """The conventions of a co-reduction command: the shared window, grouping and prices, and its own options."""
    return conventions(start=start, end=end, grouping=grouping, prices=prices, base_year=base_year, **more)


def trends(
    start: StartOption = 2008,
    end: EndOption = 2022,
    grouping: GroupingOption = "four_regions",
    co2: Annotated[str, typer.Option("--co2", help="National CO2 series.")] = "co2_gcb",
    regional_co2: Annotated[
        str, typer.Option("--regional-co2", help="Provincial CO2 summed into regions (co2_ceads_energy, CEADs).")
    ] = "co2_ceads_energy",
    so2: Annotated[str, typer.Option("--so2", help="Provincial SO2 series.")] = "so2_nbs",
    nox: Annotated[str, typer.Option("--nox", help="Provincial NOx series.")] = "nox_ceds",
    membership: MembershipOption = "covered",
    prices: PricesOption = "nominal",
    base_year: BaseYearOption = 2015,
    show: Annotated[
        str, typer.Option("--show", help="Table to print: summary (rates over the window) or plans (five-year plans).")
    ] = "summary",
    geo: GeoOption = None,
    panel: PanelOption = None,
    out: OutOption = None,
    plot_to: PlotOption = None,
    lang: LangOption = "zh",
) -> None:
    """National and regional CO2, CO2/SO2/NOx intensity and PM2.5, with average annual rates."""
    from coreduce.analysis.trends import trends as analysis

    if show not in ("summary", "plans"):
        raise typer.BadParameter(f"--show must be summary or plans, not {show!r}")
    c = _conventions(start, end, grouping, prices, base_year, national_co2=co2, co2=regional_co2, so2=so2, nox=nox,
                     membership=membership)  # fmt: skip
    data = load_panel(panel)
    result = run("trends", analysis, data, c)
    what = "trends (China and the regions of the grouping)"
    if show == "plans":
        plans = result.plans.assign(change_pct=lambda f: f["change"] * 100, target_pct=lambda f: f["target"] * 100)
        plans = only_places(plans, geo, grouping, what) if "geo" in plans.columns else plans
        columns = ["name", "indicator", "plan", "base_year", "end_year", "base", "end", "change_pct", "target_pct"]
        print_result(result, plans, columns, f"{_title(result)}: five-year plans", out)
    else:
        summary = only_places(result.overview, geo, grouping, what)
        summary = summary.assign(annual_rate_pct=lambda f: f["annual_rate"] * 100)
        columns = ["name", "indicator", "unit", "start_year", "start", "end_year", "end", "annual_rate_pct"]
        print_result(result, summary, columns, f"{_title(result)} {start}–{end}", out)
    plot("trends", result, data, c, plot_to, lang)


def synergy(
    start: StartOption = 2008,
    end: EndOption = 2022,
    grouping: GroupingOption = "four_regions",
    pollutant: Annotated[str, typer.Option("--pollutant", help="Pollutant series for co-control.")] = "so2_ceds",
    co2: Annotated[
        str,
        typer.Option(
            "--co2", help="Provincial CO2 series: co2_ceads_energy (CEADs), co2_ceads, co2_ceds, co2_apparent."
        ),
    ] = "co2_ceads_energy",
    nox: Annotated[str, typer.Option("--nox", help="Second pollutant of the pollution subsystem.")] = "nox_ceds",
    form: Annotated[str, typer.Option("--form", help="Coupling degree: standard or modified.")] = "standard",
    level: Annotated[str, typer.Option("--level", help="Rows to print: province, region, nation or all.")] = "all",
    membership: MembershipOption = "covered",
    prices: PricesOption = "nominal",
    base_year: BaseYearOption = 2015,
    geo: GeoOption = None,
    sensitivity: Annotated[
        bool,
        typer.Option(
            "--sensitivity/--no-sensitivity",
            help="Print every province's co-control quadrant under each CO2 series instead.",
            show_default=False,
        ),
    ] = False,
    panel: PanelOption = None,
    out: OutOption = None,
    plot_to: PlotOption = None,
    lang: LangOption = "zh",
) -> None:
    """Co-control quadrant and elasticity, Tapio state, coupling coordination and synergy degree."""
    import pandas as pd

    from coreduce.analysis.costatus import costatus

    if level not in ("province", "region", "nation", "all"):
        raise typer.BadParameter(f"--level must be province, region, nation or all, not {level!r}")
    c = _conventions(start, end, grouping, prices, base_year, pollutant=pollutant, co2=co2, nox=nox,
                     coupling_form=form, membership=membership)  # fmt: skip
    data = load_panel(panel)
    if sensitivity:
        from coreduce.analysis.co2_series import co2_sensitivity

        result = run("CO2 sensitivity", co2_sensitivity, data, c)
        columns = list(result.quadrants.columns)
        print_result(result, result.quadrants, columns, f"{_title(result)} {start}–{end}", out)
        return
    result = run("co-reduction status", costatus, data, c)
    window = result.window
    coupling = result.coupling
    last = coupling[coupling["year"] == end][["geo", "D", "grade_zh"]]
    syn = result.synergy.pivot_table(index="geo", columns="end", values="synergy", aggfunc="first")
    syn.columns = [f"synergy→{c}" for c in syn.columns]
    frame = window.merge(last, on="geo", how="left").merge(syn, left_on="geo", right_index=True, how="left")
    if level != "all":
        frame = frame[frame["level"] == level]
    frame = with_names(only_places(frame, geo, grouping, "the co-reduction status"), grouping)
    second = [c for c in (f"quadrant_{nox}", f"elasticity_{nox}") if c in frame.columns]
    columns = [
        "level",
        "geo",
        "name",
        "quadrant",
        "label_zh",
        "elasticity",
        *second,
        "tapio_co2",
        "D",
        "grade_zh",
        *syn.columns,
    ]
    print_result(result, pd.DataFrame(frame), columns, f"{_title(result)} {start}–{end}", out)
    plot("costatus", result, data, c, plot_to, lang)


def decompose(
    target: Annotated[
        str | None,
        typer.Option("--target", help="Emission series (default co2_ceads_energy; co2_ceads with --identity sectors)."),
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
    geo: GeoOption = None,
    panel: PanelOption = None,
    out: OutOption = None,
    plot_to: PlotOption = None,
    lang: LangOption = "zh",
) -> None:
    """LMDI decomposition of emissions into the drivers of the papers' three channels."""
    from coreduce.analysis.drivers import FACTORS, LEVELS, drivers
    from coreduce.analysis.sectors import SECTOR_FACTORS, sector_drivers

    if level not in (*LEVELS, "all"):
        raise typer.BadParameter(f"--level must be province, region, nation or all, not {level!r}")
    if identity not in ("energy", "sectors"):
        raise typer.BadParameter(f"--identity must be energy or sectors, not {identity!r}")
    sectors = identity == "sectors"
    target = target or ("co2_ceads" if sectors else "co2_ceads_energy")
    end = end if end is not None else (2019 if sectors else 2022)
    levels = LEVELS if level == "all" else (level,)
    series = {"sector_co2": target} if sectors else {"lmdi_co2": target}
    if plot_to is not None and (sectors or level != "all"):
        raise typer.BadParameter("--plot draws the report's figure: the energy identity at every level (--level all)")
    c = _conventions(start, end, grouping, prices, base_year, lmdi_form=form, lmdi_yearly=yearly, **series)
    data = load_panel(panel)
    result = (
        run("LMDI", sector_drivers, data, c, levels=levels) if sectors else run("LMDI", drivers, data, c, levels=levels)
    )
    frame = with_names(only_places(result.effects, geo, grouping, "the decomposition"), grouping)
    effects = [f for f in (SECTOR_FACTORS if sectors else FACTORS) if f in frame.columns]
    title = f"{_title(result)}: {target} {start}–{end} ({form})"
    columns = ["level", "geo", "name", "start", "end", "V0", "V1", *effects, "total"]
    print_result(result, frame, columns, title, out)
    plot("drivers", result, data, c, plot_to, lang)


def register(app: typer.Typer) -> None:
    app.command("trends")(trends)
    app.command("synergy")(synergy)
    app.command("decompose")(decompose)
