"""Two-way fixed-effects panel regression, mediation with a vectorised cluster bootstrap, and rank checks.

Fixed-effects model (estimated with linearmodels ``PanelOLS``)::

    y_it = x_it'β + μ_i + η_t + ε_it

with standard errors clustered by entity by default (Cameron & Miller 2015). Clustered covariances take the
small-sample factor of Stata's ``xtreg, fe vce(cluster id)`` by default (``small_sample="stata"``)::

    V = G/(G−1) · (N−1)/(N−K) · V_0

where V_0 is the unscaled cluster-robust sandwich, G the number of clusters, N the observations and K the
regressors plus the constant plus, with time effects, the T−1 year dummies (the effects nested in the clusters
are not counted, as in Stata); p-values then use Student's t with G−1 degrees of freedom. ``small_sample="none"``
keeps V_0 and normal p-values (linearmodels' default). Before fitting, the design is checked for collinearity
after removing the fixed effects, and an error names the regressors that are absorbed by the effects or that are
linear combinations of the others.

Mediation (Baron & Kenny 1986; the product-of-coefficients indirect effect of MacKinnon et al. 2002), one
mediator M at a time, all equations with the same fixed effects, controls and sample::

    y = c·x + …            (total effect c)
    M = a·x + …            (path a)
    y = c'·x + b·M + …     (direct effect c', path b);   indirect effect = a·b,  c = c' + a·b exactly in OLS

Confidence intervals of a·b come from a cluster (entity) bootstrap: each replicate draws entities with
replacement, which is the same as weighting each entity by the number of times it was drawn (a duplicated entity
keeps one fixed effect, which equals the effect two copies would get). As the weight is constant within an
entity, the weighted projection on the entity dummies is the plain entity demeaning, so the variables are
demeaned by entity once and the year effects enter as (demeaned) dummy columns (Frisch–Waugh–Lovell). All
replicates are solved at once: the weighted cross-products Z'WZ of every replicate are one matrix product of the
B × n weight matrix with the n × p² row-wise outer products of the design, so there is no Python loop over
replicates. Percentile intervals (Efron & Tibshirani 1993, §13.3).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from coreduce.methods.threads import one_blas_thread

CLUSTERS = ("entity", "two-way", "robust", "unadjusted")
SMALL_SAMPLE = ("stata", "none")


class RegressionError(ValueError):
    """A regression that cannot be estimated (singular design, too few observations, missing columns)."""


@dataclass
class FittedModel:
    """One estimated equation, in the form the regression tables need."""

    name: str
    dependent: str
    params: pd.Series
    std_errors: pd.Series
    pvalues: pd.Series
    nobs: int
    rsquared: float
    rsquared_label: str = "R² (within)"
    effects: dict[str, bool] = field(default_factory=dict)
    covariance: str = ""
    n_clusters: int | None = None
    extra: dict[str, str] = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        """Coefficient, standard error, t statistic and p-value by regressor."""
        return pd.DataFrame(
            {
                "coef": self.params,
                "std_err": self.std_errors,
                "t": self.params / self.std_errors,
                "p_value": self.pvalues,
            }
        )


def _dummies(index: pd.MultiIndex, entity_effects: bool, time_effects: bool) -> np.ndarray:
    cols = [np.ones((len(index), 1))]
    if entity_effects:
        cols.append(pd.get_dummies(index.get_level_values(0)).to_numpy(float)[:, 1:])
    if time_effects:
        cols.append(pd.get_dummies(index.get_level_values(1)).to_numpy(float)[:, 1:])
    return np.hstack(cols)


def check_rank(exog: pd.DataFrame, *, entity_effects: bool = True, time_effects: bool = True, tol: float = 1e-9):
    """Raise :class:`RegressionError` naming regressors absorbed by the fixed effects or collinear with others."""
    d = _dummies(exog.index, entity_effects, time_effects)
    x = exog.to_numpy(float)
    with one_blas_thread():
        resid = x - d @ np.linalg.lstsq(d, x, rcond=None)[0]
    scale = np.maximum(np.abs(x).max(axis=0), 1.0)
    absorbed = [c for c, r, s in zip(exog.columns, resid.T, scale, strict=True) if np.abs(r).max() <= tol * s]
    if absorbed:
        what = {
            (True, True): "entity and time effects",
            (True, False): "entity effects",
            (False, True): "time effects",
            (False, False): "the constant",
        }[(entity_effects, time_effects)]
        raise RegressionError(
            f"singular regression: {', '.join(absorbed)} do(es) not vary once the {what} are removed (absorbed)"
        )
    norms = np.linalg.norm(resid, axis=0)
    scaled = resid / norms
    _, sing, vt = np.linalg.svd(scaled, full_matrices=False)
    if sing.size and sing[-1] <= 1e-7 * sing[0]:
        v = vt[-1]
        involved = [c for c, vj in zip(exog.columns, v, strict=True) if abs(vj) > 1e-6 * np.abs(v).max()]
        raise RegressionError(
            f"singular regression: the regressors {', '.join(involved)} are linearly dependent once the fixed "
            "effects are removed; drop one of them"
        )


def complete_cases(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """The rows of ``columns`` with every value finite; an error names columns the frame lacks."""
    if not isinstance(frame.index, pd.MultiIndex) or frame.index.nlevels != 2:
        raise RegressionError("the data need a two-level (entity, time) index")
    absent = [c for c in columns if c not in frame.columns]
    if absent:
        raise RegressionError(f"the data have no column(s) {', '.join(absent)}")
    return frame[list(dict.fromkeys(columns))].astype(float).replace([np.inf, -np.inf], np.nan).dropna()


def _fit(model, data: pd.DataFrame, cluster: str):
    """The fitted PanelOLS with the covariance asked for, its description and the number of clusters (or None)."""
    if cluster in ("entity", "two-way"):
        # the unscaled sandwich V_0: linearmodels would otherwise scale by n/(n − d) for the d effects it counts
        # (with entity and time effects both, even when the entity effects are nested in the clusters), and the
        # Stata factor would count the degrees of freedom a second time (+7 % on Wooldridge's WAGEPAN)
        fit = model.fit(
            cov_type="clustered",
            cluster_entity=True,
            cluster_time=cluster == "two-way",
            debiased=False,
            auto_df=False,
            count_effects=False,
        )
        groups = [data.index.get_level_values(0).nunique()]
        if cluster == "two-way":
            groups.append(data.index.get_level_values(1).nunique())
        cov = "clustered by entity" if cluster == "entity" else "clustered by entity and time"
        return fit, cov, min(groups)
    if cluster == "robust":
        return model.fit(cov_type="robust"), "heteroskedasticity-robust", None
    return model.fit(cov_type="unadjusted"), "classical (homoskedastic)", None


def _small_sample(fit, cov: str, small_sample: str, cluster: str, n_clusters: int | None, *, n: int, k: int):
    """Standard errors and p-values with Stata's factor G/(G−1)·(N−1)/(N−K) and t(G−1) for clustered errors."""
    if small_sample == "stata" and n_clusters is not None:
        if n_clusters < 2:
            raise RegressionError(f"{n_clusters} cluster: clustered errors need at least 2")
        se = fit.std_errors * np.sqrt(n_clusters / (n_clusters - 1) * (n - 1) / (n - k))
        pvalues = pd.Series(2 * stats.t.sf(np.abs(fit.params / se), n_clusters - 1), index=se.index)
        return se, pvalues, cov + f"; small-sample factor G/(G−1)·(N−1)/(N−K) (Stata), t({n_clusters - 1}) p-values"
    if small_sample == "stata" and cluster == "robust":
        # Stata's xtreg ... vce(robust) is clustered by panel; plain robust keeps linearmodels' scaling.
        return fit.std_errors, fit.pvalues, cov + "; no small-sample factor"
    suffix = "" if cluster == "unadjusted" else "; no small-sample factor, normal p-values"
    return fit.std_errors, fit.pvalues, cov + suffix


