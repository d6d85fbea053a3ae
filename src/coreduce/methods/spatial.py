"""Spatial weights, Moran's I and the spatial Durbin panel model with direct, indirect and total effects.

Weights (libpysal ``W`` keyed by unit id; a convention recorded by the callers):

* queen contiguity of polygons (units sharing a boundary point), plus explicit links for islands — for China's
  provinces, Hainan (460000) is linked to Guangdong (440000) so that it is not an island;
* inverse distance w_ij = d_ij^(−α) (α = 1 by default) between unit points, d_ij the geodesic distance on the
  WGS84 ellipsoid (pyproj ``Geod``), optionally cut at a threshold.

Both are row-standardised by default (``transform="r"``).

Moran's I (Moran 1950; Cliff & Ord 1981) is computed by esda: I = (n/S0)·Σ_ij w_ij z_i z_j / Σ_i z_i², with
the normal-approximation and permutation p-values.

Spatial Durbin panel with fixed effects (Elhorst 2014, ch. 3), by maximum likelihood concentrated in ρ::

    y_t = ρ·W·y_t + X_t·β + W·X_t·θ + μ + α_t·ι + ε_t

Unit effects μ and period effects α_t are removed by demeaning; with the Lee & Yu (2010) correction (default) the
bias of ρ with few units (31 provinces) is removed to first order, while ``correction="none"`` reproduces
spreg's ``ML_LagFE`` (the direct approach; spreg offers no period effects or correction).

Effects (LeSage & Pace 2009, §2.7): with S_k(W) = (I − ρW)^(−1)(β_k·I + θ_k·W),
direct_k = tr(S_k)/n, total_k = ι'S_k·ι/n = (β_k + θ_k)/(1 − ρ) for row-standardised W, indirect = total −
direct. With the eigenvalues λ of W, tr((I − ρW)^(−1)) = Σ 1/(1 − ρλ) and tr((I − ρW)^(−1)W) = Σ λ/(1 − ρλ),
so the effects of many draws of (ρ, β, θ) from the estimates' asymptotic normal distribution are computed at
once (no loop over draws) for their standard errors (LeSage & Pace 2009, §2.7.1). spreg's own summary counts
all of θ as indirect; the exact split above also gives θ its feedback share of the direct effect.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd


class SpatialError(ValueError):
    """Weights or a spatial model that cannot be built (unknown ids, islands, unbalanced panels, …)."""


def contiguity_weights(
    polygons,
    ids: Sequence[str],
    *,
    links: Sequence[tuple[str, str]] = (),
    transform: str = "r",
):
    """Queen contiguity of ``polygons`` (a GeoSeries or GeoDataFrame) with extra symmetric ``links``.

    Raises :class:`SpatialError` naming any unit left without neighbours (an island) after the links.
    """
    import warnings

    from libpysal.weights import Queen, W

    ids = [str(i) for i in ids]
    if len(set(ids)) != len(ids):
        raise SpatialError("contiguity weights: unit ids are not unique")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # islands are reported below, after the links
        queen = Queen.from_dataframe(
            polygons if hasattr(polygons, "geometry") else polygons.to_frame("geometry"), ids=ids, use_index=False
        )
    neighbours = {i: set(map(str, queen.neighbors[i])) for i in ids}
    for a, b in links:
        for u in (a, b):
            if u not in neighbours:
                raise SpatialError(f"contiguity link {a}–{b}: unit {u} is not among the polygons")
        neighbours[a].add(b)
        neighbours[b].add(a)
    islands = [i for i, n in neighbours.items() if not n]
    if islands:
        raise SpatialError(f"contiguity weights: unit(s) {', '.join(islands)} have no neighbour; add a link")
    w = W({i: sorted(n) for i, n in neighbours.items()}, id_order=ids, silence_warnings=True)
    w.transform = transform
    return w


def geodesic_distances(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """n × n geodesic distances in km between points on the WGS84 ellipsoid (pyproj ``Geod.inv``)."""
    from pyproj import Geod

    lon, lat = np.asarray(lon, float), np.asarray(lat, float)
    n = lon.size
    i, j = np.triu_indices(n, k=1)
    _, _, dist = Geod(ellps="WGS84").inv(lon[i], lat[i], lon[j], lat[j])
    out = np.zeros((n, n))
    out[i, j] = out[j, i] = dist / 1000.0
    return out


def inverse_distance_weights(
    lon: Sequence[float],
    lat: Sequence[float],
    ids: Sequence[str],
    *,
    power: float = 1.0,
    threshold_km: float | None = None,
    transform: str = "r",
):
    """Inverse-distance weights d_ij^(−power) between points (lon/lat degrees), zero beyond ``threshold_km``."""
    from libpysal.weights import full2W

    ids = [str(i) for i in ids]
    d = geodesic_distances(np.asarray(lon), np.asarray(lat))
    if np.any(d[~np.eye(len(ids), dtype=bool)] <= 0):
        raise SpatialError("inverse-distance weights: two units share the same point")
    with np.errstate(divide="ignore"):
        m = np.where(np.eye(len(ids), dtype=bool), 0.0, d ** (-power))
    if threshold_km is not None:
        m[d > threshold_km] = 0.0
    empty = [u for u, row in zip(ids, m, strict=True) if row.sum() == 0]
    if empty:
        raise SpatialError(f"inverse-distance weights: no unit within {threshold_km} km of {', '.join(empty)}")
    w = full2W(m, ids=ids)
    w.transform = transform
    return w


@dataclass(frozen=True)
class MoranResult:
    """Global Moran's I of one cross-section."""

    I: float  # noqa: E741 (the statistic's name)
    expected: float
    z_norm: float
    p_norm: float
    p_sim: float
    n: int


