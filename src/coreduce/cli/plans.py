"""``coreduce plans``: the 11th–14th five-year plans, national change against binding targets and official figures.

Runs :func:`coreduce.analysis.plans.plans`, prints the plan table (``--show plans``) or PM2.5 against the WHO 2021
guideline and GB 3095-2012 (``--show pm25``), the notes and the conventions, and writes the whole result with
``--out file.xlsx`` (every table, the targets with their documents, conventions, missing data, notes, sources).
"""

from __future__ import annotations

from typing import Annotated

import typer

from coreduce.cli.options import EndOption, OutOption, PanelOption, conventions, load_panel, print_result, run


def plans(
    end: EndOption = 2022,
    co2: Annotated[str, typer.Option("--co2", help="National CO2 series.")] = "co2_gcb",
    so2: Annotated[str, typer.Option("--so2", help="Provincial SO2 series (the CEDS one is shown beside it).")] = (
        "so2_nbs"
    ),
    nox: Annotated[str, typer.Option("--nox", help="Provincial NOx series.")] = "nox_ceds",
    show: Annotated[str, typer.Option("--show", help="plans (the plan table) or pm25 (PM2.5 against WHO/GB).")] = (
        "plans"
    ),
    panel: PanelOption = None,
    out: OutOption = None,
) -> None:
    """SO2, NOx, CO2 and energy intensity over the 11th–14th plans beside each binding target and official figure."""
    from coreduce.analysis.plans import plans as analysis

    if show not in ("plans", "pm25"):
        raise typer.BadParameter(f"--show must be plans or pm25, not {show!r}")
    c = conventions(start=2005, end=end, national_co2=co2, so2=so2, nox=nox)
    result = run("five-year plans", analysis, load_panel(panel), c)
    if show == "pm25":
        columns = ["geo", "year", "value", "times_who_aqg", "who_level", "gb3095_grade2"]
        print_result(result, result.pm25, columns, "PM2.5 against WHO 2021 and GB 3095-2012 (ug/m3)", out, 200)
        return
    table = result.table.assign(
        change_pct=lambda f: f["change"] * 100,
        target_pct=lambda f: f["target"] * 100,
        official_pct=lambda f: f["official"] * 100,
        since_pct=lambda f: f["change_since"] * 100,
    )
    columns = [
        "plan",
        "indicator",
        "series",
        "base_year",
        "end_year",
        "change_pct",
        "target_pct",
        "official_pct",
        "official_verified",
        "difference_pp",
        "status",
        "since_pct",
    ]
    print_result(result, table, columns, "Five-year plans: change here, binding target, official figure (%)", out)


def register(app: typer.Typer) -> None:
    app.command("plans")(plans)
