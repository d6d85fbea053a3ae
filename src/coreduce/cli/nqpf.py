"""``coreduce nqpf``, ``coreduce imbalance`` and ``coreduce obstacles``: the NQPF index and what follows from it.

Each command runs the analysis of the same name in :mod:`coreduce.analysis`, prints a table and the conventions,
and writes the full result with ``--out file.csv`` (main table) or ``--out file.xlsx`` (every table plus
conventions, missing data, notes and sources).
"""

from __future__ import annotations

from typing import Annotated

import typer

from coreduce.cli.metrics import EndOption, GroupingOption, OutOption, PanelOption, StartOption, _load, _print, _run

SystemOption = Annotated[
    str, typer.Option("--system", help="Indicator system: default (2010 on), long (2008 on) or a TOML file.")
]
MethodOption = Annotated[
    str,
    typer.Option(
        "--method", help="entropy, entropy-topsis, critic, critic-topsis, fixed or fixed-topsis (weights-scores)."
    ),
]
NormalisationOption = Annotated[
    str, typer.Option("--normalisation", help="Min–max over the pooled panel (pooled) or within each year (yearly).")
]
ZeroOption = Annotated[
    str, typer.Option("--zero", help="Entropy zero handling: limit (0·ln0 = 0), shift (z + ε) or squeeze.")
]
EpsilonOption = Annotated[float, typer.Option("--epsilon", help="ε of the shift and squeeze zero rules.")]
YearOption = Annotated[int | None, typer.Option("--year", help="Year to print (default: the last one).")]


def _index_options(system: str, method: str, normalisation: str, zero: str, epsilon: float, start: int, end: int):
    if end < start:
        raise typer.BadParameter(f"--end ({end}) must not be before --start ({start})")
    return {
        "system": system,
        "method": method,
        "normalisation": normalisation,
        "zero": zero,
        "epsilon": epsilon,
        "years": (start, end),
    }