def moran(values: pd.Series, w, *, permutations: int = 999, seed: int = 12345) -> MoranResult:
    """Moran's I of ``values`` (indexed by the ids of ``w``) with esda; an error names ids without values."""
    import esda

    absent = [i for i in w.id_order if i not in values.index or not np.isfinite(values.get(i, np.nan))]
    if absent:
        raise SpatialError(f"Moran's I: no value for unit(s) {', '.join(map(str, absent))}")
    y = values.reindex(w.id_order).to_numpy(float)
    if np.ptp(y) == 0:
        raise SpatialError("Moran's I: the values are constant")
    np.random.seed(seed)  # esda draws its permutations from numpy's global generator
    m = esda.Moran(y, w, permutations=permutations)
    return MoranResult(
        I=float(m.I),
        expected=float(m.EI),
        z_norm=float(m.z_norm),
        p_norm=float(m.p_norm),
        p_sim=float(m.p_sim) if permutations else float("nan"),
        n=int(m.n),
    )


def effects(
    rho: float | np.ndarray,
    beta: np.ndarray,
    theta: np.ndarray | None,
    eigenvalues: np.ndarray,
) -> dict[str, np.ndarray]:
    """LeSage–Pace direct, indirect and total effects for one or many draws.

    ``rho``: scalar or (R,); ``beta``/``theta``: (k,) or (R, k); ``eigenvalues`` of the row-standardised W.
    Returns arrays of shape (k,) or (R, k).
    """
    lam = np.asarray(eigenvalues)
    rho_arr = np.atleast_1d(np.asarray(rho, float))
    beta_arr = np.atleast_2d(np.asarray(beta, float))
    theta_arr = np.zeros_like(beta_arr) if theta is None else np.atleast_2d(np.asarray(theta, float))
    inv = 1.0 / (1.0 - rho_arr[:, None] * lam[None, :])
    m_direct = inv.real.mean(axis=1)[:, None]
    m_direct_w = (lam[None, :] * inv).real.mean(axis=1)[:, None]
    direct = beta_arr * m_direct + theta_arr * m_direct_w
    total = (beta_arr + theta_arr) / (1.0 - rho_arr[:, None])
    out = {"direct": direct, "indirect": total - direct, "total": total}
    if np.ndim(rho) == 0 and np.ndim(beta) == 1:
        out = {k: v[0] for k, v in out.items()}
    return out


