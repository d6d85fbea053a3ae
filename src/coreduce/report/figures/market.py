"""The map of trades of a carbon-market clearing: where allowances flow, province to province.

:func:`trades_map` lays out a :class:`~coreduce.market.results.ClearingResult` on the shared China map
(:func:`coreduce.report.maps.choropleth`): provinces coloured by their net allowances bought (bought − sold
between provinces, Mt CO2; red buys, blue sells, hatched grey no trade), and an arrow from the seller's province to
the buyer's for each of the largest inter-province flows (line width ∝ tonnes), anchored at a point inside each
province in the map's own projection (:func:`coreduce.report.maps.province_points`). Trades within a province
cancel in the net and have no arrow. It computes nothing beyond these sums of the result's ``flows`` table.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from coreduce.i18n import message
from coreduce.report.drawing import collector_paused


def net_bought(flows: pd.DataFrame) -> pd.Series:
    """Net allowances bought by each province from other provinces (t): its column sum less its row sum."""
    if flows.empty:
        return pd.Series(dtype=float)
    names = flows.index.union(flows.columns)
    square = flows.reindex(index=names, columns=names, fill_value=0.0)
    return square.sum(axis=0) - square.sum(axis=1)


def largest_flows(flows: pd.DataFrame, top: int) -> pd.DataFrame:
    """The ``top`` largest flows between two different provinces: seller, buyer, quantity_t."""
    if flows.empty:
        return pd.DataFrame(columns=["seller", "buyer", "quantity_t"])
    long = flows.rename_axis(index="seller", columns="buyer").stack().rename("quantity_t").reset_index()
    long = long[(long["seller"] != long["buyer"]) & (long["quantity_t"] > 0)]
    return long.nlargest(top, "quantity_t").reset_index(drop=True)


@collector_paused()
def trades_map(result, lang: str = "en", top: int = 25) -> Figure:
    """Net allowances bought by province and the ``top`` largest inter-province flows of a clearing."""
    from coreduce.geo import code_of
    from coreduce.report.maps import choropleth, province_points

    net = net_bought(result.flows) / 1e6
    net.index = [code_of(str(name)) for name in net.index]
    net = net[net.abs() > 0]
    bound = float(net.abs().max()) if len(net) else 1.0
    fig = choropleth(
        net,
        title=message("label.market.trades_map", lang),
        unit=message("label.market.net_bought", lang),
        cmap="RdBu_r",
        bins=list(np.linspace(-bound, bound, 9)),
        no_data_label=message("label.market.no_trade", lang),
    )
    flows = largest_flows(result.flows, top)
    if flows.empty:
        return fig
    flows["seller"] = [code_of(str(n)) for n in flows["seller"]]
    flows["buyer"] = [code_of(str(n)) for n in flows["buyer"]]
    where = province_points(sorted(set(flows["seller"]) | set(flows["buyer"])))
    ax, widest = fig.axes[0], float(flows["quantity_t"].max())
    for row in flows.itertuples():
        ax.annotate(
            "",
            xy=where[row.buyer],
            xytext=where[row.seller],
            arrowprops={"arrowstyle": "-|>", "color": "#333333", "alpha": 0.7, "shrinkA": 2, "shrinkB": 2,
                        "lw": 0.4 + 3.0 * row.quantity_t / widest, "connectionstyle": "arc3,rad=0.15"},
        )  # fmt: skip
    return fig
