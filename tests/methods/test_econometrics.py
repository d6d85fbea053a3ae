"""Fixed-effects regression and mediation against published Grunfeld results and exact OLS identities."""

import numpy as np
import pandas as pd
import pytest

from coreduce.methods.econometrics import (
    RegressionError,
    batched_wls,
    entity_bootstrap_weights,
    mediation,
    panel_fe,
)


@pytest.fixture(scope="module")
def grunfeld() -> pd.DataFrame:
    """Grunfeld's investment data, the 10 firms of Baltagi (2005) and Stata's grunfeld.dta (no American Steel)."""
    import statsmodels.api as sm

    data = sm.datasets.grunfeld.load_pandas().data
    data = data[data["firm"] != "American Steel"].assign(year=lambda d: d["year"].astype(int))
    return data.set_index(["firm", "year"])


def test_within_estimator_matches_stata_and_baltagi(grunfeld):
    # Stata `xtreg invest mvalue kstock, fe` on grunfeld.dta: mvalue .1101238 (.0118567), kstock .3100653
    # (.0173545), R² within 0.7668; Baltagi (2005), Econometric Analysis of Panel Data, Table 2.1 (Within):
    # 0.1101 (0.0119), 0.3100 (0.0174).
    fit = panel_fe(grunfeld, "invest", ["value", "capital"], time_effects=False, cluster="unadjusted")
    np.testing.assert_allclose(fit.params[["value", "capital"]], [0.1101238, 0.3100653], atol=5e-7)
    np.testing.assert_allclose(fit.std_errors[["value", "capital"]], [0.0118567, 0.0173545], atol=5e-7)
    assert fit.rsquared == pytest.approx(0.7668, abs=5e-5)
    assert fit.nobs == 200


def test_clustered_errors_match_stata_small_sample_factor(grunfeld):
    # Stata `xtreg invest mvalue kstock, fe vce(robust)` (clustered by company): SEs .0151945 and .0527518.
    fit = panel_fe(grunfeld, "invest", ["value", "capital"], time_effects=False, cluster="entity")
    np.testing.assert_allclose(fit.std_errors[["value", "capital"]], [0.0151945, 0.0527518], atol=5e-7)
    assert fit.n_clusters == 10
    assert "G/(G−1)" in fit.covariance and "t(9)" in fit.covariance
    raw = panel_fe(grunfeld, "invest", ["value", "capital"], time_effects=False, small_sample="none")
    assert raw.std_errors["value"] < fit.std_errors["value"]


def test_two_way_clustered_errors_match_stata_xtreg_fe_with_year_dummies():
    # Stata `xtreg lwage union married d81-d87, fe cluster(nr)` on Wooldridge's WAGEPAN (Vella & Verbeek 1998;
    # 545 men × 1980–1987), printed in J. M. Wooldridge's lecture notes "Panel Data Methods", example "Return
    # to Union Membership Using Panel Data": union .0833697 (.0230603), married .0583372 (.0213374), t = 3.62 and
    # 2.73, 545 clusters. The year dummies d81–d87 are the time effects here; Stata's small-sample factor is
    # G/(G−1)·(N−1)/(N−K) with K = 2 + 7 + 1, applied once to the unscaled sandwich.
    from linearmodels.datasets import wage_panel

    data = wage_panel.load().set_index(["nr", "year"])
    fit = panel_fe(data, "lwage", ["union", "married"], cluster="entity")
    np.testing.assert_allclose(fit.params[["union", "married"]], [0.0833697, 0.0583372], atol=5e-8)
    np.testing.assert_allclose(fit.std_errors[["union", "married"]], [0.0230603, 0.0213374], atol=5e-8)
    np.testing.assert_allclose(fit.to_frame()["t"][["union", "married"]], [3.62, 2.73], atol=5e-3)
    assert fit.n_clusters == 545 and fit.nobs == 4360


def test_two_way_within_estimator_matches_baltagi_and_dummy_variable_ols(grunfeld):
    # Baltagi (2005), Table 3.1, two-way fixed effects (Within): 0.118 (0.014), 0.358 (0.023); to full precision
    # the same as OLS with firm and year dummies (statsmodels, an independent code path).
    import statsmodels.formula.api as smf

    fit = panel_fe(grunfeld, "invest", ["value", "capital"], cluster="unadjusted")
    np.testing.assert_allclose(fit.params[["value", "capital"]], [0.118, 0.358], atol=5e-4)
    np.testing.assert_allclose(fit.std_errors[["value", "capital"]], [0.014, 0.023], atol=5e-4)
    lsdv = smf.ols("invest ~ value + capital + C(firm) + C(year)", data=grunfeld.reset_index()).fit()
    np.testing.assert_allclose(fit.params[["value", "capital"]], lsdv.params[["value", "capital"]], rtol=1e-9)
    np.testing.assert_allclose(fit.std_errors[["value", "capital"]], lsdv.bse[["value", "capital"]], rtol=1e-9)
    assert fit.effects == {"Entity FE": True, "Year FE": True}