def _show(frame, columns: list[str], title: str) -> None:
    """Print a table without the conventions (the last table of a command prints them with ``_print``)."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title)
    for column in columns:
        table.add_column(column, justify="left" if frame[column].dtype == object else "right")
    for row in frame[columns].itertuples(index=False):
        table.add_row(*("–" if v != v else f"{v:,.4g}" if isinstance(v, float) else str(v) for v in row))
    Console().print(table)


def _year(frame, year: int | None, what: str) -> int:
    years = sorted(set(frame["year"]))
    if year is None:
        return years[-1]
    if year not in years:
        raise typer.BadParameter(f"--year {year}: the {what} covers {years[0]}–{years[-1]}")
    return year


def nqpf(
    system: SystemOption = "default",
    method: MethodOption = "entropy-topsis",
    normalisation: NormalisationOption = "pooled",
    zero: ZeroOption = "shift",
    epsilon: EpsilonOption = 1e-4,
    start: StartOption = 2008,
    end: EndOption = 2022,
    grouping: GroupingOption = "four_regions",
    year: YearOption = None,
    show: Annotated[
        str, typer.Option("--show", help="ranking (provinces in --year) or regions (regional means by year).")
    ] = "ranking",
    panel: PanelOption = None,
    out: OutOption = None,
) -> None:
    """NQPF composite index by province and year (overall and by dimension), with the indicator weights."""
    import pandas as pd

    from coreduce.analysis.nqpf import nqpf_index

    if show not in ("ranking", "regions"):
        raise typer.BadParameter(f"--show must be ranking or regions, not {show!r}")
    options = _index_options(system, method, normalisation, zero, epsilon, start, end)
    data = _run("loading the panel", _load, panel)
    result = _run("NQPF index", nqpf_index, data, grouping=grouping, **options)
    table = result.to_frame()
    shown = _year(table, year, "index")
    weights = result.to_frame("weights").reset_index()
    title = "Indicator weights"
    if "year" in weights.columns:  # yearly normalisation: weights by year
        weights = weights[weights["year"] == shown]
        title += f" in {shown}"
    _show(weights, ["indicator", "dimension", "direction", "formula", "weight"], title)
    if show == "regions":
        regions = result.to_frame("regions")["overall"].unstack("region").reset_index()
        regions["year"] = regions["year"].astype(str)
        columns = [str(c) for c in regions.columns]
        regions.columns = columns
        _print(result, regions, columns, f"{result.title}: mean of member provinces ({grouping})", out)
        return
    dims = [c for c in table.columns if c not in ("geo", "province", "region", "year", "overall")]
    ranking = table[table["year"] == shown].sort_values("overall", ascending=False)
    ranking = pd.DataFrame(ranking.assign(rank=range(1, len(ranking) + 1)))
    columns = ["rank", "geo", "province", "region", "overall", *dims]
    _print(result, ranking, columns, f"{result.title}: {shown}", out)


def imbalance(
    measure: Annotated[
        str,
        typer.Option(
            "--measure",
            help="nqpf (the NQPF index), coupling (coupling coordination D of pollution and carbon reduction) "
            "or a formula over panel variables, e.g. 'co2_ceds / gdp'.",
        ),
    ] = "nqpf",
    system: SystemOption = "default",
    method: MethodOption = "entropy-topsis",
    normalisation: NormalisationOption = "pooled",
    zero: ZeroOption = "shift",
    epsilon: EpsilonOption = 1e-4,
    start: StartOption = 2008,
    end: EndOption = 2022,
    grouping: GroupingOption = "four_regions",
    kernel: Annotated[
        str, typer.Option("--kernel", help="Kernel: epanechnikov (Stata's), epan2, gaussian, triangular, biweight.")
    ] = "epanechnikov",
    bandwidth: Annotated[
        str,
        typer.Option(
            "--bandwidth", help="stata (0.9·min(sd, IQR/1.349)·n^-1/5, Stata quartiles), silverman, scott or a number."
        ),
    ] = "stata",
    span: Annotated[int, typer.Option("--span", help="β-convergence growth span T in years.")] = 1,
    control: Annotated[
        list[str] | None,
        typer.Option(
            "--control", help="Control of conditional β-convergence: a formula over panel variables (repeatable)."
        ),
    ] = None,
    min_group_size: Annotated[
        int, typer.Option("--min-group-size", help="Smallest region allowed in the Dagum decomposition.")
    ] = 2,
    bootstrap: Annotated[
        int,
        typer.Option("--bootstrap", help="Replicates for percentile intervals of the Dagum parts (0: none)."),
    ] = 0,
    level: Annotated[float, typer.Option("--level", help="Confidence level of the bootstrap intervals.")] = 0.95,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the bootstrap draws.")] = 0,
    panel: PanelOption = None,
    out: OutOption = None,
) -> None:
    """Regional imbalance: Dagum Gini decomposition, Theil, kernel density, σ- and β-convergence by region."""
    from coreduce.analysis.imbalance import imbalance as run
    from coreduce.analysis.imbalance import measure_from_panel, synergy_measure, with_controls
    from coreduce.analysis.nqpf import nqpf_index
    from coreduce.indicators.formula import variables

    try:
        bw: str | float = float(bandwidth)
    except ValueError:
        bw = bandwidth
    if end < start:
        raise typer.BadParameter(f"--end ({end}) must not be before --start ({start})")
    data = _run("loading the panel", _load, panel)
    if measure == "nqpf":
        options = _index_options(system, method, normalisation, zero, epsilon, start, end)
        index = _run("NQPF index", nqpf_index, data, **options)
        frame, value, sources = index.to_frame(), "overall", index.sources
    elif measure == "coupling":
        frame, status = _run("co-reduction status", synergy_measure, data, start, end, grouping=grouping)
        value, sources = "coupling_D", status.sources
    else:
        frame = _run("measure", measure_from_panel, data, measure)
        value = measure
        sources = data.attribution(variables(measure, where=f"--measure {measure!r}"))
    controls = list(control or [])
    if controls:
        frame = _run("controls", with_controls, frame, data, controls)
    result = _run(
        "regional imbalance",
        run,
        frame,
        value,
        controls=controls,
        grouping=grouping,
        years=(start, end),
        kernel=kernel,
        bandwidth=bw,
        span=span,
        min_group_size=min_group_size,
        bootstrap=bootstrap,
        level=level,
        seed=seed,
        sources=sources,
    )
    table = result.to_frame().reset_index()
    for part in ("G_w", "G_nb", "G_t"):
        table[f"{part} %"] = table[f"share_{part}"] * 100
    table["year"] = table["year"].astype(str)
    columns = ["year", "n", "G", "G_w", "G_nb", "G_t", "G_w %", "G_nb %", "G_t %"]
    if bootstrap:
        ci = result.to_frame("bootstrap").xs("G", level="component")
        table["G interval"] = [f"[{lo:.4f}, {hi:.4f}]" for lo, hi in zip(ci["lower"], ci["upper"], strict=True)]
        columns.insert(3, "G interval")
    beta = result.to_frame("beta")
    if "beta" in beta.columns:
        _show(beta.dropna(subset=["beta"]), ["region", "form", "beta", "pvalue", "speed", "nobs"], "β-convergence")
    _print(result, table, columns, f"Dagum Gini decomposition of {value} ({grouping})", out)


def obstacles(
    system: SystemOption = "default",
    method: MethodOption = "entropy-topsis",
    normalisation: NormalisationOption = "pooled",
    zero: ZeroOption = "shift",
    epsilon: EpsilonOption = 1e-4,
    start: StartOption = 2008,
    end: EndOption = 2022,
    year: YearOption = None,
    top: Annotated[int, typer.Option("--top", help="Largest obstacles listed per province-year.")] = 3,
    panel: PanelOption = None,
    out: OutOption = None,
) -> None:
    """Obstacle degrees of the NQPF indicators and dimensions: what holds each province back."""
    import pandas as pd

    from coreduce.analysis.obstacles import obstacles as run
    from coreduce.geo import by_code

    if top < 1:
        raise typer.BadParameter(f"--top must be at least 1, not {top}")
    options = _index_options(system, method, normalisation, zero, epsilon, start, end)
    data = _run("loading the panel", _load, panel)
    result = _run("obstacle degrees", run, data, top=top, **options)
    dims = result.to_frame("dimensions").reset_index()
    shown = _year(dims, year, "index")
    frame = dims[dims["year"] == shown]
    tops = result.to_frame("top")
    tops = tops[tops["year"] == shown]
    first = (
        tops.groupby("geo")
        .agg(obstacles=("indicator", lambda s: ", ".join(s)), largest=("obstacle", "max"))
        .reset_index()
    )
    frame = frame.merge(first, on="geo", how="left")
    names = by_code()
    frame.insert(1, "province", [names[g].name_en if g in names else g for g in frame["geo"]])
    dim_cols = [c for c in dims.columns if c not in ("geo", "year")]
    frame = pd.DataFrame(frame.sort_values("largest", ascending=False))
    columns = ["geo", "province", *dim_cols, "largest", "obstacles"]
    _print(result, frame, columns, f"{result.title}: {shown} (dimension shares; top {top} indicators)", out)


def register(app: typer.Typer) -> None:
    app.command("nqpf")(nqpf)
    app.command("imbalance")(imbalance)
    app.command("obstacles")(obstacles)