def panel_fe(
    frame: pd.DataFrame,
    dependent: str,
    regressors: Sequence[str],
    *,
    entity_effects: bool = True,
    time_effects: bool = True,
    cluster: str = "entity",
    small_sample: str = "stata",
    name: str | None = None,
    effect_labels: tuple[str, str] = ("Entity FE", "Year FE"),
) -> FittedModel:
    """Fit the fixed-effects model on an (entity, time)-indexed frame.

    ``cluster``: ``entity`` (default), ``two-way`` (entity and time), ``robust`` (heteroskedasticity-robust) or
    ``unadjusted`` (classical). ``small_sample``: ``stata`` or ``none`` (see the module docstring). The R² is
    that of the regression after the fixed effects are removed (Stata's within R² with entity effects only).
    ``effect_labels`` name the effects rows of regression tables (e.g. "Province FE", "Year FE").
    """
    from linearmodels.panel import PanelOLS

    if cluster not in CLUSTERS:
        raise RegressionError(f"cluster must be one of {', '.join(CLUSTERS)}; got {cluster!r}")
    if small_sample not in SMALL_SAMPLE:
        raise RegressionError(f"small_sample must be one of {', '.join(SMALL_SAMPLE)}; got {small_sample!r}")
    if not regressors:
        raise RegressionError("no regressors given")
    regressors = list(regressors)
    data = complete_cases(frame, [dependent, *regressors])
    n_time = data.index.get_level_values(1).nunique()
    k = len(regressors) + 1 + (n_time - 1 if time_effects else 0)
    if len(data) <= k + (data.index.get_level_values(0).nunique() if entity_effects else 0):
        raise RegressionError(
            f"{len(data)} complete observations of {dependent}, {', '.join(regressors)}: too few for "
            f"{len(regressors)} regressors with the fixed effects"
        )
    exog = data[regressors]
    if not (entity_effects or time_effects):
        exog = exog.assign(const=1.0)[["const", *regressors]]
    with one_blas_thread():
        check_rank(data[regressors], entity_effects=entity_effects, time_effects=time_effects)
        model = PanelOLS(data[dependent], exog, entity_effects=entity_effects, time_effects=time_effects)
        fit, cov, n_clusters = _fit(model, data, cluster)
    se, pvalues, cov = _small_sample(fit, cov, small_sample, cluster, n_clusters, n=len(data), k=k)
    within = entity_effects or time_effects
    return FittedModel(
        name=name or dependent,
        dependent=dependent,
        params=fit.params,
        std_errors=se,
        pvalues=pvalues,
        nobs=int(fit.nobs),
        rsquared=float(fit.rsquared),
        rsquared_label="R² (within)" if within else "R²",
        effects={effect_labels[0]: entity_effects, effect_labels[1]: time_effects},
        covariance=cov,
        n_clusters=n_clusters,
    )


