"""``coreduce market units|allocate|positions|clear|simulate``: China's national carbon market (power sector).

Every command runs with no arguments on China's operating coal units of the GEM tracker and the latest
supported plan year; ``--units-file`` adds units of a user file (e.g. gas units, which the tracker lacks) or,
with ``--no-gem``, replaces the tracker. The result prints as a summary (``--lang zh|en``); ``--out`` writes it
(.csv main table, .xlsx every table with conventions, notes and sources); ``--plot`` writes its figure.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

market_app = typer.Typer(help="China's national carbon market: units, allocation, positions, matching.")

PlanYear = Annotated[int, typer.Option("--plan-year", help="Allocation plan year (2019–2022).")]
UnitsFile = Annotated[Path | None, typer.Option("--units-file", help="A .csv/.xlsx unit file to add (e.g. gas).")]
NoGem = Annotated[bool, typer.Option("--no-gem", help="Use only --units-file, not the GEM tracker.")]
Status = Annotated[list[str] | None, typer.Option("--status", help="GEM statuses to include (repeat).")]
Hours = Annotated[float | None, typer.Option("--hours", help="Utilisation hours for units without their own.")]
Lang = Annotated[str, typer.Option("--lang", help="Language of the summary: zh or en.")]
Out = Annotated[Path | None, typer.Option("--out", help="Write the result to .csv or .xlsx.")]
Plot = Annotated[Path | None, typer.Option("--plot", help="Write the figure to this .png/.svg/.pdf file.")]
Info = Annotated[str, typer.Option("--information", help="full, partial_book or bilateral.")]
Seed = Annotated[int | None, typer.Option("--seed", help="Random seed.")]
Basis = Annotated[str, typer.Option("--heat-rate-basis", help="cec_2022 (calibrated, default) or gem (as printed).")]
Sets = Annotated[
    list[str] | None,
    typer.Option("--set", help="Any market convention as key=value (repeat), e.g. --set offsets=none."),
]
Mechanism = Annotated[str, typer.Option("--mechanism", help="auction (uniform-price call) or continuous (book).")]


def _value(text: str):
    import json

    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return text
    return tuple(value) if isinstance(value, list) else value


def _conventions(plan_year: int, status: list[str] | None, hours: float | None, sets=None, **extra):
    """The conventions from the options; ``--set key=value`` reaches every field (JSON values, else text)."""
    from coreduce.market import MarketConventions

    values = {"plan_year": plan_year, **{k: v for k, v in extra.items() if v is not None}}
    if status:
        values["statuses"] = tuple(status)
    if hours is not None:
        values["utilisation_hours"] = hours
    for item in sets or ():
        key, sep, text = item.partition("=")
        if not sep:
            raise ValueError(f"--set {item!r}: expected key=value")
        values[key.strip()] = _value(text.strip())
    return MarketConventions.from_mapping(values)


def _units(conv, units_file: Path | None, no_gem: bool):
    import pandas as pd

    from coreduce.market import read_gem, read_unit_file

    frames = [] if no_gem else [read_gem(statuses=conv.statuses)]
    if units_file is not None:
        frames.append(read_unit_file(units_file))
    if not frames:
        raise ValueError("--no-gem needs --units-file")
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]


def _run(work):
    from rich.console import Console
    from rich.markup import escape

    console = Console(stderr=True)
    try:
        with console.status("coreduce market"):
            return work()
    except (ValueError, FileNotFoundError) as exc:
        console.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False)
        raise typer.Exit(1) from None


def _save(fig, path: Path) -> None:
    from coreduce.fileio import atomic_write

    with atomic_write(path) as tmp:
        fig.savefig(tmp, format=path.suffix.lstrip(".") or "png", dpi=150, bbox_inches="tight")
    typer.echo(f"wrote {path}")


def _show(result, lang: str, out: Path | None, plot: Path | None, figure) -> None:
    typer.echo(result.summary(lang))
    if out is not None:
        typer.echo(f"wrote {result.write(out, lang)}")
    if plot is not None:
        _save(figure(result, lang), plot)


def _unit_command(name: str, analysis: str, figure: str, doc: str) -> None:
    """Register ``coreduce market <name>``: ``coreduce.market.<analysis>`` on the units of the plan year, drawn by
    ``coreduce.market.plots.<figure>`` (the three unit commands share their options and steps)."""

    def command(
        plan_year: PlanYear = 2022,
        units_file: UnitsFile = None,
        no_gem: NoGem = False,
        status: Status = None,
        hours: Hours = None,
        lang: Lang = "en",
        out: Out = None,
        plot: Plot = None,
        sets: Sets = None,
    ) -> None:
        import coreduce.market
        import coreduce.market.plots

        def work():
            conv = _conventions(plan_year, status, hours, sets)
            return getattr(coreduce.market, analysis)(_units(conv, units_file, no_gem), conv)

        _show(_run(work), lang, out, plot, getattr(coreduce.market.plots, figure))

    command.__doc__ = doc
    command.__name__ = f"{name}_command"
    market_app.command(name)(command)


_unit_command(
    "units",
    "describe_units",
    "capacity_figure",
    "Units by plan category (conventional ≥/< the 300 MW class, unconventional, gas) with output and CO2.",
)
_unit_command(
    "allocate",
    "allocate",
    "allocation_figure",
    "Free allocation per unit (benchmark × output × corrections + heat) with province and national totals.",
)
_unit_command(
    "positions",
    "positions",
    "positions_figure",
    "Compliance positions after the plan's caps and CCER offsets: who must buy, who can sell, how much.",
)


@market_app.command("clear")
def clear_command(
    plan_year: PlanYear = 2022,
    units_file: UnitsFile = None,
    no_gem: NoGem = False,
    status: Status = None,
    hours: Hours = None,
    heat_rate_basis: Basis = "cec_2022",
    mechanism: Mechanism = "auction",
    information: Info = "full",
    seed: Seed = None,
    lang: Lang = "en",
    out: Out = None,
    plot: Plot = None,
    trades_map: Annotated[
        Path | None,
        typer.Option("--trades-map", help="Write the map of trades (province to province flows) to this file."),
    ] = None,
    sets: Sets = None,
) -> None:
    """Match buyers and sellers: price, volume, who trades with whom, abatement cost, co-pollutants by province."""
    from coreduce.market.plots import curves_figure
    from coreduce.market.simulate import clear

    def work():
        conv = _conventions(
            plan_year, status, hours, sets, heat_rate_basis=heat_rate_basis, information=information, seed=seed
        )
        return clear(_units(conv, units_file, no_gem), conv, mechanism)

    result = _run(work)
    _show(result, lang, out, plot, curves_figure)
    if trades_map is not None:
        from coreduce.market.plots import figure_language
        from coreduce.report.figures.market import trades_map as draw

        _save(draw(result, figure_language(lang)), trades_map)


@market_app.command("simulate")
def simulate_command(
    plan_year: PlanYear = 2022,
    units_file: UnitsFile = None,
    no_gem: NoGem = False,
    status: Status = None,
    hours: Hours = None,
    heat_rate_basis: Basis = "cec_2022",
    seed: Seed = None,
    lang: Lang = "en",
    out: Out = None,
    plot: Plot = None,
    sets: Sets = None,
) -> None:
    """Least-cost outcome (LP) against full, partial-book, bilateral and continuous matching: efficiency gaps."""
    from coreduce.market.plots import mac_figure
    from coreduce.market.simulate import simulate

    def work():
        conv = _conventions(plan_year, status, hours, sets, heat_rate_basis=heat_rate_basis, seed=seed)
        return simulate(_units(conv, units_file, no_gem), conv)

    _show(_run(work), lang, out, plot, mac_figure)


def register(app: typer.Typer) -> None:
    app.add_typer(market_app, name="market")