@dataclass
class SpatialDurbinResult:
    """Estimates of the spatial Durbin (or lag) panel model and the effects of each regressor."""

    coefficients: pd.DataFrame
    effects: pd.DataFrame
    rho: float
    rho_se: float
    nobs: int
    n_units: int
    n_periods: int
    logll: float
    pseudo_r2: float
    sigma2: float
    conventions: dict[str, str] = field(default_factory=dict)


def _balanced(frame: pd.DataFrame, columns: list[str], ids: list[str]) -> pd.DataFrame:
    data = frame[columns].astype(float).replace([np.inf, -np.inf], np.nan)
    entity = data.index.get_level_values(0).astype(str)
    unknown = sorted(set(entity) - set(ids))
    if unknown:
        raise SpatialError(f"spatial panel: units {', '.join(unknown)} are not in the weights")
    data.index = pd.MultiIndex.from_arrays([entity, data.index.get_level_values(1)], names=["unit", "time"])
    periods = sorted(data.index.get_level_values(1).unique())
    full = data.reindex(pd.MultiIndex.from_product([ids, periods], names=["unit", "time"]))
    holes = full[full.isna().any(axis=1)]
    if not holes.empty:
        gaps = holes.index.get_level_values(0).unique()
        detail = "; ".join(f"{u}: {', '.join(str(t) for t in holes.xs(u, level=0).index)}" for u in list(gaps)[:5])
        raise SpatialError(
            f"spatial panel: the panel must be balanced over the weights' {len(ids)} units; missing values for "
            f"{len(gaps)} unit(s) ({detail}{' …' if len(gaps) > 5 else ''}); restrict the years or the units"
        )
    return full


def _concentrated_ml(y, wy, x, lam, n_eff, t_eff, time_term):
    """ML of y = ρ·Wy + Xβ + e on transformed data; returns (ρ, β, σ², observed information inverse)."""
    from scipy.optimize import minimize_scalar

    b0 = np.linalg.lstsq(x, y, rcond=None)[0]
    b1 = np.linalg.lstsq(x, wy, rcond=None)[0]
    e0, e1 = y - x @ b0, wy - x @ b1
    n_obs = n_eff * t_eff

    def jacobian(r):
        return np.sum(np.log(1.0 - r * lam)) - (np.log(1.0 - r) if time_term else 0.0)

    def nll(r):
        e = e0 - r * e1
        return 0.5 * n_obs * np.log(e @ e / n_obs) - t_eff * jacobian(r)

    low = max(-0.999, 1.0 / lam.min() + 1e-6) if lam.min() < 0 else -0.999
    rho = float(minimize_scalar(nll, bounds=(low, 0.999), method="bounded", options={"xatol": 1e-10}).x)
    beta = b0 - rho * b1
    e = y - rho * wy - x @ beta
    s2 = float(e @ e / n_obs)
    # observed information of (β, ρ, σ²): minus the Hessian of the log-likelihood at the estimates
    j2 = -np.sum(lam**2 / (1.0 - rho * lam) ** 2) + (1.0 / (1.0 - rho) ** 2 if time_term else 0.0)
    k = x.shape[1]
    info = np.zeros((k + 2, k + 2))
    info[:k, :k] = x.T @ x / s2
    info[:k, k] = info[k, :k] = x.T @ wy / s2
    info[:k, k + 1] = info[k + 1, :k] = x.T @ e / s2**2
    info[k, k] = wy @ wy / s2 - t_eff * j2
    info[k, k + 1] = info[k + 1, k] = wy @ e / s2**2
    info[k + 1, k + 1] = -n_obs / (2 * s2**2) + e @ e / s2**3
    vm = np.linalg.inv(info)
    logll = -0.5 * n_obs * (np.log(2 * np.pi * s2) + 1) + t_eff * jacobian(rho)
    return rho, beta, s2, vm, logll, e


CORRECTIONS = ("lee-yu", "none")