@dataclass(frozen=True)
class Mediation:
    """Estimates and bootstrap draws of one mediator's paths."""

    mediator: str
    total: float
    a: float
    b: float
    direct: float
    indirect: float
    ci_low: float
    ci_high: float
    share: float
    nobs: int
    draws: np.ndarray = field(repr=False)


def entity_bootstrap_weights(entities: np.ndarray, n_boot: int, seed: int) -> np.ndarray:
    """B × n weights: row b counts how often the entity of each observation was drawn in replicate b."""
    labels, codes = np.unique(entities, return_inverse=True)
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, labels.size, size=(n_boot, labels.size))
    counts = np.zeros((n_boot, labels.size))
    np.add.at(counts, (np.repeat(np.arange(n_boot), labels.size), picks.ravel()), 1.0)
    return counts[:, codes]


def batched_wls(z: np.ndarray, y: np.ndarray, w: np.ndarray, columns: Sequence[int]) -> np.ndarray:
    """Weighted least-squares coefficients ``columns`` for every row of weights ``w`` (B × n): B × len(columns).

    Z'WZ for all replicates is ``w @ (z_i ⊗ z_i)`` (one B × n by n × p² product); rank-deficient replicates
    (e.g. an entity never drawn leaves its dummy all zero) are solved with the pseudo-inverse, which leaves the
    coefficients of the identified columns unchanged.
    """
    n, p = z.shape
    outer = (z[:, :, None] * z[:, None, :]).reshape(n, p * p)
    zy = z * y[:, None]
    out = np.empty((w.shape[0], len(columns)))
    chunk = max(1, int(4e6 // (p * p)))
    for start in range(0, w.shape[0], chunk):
        wc = w[start : start + chunk]
        ztwz = (wc @ outer).reshape(-1, p, p)
        ztwy = wc @ zy
        beta = np.einsum("bpq,bq->bp", np.linalg.pinv(ztwz, hermitian=True), ztwy)
        out[start : start + chunk] = beta[:, columns]
    return out


def _fe_transform(data: pd.DataFrame, columns: Sequence[str], entity_effects: bool, time_effects: bool):
    """The columns demeaned by entity when there are entity effects (else unchanged)."""
    values = data[list(dict.fromkeys(columns))].astype(float)
    if entity_effects:
        values = values - values.groupby(level=0).transform("mean")
    return values


def _effect_columns(index: pd.MultiIndex, entity_effects: bool, time_effects: bool) -> np.ndarray:
    """Columns that remain for the effects after entity demeaning: year dummies (demeaned) and/or the constant."""
    cols = []
    if not entity_effects:
        cols.append(np.ones((len(index), 1)))
    if time_effects:
        dummies = pd.DataFrame(pd.get_dummies(index.get_level_values(1)).to_numpy(float)[:, 1:], index=index)
        if entity_effects:
            dummies = dummies - dummies.groupby(level=0).transform("mean")
        cols.append(dummies.to_numpy())
    return np.hstack(cols) if cols else np.empty((len(index), 0))


def mediation(
    frame: pd.DataFrame,
    dependent: str,
    treatment: str,
    mediators: Sequence[str],
    controls: Sequence[str] = (),
    *,
    entity_effects: bool = True,
    time_effects: bool = True,
    n_boot: int = 999,
    level: float = 0.95,
    seed: int = 12345,
) -> list[Mediation]:
    """Indirect effects a·b of ``treatment`` on ``dependent`` through each mediator, with cluster-bootstrap CIs.

    Each mediator uses the observations complete in the dependent, treatment, that mediator and the controls.
    """
    if not mediators:
        raise RegressionError("no mediators given")
    if n_boot < 99:
        raise RegressionError(f"n_boot = {n_boot}: use at least 99 bootstrap replicates")
    if not 0 < level < 1:
        raise RegressionError(f"level must be between 0 and 1; got {level}")
    alpha = (1 - level) / 2
    results = []
    for med in mediators:
        data = complete_cases(frame, [dependent, treatment, med, *controls])
        if data.index.get_level_values(0).nunique() < 3:
            raise RegressionError(f"mediator {med}: fewer than 3 entities with complete data")
        check_rank(data[[treatment, med, *controls]], entity_effects=entity_effects, time_effects=time_effects)
        t = _fe_transform(data, [dependent, treatment, med, *controls], entity_effects, time_effects)
        y, x, m = t[dependent].to_numpy(), t[treatment].to_numpy(), t[med].to_numpy()
        ctrl = t[list(controls)].to_numpy().reshape(len(t), -1)
        d = _effect_columns(data.index, entity_effects, time_effects)
        za = np.column_stack([x, ctrl, d])
        zb = np.column_stack([x, m, ctrl, d])
        c_total = np.linalg.lstsq(za, y, rcond=None)[0][0]
        a = np.linalg.lstsq(za, m, rcond=None)[0][0]
        direct, b = np.linalg.lstsq(zb, y, rcond=None)[0][:2]
        w = entity_bootstrap_weights(data.index.get_level_values(0).to_numpy(), n_boot, seed)
        draws = batched_wls(za, m, w, [0])[:, 0] * batched_wls(zb, y, w, [1])[:, 0]
        lo, hi = np.quantile(draws, [alpha, 1 - alpha])
        results.append(
            Mediation(
                mediator=med,
                total=float(c_total),
                a=float(a),
                b=float(b),
                direct=float(direct),
                indirect=float(a * b),
                ci_low=float(lo),
                ci_high=float(hi),
                share=float(a * b / c_total) if c_total != 0 else float("nan"),
                nobs=len(data),
                draws=draws,
            )
        )
    return results
