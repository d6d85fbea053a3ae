"""The marginal abatement cost curve of ranked measures, with each measure's co-benefits (matplotlib)."""

from __future__ import annotations

import numpy as np

from coreduce.exchange.chain.measures import MeasureError, MeasureRanking


def mac_curve(ranking: MeasureRanking, *, basis: str = "co2", ax=None):
    """Marginal abatement cost curve with co-benefits (matplotlib Figure).

    ``basis="co2"``: bar width = CO2 reduction (t), height = cost per t CO2 (CNY/t); measures that do not cut CO2
    (e.g. FGD, which raises it) are listed in the figure note. ``basis="weighted"``: width = weighted reduction
    ``W``, height = cost per unit of ``W``. Bars are sorted by height; each bar's label gives the change in every
    other pollutant as a share of its baseline (the co-benefits: negative = reduced); trade-offs are hatched red.
    """
    import matplotlib.pyplot as plt

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
    shown = table.assign(bar_w=width, bar_h=height)
    shown = shown[(shown["bar_w"] > 0) & np.isfinite(shown["bar_h"])].sort_values("bar_h")
    left_out = sorted(set(table["measure_id"]) - set(shown["measure_id"]))
    fig = ax.figure if ax is not None else plt.figure(figsize=(9, 5))
    ax = ax or fig.add_subplot()
    x = 0.0
    for r in shown.itertuples():
        colour = "#c0392b" if r.tradeoff else "#2e86c1"
        ax.bar(
            x, r.bar_h, width=r.bar_w, align="edge", color=colour, edgecolor="black", hatch="//" if r.tradeoff else ""
        )
        shares = [
            f"{p} {-getattr(r, f'reduction_{p}_kg') / ranking.baseline[p]:+.0%}"
            for p in ranking.pollutants
            if p != "co2" and ranking.baseline[p] > 0 and np.isfinite(getattr(r, f"reduction_{p}_kg"))
        ]
        ax.annotate(
            f"{r.measure_id}\n" + " ".join(shares),
            (x + r.bar_w / 2, r.bar_h),
            ha="center",
            va="bottom" if r.bar_h >= 0 else "top",
            fontsize=7,
        )
        x += r.bar_w
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(
        "Marginal abatement cost curve with co-benefits (labels: change in each pollutant vs baseline)", fontsize=10
    )
    note = "red hatched = trade-off (raises another pollutant)"
    if left_out:
        note += "; not on the curve (no reduction on this basis): " + ", ".join(left_out)
    fig.text(0.01, 0.01, note, fontsize=7)
    return fig
