"""Spatial weights on the real province boundaries, Moran's I against esda/OpenGeoda, and the spatial Durbin panel
against spreg (same data, same estimator), exact effect formulas and the Lee & Yu (2010) bias correction."""

import contextlib
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from coreduce.methods.spatial import (
    SpatialError,
    contiguity_weights,
    geodesic_distances,
    inverse_distance_weights,
    moran,
    subset_weights,
)
from coreduce.methods.spatial_durbin import effects, spatial_durbin

HAINAN, GUANGDONG = "460000", "440000"
DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def boundaries(shared_data):
    from coreduce.geo.boundaries import province_boundaries

    return province_boundaries()


@pytest.fixture(scope="module")
def queen(boundaries):
    return contiguity_weights(boundaries, boundaries["code"], links=[(HAINAN, GUANGDONG)])


def test_queen_contiguity_of_the_provinces(queen):
    assert queen.n == 31
    assert queen.neighbors[HAINAN] == [GUANGDONG] and HAINAN in queen.neighbors[GUANGDONG]
    assert sorted(queen.neighbors["110000"]) == ["120000", "130000"]  # Beijing: Tianjin, Hebei
    # Hebei borders Beijing, Tianjin, Shanxi, Inner Mongolia, Liaoning, Shandong, Henan.
    assert sorted(queen.neighbors["130000"]) == ["110000", "120000", "140000", "150000", "210000", "370000", "410000"]
    assert len(queen.neighbors["150000"]) == 8  # Inner Mongolia borders eight provinces
    assert all(b in queen.neighbors[a] for a in queen.neighbors for b in queen.neighbors[a])  # symmetric
    np.testing.assert_allclose(queen.full()[0].sum(axis=1), 1.0)


def test_hainan_is_an_island_without_the_link(boundaries):
    with pytest.raises(SpatialError, match="460000 have no neighbour"):
        contiguity_weights(boundaries, boundaries["code"])
    with pytest.raises(SpatialError, match="unit 999999 is not among the polygons"):
        contiguity_weights(boundaries, boundaries["code"], links=[(HAINAN, "999999")])


def test_geodesic_and_inverse_distance_weights(boundaries):
    # Beijing (116.4074 E, 39.9042 N) – Shanghai (121.4737 E, 31.2304 N): 1,067–1,068 km great-circle distance.
    d = geodesic_distances(np.array([116.4074, 121.4737]), np.array([39.9042, 31.2304]))
    assert d[0, 1] == pytest.approx(1067.5, abs=3) and d[0, 0] == 0
    pts = boundaries.to_crs("+proj=aea +lat_1=25 +lat_2=47 +lon_0=105").centroid.to_crs(4326)
    w = inverse_distance_weights(pts.x, pts.y, boundaries["code"])
    full = w.full()[0]
    assert np.all(np.diag(full) == 0) and np.allclose(full.sum(axis=1), 1)
    i, j, k = (list(boundaries["code"]).index(c) for c in ("110000", "120000", "650000"))
    assert full[i, j] > 10 * full[i, k]  # Tianjin weighs far more for Beijing than Xinjiang does
    with pytest.raises(SpatialError, match="no unit within 100 km of"):
        inverse_distance_weights(pts.x, pts.y, boundaries["code"], threshold_km=100)


def test_subset_weights_restandardise(queen):
    ids = [i for i in queen.id_order if i != "540000"]  # Tibet lacks the energy series
    sub = subset_weights(queen, ids)
    assert sub.n == 30 and "540000" not in sub.neighbors["650000"]
    np.testing.assert_allclose(sub.full()[0].sum(axis=1), 1.0)
    with pytest.raises(SpatialError, match="460000 have no neighbour"):
        subset_weights(queen, [i for i in queen.id_order if i != GUANGDONG])


def test_moran_matches_esda_and_opengeoda():
    import libpysal

    # esda.Moran docstring: St Louis homicide rates HR8893 with stl.gal: I = 0.244, E[I] = −1/77,
    # p_norm = 0.00027147862770937614; North Carolina SIDR74 with sids2.gal (replicating OpenGeoda): I = 0.248,
    # p_norm = 0.0001158330781489969.
    w = libpysal.io.open(libpysal.examples.get_path("stl.gal")).read()
    f = libpysal.io.open(libpysal.examples.get_path("stl_hom.txt"))
    r = moran(pd.Series(f.by_col["HR8893"], index=w.id_order), w)
    assert round(r.I, 3) == 0.244 and r.expected == pytest.approx(-1 / 77)
    assert r.p_norm == pytest.approx(0.00027147862770937614, rel=1e-9)
    w = libpysal.io.open(libpysal.examples.get_path("sids2.gal")).read()
    f = libpysal.io.open(libpysal.examples.get_path("sids2.dbf"))
    r = moran(pd.Series(f.by_col("SIDR74"), index=w.id_order), w)
    assert round(r.I, 3) == 0.248 and r.p_norm == pytest.approx(0.0001158330781489969, rel=1e-9)
    with pytest.raises(SpatialError, match="no value for unit"):
        moran(pd.Series(f.by_col("SIDR74"), index=w.id_order).iloc[1:], w)


