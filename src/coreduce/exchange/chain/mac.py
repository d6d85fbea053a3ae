"""The marginal abatement cost curve of ranked measures, with each measure's co-benefits (matplotlib)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from coreduce.exchange.chain.measures import MeasureError, MeasureRanking


@dataclass(frozen=True)
class MacBars:
    """The bars of a MAC curve: one row per measure on the curve (``measure_id``, ``x`` left edge, ``width``,
    ``height``, ``tradeoff``, ``cobenefits`` text), sorted by height; the measures left off; the axis titles."""

    bars: pd.DataFrame
    left_out: list[str]
    xlabel: str
    ylabel: str


def mac_bars(ranking: MeasureRanking, basis: str = "co2") -> MacBars:
    """The bars of the MAC curve with co-benefits.

    ``basis="co2"``: bar width = CO2 reduction (t), height = cost per t CO2 (CNY/t); measures that do not cut CO2
    (e.g. FGD, which raises it) are left off. ``basis="weighted"``: width = weighted reduction ``W``, height = cost
    per unit of ``W``. Bars are sorted by height and laid side by side from x = 0; each bar's co-benefits give the
    change in every other pollutant as a share of its baseline (negative = reduced).
    """
    table = ranking.table
    if basis == "co2":
        if "co2" not in ranking.pollutants:
            raise MeasureError("a CO2 MAC curve needs 'co2' among the ranked pollutants")
        width = table["reduction_co2_kg"] / 1000.0
        height = table["cost_per_t_co2"]
        xlabel, ylabel = "CO2 abated (t per year)", "cost (CNY per t CO2)"
    elif basis == "weighted":
        width = table["weighted_reduction"]
        height = table["cost_cny"] / table["weighted_reduction"].where(table["weighted_reduction"] > 0)
        xlabel, ylabel = f"weighted reduction ({ranking.conventions['weight_unit']})", "cost (CNY per unit)"
    else:
        raise MeasureError(f"basis {basis!r}: expected 'co2' or 'weighted'")
    shown = table.assign(width=width, height=height)
    shown = shown[(shown["width"] > 0) & np.isfinite(shown["height"])].sort_values("height")
    cobenefits = [
        " ".join(
            f"{p} {-getattr(r, f'reduction_{p}_kg') / ranking.baseline[p]:+.0%}"
            for p in ranking.pollutants
            if p != "co2" and ranking.baseline[p] > 0 and np.isfinite(getattr(r, f"reduction_{p}_kg"))
        )
        for r in shown.itertuples()
    ]
    bars = pd.DataFrame(
        {
            "measure_id": shown["measure_id"].to_numpy(),
            "x": (shown["width"].cumsum() - shown["width"]).to_numpy(dtype=float),
            "width": shown["width"].to_numpy(dtype=float),
            "height": shown["height"].to_numpy(dtype=float),
            "tradeoff": shown["tradeoff"].to_numpy(dtype=bool),
            "cobenefits": cobenefits,
        }
    )
    left_out = sorted(set(table["measure_id"]) - set(shown["measure_id"]))
    return MacBars(bars, left_out, xlabel, ylabel)


def mac_curve(ranking: MeasureRanking, *, basis: str = "co2", ax=None):
    """Marginal abatement cost curve with co-benefits (matplotlib Figure) of :func:`mac_bars`; each bar is labelled
    with its measure and co-benefits; trade-offs are hatched red."""
    import matplotlib.pyplot as plt

    curve = mac_bars(ranking, basis)
    fig = ax.figure if ax is not None else plt.figure(figsize=(9, 5))
    ax = ax or fig.add_subplot()
    for r in curve.bars.itertuples():
        colour = "#c0392b" if r.tradeoff else "#2e86c1"
        ax.bar(
            r.x,
            r.height,
            width=r.width,
            align="edge",
            color=colour,
            edgecolor="black",
            hatch="//" if r.tradeoff else "",
        )
        ax.annotate(
            f"{r.measure_id}\n{r.cobenefits}",
            (r.x + r.width / 2, r.height),
            ha="center",
            va="bottom" if r.height >= 0 else "top",
            fontsize=7,
        )
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_xlabel(curve.xlabel)
    ax.set_ylabel(curve.ylabel)
    ax.set_title(
        "Marginal abatement cost curve with co-benefits (labels: change in each pollutant vs baseline)", fontsize=10
    )
    note = "red hatched = trade-off (raises another pollutant)"
    if curve.left_out:
        note += "; not on the curve (no reduction on this basis): " + ", ".join(curve.left_out)
    fig.text(0.01, 0.01, note, fontsize=7)
    return fig
