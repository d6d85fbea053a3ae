"""Dagum Gini, Theil T, kernel density and convergence against PySAL, statsmodels and identities."""

import numpy as np
import pandas as pd
import pytest
from libpysal import examples

from coreduce.methods.convergence import beta_convergence, sigma_convergence, speed_of_convergence
from coreduce.methods.dagum import InequalityError, dagum_gini, gini, sum_abs_between, sum_abs_within
from coreduce.methods.kde import KERNELS, bandwidth, kernel_density
from coreduce.methods.theil import theil_decomposition, theil_t

YEARS = range(1940, 2010, 10)


@pytest.fixture(scope="module")
def mexico() -> pd.DataFrame:
    return pd.read_csv(examples.get_path("mexico.csv"))


def test_gini_matches_pysal_mexico(mexico):
    # inequality (PySAL) tests/test_gini.py: Gini of 1940 per-capita GDP of the 32 Mexican states
    assert gini(mexico["pcgdp1940"].to_numpy()) == pytest.approx(0.35372371173452849, abs=1e-12)


def test_theil_matches_pysal_mexico(mexico):
    # inequality (PySAL) tests/test_theil.py: Theil T by decade and TheilD between-group part (hanson98 regions)
    expected_t = [0.20894344, 0.15222451, 0.10472941, 0.10194725, 0.09560113, 0.10511256, 0.10660832]
    expected_bg = [0.0345889, 0.02816853, 0.05260921, 0.05931219, 0.03205257, 0.02963731, 0.03635872]
    for year, t, bg in zip(YEARS, expected_t, expected_bg, strict=True):
        y = mexico[f"pcgdp{year}"].to_numpy()
        dec = theil_decomposition(y, mexico["hanson98"].to_numpy())
        assert theil_t(y) == pytest.approx(t, abs=1e-8)
        assert dec.between == pytest.approx(bg, abs=1e-8)
        assert dec.between + dec.within == pytest.approx(dec.total, abs=1e-14)


def test_theil_two_groups_all_between():
    # inequality tests/test_theil.py: y = (0,0,0,10,10,10) in two regions → T = between = ln 2, within = 0
    dec = theil_decomposition(np.array([0, 0, 0, 10, 10, 10]), np.array([0, 0, 0, 1, 1, 1]))
    assert dec.total == pytest.approx(np.log(2))
    assert dec.between == pytest.approx(np.log(2))
    assert dec.within == pytest.approx(0.0)


def test_gini_and_theil_mathmodels_documented_examples():
    # R package mathmodels, R/inequality.R examples, outputs in its R CMD check log (mathmodels-Ex.Rout):
    # gini0(c(10, 20, 30, 40, 100)) = 0.4; theil0_g on 18 values in groups A, B: T = 0.07907822,
    # Tb = 0.01127992, Tw = 0.06779830, group Theils A = 0.16568710, B = 0.01021666.
    assert gini(np.array([10.0, 20.0, 30.0, 40.0, 100.0])) == pytest.approx(0.4, abs=1e-15)
    g = np.array(["A", "A", *["B"] * 10, *["A"] * 6])
    y = np.array([10, 10, *[8] * 4, *[6] * 6, *[4] * 4, 2, 2], dtype=float)
    dec = theil_decomposition(y, g)
    assert (dec.total, dec.between, dec.within) == pytest.approx((0.07907822, 0.01127992, 0.06779830), abs=5e-9)
    assert dec.groups["theil"].to_dict() == pytest.approx({"A": 0.16568710, "B": 0.01021666}, abs=5e-9)


def _naive_pairs(a, b):
    diff = a[:, None] - b[None, :]
    return np.maximum(diff, 0).sum(), np.maximum(-diff, 0).sum()


def test_sorted_sums_equal_all_pairs():
    rng = np.random.default_rng(1)
    a, b = rng.gamma(2.0, size=57), rng.gamma(3.0, size=41)
    b[:5] = a[:5]  # ties
    assert sum_abs_between(a, b) == pytest.approx(_naive_pairs(a, b))
    assert sum_abs_within(a) == pytest.approx(np.abs(a[:, None] - a[None, :]).sum())


def test_dagum_identities_mexico(mexico):
    for year in YEARS:
        y = mexico[f"pcgdp{year}"].to_numpy(dtype=float)
        groups = mexico["hanson98"].to_numpy()
        res = dagum_gini(y, groups)
        # the total is the ordinary Gini (PySAL) and the three parts add up to it exactly
        from inequality.gini import Gini

        assert res.total == pytest.approx(Gini(y).g, abs=1e-12)
        assert res.within + res.between + res.transvariation == pytest.approx(res.total, abs=1e-12)
        # between-group identity: d_jh − p_jh = Ȳ_j − Ȳ_h (Dagum 1997, eq. 13)
        means = res.groups["mean"]
        for row in res.pairs.itertuples():
            assert row.d_jh - row.p_jh == pytest.approx(means[row.richer] - means[row.poorer], rel=1e-10)
        # Σ_j Σ_h G_jh p_j s_h = G (Dagum 1997, eq. 6)
        p, s = res.groups["p"], res.groups["s"]
        assert (res.matrix.to_numpy() * np.outer(p, s)).sum() == pytest.approx(res.total, abs=1e-12)