def _sdm_panel(w, seed: int, periods: int = 15, rho: float = 0.4) -> pd.DataFrame:
    """y_t = (I − ρW)^(−1)(X_t β + W X_t θ + μ + α_t + ε_t), β = (1, −0.5), θ = (0.5, 0.3)."""
    wm = w.full()[0]
    n = wm.shape[0]
    rng = np.random.default_rng(seed)
    inv = np.linalg.inv(np.eye(n) - rho * wm)
    mu = rng.normal(size=n)
    rows = []
    for t in range(periods):
        x = rng.normal(size=(n, 2))
        y = inv @ (x @ [1.0, -0.5] + wm @ x @ [0.5, 0.3] + mu + rng.normal() + rng.normal(scale=0.5, size=n))
        rows += [(w.id_order[i], 2000 + t, y[i], x[i, 0], x[i, 1]) for i in range(n)]
    return pd.DataFrame(rows, columns=["geo", "year", "y", "x1", "x2"]).set_index(["geo", "year"])


@pytest.mark.parametrize("time_effects", [False, True])
def test_direct_approach_reproduces_spreg_ml_lagfe(queen, time_effects):
    """Same data, same estimator: spreg's ML_LagFE with slx_lags=1 (year dummies not lagged for period effects)."""
    from spreg import ML_LagFE

    data = _sdm_panel(queen, seed=1)
    ours = spatial_durbin(data, "y", ["x1", "x2"], queen, time_effects=time_effects, correction="none", draws=200)
    periods = sorted(data.index.get_level_values(1).unique())
    stacked = data.swaplevel().sort_index().reindex(pd.MultiIndex.from_product([periods, queen.id_order]))
    x = stacked[["x1", "x2"]].to_numpy()
    lagged = [True, True]
    if time_effects:
        dummies = pd.get_dummies(stacked.index.get_level_values(0)).to_numpy(float)[:, 1:]
        x, lagged = np.hstack([x, dummies]), lagged + [False] * dummies.shape[1]
    with contextlib.redirect_stdout(io.StringIO()):
        ref = ML_LagFE(stacked[["y"]].to_numpy(), x, queen, slx_lags=1, slx_vars=lagged, spat_impacts=None)
    b, k = ref.betas.ravel(), x.shape[1]
    np.testing.assert_allclose(ours.coefficients["coef"], np.r_[b[:2], b[k : k + 2], b[-1]], atol=1e-6)
    assert ours.logll == pytest.approx(float(ref.logll), rel=1e-9)


def test_standard_errors_are_the_observed_information(queen):
    """SEs equal the inverse of a finite-difference Hessian of the full log-likelihood (entity effects only)."""
    data = _sdm_panel(queen, seed=2, periods=8)
    res = spatial_durbin(data, "y", ["x1"], queen, durbin=False, time_effects=False, correction="none", draws=100)
    wm = queen.full()[0]
    lam = np.linalg.eigvals(wm).real
    yb = data["y"].unstack().loc[queen.id_order].to_numpy().T
    xb = data["x1"].unstack().loc[queen.id_order].to_numpy().T
    y = (yb - yb.mean(axis=0)).ravel()
    wy = (yb @ wm.T - (yb @ wm.T).mean(axis=0)).ravel()
    x = (xb - xb.mean(axis=0)).ravel()
    n_obs, t = y.size, yb.shape[0]

    def loglik(p):
        b, r, s2 = p
        e = y - r * wy - b * x
        return -0.5 * n_obs * np.log(2 * np.pi * s2) + t * np.sum(np.log(1 - r * lam)) - e @ e / (2 * s2)

    p0 = np.array([res.coefficients.loc["x1", "coef"], res.rho, res.sigma2])
    h = 1e-4 * np.maximum(np.abs(p0), 1)
    hess = np.zeros((3, 3))
    for i in range(3):
        for j in range(3):
            ei, ej = np.eye(3)[i] * h[i], np.eye(3)[j] * h[j]
            hess[i, j] = (loglik(p0 + ei + ej) - loglik(p0 + ei - ej) - loglik(p0 - ei + ej) + loglik(p0 - ei - ej)) / (
                4 * h[i] * h[j]
            )
    se = np.sqrt(np.diag(np.linalg.inv(-hess)))
    np.testing.assert_allclose(res.coefficients["std_err"], se[:2], rtol=1e-4)
    assert res.logll == pytest.approx(loglik(p0), rel=1e-9)


