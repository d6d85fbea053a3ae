"""Figures 5–7: the co-control coordinate system, coupling coordination by band, and LMDI effects by channel.

* Co-control coordinate system (Mao et al. 2011): x = reduction rate of the pollutant, y = reduction rate of
  CO2 between two years; quadrant I is co-reduction, II carbon reduced with more pollution, III co-increase,
  IV pollution reduced with more carbon.
* Coupling coordination degree D of the pollution- and carbon-reduction subsystems, coloured by the ten
  0.1-wide bands of :data:`coreduce.methods.coupling.GRADES`.
* LMDI additive effects: a waterfall from V0 to V1 through the five factors (nation) and stacked bars of the
  channel effects (regions).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.figure import Figure

from coreduce.geo import by_code
from coreduce.i18n import message
from coreduce.methods.coupling import GRADES
from coreduce.report.drawing import collector_paused
from coreduce.report.figures.labels import label_points
from coreduce.report.i18n import Text

QUADRANT_COLOURS = {
    "I": "#2e7d32",
    "II": "#2e75b6",
    "III": "#b03a2e",
    "IV": "#e69f00",
    "axis": "#7f7f7f",
}
QUADRANTS = ("I", "II", "III", "IV", "axis")
"""Quadrants of the co-control coordinate system (labels ``report.quadrant.<q>``)."""
BAND_COLOURS = (
    "#67001f",
    "#b2182b",
    "#d6604d",
    "#f4a582",
    "#fddbc7",
    "#d1e5f0",
    "#92c5de",
    "#4393c3",
    "#2166ac",
    "#053061",
)
MARKER_SIZE = 28
"""Area of a province's marker in the co-control coordinate system, points²."""
LEADER = {"arrowstyle": "-", "color": "#8a8a8a", "linewidth": 0.5}
"""The line joining a province's name set apart from its point to the point."""
CHANNEL_COLOURS = {
    "economic scale": "#7f7f7f",
    "industrial upgrading": "#2e75b6",
    "technological progress": "#1f4e79",
    "energy revolution": "#2e7d32",
}


def place_name(code: str, t: Text) -> str:
    """Short Chinese or English name of a province code; other geos (regions) as given."""
    province = by_code().get(str(code))
    if province is None:
        return str(code)
    return t.pick(province.short_zh, province.name_en)


def _limits(values: pd.Series) -> tuple[float, float]:
    """Axis limits that hold every point and zero, with each of the two sides of zero at least a fifth of the
    range wide so that all four quadrants (and their names) stay visible."""
    low, high = (min(float(values.min()), 0.0), max(float(values.max()), 0.0)) if len(values) else (-5.0, 5.0)
    span = max(high - low, 10.0)
    return min(low - 0.08 * span, -0.2 * span), max(high + 0.08 * span, 0.2 * span)


@collector_paused()
def cocontrol_scatter(window: pd.DataFrame, lang: str, pollutant_label: str, colour_by: dict[str, str]) -> Figure:
    """Provinces as points in the co-control coordinate system (reduction rates in percent).

    ``window`` has columns ``geo, reduction_pollutant, reduction_co2, quadrant``; ``colour_by`` maps geo → group
    name for the legend (e.g. the four regions).
    """
    t = Text(lang)
    fig = Figure(figsize=(8.2, 6.6), layout="constrained")
    ax = fig.add_subplot()
    frame = window.dropna(subset=["reduction_pollutant", "reduction_co2"])
    x, y = frame["reduction_pollutant"] * 100, frame["reduction_co2"] * 100
    (x0, x1), (y0, y1) = _limits(x), _limits(y)
    for (qx, qy), quadrant in (((1, 1), "I"), ((-1, 1), "II"), ((-1, -1), "III"), ((1, -1), "IV")):
        xe, ye = (x1 if qx > 0 else x0), (y1 if qy > 0 else y0)
        ax.fill_between([0, xe], 0, ye, color=QUADRANT_COLOURS[quadrant], alpha=0.07, linewidth=0)
        ax.text(
            xe - 0.02 * (x1 - x0) * qx,
            ye - 0.03 * (y1 - y0) * qy,
            t.label("quadrant", quadrant),
            ha="right" if qx > 0 else "left",
            va="top" if qy > 0 else "bottom",
            fontsize=9,
            color=QUADRANT_COLOURS[quadrant],
            weight="bold",
        )
    ax.axhline(0, color="#444444", linewidth=0.8)
    ax.axvline(0, color="#444444", linewidth=0.8)
    groups = list(dict.fromkeys(colour_by.values()))
    palette = ("#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2")
    for i, group in enumerate(groups):
        members = frame["geo"].map(colour_by) == group
        ax.scatter(x[members], y[members], s=MARKER_SIZE, color=palette[i % len(palette)], label=group, zorder=3)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_xlabel(t("fig_costatus.pollutant_label_reduction_rate", pollutant_label=pollutant_label))
    ax.set_ylabel(t("fig_costatus.co2_reduction_rate"))
    if groups:
        ax.legend(loc="lower left", bbox_to_anchor=(0.0, 0.08), frameon=False, fontsize=8)
    ax.spines["top"].set_visible(True)
    ax.spines["right"].set_visible(True)
    names = [place_name(g, t) for g in frame["geo"]]
    label_points(fig, ax, names, x.to_numpy(), y.to_numpy(), marker_size=MARKER_SIZE, line=LEADER)
    return fig


