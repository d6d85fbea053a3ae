"""Difference-in-differences and event study on a panel, estimated with linearmodels ``PanelOLS``.

Two-way fixed-effects DiD (staggered adoption allowed)::

    y_it = β·D_it + x_it'γ + μ_i + η_t + ε_it,        D_it = 1 if unit i is treated and t ≥ its first year

Event study around the first treated year E_i (Jacobson, LaLonde & Sullivan 1993; the binned-endpoint form of
Schmidheiny & Siegloch 2023)::

    y_it = Σ_{k = −leads … lags, k ≠ −1} δ_k · 1[t − E_i = k] + x_it'γ + μ_i + η_t + ε_it

with the reference period k = −1 left out and the end periods binned (k = −leads collects every k ≤ −leads,
k = lags every k ≥ lags); never-treated units have every dummy 0. With ``leads = 0`` there is no pre-period
dummy: every pre-treatment year is the reference, which is the design of Wooldridge (2013), *Introductory
Econometrics*, 5th ed., Example 14.1 (grant and lagged grant with firm and year effects).

Parallel trends are checked by the joint Wald test that every lead coefficient δ_k (k ≤ −2) is zero. Standard
errors are clustered by unit by default (the treatment varies at that level; Bertrand, Duflo & Mullainathan
2004); with few clusters (here 31 provinces, 7 treated) the inference is fragile, and the result says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from coreduce.methods.econometrics import RegressionError, check_rank, complete_cases

COVARIANCES = ("clustered", "unadjusted", "robust")


@dataclass(frozen=True)
class DidFit:
    """A fitted DiD or event study: the coefficient table, the pre-trend test and the sample."""

    table: pd.DataFrame
    """coef, std_err, t, p_value by term (``D`` or ``k=-3`` … ``k=2``)."""
    pretrend_stat: float
    pretrend_df: int
    pretrend_pvalue: float
    nobs: int
    n_units: int
    n_treated: int
    covariance: str
    rsquared: float


def event_time(frame: pd.DataFrame, first_year: pd.Series) -> pd.Series:
    """t − E_i for treated units (``first_year`` maps unit → first treated year), NaN for never-treated ones."""
    units = frame.index.get_level_values(0)
    years = frame.index.get_level_values(1).to_numpy(float)
    return pd.Series(years - units.map(first_year).to_numpy(float), index=frame.index, name="event_time")


def event_dummies(rel: pd.Series, leads: int, lags: int) -> pd.DataFrame:
    """0/1 columns ``k=<k>`` for k = −leads … lags except −1, end periods binned; never-treated rows all 0."""
    if leads < 0 or lags < 0:
        raise RegressionError(f"leads and lags must be ≥ 0; got {leads}, {lags}")
    binned = rel.clip(lower=-leads if leads >= 2 else None, upper=lags)
    columns = {}
    for k in range(-leads, lags + 1):
        if k == -1:
            continue
        columns[f"k={k}"] = (binned == k).astype(float)
    return pd.DataFrame(columns, index=rel.index)


def _fit(data: pd.DataFrame, dependent: str, terms: list[str], controls: Sequence[str], covariance: str):
    from linearmodels.panel import PanelOLS

    if covariance not in COVARIANCES:
        raise RegressionError(f"covariance must be one of {', '.join(COVARIANCES)}; got {covariance!r}")
    regressors = [*terms, *controls]
    check_rank(data[regressors], entity_effects=True, time_effects=True)
    model = PanelOLS(data[dependent], data[regressors], entity_effects=True, time_effects=True)
    if covariance == "clustered":
        fit = model.fit(cov_type="clustered", cluster_entity=True, debiased=True)
        label = "clustered by unit, small-sample corrected (linearmodels debiased=True)"
    else:
        fit = model.fit(cov_type=covariance, debiased=covariance == "unadjusted")
        label = {"unadjusted": "classical (homoskedastic)", "robust": "heteroskedasticity-robust"}[covariance]
    return fit, label


def _table(fit, terms: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "coef": fit.params[terms],
            "std_err": fit.std_errors[terms],
            "t": fit.tstats[terms],
            "p_value": fit.pvalues[terms],
        }
    )


def did(
    frame: pd.DataFrame,
    dependent: str,
    treatment: str,
    controls: Sequence[str] = (),
    *,
    covariance: str = "clustered",
) -> DidFit:
    """Two-way fixed-effects DiD of ``dependent`` on the 0/1 column ``treatment`` (frame indexed by unit, year)."""
    data = complete_cases(frame, [dependent, treatment, *controls])
    fit, label = _fit(data, dependent, [treatment], controls, covariance)
    treated = data[treatment].groupby(level=0).max()
    return DidFit(
        table=_table(fit, [treatment]),
        pretrend_stat=float("nan"),
        pretrend_df=0,
        pretrend_pvalue=float("nan"),
        nobs=int(fit.nobs),
        n_units=int(data.index.get_level_values(0).nunique()),
        n_treated=int((treated > 0).sum()),
        covariance=label,
        rsquared=float(fit.rsquared),
    )


def event_study(
    frame: pd.DataFrame,
    dependent: str,
    first_year: pd.Series,
    controls: Sequence[str] = (),
    *,
    leads: int = 4,
    lags: int = 3,
    covariance: str = "clustered",
) -> DidFit:
    """Event-study coefficients δ_k of ``dependent`` around each unit's ``first_year`` (see the module formula)."""
    data = complete_cases(frame, [dependent, *controls])
    rel = event_time(data, first_year)
    dummies = event_dummies(rel, leads, lags)
    empty = [c for c in dummies if dummies[c].sum() == 0]
    if empty:
        raise RegressionError(f"no treated observation at event time(s) {', '.join(empty)}: shorten leads/lags")
    data = data.join(dummies)
    terms = list(dummies.columns)
    fit, label = _fit(data, dependent, terms, controls, covariance)
    pre = [t for t in terms if int(t[2:]) <= -2]
    stat, df, pvalue = float("nan"), 0, float("nan")
    if pre:
        b = fit.params[pre].to_numpy()
        v = fit.cov.loc[pre, pre].to_numpy()
        stat = float(b @ np.linalg.solve(v, b))
        df = len(pre)
        from scipy import stats

        pvalue = float(stats.chi2.sf(stat, df))
    return DidFit(
        table=_table(fit, terms),
        pretrend_stat=stat,
        pretrend_df=df,
        pretrend_pvalue=pvalue,
        nobs=int(fit.nobs),
        n_units=int(data.index.get_level_values(0).nunique()),
        n_treated=int(rel.notna().groupby(level=0).any().sum()),
        covariance=label,
        rsquared=float(fit.rsquared),
    )
