"""Figures 8 and 9: the NQPF ranking of provinces with the regions' paths, and the Dagum Gini decomposition.

* Ranking: overall NQPF score of each province in the last year, sorted, coloured by region; beside it the
  regional mean score by year.
* Dagum (1997): G = G_w + G_nb + G_t (within regions, net between regions, transvariation); the figure shows
  the total and within-region Gini by year and the shares of the three sources.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from coreduce.report.drawing import collector_paused
from coreduce.report.figures.costatus import place_name
from coreduce.report.figures.trends import REGION_COLOURS
from coreduce.report.i18n import Text

SOURCE_COLOURS = {"share_G_w": "#2e75b6", "share_G_nb": "#b03a2e", "share_G_t": "#9a9a9a"}


def _region_lines(ax, frame: pd.DataFrame, region: str, y: str, t, labels_zh, label=None, **style) -> None:
    """One line per region of ``frame`` (x = ``year``) in the region's colour, labelled with its name in the
    report's language (passed through ``label`` when given)."""
    for code, part in frame.groupby(region):
        name = t.pick(labels_zh.get(code, code), code)
        ax.plot(part["year"], part[y], color=REGION_COLOURS.get(code), label=label(name) if label else name, **style)


@collector_paused()
def ranking_figure(
    scores: pd.DataFrame,
    regions: pd.DataFrame,
    lang: str,
    labels_zh: dict[str, str],
    year: int,
    left_out: dict[str, str] | None = None,
) -> Figure:
    """``scores``: columns geo, region, year, overall; ``regions``: (region, year) × overall means;
    ``left_out``: provinces without a score in ``year`` → the dimensions lacking indicators, named under the
    ranking."""
    t = Text(lang)
    last = scores[scores["year"] == year].sort_values("overall")
    fig = Figure(figsize=(10, 7.2), layout="constrained")
    left, right = fig.subplots(1, 2, width_ratios=[1.1, 1])
    colours = [REGION_COLOURS.get(r, "#7f7f7f") for r in last["region"]]
    left.barh([place_name(g, t) for g in last["geo"]], last["overall"], color=colours)
    left.tick_params(axis="y", labelsize=7)
    left.set_xlabel(t("fig_nqpf.nqpf_composite_score"))
    left.set_title(t("fig_nqpf.nqpf_ranking_provinces_year", year=year))
    handles = [
        Patch(color=REGION_COLOURS.get(r, "#7f7f7f"), label=t.pick(labels_zh.get(r, r), r))
        for r in dict.fromkeys(last["region"].dropna())
    ]
    left.legend(handles=handles, fontsize=7, frameon=False, loc="lower right")
    if left_out:
        names = "; ".join(f"{place_name(g, t)} ({why})" if why else place_name(g, t) for g, why in left_out.items())
        fig.text(0.01, 0.0, t("nqpf.left_out", year=year, names=names), fontsize=7, ha="left", va="bottom")
    _region_lines(right, regions.reset_index(), "region", "overall", t, labels_zh, marker="o", markersize=3)
    right.set_title(t("fig_nqpf.regional_mean_score"))
    right.set_xlabel(t("fig_nqpf.year"))
    right.set_ylabel(t("fig_nqpf.score"))
    right.legend(fontsize=7, frameon=False)
    right.grid(axis="y", color="#e3e3e3", linewidth=0.6)
    return fig


@collector_paused()
def dagum_figure(main: pd.DataFrame, matrix: pd.DataFrame, lang: str, labels_zh: dict[str, str]) -> Figure:
    """``main``: year-indexed G, G_w, G_nb, G_t and share_* columns; ``matrix``: region_a, region_b, gini, year."""
    t = Text(lang)
    fig = Figure(figsize=(10, 4.4), layout="constrained")
    left, right = fig.subplots(1, 2)
    years = main.index.to_numpy()
    left.plot(years, main["G"], color="black", marker="o", markersize=3, linewidth=2, label=t("fig_nqpf.overall"))
    within = matrix[matrix["region_a"] == matrix["region_b"]]
    _region_lines(
        left,
        within,
        "region_a",
        "gini",
        t,
        labels_zh,
        lambda name: t("fig_nqpf.within_region", region=name),
        marker=".",
        linewidth=1.2,
    )
    left.set_title(t("fig_nqpf.gini_overall_within_regions"))
    left.set_ylabel("G")
    left.legend(fontsize=7, frameon=False)
    left.grid(axis="y", color="#e3e3e3", linewidth=0.6)
    bottom = np.zeros(len(years))
    for column in SOURCE_COLOURS:
        if column not in main.columns:
            continue
        values = main[column].to_numpy(dtype=float) * 100
        right.bar(years, values, bottom=bottom, color=SOURCE_COLOURS[column], label=t.label("dagum_source", column))
        bottom += np.nan_to_num(values)
    right.set_ylim(0, 100)
    right.set_ylabel(t("fig_nqpf.contribution"))
    right.set_title(t("fig_nqpf.sources_inequality_dagum_decomposition"))
    right.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return fig


@collector_paused()
def density_figure(kde: pd.DataFrame, lang: str, years: list[int]) -> Figure:
    """Kernel density of the provinces' NQPF scores in ``years`` (columns year, point, density, bandwidth of
    :func:`coreduce.analysis.imbalance.imbalance`): a shift right is a rising level, a lower and wider peak a
    widening gap, a second peak polarisation."""
    t = Text(lang)
    fig = Figure(figsize=(7.5, 4.2), layout="constrained")
    ax = fig.add_subplot()
    shades = ("#9ecae1", "#4292c6", "#08306b", "#000000")
    for colour, year in zip(shades[-len(years) :], years, strict=True):
        part = kde[kde["year"] == year].sort_values("point")
        h = float(part["bandwidth"].iloc[0])
        ax.plot(part["point"], part["density"], color=colour, linewidth=1.8, label=f"{year} (h = {h:.3f})")
    ax.set_xlabel(t("fig_nqpf.nqpf_composite_score"))
    ax.set_ylabel(t("fig_nqpf.density"))
    ax.set_ylim(bottom=0)
    ax.grid(axis="y", color="#e3e3e3", linewidth=0.6)
    ax.legend(frameon=False, fontsize=8)
    return fig