def test_dagum_by_hand_with_and_without_overlap():
    # Dagum (1997), eqs. (2)–(13), worked by hand. A = (1, 2), B = (3, 5): no overlap, so D_BA = 1 and G_t = 0;
    # G_AA = 2/(2·4·1.5) = 1/6, G_BB = 4/(2·4·4) = 1/8, p = (1/2, 1/2), s = (3/11, 8/11) → G_w = 3/44;
    # G_BA = 2.5/5.5 = 5/11 with weight p_B s_A + p_A s_B = 1/2 → G_nb = 5/22; G = 26/88 = 13/44.
    res = dagum_gini(np.array([1.0, 2.0, 3.0, 5.0]), np.array(["A", "A", "B", "B"]))
    assert (res.total, res.within, res.between, res.transvariation) == pytest.approx((13 / 44, 3 / 44, 5 / 22, 0.0))
    assert res.matrix.loc["A", "B"] == pytest.approx(5 / 11)
    # A = (1, 4), B = (2, 5) overlap: d_BA = 6/4, p_BA = 2/4, D_BA = 1/2, G_BA = 2/6 → G_nb = G_t = 1/12;
    # G_AA = 6/20, G_BB = 6/28, s = (5/12, 7/12) → G_w = 1/8; G = 28/96 = 7/24.
    res = dagum_gini(np.array([1.0, 4.0, 2.0, 5.0]), np.array(["A", "A", "B", "B"]))
    assert (res.total, res.within, res.between, res.transvariation) == pytest.approx((7 / 24, 1 / 8, 1 / 12, 1 / 12))
    assert res.pairs.iloc[0][["richer", "d_jh", "p_jh", "D_jh"]].tolist() == ["B", 1.5, 0.5, 0.5]


def test_dagum_region_with_one_member_is_refused():
    y = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    with pytest.raises(InequalityError, match="group 'solo' has 1 member"):
        dagum_gini(y, np.array(["a", "a", "b", "b", "solo"]))
    assert dagum_gini(y, np.array(["a", "a", "b", "b", "solo"]), min_group_size=1).total == pytest.approx(gini(y))
    with pytest.raises(InequalityError, match="NaN"):
        dagum_gini(np.array([1.0, np.nan, 2.0, 3.0]), np.array(["a", "a", "b", "b"]))


def test_kde_matches_statsmodels(mexico):
    # statsmodels KDEUnivariate (fft=False) with its 'silverman' rule 0.9·min(sd, IQR/1.349)·n^(−1/5)
    from statsmodels.nonparametric.bandwidths import bw_silverman
    from statsmodels.nonparametric.kde import KDEUnivariate

    x = mexico["pcgdp1970"].to_numpy(dtype=float)
    assert bandwidth(x, "silverman") == pytest.approx(bw_silverman(x))
    for ours, theirs in (("gaussian", "gau"), ("epan2", "epa"), ("biweight", "biw"), ("triangular", "tri")):
        kde = KDEUnivariate(x)
        kde.fit(kernel=theirs, bw="silverman", fft=False)
        pts = kde.support[::16]
        _, dens, _ = kernel_density(x, pts, kernel=ours, bw="silverman")
        np.testing.assert_allclose(dens, kde.density[::16], rtol=1e-7, atol=1e-14)


def test_stata_bandwidth_uses_summarize_detail_quartiles():
    # Stata kdensity.ado (v2.8.2): h = 0.9·min(r(sd), (r(p75) − r(p25))/1.349)/r(N)^0.2 after summarize, detail,
    # whose percentiles ([R] summarize, Methods and formulas) for x = 1..10 are p25 = x_(3) = 3, p75 = x_(8) = 8
    # (r = 2.5, 7.5 not whole) and for x = 1..8 the means (2 + 3)/2 and (6 + 7)/2 (r = 2, 6 whole).
    x10 = np.arange(1.0, 11.0)
    assert bandwidth(x10, "stata") == pytest.approx(0.9 * min(x10.std(ddof=1), 5 / 1.349) * 10**-0.2)
    assert bandwidth(x10, "silverman") == pytest.approx(0.9 * min(x10.std(ddof=1), 4.5 / 1.349) * 10**-0.2)
    x8 = np.arange(1.0, 9.0)
    assert bandwidth(x8, "stata") == pytest.approx(0.9 * min(x8.std(ddof=1), 4 / 1.349) * 8**-0.2)
    # a zero IQR falls back to the standard deviation, as in kdensity.ado
    tied = np.array([1.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 9.0])
    assert bandwidth(tied, "stata") == pytest.approx(0.9 * tied.std(ddof=1) * 8**-0.2)


