"""σ-convergence and absolute / conditional β-convergence.

σ-convergence (Barro & Sala-i-Martin 1992, "Convergence", J. Political Economy 100(2): 223–251): dispersion
falls over time; measured each year by the coefficient of variation CV_t = sd_t / mean_t (ddof = 1) or the
standard deviation of logs.

β-convergence over a span of T years::

    ln(y_{i,t+T} / y_{i,t}) = α + β ln y_{i,t} + γ' Z_{i,t} + μ_i + η_t + ε_{i,t}

β < 0 means convergence; the speed of convergence is λ = −ln(1 + β) / T and the half-life ln 2 / λ.
Absolute convergence has no controls Z; conditional convergence adds controls and, in the panel form, province
and year fixed effects (estimated with linearmodels ``PanelOLS``, errors clustered by province).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from coreduce.methods.dagum import InequalityError
from coreduce.methods.threads import one_blas_thread


def sigma_convergence(frame: pd.DataFrame, value: str, *, by: str = "year") -> pd.DataFrame:
    """Per ``by`` group: n, mean, sd, cv and sd of logs (NaN when any value ≤ 0)."""
    grouped = frame.groupby(by)[value]
    out = pd.DataFrame({"n": grouped.count(), "mean": grouped.mean(), "sd": grouped.std(ddof=1)})
    out["cv"] = out["sd"] / out["mean"]
    positive = frame[value] > 0
    logs = np.log(frame[value].where(positive))
    out["sd_log"] = logs.groupby(frame[by]).std(ddof=1).where(positive.groupby(frame[by]).all())
    return out


@dataclass(frozen=True)
class BetaConvergence:
    beta: float
    std_error: float
    pvalue: float
    speed: float
    half_life: float
    nobs: int
    span: int
    params: pd.Series
    conventions: dict


def speed_of_convergence(beta: float, span: int) -> float:
    """λ = −ln(1 + β) / T (NaN when 1 + β ≤ 0)."""
    return float(-np.log1p(beta) / span) if beta > -1 else float("nan")


def beta_convergence(
    frame: pd.DataFrame,
    value: str,
    *,
    entity: str = "geo",
    time: str = "year",
    span: int = 1,
    controls: Sequence[str] = (),
    fixed_effects: bool = False,
) -> BetaConvergence:
    """Panel β-convergence regression on overlapping ``span``-year growth spells (see the module docstring).

    Without ``fixed_effects`` it is pooled OLS with a constant (absolute convergence when ``controls`` is empty);
    with them, two-way fixed effects. Standard errors are clustered by ``entity``.
    """
    from linearmodels.panel import PanelOLS
    from linearmodels.panel.utility import AbsorbingEffectError

    if span < 1:
        raise InequalityError(f"β-convergence: the growth span T must be at least 1 year; got {span}")
    data = frame.set_index([entity, time]).sort_index()
    if (data[value] <= 0).any():
        raise InequalityError(f"β-convergence takes logs: {value!r} has values ≤ 0")
    log_y = np.log(data[value])
    growth = log_y.groupby(level=0).shift(-span) - log_y
    design = pd.DataFrame({"log_initial": log_y})
    for c in controls:
        design[c] = data[c]
    if not fixed_effects:
        design.insert(0, "const", 1.0)
    sample = pd.concat([growth.rename("growth"), design], axis=1).dropna()
    if len(sample) <= design.shape[1]:
        raise InequalityError(f"β-convergence: {len(sample)} observations for {design.shape[1]} parameters")
    effects = "province and year fixed effects" if fixed_effects else "the constant"
    try:
        with one_blas_thread():
            model = PanelOLS(
                sample["growth"], sample[design.columns], entity_effects=fixed_effects, time_effects=fixed_effects
            )
            fit = model.fit(cov_type="clustered", cluster_entity=True)
    except AbsorbingEffectError:
        raise InequalityError(
            f"β-convergence: singular design: control(s) {', '.join(controls)} are absorbed by {effects} "
            "(constant within a province or a year); drop them"
        ) from None
    except ValueError as exc:
        if "full column rank" not in str(exc):
            raise
        raise InequalityError(
            f"β-convergence: singular design: ln y and the control(s) {', '.join(controls) or '(none)'} are "
            f"collinear with each other or with {effects}; drop a redundant control"
        ) from None
    beta = float(fit.params["log_initial"])
    lam = speed_of_convergence(beta, span)
    conventions = {
        "growth span T (years)": span,
        "form": ("conditional" if controls else "absolute") + (", two-way fixed effects" if fixed_effects else ""),
        "standard errors": f"clustered by {entity}",
        "speed": "λ = −ln(1 + β)/T",
    }
    return BetaConvergence(
        beta=beta,
        std_error=float(fit.std_errors["log_initial"]),
        pvalue=float(fit.pvalues["log_initial"]),
        speed=lam,
        half_life=float(np.log(2) / lam) if lam > 0 else float("nan"),
        nobs=int(fit.nobs),
        span=span,
        params=fit.params,
        conventions=conventions,
    )