@pytest.mark.slow
def test_lee_yu_correction_removes_the_small_n_bias_of_rho(queen):
    # Lee & Yu (2010): with period effects the direct approach biases ρ when n is small; the transformation
    # approach does not. Monte Carlo over 60 panels of the 31 provinces × 30 years, true ρ = 0.4 (the standard
    # error of each mean is about 0.004).
    est = {"lee-yu": [], "none": []}
    for seed in range(60):
        data = _sdm_panel(queen, seed=100 + seed, periods=30)
        for corr in est:
            est[corr].append(spatial_durbin(data, "y", ["x1", "x2"], queen, correction=corr, draws=50).rho)
    assert abs(np.mean(est["lee-yu"]) - 0.4) < 0.012
    assert np.mean(est["none"]) < 0.4 - 0.03


def test_effects_equal_dense_matrix_formulas_and_spreg_multipliers(queen):
    # LeSage & Pace (2009, §2.7): direct = tr(S)/n, total = ι'Sι/n with S = (I − ρW)^(−1)(βI + θW).
    wm = queen.full()[0]
    lam = np.linalg.eigvals(wm)
    rho, beta, theta = 0.35, np.array([1.2, -0.4]), np.array([0.6, 0.2])
    eff = effects(rho, beta, theta, lam)
    inv = np.linalg.inv(np.eye(31) - rho * wm)
    for j in range(2):
        s = inv @ (beta[j] * np.eye(31) + theta[j] * wm)
        assert eff["direct"][j] == pytest.approx(np.trace(s) / 31, rel=1e-10)
        assert eff["total"][j] == pytest.approx(s.sum() / 31, rel=1e-10)
    # Without θ the multipliers equal spreg's exact ('full') average direct and total impacts.
    from spreg.sputils import spmultiplier

    mult = spmultiplier(queen, rho, method="full")
    lag = effects(rho, beta, None, lam)
    np.testing.assert_allclose(lag["direct"], mult["adi"] * beta, rtol=1e-8)
    np.testing.assert_allclose(lag["total"], mult["ati"] * beta, rtol=1e-8)
    many = effects(np.array([rho, 0.1]), np.vstack([beta, beta]), np.vstack([theta, theta]), lam)
    np.testing.assert_allclose(many["direct"][0], eff["direct"])


@pytest.mark.slow
def test_spreg_published_values_on_ncovr():
    """spreg tests/test_panel.py::test_ML_LagFE (NCOVR, eastern US counties): β = (0.523981, −7.080709),
    ρ = 0.193008; PS total impact −8.7742. Data: the 789 counties and their queen contiguity, vendored in
    data/ (see data/README.md for the source and licence)."""
    import libpysal

    db = pd.read_csv(DATA / "ncovr_east.csv", dtype={"FIPS": str})
    edges = pd.read_csv(DATA / "ncovr_east_queen.csv", dtype=str)
    assert len(db) == 789 and len(edges) == 4280
    rows = []
    for year in ("70", "80", "90"):
        part = pd.DataFrame({"HR": db[f"HR{year}"], "RD": db[f"RD{year}"], "PS": db[f"PS{year}"]})
        part.index = pd.MultiIndex.from_arrays([db["FIPS"], [int(year)] * len(db)])
        rows.append(part)
    w = libpysal.weights.W(edges.groupby("fips")["neighbour"].apply(list).to_dict())
    w.transform = "r"
    res = spatial_durbin(
        pd.concat(rows), "HR", ["RD", "PS"], w, durbin=False, time_effects=False, correction="none", draws=100
    )
    np.testing.assert_allclose(res.coefficients["coef"], [0.523981, -7.080709, 0.193008], atol=1e-4)
    total = res.effects.query("effect == 'total' and variable == 'PS'")["estimate"].iloc[0]
    assert total == pytest.approx(-8.7742, abs=1e-3)


def test_spatial_panel_bad_input(queen):
    data = _sdm_panel(queen, seed=3, periods=4)
    with pytest.raises(SpatialError, match=r"balanced.*1 unit\(s\) \(110000: 2001\)"):
        spatial_durbin(data.drop(("110000", 2001)), "y", ["x1"], queen)
    with pytest.raises(SpatialError, match=r"no column.*x9"):
        spatial_durbin(data, "y", ["x9"], queen)
    data["region_size"] = data.groupby(level="geo")["x1"].transform("mean")
    with pytest.raises(SpatialError, match=r"region_size.*linearly dependent"):
        spatial_durbin(data, "y", ["x1", "region_size"], queen)
    queen.transform = "b"
    try:
        with pytest.raises(SpatialError, match="row-standardised"):
            spatial_durbin(data, "y", ["x1"], queen)
    finally:
        queen.transform = "r"
    with pytest.raises(SpatialError, match="correction must be one of"):
        spatial_durbin(data, "y", ["x1"], queen, correction="bias")
