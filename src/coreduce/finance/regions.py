"""The regional green-finance gap and the pilot zones: imbalance, its relation to co-reduction, and a DiD.

On the provincial green-finance panel (``gf_index`` and its six dimensions, reader
:mod:`coreduce.data.readers.green_finance`):

* imbalance of the composite index by region — Dagum Gini decomposition G = G_w + G_nb + G_t (Dagum 1997),
  Theil T, σ- and β-convergence — through :func:`coreduce.analysis.imbalance.imbalance`; the Dagum and Theil
  decompositions of each dimension by year (:func:`coreduce.methods.dagum.dagum_gini`);
* the relation of green finance to co-reduction and to NQPF: two-way fixed effects of each outcome (emission
  intensities; the NQPF index of :func:`coreduce.analysis.nqpf.nqpf_index`) on ``gf_index``
  (:func:`coreduce.methods.econometrics.panel_fe`, errors clustered by province);
* the pilot zones (:mod:`coreduce.finance.pilots`) as a staggered DiD and an event study
  (:mod:`coreduce.finance.did`), with the pre-trend test and the clustering printed.

Plausibility of the source (every series unverified): the values the reader's rules flag
(:func:`coreduce.data.readers.green_finance.implausible`: green-bond shares before 2016, investment ratios above 1)
are listed in the table ``flagged``, counted in ``plausibility`` and named in the notes; they are kept as
published.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
import pandas as pd

from coreduce.analysis.conventions import ProvinceConventions
from coreduce.analysis.imbalance import imbalance, measure_from_panel
from coreduce.data.panel import Panel
from coreduce.data.readers.green_finance import DIMENSIONS, RULES, implausible
from coreduce.finance.conventions import FinanceConventions
from coreduce.finance.did import DidFit, did, event_study
from coreduce.finance.pilots import first_treated_year, pilot_zones
from coreduce.geo import load_grouping, provinces
from coreduce.methods.dagum import dagum_gini
from coreduce.methods.econometrics import RegressionError, panel_fe
from coreduce.methods.theil import theil_decomposition
from coreduce.results import Missing, Note, Result, year_span

INDEX = "gf_index"
OUTCOMES = ("gf_index", "log(co2_ceads / gdp)")
"""Default DiD outcomes: the composite index, and the log CO2 intensity (CEADs inventory ÷ nominal GDP)."""
RELATIONS = ("log(co2_ceads / gdp)", "log(so2_ceds / gdp)", "log(nox_ceds / gdp)")
"""Default co-reduction outcomes of the fixed-effects relation (CEDS pollutants are modelled: stated in notes)."""


@dataclass(kw_only=True)
class RegionsResult(Result):
    """Regional green-finance imbalance, its relation to co-reduction, and the pilot-zone DiD."""

    title: ClassVar[str] = "result.finance.regions"
    main: ClassVar[str] = "imbalance"

    imbalance: pd.DataFrame = field(default_factory=pd.DataFrame)
    dimensions: pd.DataFrame = field(default_factory=pd.DataFrame)
    theil: pd.DataFrame = field(default_factory=pd.DataFrame)
    sigma: pd.DataFrame = field(default_factory=pd.DataFrame)
    beta: pd.DataFrame = field(default_factory=pd.DataFrame)
    relation: pd.DataFrame = field(default_factory=pd.DataFrame)
    did: pd.DataFrame = field(default_factory=pd.DataFrame)
    event_study: pd.DataFrame = field(default_factory=pd.DataFrame)
    pilots: pd.DataFrame = field(default_factory=pd.DataFrame)
    plausibility: pd.DataFrame = field(default_factory=pd.DataFrame)
    flagged: pd.DataFrame = field(default_factory=pd.DataFrame)


def dimension_inequality(wide: pd.DataFrame, grouping: str) -> pd.DataFrame:
    """Dagum G, G_w, G_nb, G_t and Theil T (between share) of each dimension by year (provinces of the grouping)."""
    group_of = load_grouping(grouping).group_of()
    rows = []
    for dimension in [INDEX, *DIMENSIONS]:
        series = wide[dimension].dropna()
        series = series[series.index.get_level_values("geo").isin(group_of)]
        for year, part in series.groupby(level="year"):
            y = part.to_numpy(float)
            g = part.index.get_level_values("geo").map(group_of).to_numpy()
            dec, th = dagum_gini(y, g), theil_decomposition(y, g)
            rows.append(
                {"dimension": dimension, "year": int(year), "n": len(y), "G": dec.total, "G_w": dec.within,
                 "G_nb": dec.between, "G_t": dec.transvariation, "T": th.total,
                 "T_between_share": th.between / th.total if th.total else np.nan}
            )  # fmt: skip
    return pd.DataFrame(rows).set_index(["dimension", "year"])


def plausibility(flagged: pd.DataFrame) -> pd.DataFrame:
    """Counts of the flagged province-years by check (every rule of the reader, zero counts included)."""
    rows = []
    for check, (variable, rule) in RULES.items():
        years = flagged.loc[flagged["check"] == check, "year"].to_numpy()
        rows.append({"variable": variable, "check": check, "province_years": len(years), "years": year_span(years),
                     "rule": rule})  # fmt: skip
    return pd.DataFrame(rows)


def _outcome_frame(panel: Panel, formula: str, first: pd.Series) -> pd.DataFrame:
    frame = measure_from_panel(panel, formula, name="y").set_index(["geo", "year"]).sort_index()
    start = frame.index.get_level_values("geo").map(first).to_numpy(float)
    frame["D"] = (frame.index.get_level_values("year").to_numpy() >= start).astype(float)
    return frame


def _did_rows(formula: str, fit: DidFit, kind: str) -> pd.DataFrame:
    table = fit.table.rename_axis("term").reset_index()
    return table.assign(
        outcome=formula, design=kind, nobs=fit.nobs, provinces=fit.n_units, treated=fit.n_treated,
        covariance=fit.covariance, pretrend_chi2=fit.pretrend_stat, pretrend_df=fit.pretrend_df,
        pretrend_p=fit.pretrend_pvalue,
    )  # fmt: skip


def pilot_did(
    panel: Panel, outcomes: Sequence[str], conv: FinanceConventions
) -> tuple[pd.DataFrame, pd.DataFrame, list[Missing], list[Note]]:
    """DiD and event-study tables of each outcome, the pilots beyond each outcome's years, and notes."""
    first = first_treated_year(conv.pilot_timing)
    did_rows, es_rows, missing, notes = [], [], [], []
    for formula in outcomes:
        frame = _outcome_frame(panel, formula, first)
        last = int(frame.index.get_level_values("year").max())
        for geo, year in first.items():
            if year > last:
                missing.append(Missing.of(formula, geo, f"{year}–", "missing.finance.pilot_after_data", last=last))
        try:
            did_rows.append(_did_rows(formula, did(frame, "y", "D", covariance=conv.covariance), "did"))
            fit = event_study(frame, "y", first, leads=conv.leads, lags=conv.lags, covariance=conv.covariance)
        except RegressionError as exc:
            notes.append(Note.of("note.finance.did_failed", outcome=formula, error=str(exc)))
            continue
        es_rows.append(_did_rows(formula, fit, "event_study"))
        notes.append(
            Note.of("note.finance.pretrend", outcome=formula, chi2=round(fit.pretrend_stat, 3),
                    df=fit.pretrend_df, p=round(fit.pretrend_pvalue, 3))
        )  # fmt: skip
    tables = [pd.concat(rows, ignore_index=True) if rows else pd.DataFrame() for rows in (did_rows, es_rows)]
    return tables[0], tables[1], missing, notes