def spatial_durbin(
    frame: pd.DataFrame,
    dependent: str,
    regressors: Sequence[str],
    w,
    *,
    durbin: bool = True,
    entity_effects: bool = True,
    time_effects: bool = True,
    correction: str = "lee-yu",
    draws: int = 1000,
    seed: int = 12345,
) -> SpatialDurbinResult:
    """Fit the fixed-effects spatial Durbin panel (``durbin=False``: spatial lag panel) by maximum likelihood.

    ``frame`` is indexed by (unit, time) with units matching ``w.id_order``; the panel must be balanced.
    Variables, W·y and W·X are demeaned by unit and/or period (Elhorst 2014, §3.3) and ρ is found from the
    concentrated log-likelihood. ``correction="lee-yu"`` (default) uses the transformation approach of Lee & Yu
    (2010, J. Econometrics 154): n(T−1) (or (n−1)(T−1) with period effects) observations and the Jacobian
    (T−1)·[ln|I − ρW| − ln(1 − ρ)], the last term because period demeaning removes W's unit eigenvector; without
    it ρ is biased when n is small. ``correction="none"`` is the direct approach of Elhorst (2003) and spreg's
    ``ML_LagFE`` (nT observations, T·ln|I − ρW|), whose coefficients it reproduces. Standard errors come from the
    observed information matrix of (β, θ, ρ, σ²) (minus the Hessian of the log-likelihood); spreg uses an analytic
    information matrix, so its standard errors differ in finite samples while agreeing asymptotically.
    """
    regressors = list(regressors)
    if correction not in CORRECTIONS:
        raise SpatialError(f"correction must be one of {', '.join(CORRECTIONS)}; got {correction!r}")
    absent = [c for c in [dependent, *regressors] if c not in frame.columns]
    if absent:
        raise SpatialError(f"spatial panel: the data have no column(s) {', '.join(absent)}")
    if not regressors:
        raise SpatialError("spatial panel: no regressors given")
    if w.transform.lower() != "r":
        raise SpatialError("spatial panel: use row-standardised weights (transform 'r')")
    ids = [str(i) for i in w.id_order]
    data = _balanced(frame, [dependent, *regressors], ids)
    periods = list(data.index.get_level_values(1).unique())
    n, t = len(ids), len(periods)
    if t < 2:
        raise SpatialError("spatial panel: at least 2 periods are needed")
    wmat = w.full()[0]
    lam = np.linalg.eigvals(wmat).real

    def block(col):  # T × n array, rows = periods, columns = units in the order of w
        return data[col].unstack(level=1).loc[ids, periods].to_numpy().T

    def demean(m):
        if entity_effects:
            m = m - m.mean(axis=0, keepdims=True)
        if time_effects:
            m = m - m.mean(axis=1, keepdims=True)
        return m.ravel()

    yb = block(dependent)
    xb = [block(c) for c in regressors]
    cols = [demean(m) for m in xb]
    names = list(regressors)
    if durbin:
        cols += [demean(m @ wmat.T) for m in xb]
        names += [f"W·{c}" for c in regressors]
    if not (entity_effects or time_effects):
        cols.insert(0, np.ones(n * t))
        names.insert(0, "const")
    x = np.column_stack(cols)
    _, sing, _ = np.linalg.svd(x / np.maximum(np.linalg.norm(x, axis=0), 1e-300), full_matrices=False)
    if sing[-1] <= 1e-8 * sing[0] or np.any(np.linalg.norm(x, axis=0) == 0):
        raise SpatialError(
            f"singular regression: the regressors {', '.join(names)} are linearly dependent (or constant) once "
            "the fixed effects are removed"
        )
    lee_yu = correction == "lee-yu"
    t_eff = t - 1 if (lee_yu and entity_effects) else t
    n_eff = n - 1 if (lee_yu and time_effects) else n
    rho, beta, s2, vm, logll, resid = _concentrated_ml(
        demean(yb), demean(yb @ wmat.T), x, lam, n_eff, t_eff, lee_yu and time_effects
    )
    from scipy import stats

    se = np.sqrt(np.diag(vm))
    k = len(names)
    coefs = pd.DataFrame(
        {"coef": [*beta, rho], "std_err": [*se[:k], se[k]]}, index=pd.Index([*names, "rho (W·y)"], name="term")
    )
    coefs["z"] = coefs["coef"] / coefs["std_err"]
    coefs["p_value"] = 2 * stats.norm.sf(np.abs(coefs["z"]))

    off = 1 if "const" in names else 0
    nx = len(regressors)
    b_idx = list(range(off, off + nx))
    t_idx = list(range(off + nx, off + 2 * nx)) if durbin else []
    point = effects(rho, beta[b_idx], beta[t_idx] if durbin else None, lam)
    sel = [*b_idx, *t_idx, k]
    rng = np.random.default_rng(seed)
    sim = rng.multivariate_normal(np.r_[beta, rho][sel], vm[np.ix_(sel, sel)], size=draws, method="eigh")
    inside = np.abs(sim[:, -1]) < 1
    sim = sim[inside]
    drawn = effects(sim[:, -1], sim[:, :nx], sim[:, nx : 2 * nx] if durbin else None, lam)
    eff_rows = []
    for kind in ("direct", "indirect", "total"):
        for j, name in enumerate(regressors):
            est, sd = float(point[kind][j]), float(drawn[kind][:, j].std(ddof=1))
            p = 2 * stats.norm.sf(abs(est / sd)) if sd > 0 else np.nan
            eff_rows.append({"effect": kind, "variable": name, "estimate": est, "std_err": sd, "p_value": p})
    fitted = demean(yb) - resid
    conventions = {
        "spatial model": "spatial Durbin (W·y and W·X)" if durbin else "spatial lag (W·y)",
        "estimator": "maximum likelihood, concentrated in ρ; "
        + (
            "Lee & Yu (2010) transformation approach" if lee_yu else "direct approach (Elhorst 2003; as spreg ML_LagFE)"
        ),
        "fixed effects": ", ".join(
            [e for e, on in (("unit", entity_effects), ("period", time_effects)) if on] or ["none (constant)"]
        ),
        "effects": f"LeSage & Pace (2009) exact traces via the eigenvalues of W; SEs from {len(sim)} draws of the "
        "estimates' asymptotic normal distribution",
    }
    return SpatialDurbinResult(
        coefficients=coefs,
        effects=pd.DataFrame(eff_rows),
        rho=float(rho),
        rho_se=float(se[k]),
        nobs=n * t,
        n_units=n,
        n_periods=t,
        logll=float(logll),
        pseudo_r2=float(np.corrcoef(fitted, demean(yb))[0, 1] ** 2),
        sigma2=s2,
        conventions=conventions,
    )


