"""Figure 1: the framework of the source paper, drawn with matplotlib patches and arrows.

New quality productive forces (NQPF) → three channels (technological progress, industrial upgrading, energy
revolution) → pollution–carbon co-reduction, with the obstacles (weak green innovation, poor data
interoperability in green supply chains, regional imbalance) acting against the channels and the green
supply-chain information-sharing platform as a remedy.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from coreduce.report.drawing import collector_paused
from coreduce.report.i18n import Text
from coreduce.report.model import ReportFigure

COLOURS = {
    "nqpf": "#1f4e79",
    "channel": "#2e75b6",
    "outcome": "#2e7d32",
    "obstacle": "#b03a2e",
    "remedy": "#7f6000",
}


def _box(ax, x, y, w, h, colour, title, body="", title_size=11, body_size=8, filled=True):
    patch = FancyBboxPatch(
        (x, y),
        w,
        h,
        boxstyle="round,pad=0.02,rounding_size=0.12",
        linewidth=1.4,
        edgecolor=colour,
        facecolor=colour if filled else "white",
    )
    ax.add_patch(patch)
    ink = "white" if filled else colour
    if body:
        ax.text(x + w / 2, y + h * 0.68, title, ha="center", va="center", color=ink, fontsize=title_size, weight="bold")
        ax.text(x + w / 2, y + h * 0.30, body, ha="center", va="center", color=ink, fontsize=body_size, linespacing=1.4)
    else:
        ax.text(x + w / 2, y + h / 2, title, ha="center", va="center", color=ink, fontsize=title_size, weight="bold")
    return patch


def _arrow(ax, start, end, colour, dashed=False, head="-|>"):
    ax.add_patch(
        FancyArrowPatch(
            start,
            end,
            arrowstyle=head,
            mutation_scale=14,
            linewidth=1.5,
            color=colour,
            linestyle=(0, (4, 3)) if dashed else "-",
            shrinkA=2,
            shrinkB=2,
        )
    )


@collector_paused()
def framework_figure(lang: str = "en") -> ReportFigure:
    """Draw the framework; the data behind it is the list of boxes and arrows (what connects to what)."""
    t = Text(lang)
    fig = Figure(figsize=(10, 5.6))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 5.6)
    ax.axis("off")

    nqpf = (0.25, 1.75, 2.1, 2.5)
    _box(ax, *nqpf, COLOURS["nqpf"], t("fw.nqpf"), t("fw.nqpf.items"), title_size=12)

    channel_keys = ("fw.tech", "fw.ind", "fw.energy")
    channel_boxes = []
    ax.text(5.0, 5.3, t("fw.channels"), ha="center", va="center", fontsize=10, color=COLOURS["channel"])
    for i, key in enumerate(channel_keys):
        box = (3.55, 3.95 - i * 1.25, 2.9, 1.0)
        channel_boxes.append(box)
        _box(ax, *box, COLOURS["channel"], t(key), t(key + ".items"), title_size=11, body_size=8)

    outcome = (7.65, 1.75, 2.1, 2.5)
    _box(ax, *outcome, COLOURS["outcome"], t("fw.outcome"), t("fw.outcome.items"), title_size=12, body_size=8)

    edges = []
    for key, (x, y, w, h) in zip(channel_keys, channel_boxes, strict=True):
        _arrow(ax, (nqpf[0] + nqpf[2], nqpf[1] + nqpf[3] / 2), (x, y + h / 2), COLOURS["nqpf"])
        _arrow(ax, (x + w, y + h / 2), (outcome[0], outcome[1] + outcome[3] / 2), COLOURS["channel"])
        edges += [("fw.nqpf", key, "drives"), (key, "fw.outcome", "reduces pollution and carbon")]

    obstacles = (1.2, 0.15, 7.6, 0.75)
    _box(
        ax,
        *obstacles,
        COLOURS["obstacle"],
        t("fw.obstacles") + t("sep.colon") + t("fw.obstacles.items"),
        "",
        9,
        filled=False,
    )
    lowest = channel_boxes[-1]
    _arrow(
        ax,
        (obstacles[0] + obstacles[2] / 2, obstacles[1] + obstacles[3]),
        (lowest[0] + lowest[2] / 2, lowest[1]),
        COLOURS["obstacle"],
        dashed=True,
    )
    edges.append(("fw.obstacles", "fw.channels", "hinders"))

    remedy = (7.35, 4.7, 2.55, 0.7)
    _box(ax, *remedy, COLOURS["remedy"], t("fw.remedy"), "", 8.5, filled=False)
    _arrow(
        ax,
        (remedy[0] + remedy[2] / 2, remedy[1]),
        (outcome[0] + outcome[2] / 2, outcome[1] + outcome[3]),
        COLOURS["remedy"],
    )
    edges.append(("fw.remedy", "fw.outcome", "supports"))

    data = pd.DataFrame(
        [(t(a).replace("\n", " "), t(b).replace("\n", " "), rel) for a, b, rel in edges],
        columns=["from", "to", "relation"],
    )
    return ReportFigure(key="fig1_framework", title=t("fw.title"), figure=fig, data=data, caption=t("fw.caption"))
