"""``coreduce nqpf``, ``coreduce imbalance`` and ``coreduce obstacles``: the NQPF index and what follows from it.

Each command runs the analysis of the same name in :mod:`coreduce.analysis`, prints a table and the conventions,
and writes the full result with ``--out file.csv`` (main table) or ``--out file.xlsx`` (every table plus
conventions, missing data, notes and sources).
"""

from __future__ import annotations

from typing import Annotated

import typer

from coreduce.cli.options import (
    EndOption,
    GroupingOption,
    OutOption,
    PanelOption,
    StartOption,
    conventions,
    load_panel,
    print_result,
    run,
    show_table,
)

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
MissingOption = Annotated[
    str,
    typer.Option(
        "--missing",
        help="Absent indicator values: interpolate-reweight (default), interpolate, reweight or complete (cases).",
    ),
]
YearOption = Annotated[int | None, typer.Option("--year", help="Year to print (default: the last one).")]


def _index_conventions(system: str, method: str, normalisation: str, zero: str, epsilon: float, start, end, **more):
    """The conventions of the NQPF index from the command's options (errors name the key)."""
    return conventions(
        system=system,
        nqpf_method=method,
        normalisation=normalisation,
        zero_rule=zero,
        epsilon=epsilon,
        start=start,
        end=end,
        **more,
    )


def _title(result) -> str:
    from coreduce.i18n import message

    return message(result.title, "en")


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
    missing: MissingOption = "interpolate-reweight",
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
    c = _index_conventions(
        system, method, normalisation, zero, epsilon, start, end, grouping=grouping, nqpf_missing=missing
    )
    data = run("loading the panel", load_panel, panel)
    result = run("NQPF index", nqpf_index, data, c)
    table = result.scores
    shown = _year(table, year, "index")
    weights = result.weights.reset_index()
    title = "Indicator weights"
    if "year" in weights.columns:  # yearly normalisation: weights by year
        weights = weights[weights["year"] == shown]
        title += f" in {shown}"
    show_table(weights, ["indicator", "dimension", "direction", "formula", "weight"], title)
    if show == "regions":
        regions = result.regions["overall"].unstack("region").reset_index()
        regions["year"] = regions["year"].astype(str)
        columns = [str(c) for c in regions.columns]
        regions.columns = columns
        print_result(result, regions, columns, f"{_title(result)}: mean of member provinces ({grouping})", out)
        return
    dims = [c for c in table.columns if c not in ("geo", "province", "region", "year", "overall")]
    ranking = table[table["year"] == shown].sort_values("overall", ascending=False)
    ranking = pd.DataFrame(ranking.assign(rank=range(1, len(ranking) + 1)))
    columns = ["rank", "geo", "province", "region", "overall", *dims]
    print_result(result, ranking, columns, f"{_title(result)}: {shown}", out)


_MeasureOption = Annotated[
    str,
    typer.Option(
        "--measure",
        help="nqpf (the NQPF index), coupling (coupling coordination D of pollution and carbon reduction) "
        "or a formula over panel variables, e.g. 'co2_ceds / gdp'.",
    ),
]
_KernelOption = Annotated[
    str, typer.Option("--kernel", help="Kernel: epanechnikov (Stata's), epan2, gaussian, triangular, biweight.")
]
_BandwidthOption = Annotated[
    str,
    typer.Option(
        "--bandwidth", help="stata (0.9·min(sd, IQR/1.349)·n^-1/5, Stata quartiles), silverman, scott or a number."
    ),
]
_SpanOption = Annotated[int, typer.Option("--span", help="β-convergence growth span T in years.")]
_ControlOption = Annotated[
    list[str] | None,
    typer.Option(
        "--control", help="Control of conditional β-convergence: a formula over panel variables (repeatable)."
    ),
]
_MinGroupSizeOption = Annotated[
    int, typer.Option("--min-group-size", help="Smallest region allowed in the Dagum decomposition.")
]
_BootstrapOption = Annotated[
    int,
    typer.Option("--bootstrap", help="Replicates for percentile intervals of the Dagum parts (0: none)."),
]
_LevelOption = Annotated[float, typer.Option("--level", help="Confidence level of the bootstrap intervals.")]
_SeedOption = Annotated[int, typer.Option("--seed", help="Seed of the bootstrap draws.")]


def imbalance(
    measure: _MeasureOption = "nqpf",
    system: SystemOption = "default",
    method: MethodOption = "entropy-topsis",
    normalisation: NormalisationOption = "pooled",
    zero: ZeroOption = "shift",
    epsilon: EpsilonOption = 1e-4,
    start: StartOption = 2008,
    end: EndOption = 2022,
    grouping: GroupingOption = "four_regions",
    kernel: _KernelOption = "epanechnikov",
    bandwidth: _BandwidthOption = "stata",
    span: _SpanOption = 1,
    control: _ControlOption = None,
    min_group_size: _MinGroupSizeOption = 2,
    bootstrap: _BootstrapOption = 0,
    level: _LevelOption = 0.95,
    seed: _SeedOption = 0,
    panel: PanelOption = None,
    out: OutOption = None,
) -> None:
    """Regional imbalance: Dagum Gini decomposition, Theil, kernel density, σ- and β-convergence by region."""
    from coreduce.analysis.imbalance import regional_imbalance

    try:
        bw: str | float = float(bandwidth)
    except ValueError:
        bw = bandwidth
    c = _index_conventions(
        system,
        method,
        normalisation,
        zero,
        epsilon,
        start,
        end,
        grouping=grouping,
        measure=measure,
        kernel=kernel,
        bandwidth=bw,
        span=span,
        min_group_size=min_group_size,
        bootstrap=bootstrap,
        level=level,
        seed=seed,
    )
    data = run("loading the panel", load_panel, panel)
    result = run("regional imbalance", regional_imbalance, data, c, controls=list(control or []))
    value = result.measure
    table = result.dagum.reset_index()
    for part in ("G_w", "G_nb", "G_t"):
        table[f"{part} %"] = table[f"share_{part}"] * 100
    table["year"] = table["year"].astype(str)
    columns = ["year", "n", "G", "G_w", "G_nb", "G_t", "G_w %", "G_nb %", "G_t %"]
    if bootstrap:
        ci = result.bootstrap.xs("G", level="component")
        table["G interval"] = [f"[{lo:.4f}, {hi:.4f}]" for lo, hi in zip(ci["lower"], ci["upper"], strict=True)]
        columns.insert(3, "G interval")
    beta = result.beta
    if "beta" in beta.columns:
        show_table(beta.dropna(subset=["beta"]), ["region", "form", "beta", "pvalue", "speed", "nobs"], "β-convergence")
    print_result(result, table, columns, f"Dagum Gini decomposition of {value} ({grouping})", out)


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

    from coreduce.analysis.obstacles import obstacles as analysis
    from coreduce.geo import by_code

    if top < 1:
        raise typer.BadParameter(f"--top must be at least 1, not {top}")
    c = _index_conventions(system, method, normalisation, zero, epsilon, start, end)
    data = run("loading the panel", load_panel, panel)
    result = run("obstacle degrees", analysis, data, c, top=top)
    dims = result.dimensions.reset_index()
    shown = _year(dims, year, "index")
    frame = dims[dims["year"] == shown]
    tops = result.top
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
    print_result(result, frame, columns, f"{_title(result)}: {shown} (dimension shares; top {top} indicators)", out)


def register(app: typer.Typer) -> None:
    app.command("nqpf")(nqpf)
    app.command("imbalance")(imbalance)
    app.command("obstacles")(obstacles)