def _nqpf(panel: Panel) -> pd.DataFrame:
    """The NQPF index (default indicator system, entropy weights) as a (geo, year)-indexed ``y`` column."""
    from coreduce.analysis.nqpf import nqpf_index

    frame = nqpf_index(panel).to_frame()
    return frame.rename(columns={"overall": "y"}).set_index(["geo", "year"])[["y"]]


def relation(panel: Panel, outcomes: Sequence[str], *, nqpf: bool = True) -> pd.DataFrame:
    """Two-way FE coefficient of ``gf_index`` on each co-reduction outcome and on the NQPF index (clustered by
    province, Stata small-sample factor)."""
    index = measure_from_panel(panel, INDEX).set_index(["geo", "year"])
    rows = []
    targets = [(f, lambda f=f: measure_from_panel(panel, f, name="y").set_index(["geo", "year"])) for f in outcomes]
    if nqpf:
        targets.append(("nqpf_index (default system, entropy)", lambda: _nqpf(panel)))
    for formula, build in targets:
        y = build()
        fit = panel_fe(y.join(index, how="inner"), "y", [INDEX], effect_labels=("Province FE", "Year FE"))
        row = fit.to_frame().loc[INDEX].to_dict()
        rows.append({"outcome": formula, **row, "nobs": fit.nobs, "r2_within": fit.rsquared,
                     "covariance": fit.covariance})  # fmt: skip
    return pd.DataFrame(rows)


def regions(
    panel: Panel,
    conventions: FinanceConventions | None = None,
    *,
    outcomes: Sequence[str] = OUTCOMES,
    relations: Sequence[str] = RELATIONS,
) -> RegionsResult:
    """The regional green-finance analysis on ``panel`` (the bundled panel holds the green-finance series)."""
    conv = conventions or FinanceConventions()
    codes = [p.code for p in provinces()]
    wide = panel.wide([INDEX, *DIMENSIONS], codes)
    frame = wide[INDEX].dropna().rename(INDEX).reset_index()
    years = frame["year"]
    window = ProvinceConventions(start=int(years.min()), end=int(years.max()), grouping=conv.grouping, kde_points=2)
    base = imbalance(frame, INDEX, window)
    did_table, es_table, missing, notes = pilot_did(panel, outcomes, conv)
    flagged = implausible(panel.data[panel.data["geo"].isin(codes)])
    checks = plausibility(flagged)
    notes = [
        Note.of("note.finance.unverified_source"),
        *[Note.of(f"note.finance.implausible.{r.check}", count=r.province_years, years=r.years)
          for r in checks.itertuples() if r.province_years]
        ,
        Note.of("note.finance.pilot_flag_not_used"),
        Note.of("note.finance.few_clusters", treated=len(first_treated_year()), clusters=len(codes)),
        Note.of("note.finance.ceds_modelled"),
        *notes,
    ]  # fmt: skip
    used = [INDEX, *DIMENSIONS, "co2_ceads", "gdp", "so2_ceds", "nox_ceds"]
    return RegionsResult(
        conventions=conv.records_for("regions"),
        notes=tuple(notes),
        missing=tuple(missing),
        sources=panel.attribution([v for v in used if v in panel.variables]),
        imbalance=base.dagum,
        dimensions=dimension_inequality(wide, conv.grouping),
        theil=base.theil,
        sigma=base.sigma,
        beta=base.beta,
        relation=relation(panel, relations),
        did=did_table,
        event_study=es_table,
        pilots=pilot_zones(),
        plausibility=checks,
        flagged=flagged,
    )
