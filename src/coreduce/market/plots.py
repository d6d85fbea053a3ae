"""Figures of the carbon-market results: capacity and allocation by category, positions by province, the
supply and demand curves of a clearing, and the marginal abatement cost (MAC) curve.

Each function takes a result and a language and returns a matplotlib figure; it draws what the result holds
and computes nothing new. Labels come from the message catalogues.
"""

from __future__ import annotations

import numpy as np

from coreduce.i18n import message

CJK = ["Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "DejaVu Sans"]


def figure_language(lang: str) -> str:
    """``lang``, or ``en`` when Chinese is asked for and no CJK font is installed (labels would show as boxes)."""
    if lang != "zh":
        return lang
    from matplotlib import font_manager

    for family in CJK[:-1]:
        try:
            font_manager.findfont(family, fallback_to_default=False)
            return "zh"
        except ValueError:
            continue
    return "en"


def _figure(width: float = 8.0, height: float = 4.5):
    """A figure and its axes, not kept by pyplot (a caller that makes many figures holds no open ones), with
    the CJK fonts first so that Chinese labels draw."""
    import matplotlib
    from matplotlib.figure import Figure

    matplotlib.rcParams["font.sans-serif"] = CJK
    matplotlib.rcParams["axes.unicode_minus"] = False
    fig = Figure(figsize=(width, height))
    return fig, fig.subplots()


def capacity_figure(result, lang: str = "en"):
    """Capacity (GW) by plan category."""
    lang = figure_language(lang)
    fig, ax = _figure()
    table = result.categories
    ax.bar(table.index.astype(str), table["capacity_mw"] / 1000.0, color="#4c72b0")
    ax.set_ylabel("GW")
    ax.set_title(message(result.title, lang))
    fig.autofmt_xdate(rotation=20)
    return fig


def allocation_figure(result, lang: str = "en"):
    """Allocation beside emissions by province (Mt CO2)."""
    lang = figure_language(lang)
    fig, ax = _figure(10, 4.8)
    table = result.provinces.sort_values("allocation_t", ascending=False)
    x = np.arange(len(table))
    ax.bar(x - 0.2, table["allocation_t"] / 1e6, 0.4, label="allocation", color="#4c72b0")
    ax.bar(x + 0.2, table["emissions_t"] / 1e6, 0.4, label="CO2", color="#dd8452")
    ax.set_xticks(x, table.index.astype(str), rotation=75, fontsize=7)
    ax.set_ylabel("Mt CO2")
    ax.set_title(message(result.title, lang))
    ax.legend()
    return fig


def positions_figure(result, lang: str = "en"):
    """Net position by province (Mt CO2): above zero can sell, below must buy."""
    lang = figure_language(lang)
    fig, ax = _figure(10, 4.8)
    table = result.provinces.sort_values("position_t")
    colours = np.where(table["position_t"] < 0, "#c44e52", "#55a868")
    ax.bar(table.index.astype(str), table["position_t"] / 1e6, color=colours)
    ax.axhline(0, color="black", lw=0.8)
    ax.tick_params(axis="x", rotation=75, labelsize=7)
    ax.set_ylabel(message("label.market.position", lang))
    ax.set_title(message(result.title, lang))
    return fig


def curves_figure(result, lang: str = "en"):
    """Supply (asks) and demand (bids) step curves of a clearing, with the clearing price and volume."""
    lang = figure_language(lang)
    fig, ax = _figure()
    curves = result.curves
    for side, colour, label in (
        ("demand", "#c44e52", "label.market.demand"),
        ("supply", "#4c72b0", "label.market.supply"),
    ):
        part = curves[curves["side"] == side]
        ax.step(part["quantity_t"] / 1e6, part["price"], where="post", color=colour, label=message(label, lang))
    row = result.summary_table.iloc[0]
    ax.axhline(row["price"], color="grey", ls="--", lw=0.8)
    ax.axvline(row["volume_t"] / 1e6, color="grey", ls="--", lw=0.8)
    ax.set_xlabel(message("label.market.quantity", lang))
    ax.set_ylabel(message("label.market.price", lang))
    ax.set_title(message(result.title, lang))
    ax.legend()
    return fig


def mac_figure(result, lang: str = "en"):
    """The fleet's marginal abatement cost curve: the abatement steps of a simulation sorted by cost."""
    lang = figure_language(lang)
    steps = result.mac
    fig, ax = _figure()
    order = np.argsort(steps["cost"].to_numpy(), kind="stable")
    cost = steps["cost"].to_numpy()[order]
    cumulative = np.cumsum(steps["quantity_t"].to_numpy()[order]) / 1e6
    ax.step(np.r_[0.0, cumulative], np.r_[cost[:1], cost], where="pre", color="#55a868")
    ax.set_xlabel(message("label.market.abatement", lang))
    ax.set_ylabel(message("label.market.price", lang))
    ax.set_title(message("label.market.mac", lang))
    return fig


def flows_figure(result, lang: str = "en"):
    """Allowances traded between provinces (Mt): sellers' provinces down, buyers' across."""
    lang = figure_language(lang)
    flows = result.flows
    fig, ax = _figure(9, 8)
    if flows.empty:
        ax.set_axis_off()
        return fig
    image = ax.imshow(flows.to_numpy() / 1e6, cmap="viridis")
    ax.set_xticks(range(flows.shape[1]), flows.columns.astype(str), rotation=90, fontsize=6)
    ax.set_yticks(range(flows.shape[0]), flows.index.astype(str), fontsize=6)
    fig.colorbar(image, ax=ax, label=message("label.market.quantity", lang))
    ax.set_title(message(result.title, lang))
    return fig
