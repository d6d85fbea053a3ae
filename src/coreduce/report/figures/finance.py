"""Green-finance figures: the regional Gini of the index, the pilot event study, and the screened book.

Each function lays out a finance result (:mod:`coreduce.finance`) and computes nothing: the Dagum G and its
contributions by year (``RegionsResult.imbalance``), the event-study coefficients with 95 % intervals
(``RegionsResult.event_study``; coef ± 1.96·se, the reference period k = −1 drawn at 0) and, for a screened
book, each loan's carbon-cost share against its financed emissions coloured by tier (``ScreenResult.risk``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from coreduce.i18n import message
from coreduce.report.drawing import collector_paused

TIER_COLOURS = {"high": "#b03a2e", "medium": "#e69f00", "low": "#2e7d32", "unassessed": "#9e9e9e"}


def _t(key: str, lang: str, **params) -> str:
    """The figure label ``label.finance.<key>`` from the message catalogues."""
    return message(f"label.finance.{key}", lang, **params)


@collector_paused()
def gini_figure(imbalance: pd.DataFrame, lang: str = "en") -> Figure:
    """Stacked G_w, G_nb, G_t by year, whose sum is G (Dagum 1997)."""
    fig = Figure(figsize=(7, 4))
    ax = fig.add_subplot()
    years = imbalance.index.to_numpy()
    parts = [("G_w", "within", "#2e75b6"), ("G_nb", "between", "#b03a2e"), ("G_t", "trans", "#9e9e9e")]
    ax.stackplot(years, *[imbalance[c].to_numpy() for c, _, _ in parts], labels=[_t(k, lang) for _, k, _ in parts],
                 colors=[c for _, _, c in parts], alpha=0.85)  # fmt: skip
    ax.set_title(_t("gini", lang))
    ax.set_xlabel(_t("year", lang))
    ax.legend(loc="upper left", fontsize=8)
    return fig


@collector_paused()
def event_study_figure(event_study: pd.DataFrame, outcome: str, lang: str = "en") -> Figure:
    """δ_k ± 1.96·se of one outcome, with k = −1 at 0 (the reference period)."""
    rows = event_study[event_study["outcome"] == outcome]
    k = rows["term"].str[2:].astype(int).to_numpy()
    coef, se = rows["coef"].to_numpy(), rows["std_err"].to_numpy()
    k, coef, se = np.append(k, -1), np.append(coef, 0.0), np.append(se, 0.0)
    order = np.argsort(k)
    fig = Figure(figsize=(7, 4))
    ax = fig.add_subplot()
    ax.errorbar(k[order], coef[order], yerr=1.96 * se[order], fmt="o-", color="#2e75b6", capsize=3)
    ax.axhline(0, color="#7f7f7f", lw=0.8)
    ax.axvline(-0.5, color="#7f7f7f", lw=0.8, ls="--")
    ax.set_title(_t("event", lang, outcome=outcome))
    ax.set_xlabel(_t("k", lang))
    ax.set_ylabel(_t("coef", lang))
    return fig


@collector_paused()
def risk_figure(risk: pd.DataFrame, lang: str = "en") -> Figure:
    """Carbon-cost share (y) against financed emissions (x, log) of each loan, coloured by tier."""
    fig = Figure(figsize=(7, 4.5))
    ax = fig.add_subplot()
    for tier, colour in TIER_COLOURS.items():
        part = risk[(risk["tier"] == tier) & (risk["financed_emissions"] > 0)]
        if len(part):
            ax.scatter(part["financed_emissions"], part["cost_share"].fillna(0), s=12, color=colour, label=tier)
    ax.set_xscale("log")
    ax.set_xlabel(_t("financed", lang))
    ax.set_ylabel(_t("share", lang))
    ax.set_title(_t("risk", lang))
    ax.legend(fontsize=8)
    return fig