def test_stata_epanechnikov_has_unit_variance_and_integrates_to_one():
    # Stata [R] kdensity: K(z) = 3/(4√5)(1 − z²/5) on |z| < √5
    z = np.linspace(-3, 3, 600001)
    k = KERNELS["epanechnikov"](z)
    assert np.trapezoid(k, z) == pytest.approx(1.0, abs=1e-9)
    assert np.trapezoid(k * z * z, z) == pytest.approx(1.0, abs=1e-6)


def test_sigma_convergence_and_speed():
    frame = pd.DataFrame({"year": [1, 1, 1, 2, 2, 2], "v": [1.0, 2.0, 3.0, 2.0, 2.0, 2.0]})
    out = sigma_convergence(frame, "v")
    assert out.loc[1, "cv"] == pytest.approx(0.5)
    assert out.loc[2, "cv"] == 0.0
    assert speed_of_convergence(-0.02, 1) == pytest.approx(-np.log(0.98))


def test_beta_convergence_recovers_known_speed():
    # Barro & Sala-i-Martin (1992): with ln y_{t+1} = e^{−λ} ln y_t + c_i the regression slope is β = e^{−λ} − 1
    lam = 0.05
    rng = np.random.default_rng(3)
    rows = []
    for i in range(30):
        ly = rng.normal(3.0, 1.0)
        for t in range(12):
            rows.append({"geo": f"p{i}", "year": 2000 + t, "v": np.exp(ly)})
            ly = np.exp(-lam) * ly + 0.2 + rng.normal(0, 1e-4)
    res = beta_convergence(pd.DataFrame(rows), "v")
    assert res.beta == pytest.approx(np.exp(-lam) - 1, abs=2e-4)
    assert res.speed == pytest.approx(lam, rel=5e-3)
    fe = beta_convergence(pd.DataFrame(rows), "v", fixed_effects=True)
    assert fe.speed == pytest.approx(lam, rel=5e-2)


def test_dagum_replicates_equal_the_decomposition_of_each_sample(mexico):
    # the vectorised bootstrap computes every replicate at once; each row must equal dagum_gini on that sample
    from coreduce.methods.dagum import dagum_replicates

    y = mexico["pcgdp1970"].to_numpy(dtype=float)
    groups = mexico["hanson98"].to_numpy()
    rng = np.random.default_rng(5)
    names = pd.unique(groups)
    samples = [y[groups == g][rng.integers(0, (groups == g).sum(), size=(40, (groups == g).sum()))] for g in names]
    rows = dagum_replicates(samples)
    for b in (0, 17, 39):
        values = np.concatenate([part[b] for part in samples])
        labels = np.repeat(names, [part.shape[1] for part in samples])
        one = dagum_gini(values, labels, min_group_size=1)
        expected = [one.total, one.within, one.between, one.transvariation]
        np.testing.assert_allclose(rows.loc[b, ["G", "G_w", "G_nb", "G_t"]], expected, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(rows[["G_w", "G_nb", "G_t"]].sum(axis=1), rows["G"], rtol=1e-12)


def test_dagum_bootstrap_intervals(mexico):
    from coreduce.methods.dagum import dagum_bootstrap

    y = mexico["pcgdp2000"].to_numpy(dtype=float)
    groups = mexico["hanson98"].to_numpy()
    ci = dagum_bootstrap(y, groups, reps=499, seed=1)
    assert list(ci.index) == ["G", "G_w", "G_nb", "G_t", "share_G_w", "share_G_nb", "share_G_t"]
    assert ci.loc["G", "estimate"] == pytest.approx(gini(y))
    assert (ci["lower"] <= ci["upper"]).all() and (ci["se"] > 0).all()
    assert ci.loc["G", "lower"] < ci.loc["G", "estimate"] < ci.loc["G", "upper"]
    pd.testing.assert_frame_equal(ci, dagum_bootstrap(y, groups, reps=499, seed=1))  # the seed fixes the draws
    with pytest.raises(InequalityError, match="at least 2 replicates"):
        dagum_bootstrap(y, groups, reps=1)
    with pytest.raises(InequalityError, match="confidence level"):
        dagum_bootstrap(y, groups, level=95)


def test_singular_beta_convergence_names_the_cause():
    rng = np.random.default_rng(4)
    rows = [
        {"geo": f"p{i}", "year": 2000 + t, "v": float(np.exp(rng.normal(3, 1))), "trend": 2.0 * t, "one": 1.0}
        for i in range(12)
        for t in range(8)
    ]
    frame = pd.DataFrame(rows)
    with pytest.raises(InequalityError, match=r"singular design: control\(s\) trend are absorbed by province and year"):
        beta_convergence(frame, "v", controls=["trend"], fixed_effects=True)
    with pytest.raises(InequalityError, match=r"singular design: .* one are collinear .* with the constant"):
        beta_convergence(frame, "v", controls=["one"])
    with pytest.raises(InequalityError, match="growth span T must be at least 1"):
        beta_convergence(frame, "v", span=0)