def moran_by_period(frame: pd.DataFrame, column: str, w, *, permutations: int = 999, seed: int = 12345) -> pd.DataFrame:
    """Moran's I of ``column`` in each period of a (unit, time)-indexed frame (units lacking a value: error)."""
    rows = []
    for period, part in frame[column].groupby(level=1):
        values = part.droplevel(1)
        values.index = values.index.astype(str)
        r = moran(values, w, permutations=permutations, seed=seed)
        rows.append({"year": period, "I": r.I, "E[I]": r.expected, "z": r.z_norm, "p_norm": r.p_norm, "p_sim": r.p_sim})
    return pd.DataFrame(rows)


def subset_weights(w, ids: Sequence[str], transform: str = "r"):
    """The weights restricted to ``ids`` (e.g. provinces with data), re-standardised; errors name new islands."""
    from libpysal.weights import W

    keep = [str(i) for i in ids]
    unknown = [i for i in keep if i not in w.neighbors]
    if unknown:
        raise SpatialError(f"weights: unit(s) {', '.join(unknown)} are not in the weights")
    kept = set(keep)
    original = _original(w)
    neighbours = {i: [j for j in w.neighbors[i] if j in kept] for i in keep}
    weights = {i: [wt for j, wt in zip(w.neighbors[i], original[i], strict=True) if j in kept] for i in keep}
    islands = [i for i, n in neighbours.items() if not n]
    if islands:
        raise SpatialError(f"weights: after restricting, unit(s) {', '.join(islands)} have no neighbour")
    out = W(neighbours, weights, id_order=keep, silence_warnings=True)
    out.transform = transform
    return out


def _original(w) -> Mapping[str, list[float]]:
    """The untransformed weights of a libpysal ``W``."""
    current = w.transform
    w.transform = "O"
    weights = {k: list(v) for k, v in w.weights.items()}
    w.transform = current
    return weights