def test_singular_regressions_name_the_regressors(grunfeld):
    data = grunfeld.copy()
    data["firm_size_class"] = data.groupby(level="firm")["value"].transform("mean")
    with pytest.raises(RegressionError, match=r"firm_size_class.*absorbed"):
        panel_fe(data, "invest", ["value", "firm_size_class"])
    data["combo"] = data["value"] + 2 * data["capital"]
    with pytest.raises(RegressionError, match="value, capital, combo are linearly dependent"):
        panel_fe(data, "invest", ["value", "capital", "combo"])
    with pytest.raises(RegressionError, match=r"no column.*rd_intensity"):
        panel_fe(data, "invest", ["value", "rd_intensity"])
    with pytest.raises(RegressionError, match="cluster must be one of"):
        panel_fe(data, "invest", ["value"], cluster="firm")
    with pytest.raises(RegressionError, match="too few"):
        panel_fe(data.head(12), "invest", ["value", "capital"])


def _mediation_panel(a: float, b: float, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n, t = 30, 12
    idx = pd.MultiIndex.from_product([[f"p{i:02d}" for i in range(n)], range(2000, 2000 + t)], names=["geo", "year"])
    mu = np.repeat(rng.normal(size=n), t)
    eta = np.tile(rng.normal(size=t), n)
    x = rng.normal(size=n * t) + mu
    z = rng.normal(size=n * t)
    m = a * x + 0.5 * z + mu + eta + rng.normal(size=n * t)
    y = 0.3 * x + b * m + 0.2 * z + 2 * mu - eta + rng.normal(size=n * t)
    return pd.DataFrame({"y": y, "x": x, "m": m, "z": z}, index=idx)


def test_mediation_paths_equal_fixed_effects_fits_and_satisfy_c_equals_c_prime_plus_ab():
    # In OLS with the same sample and covariates the total effect splits exactly: c = c' + a·b
    # (MacKinnon, Warsi & Dwyer 1995, Multivariate Behavioral Research 30(1), eq. 3).
    data = _mediation_panel(a=0.8, b=0.5)
    (res,) = mediation(data, "y", "x", ["m"], ["z"], n_boot=199)
    assert res.total == pytest.approx(res.direct + res.indirect, rel=1e-10)
    fa = panel_fe(data, "m", ["x", "z"], cluster="unadjusted")
    fb = panel_fe(data, "y", ["x", "m", "z"], cluster="unadjusted")
    fc = panel_fe(data, "y", ["x", "z"], cluster="unadjusted")
    assert res.a == pytest.approx(fa.params["x"], rel=1e-9)
    assert res.b == pytest.approx(fb.params["m"], rel=1e-9)
    assert res.direct == pytest.approx(fb.params["x"], rel=1e-9)
    assert res.total == pytest.approx(fc.params["x"], rel=1e-9)
    assert res.ci_low < res.indirect < res.ci_high and res.ci_low > 0
    assert res.draws.shape == (199,)


def _resampled(data: pd.DataFrame, row: np.ndarray) -> pd.DataFrame:
    """The panel rebuilt by drawing entities: an entity drawn k times appears k times under new ids."""
    entities = data.index.get_level_values(0).to_numpy()
    counts = dict(zip(entities, row.astype(int), strict=True))
    parts = [
        data.xs(e, level="geo", drop_level=False).rename(index={e: f"{e}#{copy}"}, level="geo")
        for e in np.unique(entities)
        for copy in range(counts[e])
    ]
    return pd.concat(parts)


def test_vectorised_bootstrap_equals_refitting_resampled_panels():
    """Each weighted replicate equals PanelOLS on the panel rebuilt from the drawn entities."""
    from linearmodels.panel import PanelOLS

    from coreduce.methods.econometrics import _dummies

    data = _mediation_panel(a=0.8, b=0.5, seed=3)
    entities = data.index.get_level_values(0).to_numpy()
    w = entity_bootstrap_weights(entities, 3, seed=7)
    z = np.column_stack([data[["x", "z"]].to_numpy(), _dummies(data.index, True, True)])
    fast = batched_wls(z, data["m"].to_numpy(), w, [0, 1])
    (res,) = mediation(data, "y", "x", ["m"], ["z"], n_boot=99, seed=7)
    for i, row in enumerate(w):
        sample = _resampled(data, row)
        ref_a = PanelOLS(sample["m"], sample[["x", "z"]], entity_effects=True, time_effects=True).fit()
        ref_b = PanelOLS(sample["y"], sample[["x", "m", "z"]], entity_effects=True, time_effects=True).fit()
        np.testing.assert_allclose(fast[i], ref_a.params.to_numpy(), rtol=1e-8)
        assert res.draws[i] == pytest.approx(ref_a.params["x"] * ref_b.params["m"], rel=1e-8)


def test_mediation_interval_covers_zero_without_a_path():
    data = _mediation_panel(a=0.0, b=0.5, seed=5)
    (res,) = mediation(data, "y", "x", ["m"], ["z"], n_boot=499, seed=2)
    assert res.ci_low < 0 < res.ci_high


def test_mediation_bad_input():
    data = _mediation_panel(a=0.5, b=0.5)
    with pytest.raises(RegressionError, match=r"no column.*energy"):
        mediation(data, "y", "x", ["energy"])
    with pytest.raises(RegressionError, match="at least 99"):
        mediation(data, "y", "x", ["m"], n_boot=10)
    data["m2"] = 2 * data["x"]
    with pytest.raises(RegressionError, match="x, m2 are linearly dependent"):
        mediation(data, "y", "x", ["m2"])
