"""``coreduce regress``: does NQPF promote co-reduction? Fixed effects, channels, regions and spatial spillovers.

The model comes from options or a short TOML spec (``--spec``; options given on the command line win), see
:func:`coreduce.analysis.regress.load_spec`. Prints the regression table in the economists' layout, the
mediation and regional tables and the conventions; ``--table`` writes the regression table as .tex, .html,
.rtf (opens in Word), .csv or .txt, and ``--out`` the whole result (.csv main table, .xlsx every table).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from coreduce.cli.options import OutOption, PanelOption


def _pairs(values: list[str] | None, option: str) -> dict[str, str] | None:
    if not values:
        return None
    out = {}
    for item in values:
        name, sep, formula = item.partition("=")
        if not sep or not name.strip() or not formula.strip():
            raise typer.BadParameter(
                f"{option} takes name=formula, e.g. ln_gdp_pc='log(gdp / population)'; got {item!r}"
            )
        out[name.strip()] = formula.strip()
    return out


def _print_frame(console, frame, title: str, digits: int = 4) -> None:
    from rich.table import Table

    table = Table(title=title)
    index = frame.index.name is not None or not frame.index.equals(frame.reset_index(drop=True).index)
    if index:
        table.add_column("")
    for col in frame.columns:
        table.add_column(str(col), justify="right")
    for label, row in frame.iterrows():
        cells = [f"{v:.{digits}f}" if isinstance(v, float) else str(v) for v in row]
        name = " / ".join(map(str, label)) if isinstance(label, tuple) else str(label)
        table.add_row(*([name] if index else []), *cells)
    console.print(table)


_SpecOption = Annotated[
    Path | None,
    typer.Option(
        "--spec",
        help="TOML model file: outcome, system, years = [first, last], cluster, effects, heterogeneity, tables "
        "controls and mediators (name = formula), nqpf, bootstrap (n, level, seed), spatial (weights, durbin).",
    ),
]
_OutcomeOption = Annotated[
    str | None,
    typer.Option("--outcome", help="'coupling' (coordination degree D) or a formula, e.g. 'log(co2_ceds / gdp)'."),
]
_SystemOption = Annotated[
    str | None, typer.Option("--system", help="NQPF indicator system: default, long or a TOML file.")
]
_ControlOption = Annotated[
    list[str] | None, typer.Option("--control", help="Control as name=formula (repeat); replaces the defaults.")
]
_MediatorOption = Annotated[
    list[str] | None, typer.Option("--mediator", help="Channel as name=formula (repeat); replaces the defaults.")
]
_NoMediationOption = Annotated[bool, typer.Option("--no-mediation", help="Skip the mediation analysis.")]
_NoHeterogeneityOption = Annotated[bool, typer.Option("--no-heterogeneity", help="Skip the regional models.")]
_StartOption = Annotated[int | None, typer.Option("--start", help="First year.")]
_EndOption = Annotated[int | None, typer.Option("--end", help="Last year.")]
_ClusterOption = Annotated[
    str | None, typer.Option("--cluster", help="entity (default), two-way, robust or unadjusted.")
]
_NBootOption = Annotated[int | None, typer.Option("--n-boot", help="Bootstrap replicates for the channels.")]
_SeedOption = Annotated[int | None, typer.Option("--seed", help="Bootstrap seed.")]
_SpatialOption = Annotated[
    str | None, typer.Option("--spatial", help="Also fit the spatial Durbin panel with queen or distance weights.")
]
_TableOption = Annotated[
    Path | None,
    typer.Option(
        "--table",
        help="Write the regression table (.tex, .html, .rtf, .csv, .txt); with --spatial also <name>_spatial.",
    ),
]


def regress(
    spec: _SpecOption = None,
    outcome: _OutcomeOption = None,
    system: _SystemOption = None,
    control: _ControlOption = None,
    mediator: _MediatorOption = None,
    no_mediation: _NoMediationOption = False,
    no_heterogeneity: _NoHeterogeneityOption = False,
    start: _StartOption = None,
    end: _EndOption = None,
    cluster: _ClusterOption = None,
    n_boot: _NBootOption = None,
    seed: _SeedOption = None,
    spatial: _SpatialOption = None,
    table: _TableOption = None,
    panel: PanelOption = None,
    out: OutOption = None,
) -> None:
    """Two-way fixed-effects regression of co-reduction on the NQPF index, with channels, regions and spillovers."""
    from rich.console import Console

    from coreduce.analysis.regress import regress as fit
    from coreduce.analysis.regress_spec import load_spec
    from coreduce.analysis.tables import FORMATS
    from coreduce.cli.options import conventions, load_panel, print_footer, run

    err = Console(stderr=True)
    if table is not None and table.suffix.lower() not in FORMATS:
        raise typer.BadParameter(f"--table must end in {', '.join(FORMATS)}; got {table.name}")
    if out is not None and out.suffix.lower() not in (".csv", ".xlsx"):
        raise typer.BadParameter(f"--out must end in .csv or .xlsx; got {out.name}")
    loaded = run("reading the spec", load_spec, spec) if spec is not None else {"model": {}, "conventions": {}}
    options, spatial_options = dict(loaded["model"]), loaded.get("spatial")
    overrides = {
        "outcome": outcome,
        "controls": _pairs(control, "--control"),
        "mediators": {} if no_mediation else _pairs(mediator, "--mediator"),
        "cluster": cluster,
        "n_boot": n_boot,
        "seed": seed,
    }
    options.update({k: v for k, v in overrides.items() if v is not None})
    if no_heterogeneity:
        options["heterogeneity"] = False
    window = {k: v for k, v in (("start", start), ("end", end)) if v is not None}
    c = conventions(**{**loaded["conventions"], **({"system": system} if system else {}), **window})
    if spatial is not None:
        spatial_options = {**(spatial_options or {}), "weights": spatial}
    data = load_panel(panel)
    result = run("fitting the fixed-effects models", fit, data, c, **options)
    console = Console()
    console.print(result.regression_tables["main"].to_text())
    if not result.mediation.empty:
        _print_frame(console, result.mediation.set_index("channel"), "Channels (mediation)")
    if not result.heterogeneity.empty:
        _print_frame(console, result.heterogeneity.set_index("region"), "By region")
    print_footer(console, result)
    if spatial_options is not None:
        keep = {k: v for k, v in options.items() if k in ("outcome", "controls", "seed")}
        _spatial(console, err, data, c, {**keep, **spatial_options}, out, table)
    if table is not None:
        err.print(f"written: {result.export(table)}")
    if out is not None:
        console.print(f"written: {result.write(out)}")


def _spatial(console, err, data, c, options: dict, out: Path | None, table: Path | None) -> None:
    """Fit and print the spatial Durbin panel; write its result and table beside the main ones."""
    from coreduce.analysis.spatial import spatial_regress
    from coreduce.cli.options import run
    from coreduce.i18n import message

    sp = run("fitting the spatial Durbin panel", spatial_regress, data, c, **options)
    title = message(sp.title, "en")
    _print_frame(console, sp.coefficients[["term", "coef", "std_err", "p_value"]].set_index("term"), title)
    _print_frame(console, sp.effects.set_index(["effect", "variable"]), "Direct, indirect, total")
    for note in sp.notes_text()[1:]:
        console.print(f"[cyan]note:[/cyan] {note}")
    spatial_rows = sp.conventions_frame()
    spatial_rows = spatial_rows[spatial_rows["key"].str.startswith("spatial")]
    console.print(
        "[bold]spatial conventions[/bold]: "
        + "; ".join(f"{r.convention} = {r.value}" for r in spatial_rows.itertuples())
    )
    console.print(sp.regression_tables["spatial"].to_text())
    if out is not None:
        console.print(f"written: {sp.write(out.with_name(out.stem + '_spatial' + out.suffix))}")
    if table is not None:
        err.print(f"written: {sp.export(table.with_name(table.stem + '_spatial' + table.suffix), 'spatial')}")


def register(app: typer.Typer) -> None:
    app.command("regress")(regress)
