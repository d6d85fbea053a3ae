"""Inequality and convergence of per-capita CO2 across countries: Dagum Gini and Theil T by group (North /
Global South excl. China / China by default), σ- and β-convergence; reuses :mod:`coreduce.methods`.

Each country is one observation (unweighted, Dagum 1997, Empirical Economics 22: 515–531): y_i = C_i / P_i in
t per person. G = G_w + G_nb + G_t exactly, and G equals the ordinary Gini Σ_iΣ_r|y_i − y_r| / (2n²ȳ). Theil T =
T_between + T_within. σ-convergence: the cross-country CV and sd of logs per year; β-convergence: pooled OLS of
ln(y_{t+T}/y_t) on ln y_t (Barro & Sala-i-Martin 1992), errors clustered by country. China alone is a group of
one (its within-group Gini is 0 by construction); countries in no group (e.g. Taiwan, Kosovo under UN M49) are
left out of the grouped decompositions and named.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import pandas as pd

from coreduce.analysis.world import _data
from coreduce.analysis.world.conventions import InequalityConventions
from coreduce.data.panel import Panel
from coreduce.geo.country_groups import load_country_grouping
from coreduce.methods.convergence import beta_convergence, sigma_convergence
from coreduce.methods.dagum import dagum_gini
from coreduce.methods.theil import theil_decomposition
from coreduce.results import Missing, Note, Result, year_span


@dataclass(kw_only=True)
class WorldInequalityResult(Result):
    title: ClassVar[str] = "world.inequality.title"
    main: ClassVar[str] = "gini"

    gini: pd.DataFrame = field(default_factory=pd.DataFrame)
    """year, n, G, G_w, G_nb, G_t and their shares, theil, theil_between, theil_within."""
    groups: pd.DataFrame = field(default_factory=pd.DataFrame)
    """year, group, n, mean per-capita CO2 (unweighted), within-group Gini, Theil share."""
    sigma: pd.DataFrame = field(default_factory=pd.DataFrame)
    """year, n, mean, sd, cv, sd_log of per-capita CO2 across countries."""
    beta: pd.DataFrame = field(default_factory=pd.DataFrame)
    """beta, std_error, pvalue, speed, half_life, nobs, span (absolute β-convergence)."""


def per_capita(panel: Panel, conv) -> pd.DataFrame:
    """geo, year, y (t CO2 per person) for countries with positive emissions and population."""
    c = _data.emissions(conv)
    frame = _data.country_frame(panel, [c, "population"], (conv.start, conv.end), conv)
    frame = frame[(frame[c] > 0) & (frame["population"] > 0)]
    return pd.DataFrame({"y": frame[c] * 1e6 / frame["population"]}).reset_index()


def inequality(panel: Panel, conventions: InequalityConventions | None = None) -> WorldInequalityResult:
    """Dagum and Theil decompositions per year, σ- and β-convergence (see the module doc)."""
    conv = conventions or InequalityConventions()
    data = per_capita(panel, conv)
    grouping = load_country_grouping(conv.grouping, china=conv.china)
    data["group"] = data["geo"].map(grouping.group_of())
    outside = data[data["group"].isna()]
    missing = [Missing.of("co2_owid", geo, year_span(g["year"]), "world.missing.no_group", grouping=grouping.name)
               for geo, g in outside.groupby("geo")]  # fmt: skip
    grouped = data.dropna(subset=["group"])
    rows, group_rows = [], []
    for year, part in grouped.groupby("year"):
        d = dagum_gini(part["y"].to_numpy(), part["group"].to_numpy(), min_group_size=1)
        t = theil_decomposition(part["y"].to_numpy(), part["group"].to_numpy())
        rows.append({"year": year, "n": len(part), "G": d.total, **d.contributions().to_dict(), "theil": t.total,
                     "theil_between": t.between, "theil_within": t.within})  # fmt: skip
        info = d.groups.join(t.groups[["share", "theil"]], rsuffix="_theil")
        group_rows += [{"year": year, "group": g, **r} for g, r in info.to_dict("index").items()]
    beta = beta_convergence(data, "y", span=conv.span)
    beta_row = {k: getattr(beta, k) for k in ("beta", "std_error", "pvalue", "speed", "half_life", "nobs", "span")}
    return WorldInequalityResult(
        gini=pd.DataFrame(rows),
        groups=pd.DataFrame(group_rows),
        sigma=sigma_convergence(data, "y").reset_index(),
        beta=pd.DataFrame([beta_row]),
        conventions=conv.records(),
        notes=(_data.vintage_note(panel, conv), Note.of("world.note.unweighted"), Note.of("world.note.group_of_one")),
        missing=tuple(missing),
        sources=_data.sources(panel, [_data.emissions(conv), "population"], conv),
    )
