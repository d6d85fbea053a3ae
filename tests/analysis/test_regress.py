"""NQPF → co-reduction regressions end to end on the bundled panel, checked against dummy-variable OLS."""

import numpy as np
import pytest

from coreduce.analysis.regress import describe, regress, regression_data
from coreduce.methods.econometrics import RegressionError


@pytest.fixture(scope="module")
def panel(bundled_panel):
    return bundled_panel


@pytest.fixture(scope="module")
def result(panel):
    return regress(panel, n_boot=199)


@pytest.mark.slow
def test_fixed_effects_regression_on_the_real_panel(result):
    coefs = result.coefficients
    data = result.data.dropna(subset=["nqpf", "coupling", "ln_gdp_pc", "ln_population"])
    # every province has an NQPF score (gaps re-weighted), but the coupling outcome uses the CEADs-based CO2,
    # which does not cover Tibet: 30 provinces × 13 years
    assert len(data) == 390 and data["geo"].nunique() == 30
    assert data["year"].min() == 2010 and data["year"].max() == 2022
    # The within estimator equals OLS with province and year dummies (statsmodels, an independent code path).
    import statsmodels.formula.api as smf

    lsdv = smf.ols("coupling ~ nqpf + ln_gdp_pc + ln_population + C(geo) + C(year)", data=data).fit()
    full = coefs[(coefs["model"] == "(2)")].set_index("variable")["coef"]
    np.testing.assert_allclose(full[["nqpf", "ln_gdp_pc", "ln_population"]], lsdv.params[full.index], rtol=1e-8)
    table = result.to_frame()
    assert table.loc["Observations"].tolist() == ["390", "390"]
    assert table.loc["Province FE"].tolist() == ["Yes", "Yes"] and table.loc["Clusters"].tolist() == ["30", "30"]
    r2 = [float(x) for x in table.loc["R² (within)"]]
    assert all(0 <= x <= 1 for x in r2)


def test_every_convention_is_stated(result):
    keys = {r.key for r in result.conventions}
    for key in ("nqpf_method", "normalisation", "regress_outcome", "regress_controls", "regress_mediators"):
        assert key in keys
    errors = result.convention("regress_errors")
    assert "clustered by entity" in errors and "Stata" in errors
    assert result.convention("regress_mediation") == (199, 0.95, 12345)
    text = result.summary()
    assert "Conventions:" in text and "coupling coordination degree" in text
    # Tibet has no coal share and one year of energy consumption: scored with its energy weight re-weighted
    assert result.convention("nqpf_missing") == "interpolate-reweight"
    # Tibet is scored, but its coupling outcome is missing (CEADs does not cover it) and named
    assert {m.series for m in result.missing if m.geo == "540000"} == {"coupling"}


def test_mediation_through_the_three_channels(result):
    med = result.mediation.set_index("channel")
    assert list(med.index) == ["technology", "industry", "energy"]
    # c = c' + a·b exactly in OLS with the same sample (MacKinnon, Warsi & Dwyer 1995).
    np.testing.assert_allclose(med["total c"], med["direct c'"] + med["indirect a·b"], rtol=1e-9)
    assert (med["ci_low (95%)"] <= med["ci_high (95%)"]).all()
    assert len(describe(result)) == 5


def test_heterogeneity_by_the_four_regions(result):
    het = result.heterogeneity.set_index("region")
    assert list(het.index) == ["East", "Central", "West", "Northeast"]
    assert het.loc["Northeast", "clusters"] == 3 and "few clusters" in het.loc["Northeast", "note"]
    assert het["N"].sum() == 390
    assert result.regression_tables["heterogeneity"].to_frame().loc["Region"].tolist() == list(het.index)


def test_export_regression_tables(result, tmp_path):
    for suffix in (".tex", ".html", ".rtf"):
        path = result.export(tmp_path / f"nqpf{suffix}")
        assert "nqpf" in path.read_text(encoding="utf-8")
    result.write(tmp_path / "nqpf.xlsx")
    with pytest.raises(KeyError, match="no regression table 'spatial'"):
        result.export(tmp_path / "x.tex", which="spatial")


def test_bad_inputs_name_the_cause(panel):
    with pytest.raises(RegressionError, match="outcome pm25_provincial / gdp: the panel has no series pm25_provincial"):
        regression_data(panel, outcome="pm25_provincial / gdp")
    with pytest.raises(RegressionError, match="control openness: the panel has no series fdi"):
        regression_data(panel, controls={"openness": "fdi / gdp"})
    with pytest.raises(RegressionError, match=r"names used twice.*nqpf"):
        regression_data(panel, controls={"nqpf": "log(gdp)"})


def test_emission_intensity_outcome_and_a_singular_design(panel):
    res = regress(panel, outcome="log(co2_ceds / gdp)", mediators={}, heterogeneity=False)
    assert res.to_frame().iloc[0, 0] == "log(co2_ceds / gdp)" and res.mediation.empty
    assert res.convention("regress_heterogeneity") == "not_run"
    with pytest.raises(RegressionError, match="size, ln_pop are linearly dependent"):
        regress(
            panel,
            outcome="log(co2_ceds / gdp)",
            controls={"size": "log(population)", "ln_pop": "log(population) * 2"},
            mediators={},
            heterogeneity=False,
        )