def band_colours() -> tuple[ListedColormap, BoundaryNorm]:
    return ListedColormap(list(BAND_COLOURS)), BoundaryNorm(np.linspace(0, 1, 11), len(BAND_COLOURS))


@collector_paused()
def coupling_heatmap(coupling: pd.DataFrame, lang: str, order: list[str]) -> Figure:
    """Coupling coordination degree D, units (rows, in ``order``) × years, coloured by the ten bands.

    The cells are a mesh of quadrilaterals drawn without anti-aliasing (unit squares centred on the integer
    positions, the first row at the top), which gives the PNG the same pixels as an image shown with nearest
    sampling but costs no resampling of the grid to the figure's pixels (3 million at 300 dpi) before colouring;
    it is rasterised in the SVG (at ``savefig.dpi``), as such an image is, so that the PDF shows no seams
    between cells."""
    t = Text(lang)
    grid = coupling.pivot_table(index="geo", columns="year", values="D").reindex(order)
    fig = Figure(figsize=(9, max(4.0, 0.19 * len(order) + 1.4)), layout="constrained")
    ax = fig.add_subplot()
    cmap, norm = band_colours()
    cmap = cmap.with_extremes(bad="#eeeeee")
    rows, columns = grid.shape
    edges = np.arange(columns + 1) - 0.5, np.arange(rows + 1) - 0.5
    cells = np.ma.masked_invalid(grid.to_numpy(dtype=float))
    image = ax.pcolormesh(*edges, cells, cmap=cmap, norm=norm, antialiased=False, rasterized=True)
    ax.set_xlim(-0.5, columns - 0.5)
    ax.set_ylim(rows - 0.5, -0.5)
    ax.set_yticks(range(len(order)), [place_name(g, t) for g in order], fontsize=7)
    years = list(grid.columns)
    ax.set_xticks(range(len(years)), [str(y) for y in years], fontsize=7, rotation=45)
    bar = fig.colorbar(image, ax=ax, ticks=np.linspace(0.05, 0.95, 10), fraction=0.04, pad=0.01)
    bar.ax.set_yticklabels([t.pick(zh, en) for en, zh in GRADES], fontsize=7)
    bar.set_label(t("fig_costatus.coupling_coordination_degree_d"), fontsize=8)
    for side in ("top", "right", "left", "bottom"):
        ax.spines[side].set_visible(False)
    return fig


@collector_paused()
def lmdi_figure(
    table: pd.DataFrame,
    lang: str,
    unit: str,
    regions: list[str],
    labels_zh: dict[str, str],
    factors: list[str],
) -> Figure:
    """Left: waterfall of the nation's effects from V0 to V1 through ``factors`` (columns of ``table``);
    right: the channel effects (``channel: <name>`` columns) of each region, stacked."""
    t = Text(lang)
    channels = [c.removeprefix("channel: ") for c in table.columns if str(c).startswith("channel: ")]
    fig = Figure(figsize=(10, 4.8), layout="constrained")
    left, right = fig.subplots(1, 2, width_ratios=[1.2, 1])

    nation = table[table["level"] == "nation"]
    if len(nation):
        row = nation.iloc[0]
        steps = [float(row[f]) for f in factors]
        labels = [f"{int(row['start'])}"] + [t.label("factor", f) for f in factors] + [f"{int(row['end'])}"]
        level = float(row["V0"])
        left.bar(0, level, color="#9a9a9a")
        for i, step in enumerate(steps, start=1):
            bottom = level if step >= 0 else level + step
            left.bar(i, abs(step), bottom=bottom, color="#b03a2e" if step > 0 else "#2e7d32")
            left.text(i, level + max(step, 0), f"{step:+,.0f}", ha="center", va="bottom", fontsize=7)
            level += step
        left.bar(len(steps) + 1, float(row["V1"]), color="#1f4e79")
        left.set_xticks(range(len(labels)), labels, rotation=30, ha="right", fontsize=8)
        left.set_ylabel(unit)
        left.set_title(t("fig_costatus.china_effect_each_factor_waterfall"))
    else:
        left.axis("off")
        left.text(0.5, 0.5, t("fig_costatus.no_national_decomposition"), ha="center", transform=left.transAxes)

    part = table[table["level"] == "region"].set_index("geo").reindex(regions)
    x = np.arange(len(regions))
    positive = np.zeros(len(regions))
    negative = np.zeros(len(regions))
    for channel in channels:
        values = part[f"channel: {channel}"].fillna(0).to_numpy(dtype=float)
        bottom = np.where(values >= 0, positive, negative)
        name = message("channel." + channel.replace(" ", "_"), lang)
        right.bar(x, values, bottom=bottom, color=CHANNEL_COLOURS.get(channel), label=name)
        positive += np.clip(values, 0, None)
        negative += np.clip(values, None, 0)
    right.scatter(
        x,
        part["total"].to_numpy(dtype=float),
        color="black",
        marker="D",
        s=18,
        zorder=3,
        label=t("fig_costatus.total_change"),
    )
    right.axhline(0, color="#444444", linewidth=0.8)
    right.set_xticks(x, [t.pick(labels_zh.get(r, r), r) for r in regions], fontsize=8)
    right.set_ylabel(unit)
    right.set_title(t("fig_costatus.regions_effects_channel"))
    right.legend(fontsize=7, frameon=False, loc="best")
    return fig