def test_balanced_window_picks_the_largest_complete_block():
    import pandas as pd

    from coreduce.analysis.spatial import balanced_window

    idx = pd.MultiIndex.from_product([["a", "b", "c"], range(2000, 2006)], names=["geo", "year"])
    frame = pd.DataFrame({"v": 1.0}, index=idx)
    frame.loc[("c", 2000), "v"] = np.nan  # c lacks 2000: best is a, b, c × 2001–2005 (15 > 2 × 6)
    assert balanced_window(frame) == (["a", "b", "c"], [2001, 2002, 2003, 2004, 2005])
    frame.loc[("c", 2003), "v"] = np.nan  # now a, b × 2000–2005 (12) beats a, b, c × 2004–2005 (too short)
    assert balanced_window(frame) == (["a", "b"], list(range(2000, 2006)))


@pytest.mark.slow
def test_spatial_durbin_on_the_real_panel(panel, shared_data, tmp_path):
    from coreduce.analysis.spatial import spatial_regress

    res = spatial_regress(panel, draws=300)
    coef = res.to_frame().set_index("term")["coef"]
    eff = res.effects.set_index(["effect", "variable"])["estimate"]
    rho = coef["rho (W·y)"]
    # LeSage & Pace (2009): total effect = (β + θ) / (1 − ρ) for row-standardised W.
    assert eff["total", "nqpf"] == pytest.approx((coef["nqpf"] + coef["W·nqpf"]) / (1 - rho), rel=1e-9)
    assert eff["indirect", "nqpf"] == pytest.approx(eff["total", "nqpf"] - eff["direct", "nqpf"], rel=1e-9)
    conv = res.conventions_frame().set_index("key")["value"]
    assert "Hainan linked to Guangdong" in conv["spatial_weights"]
    assert "Lee & Yu" in conv["spatial_estimator"] and res.convention("spatial_estimator") == "lee-yu"
    moran = res.moran
    assert set(moran["variable"]) == {"nqpf", "coupling"} and moran["I"].between(-1, 1).all()
    assert "540000" in {m.geo for m in res.missing}  # scored, but no CEADs CO2, so no coupling outcome
    n_units = res.convention("spatial_sample")[0]
    assert n_units + len(res.missing) == 31
    table = res.regression_tables["spatial"].to_frame()
    assert table.iloc[0].tolist() == ["β", "θ (W·X)", "direct", "indirect", "total"]
    assert table.loc["Observations"].iloc[0] == f"{len(res.data):,}"
    assert r"\begin{tabular}{lccccc}" in res.export(tmp_path / "sdm.tex", which="spatial").read_text(encoding="utf-8")
    dist = spatial_regress(panel, weights="distance", draws=100)
    assert dist.convention("spatial_weights") == "distance"
    with pytest.raises(RegressionError, match="weights must be one of queen, distance"):
        spatial_regress(panel, weights="rook")


@pytest.mark.slow
def test_spatial_durbin_on_the_real_panel_equals_spreg(panel, shared_data):
    """On the bundled panel's balanced block, the direct approach equals spreg's ML_LagFE (slx_lags=1, year dummies
    not lagged): same data, same estimator, two implementations."""
    import contextlib
    import io

    import pandas as pd
    from spreg import ML_LagFE

    from coreduce.analysis.spatial import province_weights, spatial_regress
    from coreduce.methods.spatial import subset_weights
    from coreduce.methods.spatial_durbin import spatial_durbin

    res = spatial_regress(panel, outcome="log(co2_ceds / gdp)", draws=100)
    block = res.data.set_index(["geo", "year"])
    units = list(dict.fromkeys(block.index.get_level_values("geo")))
    w = subset_weights(province_weights("queen"), units)
    regressors = ["nqpf", "ln_gdp_pc", "ln_population"]
    ours = spatial_durbin(block, "log(co2_ceds / gdp)", regressors, w, correction="none", draws=100)
    periods = sorted(block.index.get_level_values("year").unique())
    stacked = block.swaplevel().sort_index().reindex(pd.MultiIndex.from_product([periods, w.id_order]))
    dummies = pd.get_dummies(stacked.index.get_level_values(0)).to_numpy(float)[:, 1:]
    x = np.hstack([stacked[regressors].to_numpy(), dummies])
    lagged = [True] * 3 + [False] * dummies.shape[1]
    with contextlib.redirect_stdout(io.StringIO()):
        ref = ML_LagFE(
            stacked[["log(co2_ceds / gdp)"]].to_numpy(), x, w, slx_lags=1, slx_vars=lagged, spat_impacts=None
        )
    b, k = ref.betas.ravel(), x.shape[1]
    np.testing.assert_allclose(ours.coefficients["coef"], np.r_[b[:3], b[k : k + 3], b[-1]], atol=1e-6)
    assert ours.logll == pytest.approx(float(ref.logll), rel=1e-9)
